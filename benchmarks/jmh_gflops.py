#!/usr/bin/env python3
"""Turns a JMH JSON result file of GradientStepBenchmark into GFLOP/s.

Usage:  python3 benchmarks/jmh_gflops.py target/jmh-result.json

The FLOP counts are the nominal ones of GradientStepBenchmark's javadoc (also used by numpy_step.py):
    step             4nmd + 6nm + 3md + 2m
    lossAndGradient  4nmd + 6nm + md
    forwardLoss      2nmd + 2nm
"""
import json
import sys

FLOPS = {
    "step": lambda n, d, m: 4.0 * n * m * d + 6.0 * n * m + 3.0 * m * d + 2.0 * m,
    "lossAndGradient": lambda n, d, m: 4.0 * n * m * d + 6.0 * n * m + 1.0 * m * d,
    "forwardLoss": lambda n, d, m: 2.0 * n * m * d + 2.0 * n * m,
}
TO_SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def main(path):
    with open(path) as f:
        results = json.load(f)
    print(f"{'benchmark':<16} {'threads':>7} {'n':>5} {'d':>4} {'m':>6} {'time/op':>12} {'error':>10} {'GFLOP/s':>8}")
    for r in results:
        method = r["benchmark"].rsplit(".", 1)[-1]
        p = {k: int(v) for k, v in r.get("params", {}).items()}
        metric = r["primaryMetric"]
        unit = metric["scoreUnit"]
        if method not in FLOPS or unit not in TO_SECONDS:
            print(f"{method}: skipped (unit {unit})")
            continue
        seconds = metric["score"] * TO_SECONDS[unit]
        error = metric.get("scoreError")
        error = "" if error is None or error != error else f"±{error:.3g}"
        gflops = FLOPS[method](p["n"], p["d"], p["m"]) / seconds / 1e9
        print(f"{method:<16} {p['threads']:>7} {p['n']:>5} {p['d']:>4} {p['m']:>6} "
              f"{metric['score']:>9.3f} {unit.split('/')[0]:<2} {error:>10} {gflops:>8.2f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
