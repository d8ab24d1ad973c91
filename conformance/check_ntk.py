#!/usr/bin/env python3
"""Check an implementation of the two-layer NNGP/NTK and of kernel-regression predictions against
twolayer's conformance vectors (ntk-kernels.json, ntk-predictions.json in this folder).

The implementation below is a second one, independent of twolayer's Java code: plain NumPy, the
neural-tangents formulas written the straightforward way (the angle from sqrt(q11 q22 - q12^2), which
loses half of the digits at theta = 0 and pi; tanh by a fixed Gauss-Hermite rule; numpy.linalg.eigh).
Replace kernel() and predict() by calls into your own code to check that instead.

    python3 conformance/check_ntk.py [DIR]      # exit code 0 if every case passes
"""
import json
import math
import pathlib
import sys

import numpy as np


# tag::conformance-kernel[]
def kernel(x1, x2, activation, kind, sigma_w, sigma_v, sigma_b, fan_in_scaling):
    """NNGP or NTK of the ntk preset between the rows of x1 (n1, d) and x2 (n2, d)."""
    d = x1.shape[1]
    k_w2 = sigma_w**2 / d if fan_in_scaling else sigma_w**2
    b2 = 0.0 if sigma_b is None else sigma_b**2
    # Pre-activation covariances: q(x, x') = k_w^2 <x, x'> + sigma_b^2
    q12 = k_w2 * (x1 @ x2.T) + b2
    q11 = (k_w2 * np.sum(x1 * x1, axis=1) + b2)[:, None]
    q22 = (k_w2 * np.sum(x2 * x2, axis=1) + b2)[None, :]
    # Sigma = E sigma(u) sigma(v), SigmaDot = E sigma'(u) sigma'(v)
    if activation == "relu":
        sq = np.sqrt(np.maximum(q11 * q22 - q12**2, 0.0))
        theta = np.arctan2(sq, q12)
        sigma = (sq + (np.pi - theta) * q12) / (2 * np.pi)
        sigma_dot = (np.pi - theta) / (2 * np.pi)
    elif activation == "erf":
        root_d = np.sqrt((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12**2)
        sigma = 2 / np.pi * np.arctan2(2 * q12, root_d)
        sigma_dot = 4 / np.pi / root_d
    elif activation == "tanh":
        sigma, sigma_dot = gauss_hermite(np.tanh, lambda z: 1 - np.tanh(z)**2,
                                         *np.broadcast_arrays(q11, q12, q22))
    else:
        raise ValueError("no kernel for activation " + activation)
    nngp = sigma_v**2 * sigma + b2
    return nngp if kind == "nngp" else nngp + sigma_v**2 * sigma_dot * q12
# end::conformance-kernel[]


def gauss_hermite(f, df, q11, q12, q22, degree=300):
    """E f(u) f(v) and E f'(u) f'(v) for (u, v) ~ N(0, [[q11, q12], [q12, q22]]), entrywise, by a tensor
    Gauss-Hermite rule: u = l11 z1, v = l21 z1 + l22 z2 with z1, z2 independent N(0, 1). Degree 300 is
    about the most numpy's hermgauss computes accurately (it overflows from ~360 on); for tanh at the
    vectors' largest variance (q = 4.5) it is good to 5e-8, against the tolerance 1e-6."""
    t, w = np.polynomial.hermite.hermgauss(degree)
    z, p = np.sqrt(2.0) * t, w / np.sqrt(np.pi)           # nodes and weights for N(0, 1)
    sigma, sigma_dot = np.empty(q12.shape), np.empty(q12.shape)
    for idx in np.ndindex(q12.shape):
        a, c, b = q11[idx], q12[idx], q22[idx]
        l11 = math.sqrt(a)
        l21 = c / l11 if a > 0 else 0.0
        l22 = math.sqrt(max(b - l21 * l21, 0.0))
        u = l11 * z[:, None]
        v = l21 * z[:, None] + l22 * z[None, :]
        weights = p[:, None] * p[None, :]
        sigma[idx] = np.sum(weights * f(u) * f(v))
        sigma_dot[idx] = np.sum(weights * df(u) * df(v))
    return sigma, sigma_dot


# tag::conformance-predict[]
def predict(k_train_train, k_test_train, y, f0_train, f0_test, t):
    """Gradient flow on L = 1/(2n) sum (f - y)^2 in closed form at time t (inf: limit)."""
    n = len(y)
    lam, v = np.linalg.eigh(k_train_train)
    keep = lam > 1e-12 * lam.max()                           # the rest counts as zero
    c = v.T @ (y - f0_train)                                 # residual in the eigenbasis
    if math.isinf(t):
        fit = np.where(keep, 1.0, 0.0)
        phi = np.where(keep, 1.0 / np.where(keep, lam, 1.0), 0.0)   # pseudo-inverse
    else:
        fit = np.where(keep, -np.expm1(-t * lam / n), 0.0)
        safe = np.where(keep, lam, 1.0)                      # no division by zero
        phi = np.where(keep, -np.expm1(-t * lam / n) / safe, t / n)
    f_train = f0_train + v @ (fit * c)
    f_test = f0_test + k_test_train @ (v @ (phi * c))
    return f_train, f_test
# end::conformance-predict[]


def check_kernels(doc):
    """Every kernel case: max |k - k_ref| <= tolerance * max |k_ref|."""
    inputs = {name: np.array(s["x"], dtype=float) for name, s in doc["inputs"].items()}
    failures = 0
    for case in doc["cases"]:
        expected = np.array(case["k"])
        actual = kernel(inputs[case["x1"]], inputs[case["x2"]], case["activation"],
                        case["kernel"], case["sigma_w"], case["sigma_v"], case["sigma_b"],
                        case["fan_in_scaling"])
        error = np.max(np.abs(actual - expected)) / np.max(np.abs(expected))
        ok = error <= case["tolerance"]
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {case['id']}: relative error {error:.1e} "
              f"(tolerance {case['tolerance']:.0e})")
    return failures


# tag::conformance-check[]
def check_predictions(doc):
    """Every prediction case, at every time, from the case's own kernel matrices."""
    failures = 0
    for case in doc["cases"]:
        a = {key: np.array(case[key], dtype=float) for key in
             ("k_train_train", "k_test_train", "train_y", "f0_train", "f0_test")}
        outputs = ("train_y", "f0_train", "f0_test")
        scale = max(1.0, *(np.abs(a[k]).max() for k in outputs))
        error = 0.0
        for expected in case["predictions"]:
            t = math.inf if expected["time"] == "inf" else float(expected["time"])
            f_train, f_test = predict(a["k_train_train"], a["k_test_train"],
                                      a["train_y"], a["f0_train"], a["f0_test"], t)
            error = max(error, np.max(np.abs(f_train - expected["train"])),
                        np.max(np.abs(f_test - expected["test"])))
        ok = error / scale <= case["tolerance"]
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {case['id']}: error {error / scale:.1e} "
              f"(tolerance {case['tolerance']:.0e})")
    return failures
# end::conformance-check[]


def main(folder):
    folder = pathlib.Path(folder)
    kernels = json.loads((folder / "ntk-kernels.json").read_text())
    predictions = json.loads((folder / "ntk-predictions.json").read_text())
    failures = check_kernels(kernels) + check_predictions(predictions)
    print("all cases pass" if failures == 0 else f"{failures} cases FAIL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent))
