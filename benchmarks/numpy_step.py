#!/usr/bin/env python3
"""The NumPy baseline of GradientStepBenchmark: one full-batch gradient-descent step of a two-layer relu
network in the ntk parameterisation (no biases), squared loss, float64, on the same shapes
(n = 1000, d = 100, m in 256, 4096, 16384).

    f(x) = kA * sum_j a_j relu(kW <w_j, x>),  kA = 1/sqrt(m), kW = 1/sqrt(d),  L = 1/(2n) sum_i (f_i - y_i)^2

Nominal FLOP per step, the same count as the Java benchmark's javadoc:
    4nmd + 6nm + 3md + 2m   (forward 2nmd + 2nm, backward 2nmd + 4nm + md, update 2m(d+1))

Each thread count runs in a fresh Python process with OPENBLAS_NUM_THREADS (and OMP_/MKL_NUM_THREADS) set
before NumPy is imported, since that is the setting OpenBLAS reads at start-up.

Usage:  python3 benchmarks/numpy_step.py [--threads 1,2] [--m 256,4096,16384] [--n 1000] [--d 100]
                                          [--seconds 2.0]
Prints the BLAS configuration, then one line per (threads, m): time per step and GFLOP/s.
Only NumPy is needed (threadpoolctl, if installed, is used to report the BLAS thread pools).
"""
import argparse
import os
import subprocess
import sys
import time


def flops_per_step(n, d, m):
    return 4.0 * n * m * d + 6.0 * n * m + 3.0 * m * d + 2.0 * m


def openblas_runtime():
    """(core name, config, threads) reported by the OpenBLAS that NumPy loaded, or None (not OpenBLAS / not found).
    The core name is what DYNAMIC_ARCH picked at run time (OPENBLAS_CORETYPE overrides it)."""
    import ctypes
    try:
        paths = sorted({line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line.lower()})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_", "64_"), ("scipy_", ""), ("", "64_"), ("", "")):
            try:
                core = getattr(lib, f"{prefix}openblas_get_corename{suffix}")
                conf = getattr(lib, f"{prefix}openblas_get_config{suffix}")
                nthr = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}")
            except AttributeError:
                continue
            core.restype = conf.restype = ctypes.c_char_p
            nthr.restype = ctypes.c_int
            return core().decode(), conf().decode(), nthr()
    return None


def describe_blas():
    import numpy as np
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                "OPENBLAS_VERBOSE", "MKL_NUM_THREADS"):
        if var in os.environ:
            print(f"  env {var}={os.environ[var]}")
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        print(f"  blas: {blas.get('name')} {blas.get('version')}; {blas.get('openblas configuration', '')}")
        simd = cfg.get("SIMD Extensions", {})
        if simd:
            print(f"  numpy SIMD found: {', '.join(simd.get('found', []))}")
    except Exception as e:  # older NumPy: no mode="dicts"
        print(f"  (np.show_config(mode='dicts') unavailable: {e}); full config:")
        np.show_config()
    rt = openblas_runtime()
    if rt:
        print(f"  OpenBLAS at run time: core {rt[0]}, {rt[2]} threads by default; {rt[1]}")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"  threadpool: {pool.get('internal_api')} {pool.get('version')} "
                  f"threads={pool.get('num_threads')} arch={pool.get('architecture')}")
    except ImportError:
        print("  threadpoolctl: not installed (thread count set through OPENBLAS_NUM_THREADS)")


def worker(threads, ms, n, d, seconds):
    import numpy as np
    eta = 0.05
    rng = np.random.default_rng(20261123)
    X = rng.standard_normal((n, d))
    y = np.sin(X[:, 0])
    rt = openblas_runtime()
    if rt and rt[2] != threads:
        print(f"warning: OpenBLAS runs {rt[2]} threads, not {threads}", flush=True)
    for m in ms:
        W = rng.standard_normal((m, d))
        a = rng.standard_normal(m)
        kA, kW = 1.0 / np.sqrt(m), 1.0 / np.sqrt(d)

        def step():
            nonlocal W, a
            Z = X @ W.T                      # (n, m)  2nmd
            Z *= kW
            S = np.maximum(Z, 0.0)           # relu
            f = kA * (S @ a)                 # (n)     2nm
            e = f - y
            loss = 0.5 * np.dot(e, e) / n
            r = e / n
            grad_a = kA * (S.T @ r)          # (m)     2nm
            D = (Z > 0) * r[:, None]         # (n, m)  relu'(Z) * r
            grad_W = D.T @ X                 # (m, d)  2nmd
            grad_W *= (kA * kW) * a[:, None]
            a -= eta * grad_a                # in place: no new parameter arrays
            W -= eta * grad_W
            return loss

        step()                               # warm-up: page in the temporaries, start the BLAS threads
        step()
        times = []
        start = time.perf_counter()
        while True:
            t0 = time.perf_counter()
            step()
            times.append(time.perf_counter() - t0)
            if len(times) >= 3 and time.perf_counter() - start >= seconds:
                break
        times.sort()
        med = times[len(times) // 2]
        gflops = flops_per_step(n, d, m) / med / 1e9
        print(f"numpy  threads={threads}  n={n} d={d} m={m:<6d} {med * 1e3:10.3f} ms/step (median of {len(times)}, "
              f"min {times[0] * 1e3:.3f})  {gflops:6.2f} GFLOP/s", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", default="1,2")
    p.add_argument("--m", default="256,4096,16384")
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--d", type=int, default=100)
    p.add_argument("--seconds", type=float, default=2.0, help="measuring time per shape")
    p.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    ms = [int(v) for v in args.m.split(",")]
    if args.worker:
        worker(args.worker, ms, args.n, args.d, args.seconds)
        return
    describe_blas()
    for t in [int(v) for v in args.threads.split(",")]:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t))
        subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", str(t), "--m", args.m,
                        "--n", str(args.n), "--d", str(args.d), "--seconds", str(args.seconds)],
                       env=env, check=True)


if __name__ == "__main__":
    main()
