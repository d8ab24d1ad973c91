#!/usr/bin/env python3
"""The NumPy side of benchmarks/run-all.sh: the obvious vectorised float64 code a researcher would write for
each computation that the JMH benchmarks in benchmarks/java/twolayer/bench time, on the same shapes.

    gd-step-<relu|tanh>-<ntk|meanfield>  one full-batch gradient-descent step, squared loss, no biases;
                                         n = 1000, d = 100, m in 256, 4096, 16384   (GradientStepBenchmark)
    ntk-gram            the empirical NTK Gram of n = 500 inputs with itself, its four groups a, w, b, c;
                        d = 100, m = 10^4, relu, ntk preset with biases              (NtkGramBenchmark)
    mfld-step           one mean-field Langevin step, n = 1000, d = 100, m = 4096    (MfldStepBenchmark)
    two-timescale-step  one exact two-timescale step (first-layer Langevin step, intrinsic kernel, ridge
                        solve by Cholesky, readouts), n = 400, d = 15, m = 2000      (TwoTimescaleStepBenchmark)

The nominal FLOP counts are in the benchmark classes' javadoc and in the performance chapter.

Timing mirrors JMH's AverageTime mode: warm-up iterations, then measured iterations of a fixed length, each
scoring (its time) / (its calls); the reported time is the mean of the measured iterations' scores.
Each thread count runs in a fresh Python process with OPENBLAS_NUM_THREADS (and OMP_/MKL_NUM_THREADS) set
before NumPy is imported, since OpenBLAS reads them at start-up; threadpoolctl, if installed, is used as well.
The workers also run with glibc's MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ raised (see MALLOC_ENV), so
that NumPy's temporaries are reused instead of being fresh pages that fault on first touch.

Usage:  python3 benchmarks/numpy_bench.py [--threads 1,2] [--only REGEX] [--warmup 3] [--iterations 5]
                                           [--seconds 2.0] [--out FILE.csv] [--describe-json FILE.json]
Prints the BLAS configuration and one line per (benchmark, threads, m); --out appends
"benchmark,threads,m,numpy_ms" rows to FILE.csv (written whole, by rename, by the parent process).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

SEED = 20261123

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
    """Prints NumPy's BLAS as this process loaded it (version, OpenBLAS core and threads, OPENBLAS_* variables)."""
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
    print("  workers: " + ", ".join(f"{k}={v}" for k, v in MALLOC_ENV.items()))
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"  threadpool: {pool.get('internal_api')} {pool.get('version')} "
                  f"threads={pool.get('num_threads')} arch={pool.get('architecture')}")
    except ImportError:
        print("  threadpoolctl: not installed (thread count set through OPENBLAS_NUM_THREADS)")



def blas_json():
    """NumPy's version and BLAS (name, version, OpenBLAS configuration and run-time core) as a dict."""
    import numpy as np
    out = {"numpy": np.__version__, "python": sys.version.split()[0]}
    try:
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        out["blas"] = f"{blas.get('name')} {blas.get('version')}"
        out["blas_configuration"] = blas.get("openblas configuration", "")
    except Exception as e:  # older NumPy: no mode="dicts"
        out["blas"] = f"unknown ({e})"
    rt = openblas_runtime()
    if rt:
        out["openblas_core"], out["openblas_runtime_config"] = rt[0], rt[1]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            out["env_" + var] = os.environ[var]
    for var, value in MALLOC_ENV.items():
        out["worker_env_" + var] = value
    import platform
    # some glibc versions reject mmap thresholds above 32 MiB (the setting would then not take): record which ran
    out["libc"] = " ".join(platform.libc_ver())
    try:
        from threadpoolctl import threadpool_info
        out["threadpools"] = threadpool_info()
    except ImportError:
        out["threadpools"] = "threadpoolctl not installed; threads set by OPENBLAS_NUM_THREADS"
    return out


def gaussian_data(rng, n, d):
    X = rng.standard_normal((n, d))
    return X, np.sin(X[:, 0])


def gd_step_case(activation, preset, n, d, m):
    rng = np.random.default_rng(SEED)
    X, y = gaussian_data(rng, n, d)
    W = rng.standard_normal((m, d))
    a = rng.standard_normal(m)
    eta = 0.05
    if preset == "ntk":
        kA, kW, rate = 1.0 / np.sqrt(m), 1.0 / np.sqrt(d), 1.0
    else:                                    # mean-field: f = (1/m) sum_j a_j sigma(<w_j, x>), rates m
        kA, kW, rate = 1.0 / m, 1.0, float(m)

    def step():
        nonlocal W, a
        Z = X @ W.T                          # (n, m)  2nmd
        Z *= kW
        if activation == "relu":
            S = np.maximum(Z, 0.0)
            Sp = Z > 0
        else:
            S = np.tanh(Z)
            Sp = 1.0 - S * S
        f = kA * (S @ a)                     # (n)     2nm
        e = f - y
        loss = 0.5 * np.dot(e, e) / n
        r = e / n
        grad_a = kA * (S.T @ r)              # (m)     2nm
        D = Sp * r[:, None]                  # (n, m)  sigma'(Z) * r
        grad_W = D.T @ X                     # (m, d)  2nmd
        grad_W *= (kA * kW) * a[:, None]
        a -= (eta * rate) * grad_a           # in place: no new parameter arrays
        W -= (eta * rate) * grad_W
        return loss
    return step


def ntk_gram_case(n, d, m):
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((n, d))
    W = rng.standard_normal((m, d))
    b = rng.standard_normal(m)
    a = rng.standard_normal(m)
    kA, kW, kB, kC = 1.0 / np.sqrt(m), 1.0 / np.sqrt(d), 0.1, 0.1

    def gram():
        Z = kW * (X @ W.T) + kB * b          # (n, m)  2nmd
        S = np.maximum(Z, 0.0)
        G = (Z > 0) * a                      # a_j sigma'(z_ij)
        GG = G @ G.T                         # (n, n)  2n^2 m (syrk: half)
        theta_a = (kA * kA) * (S @ S.T)      #         2n^2 m (syrk: half)
        theta_w = (kA * kA * kW * kW) * (X @ X.T) * GG   # 2n^2 d
        theta_b = (kA * kA * kB * kB) * GG
        theta_c = np.full((n, n), kC * kC)
        return theta_a, theta_w, theta_b, theta_c
    return gram


def mfld_step_case(n, d, m):
    rng = np.random.default_rng(SEED)
    X, y = gaussian_data(rng, n, d)
    W = rng.standard_normal((m, d))
    a = rng.standard_normal(m)
    noise = np.random.default_rng(SEED + 2)
    eta, lam, lam_a, lam_w = 0.05, 1e-3, 1e-3, 1e-3
    scale = np.sqrt(2 * eta * lam)

    def step():
        nonlocal W, a
        Z = X @ W.T                          # (n, m)  2nmd
        S = np.maximum(Z, 0.0)
        f = (S @ a) / m
        e = f - y
        loss = 0.5 * np.dot(e, e) / n
        r = e / n
        grad_a = (S.T @ r) / m
        grad_W = ((Z > 0) * r[:, None]).T @ X   # 2nmd
        grad_W *= (a / m)[:, None]
        a += -(eta * m) * grad_a - (eta * lam_a) * a + scale * noise.standard_normal(m)
        W += -(eta * m) * grad_W - (eta * lam_w) * W + scale * noise.standard_normal((m, d))
        return loss
    return step


def two_timescale_case(n, d, m):
    rng = np.random.default_rng(SEED)
    X, y = gaussian_data(rng, n, d)
    W = rng.standard_normal((m, d))
    noise = np.random.default_rng(SEED + 2)
    eta, lam, lam_a, lam_w = 0.05, 1e-3, 1e-2, 1e-3
    scale = np.sqrt(2 * eta * lam)
    try:
        from scipy.linalg import cho_factor, cho_solve
    except ImportError:
        cho_factor = None

    def optimal_readout():
        H = np.maximum(X @ W.T, 0.0)         # (n, m)  2nmd
        K = (H @ H.T) / m                    # (n, n)  n^2 m (syrk)
        A = K + (n * lam_a) * np.eye(n)
        if cho_factor is not None:
            alpha = cho_solve(cho_factor(A), y)   # n^3/3 + 2n^2
        else:
            alpha = np.linalg.solve(A, y)
        return H.T @ alpha                   # (m)     2nm

    a = optimal_readout()

    def step():
        nonlocal W, a
        Z = X @ W.T
        S = np.maximum(Z, 0.0)
        f = (S @ a) / m
        e = f - y
        loss = 0.5 * np.dot(e, e) / n
        r = e / n
        grad_W = ((Z > 0) * r[:, None]).T @ X
        grad_W *= (a / m)[:, None]
        W += -(eta * m) * grad_W - (eta * lam_w) * W + scale * noise.standard_normal((m, d))
        a = optimal_readout()
        return loss
    return step


def cases(only):
    """(name, m, builder) of every benchmark whose name matches the regular expression only."""
    out = []
    for act in ("relu", "tanh"):
        for preset in ("ntk", "meanfield"):
            for m in (256, 4096, 16384):
                out.append((f"gd-step-{act}-{preset}", m,
                            lambda act=act, preset=preset, m=m: gd_step_case(act, preset, 1000, 100, m)))
    out.append(("ntk-gram", 10000, lambda: ntk_gram_case(500, 100, 10000)))
    out.append(("mfld-step", 4096, lambda: mfld_step_case(1000, 100, 4096)))
    out.append(("two-timescale-step", 2000, lambda: two_timescale_case(400, 15, 2000)))
    return [c for c in out if re.search(only, c[0])]


def measure(fn, warmup, iterations, seconds):
    """JMH's AverageTime: the mean over measured iterations of (iteration time) / (calls in it), in ms."""
    scores = []
    for it in range(warmup + iterations):
        calls, t0 = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                break
        if it >= warmup:
            scores.append(elapsed / calls * 1e3)
    return sum(scores) / len(scores), min(scores), max(scores)


# glibc hands freed blocks above its mmap threshold (128 KiB, raised adaptively up to 32 MiB) back to the
# kernel, so a fresh (n, m) temporary of the step can be new pages that fault on first touch: depending on the
# allocator's history, the same relu step at m = 256 took 3 ms or 40 ms. With both thresholds above any array
# here, freed temporaries are reused, which is NumPy's faster and steady case; the workers run with it (unless the
# caller set these variables) and the description records it.
MALLOC_ENV = {k: os.environ.get(k, "4294967296") for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")}


def worker(threads, only, warmup, iterations, seconds, out):
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass                                 # OPENBLAS_NUM_THREADS, set by the parent, rules
    rt = openblas_runtime()
    if rt and rt[2] != threads:
        print(f"warning: OpenBLAS runs {rt[2]} threads, not {threads}", flush=True)
    with open(out, "a") as f:
        for name, m, build in cases(only):
            mean, lo, hi = measure(build(), warmup, iterations, seconds)
            print(f"numpy  {name:24s} threads={threads} m={m:<6d} {mean:10.3f} ms/op  (iterations {lo:.3f} .. {hi:.3f})",
                  flush=True)
            f.write(f"{name},{threads},{m},{mean:.6g}\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", default="1,2")
    p.add_argument("--only", default=".", help="regular expression on the benchmark names")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0, help="length of one iteration")
    p.add_argument("--out", help="CSV file for the rows benchmark,threads,m,numpy_ms")
    p.add_argument("--describe-json", help="write NumPy's version and BLAS configuration to this JSON file")
    p.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args.worker, args.only, args.warmup, args.iterations, args.seconds, args.out)
        return
    try:
        threads = [int(v) for v in args.threads.split(",")]
    except ValueError:
        sys.exit(f"--threads: a comma-separated list of positive integers, got {args.threads!r}")
    if not threads or min(threads) < 1:
        sys.exit(f"--threads: a comma-separated list of positive integers, got {args.threads!r}")
    if args.iterations < 1 or args.warmup < 0 or not args.seconds > 0:
        sys.exit("--iterations must be >= 1, --warmup >= 0 and --seconds > 0")
    describe_blas()
    if args.describe_json:
        with open(args.describe_json, "w") as f:
            json.dump(blas_json(), f, indent=2, default=str)
    with tempfile.TemporaryDirectory() as tmp:
        rows = os.path.join(tmp, "rows.csv")
        open(rows, "w").close()
        for t in threads:
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t))
            env.update(MALLOC_ENV)
            subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", str(t), "--only", args.only,
                            "--warmup", str(args.warmup), "--iterations", str(args.iterations),
                            "--seconds", str(args.seconds), "--out", rows], env=env, check=True)
        if args.out:
            tmp_out = args.out + ".tmp"
            with open(rows) as src, open(tmp_out, "w") as dst:
                dst.write("benchmark,threads,m,numpy_ms\n" + src.read())
            os.replace(tmp_out, args.out)


if __name__ == "__main__":
    import numpy as np               # here: a worker imports it after its parent set OPENBLAS_NUM_THREADS
    main()
