#!/usr/bin/env python3
"""Joins the two sides of benchmarks/run-all.sh into one table, and describes the machine they ran on.

    python3 benchmarks/summary.py JMH.json NUMPY.csv NUMPY_BLAS.json SUMMARY.csv META.json [--quick]
                                  [--load-start "1.0 2.0 3.0"]

SUMMARY.csv has one row per benchmark, thread count and width:
    benchmark,threads,m,java_ms,numpy_ms,ratio          (ratio = java_ms / numpy_ms)
java_ms is JMH's AverageTime score; numpy_ms is numpy_bench.py's score measured the same way. META.json records
the date, the CPU (from /proc/cpuinfo), its nominal peak, the JDK, NumPy and its BLAS, the load average at the
start and at the end, and whether the machine was shared. Both files are written whole (temp file + rename).
The performance chapter reads a committed copy of both (benchmarks/results/).
"""
import datetime
import json
import os
import subprocess
import sys

# JMH benchmark (class.method) -> the name in the table; GradientStepBenchmark adds activation and preset
NAMES = {
    "NtkGramBenchmark.gram": "ntk-gram",
    "MfldStepBenchmark.step": "mfld-step",
    "TwoTimescaleStepBenchmark.step": "two-timescale-step",
}
TO_MS = {"s/op": 1e3, "ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6}


def fail(msg):
    sys.exit(f"summary.py: {msg}")


def java_rows(path):
    try:
        with open(path) as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: cannot read the JMH result file: {e}")
    rows = {}
    for r in results:
        short = ".".join(r["benchmark"].split(".")[-2:])
        p = r.get("params", {})
        if short == "GradientStepBenchmark.step":
            name = f"gd-step-{p['activation']}-{p['preset'].lower()}"
        elif short in NAMES:
            name = NAMES[short]
        else:
            continue                          # other methods (forwardLoss, ...) have no NumPy twin here
        unit = r["primaryMetric"]["scoreUnit"]
        if unit not in TO_MS:
            fail(f"{path}: benchmark {r['benchmark']} has score unit {unit!r}; expected one of {sorted(TO_MS)}")
        rows[(name, int(p["threads"]), int(p["m"]))] = r["primaryMetric"]["score"] * TO_MS[unit]
    return rows


def numpy_rows(path):
    rows = {}
    try:
        with open(path) as f:
            header = f.readline().strip()
            if header != "benchmark,threads,m,numpy_ms":
                fail(f"{path}: header {header!r}, expected 'benchmark,threads,m,numpy_ms'")
            for line in f:
                name, threads, m, ms = line.strip().split(",")
                rows[(name, int(threads), int(m))] = float(ms)
    except OSError as e:
        fail(f"{path}: cannot read the NumPy results: {e}")
    return rows


def cpuinfo():
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if ":" in line:
                    k, v = (s.strip() for s in line.split(":", 1))
                    info.setdefault(k, v)
    except OSError:
        pass
    return info


def peak_flops_per_cycle(info):
    """Nominal double-precision FLOP per cycle and core: two FMA pipes times the vector width in doubles times 2.
    Zen 5 (family 26) executes AVX-512 on full 512-bit pipes, Zen 4 (family 25) on 256-bit halves; PEAK_FLOPS_PER_CYCLE
    overrides the guess."""
    if os.environ.get("PEAK_FLOPS_PER_CYCLE"):
        return float(os.environ["PEAK_FLOPS_PER_CYCLE"]), "PEAK_FLOPS_PER_CYCLE"
    flags = info.get("flags", "").split()
    family = info.get("cpu family", "")
    if "avx512f" in flags and not (info.get("vendor_id") == "AuthenticAMD" and family in ("23", "25")):
        return 32.0, "2 FMA x 8 doubles x 2 (AVX-512, full-width pipes)"
    if "avx2" in flags and "fma" in flags:
        return 16.0, "2 FMA x 4 doubles x 2 (AVX2, or AVX-512 on 256-bit pipes)"
    return 8.0, "2 x 2 doubles x 2 (SSE2)"


def main():
    args = sys.argv[1:]
    quick = "--quick" in args
    args = [a for a in args if a != "--quick"]
    load_start = None
    if "--load-start" in args:
        k = args.index("--load-start")
        load_start = args[k + 1]
        del args[k:k + 2]
    if len(args) != 5:
        fail("usage: summary.py JMH.json NUMPY.csv NUMPY_BLAS.json SUMMARY.csv META.json [--quick] [--load-start L]")
    jmh, npy, blas, out_csv, out_meta = args
    java, numpy = java_rows(jmh), numpy_rows(npy)
    keys = sorted(set(java) & set(numpy), key=lambda k: (k[0], k[2], k[1]))
    missing = sorted(set(java) ^ set(numpy))
    if missing:
        print(f"summary.py: measured on one side only (left out): {missing}", file=sys.stderr)
    lines = ["benchmark,threads,m,java_ms,numpy_ms,ratio"]
    for k in keys:
        j, n = java[k], numpy[k]
        lines.append(f"{k[0]},{k[1]},{k[2]},{j:.4g},{n:.4g},{j / n:.3f}")
    tmp = out_csv + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, out_csv)

    info = cpuinfo()
    per_cycle, why = peak_flops_per_cycle(info)
    mhz = float(info.get("cpu MHz", "nan"))
    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    try:
        with open(blas) as f:
            numpy_blas = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{blas}: cannot read NumPy's BLAS description: {e}")
    with open("/proc/loadavg") as f:
        load_end = " ".join(f.read().split()[:3])
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
        "mode": "quick (BENCH_QUICK=1: JMH -f1 -wi 1 -i 2 -w 1s -r 1s, NumPy the same)" if quick
                else "full (JMH -f1 -wi 3 -i 5 -w 2s -r 2s, NumPy the same)",
        "cpu_model": info.get("model name", "unknown"),
        "cpu_family_model": f"{info.get('vendor_id', '?')} family {info.get('cpu family', '?')} model {info.get('model', '?')}",
        "cores": os.cpu_count(),
        "cpu_mhz_nominal": mhz,
        "peak_flops_per_cycle_per_core": per_cycle,
        "peak_basis": why,
        "peak_gflops_per_core": round(per_cycle * mhz / 1e3, 2),
        "jdk": jdk[0] if jdk else "unknown",
        "jdk_runtime": jdk[1] if len(jdk) > 1 else "",
        "numpy": numpy_blas,
        "load_average_start": load_start,
        "load_average_end": load_end,
        "note": os.environ.get("BENCH_NOTE", ""),
    }
    tmp = out_meta + ".tmp"
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=2, default=str)
        f.write("\n")
    os.replace(tmp, out_meta)


if __name__ == "__main__":
    main()
