"""A second implementation of the two-layer net, its dynamics and kernels, in plain NumPy, written from the
chapters' formulas (notation, model, baseline), not from the Java code. It is the checker's own test: it must pass
every vector (python3 -m pytest conformance --adapter conformance/adapters/numpy_reference.py).

    f(x) = kA sum_j a_j sigma(kW <w_j, x> + kB b_j) + kC c + g(x)
    L = 1/(2n) sum_i (f_i - y_i)^2   or   (1/n) sum_i log(1 + exp(-y_i f_i))
    d theta_g / dt = -rho_g grad_g L;   v <- mu v - eta rho_g grad_g L,  theta <- theta + v

The infinite-width kernels and closed-form predictions come from ../check_ntk.py (same folder as the vectors),
NumPy too: relu's arc-cosine and erf's arcsine kernels in closed form, tanh by Gauss-Hermite quadrature.
"""
import importlib.util
import math
import pathlib

import numpy as np

_spec = importlib.util.spec_from_file_location("check_ntk", pathlib.Path(__file__).parent.parent / "check_ntk.py")
_check_ntk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_check_ntk)

# ntk-kernels.json and ntk-predictions.json
kernel = _check_ntk.kernel
predict = _check_ntk.predict

GROUPS = ("a", "w", "b", "c")
_erf = np.vectorize(math.erf, otypes=[float])


def _logistic(z):
    """1 / (1 + exp(-z)) on the side where exp cannot overflow."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def activation(name):
    """sigma and sigma' of the named activation."""
    if name == "relu":
        return lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)
    if name == "erf":
        return _erf, lambda z: 2 / math.sqrt(math.pi) * np.exp(-z * z)
    if name == "tanh":
        return np.tanh, lambda z: 1 - np.tanh(z) ** 2
    if name == "sigmoid":
        return _logistic, lambda z: _logistic(z) * (1 - _logistic(z))
    if name == "softplus":
        return lambda z: np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))), _logistic
    raise ValueError(f"activation: unknown {name}")


def loss_terms(name, f, y):
    """Per-sample losses l(f_i, y_i) and their derivatives l'(f_i, y_i)."""
    if name == "squared":
        return 0.5 * (f - y) ** 2, f - y
    if name == "logistic":
        u = -y * f
        return np.maximum(u, 0) + np.log1p(np.exp(-np.abs(u))), -y * _logistic(u)
    raise ValueError(f"loss: unknown {name}")


class Net:
    """The case's net: multipliers, rates, activation; parameters are dicts of groups a, w, b, c."""

    def __init__(self, case):
        k = case["multipliers"]
        self.kA, self.kW = k["kA"], k["kW"]
        self.kB = k["kB"] if k["kB"] is not None else 0.0
        self.kC = k["kC"] if k["kC"] is not None else 0.0
        self.has = {g: case["rates"][g] is not None for g in GROUPS}
        self.rho = {g: case["rates"][g] for g in GROUPS}
        self.sigma, self.dsigma = activation(case["activation"])

    def unpack(self, p):
        a = np.asarray(p["a"], dtype=float)
        w = np.asarray(p["w"], dtype=float)
        b = np.asarray(p["b"], dtype=float) if self.has["b"] else np.zeros(len(a))
        c = float(p["c"]) if self.has["c"] else 0.0
        return a, w, b, c

    def pack(self, a, w, b, c):
        return {"a": a, "w": w, "b": b if self.has["b"] else None, "c": c if self.has["c"] else None}

    def preactivations(self, p, x):
        a, w, b, c = self.unpack(p)
        return self.kW * x @ w.T + self.kB * b            # (n, m)

    def outputs(self, p, x, offset=0.0):
        a, w, b, c = self.unpack(p)
        return self.kA * self.sigma(self.preactivations(p, x)) @ a + self.kC * c + offset

    def vjp(self, p, x, r):
        """sum_i r_i df(x_i)/d theta, by group."""
        a, w, b, c = self.unpack(p)
        z = self.preactivations(p, x)
        s, ds = self.sigma(z), self.dsigma(z)
        ga = self.kA * s.T @ r
        coef = (ds * r[:, None]).T                          # (m, n): r_i sigma'(z_ij)
        gw = self.kA * self.kW * a[:, None] * (coef @ x)
        gb = self.kA * self.kB * a * coef.sum(axis=1)
        gc = self.kC * r.sum()
        return self.pack(ga, gw, gb, gc)

    def jacobian(self, p, x):
        """The rows df(x_i)/d theta, flattened in the order a, w, b, c (present groups only)."""
        a, w, b, c = self.unpack(p)
        z = self.preactivations(p, x)
        s, ds = self.sigma(z), self.dsigma(z)
        n, m = z.shape
        blocks = [self.kA * s,
                  (self.kA * self.kW * (a * ds)[:, :, None] * x[:, None, :]).reshape(n, -1)]
        if self.has["b"]:
            blocks.append(self.kA * self.kB * a * ds)
        if self.has["c"]:
            blocks.append(np.full((n, 1), self.kC))
        return np.hstack(blocks)

    def rates(self, p):
        """diag(rho) in the flat order of jacobian()."""
        a, w, b, c = self.unpack(p)
        m = len(a)
        parts = [np.full(m, self.rho["a"]), np.full(w.size, self.rho["w"])]
        if self.has["b"]:
            parts.append(np.full(m, self.rho["b"]))
        if self.has["c"]:
            parts.append(np.full(1, self.rho["c"]))
        return np.concatenate(parts)

    def flat(self, p):
        a, w, b, c = self.unpack(p)
        parts = [a, w.ravel()] + ([b] if self.has["b"] else []) + ([np.array([c])] if self.has["c"] else [])
        return np.concatenate(parts)

    def unflat(self, v, m, d):
        a, w = v[:m], v[m:m + m * d].reshape(m, d)
        k = m + m * d
        b = v[k:k + m] if self.has["b"] else None
        k += m if self.has["b"] else 0
        c = float(v[k]) if self.has["c"] else None
        return {"a": a, "w": w, "b": b, "c": c}


def _offset(case):
    return np.asarray(case.get("offset", 0.0), dtype=float)


def forward(case):
    return Net(case).outputs(case["theta"], case["x"], _offset(case))


def gradients(case):
    net, x, y = Net(case), case["x"], case["y"]
    f = net.outputs(case["theta"], x, _offset(case))
    l, dl = loss_terms(case["loss"], f, y)
    return {"outputs": f, "loss": float(np.mean(l)), "gradient": net.vjp(case["theta"], x, dl / len(y))}


def empirical_ntk(case):
    """Theta_g(x, x') = rho_g <df(x)/d theta_g, df(x')/d theta_g>, by group, from the Jacobian's blocks."""
    net, p = Net(case), case["theta"]
    m, d = case["m"], case["d"]
    result = {}
    for block, x2 in (("gram", case["x"]), ("cross", case["x_test"])):
        j1, j2 = net.jacobian(p, case["x"]), net.jacobian(p, x2)
        spans, k = {}, 0
        for g, size in (("a", m), ("w", m * d), ("b", m if net.has["b"] else 0), ("c", 1 if net.has["c"] else 0)):
            spans[g] = slice(k, k + size)
            k += size
        out = {g: (net.rho[g] or 0.0) * j1[:, spans[g]] @ j2[:, spans[g]].T for g in GROUPS}
        out["total"] = sum(out[g] for g in GROUPS)
        result[block] = out
    return result


def _descent(case, linearized):
    """States after 0..steps steps of heavy-ball descent on the net or on its Taylor model at theta0."""
    net, x, y = Net(case), case["x"], case["y"]
    m, d = case["m"], case["d"]
    theta0 = net.flat(case["theta0"])
    rho = net.rates(case["theta0"])
    j0 = net.jacobian(case["theta0"], x)
    f0 = net.outputs(case["theta0"], x)

    def model(theta, rows):
        if linearized:
            return f0[rows] + j0[rows] @ (theta - theta0)
        return net.outputs(net.unflat(theta, m, d), x[rows])

    def gradient(theta, rows):
        f = model(theta, rows)
        _, dl = loss_terms(case["loss"], f, y[rows])
        r = dl / len(rows)
        if linearized:
            return j0[rows].T @ r
        return net.flat(net.vjp(net.unflat(theta, m, d), x[rows], r))

    everything = np.arange(len(y))

    def state(theta):
        f = model(theta, everything)
        return {"theta": net.unflat(theta, m, d), "outputs": f,
                "loss": float(np.mean(loss_terms(case["loss"], f, y)[0]))}

    theta, v = theta0.copy(), np.zeros_like(theta0)
    states = [state(theta)]
    for k in range(case["steps"]):
        rows = np.array(case["batches"][k % len(case["batches"])]) if case["batches"] else everything
        v = case["momentum"] * v - case["eta"] * rho * gradient(theta, rows)
        theta = theta + v
        states.append(state(theta))
    return states


def gd_trajectory(case):
    return _descent(case, linearized=False)


def linearized_descent(case):
    return _descent(case, linearized=True)


def flow(case, step=1e-3):
    """Gradient flow by the classical fourth-order Runge-Kutta method at a fixed step of at most 1e-3 between
    the requested times. Its global error is O(h^4): on these cases it stays below 5e-11 relative (measured
    against the vectors), under their tolerances (at least 1e-9) by more than an order of magnitude."""
    net, x, y, xt = Net(case), case["x"], case["y"], case["x_test"]
    m, d = case["m"], case["d"]
    rho = net.rates(case["theta0"])

    def velocity(theta):
        p = net.unflat(theta, m, d)
        _, dl = loss_terms(case["loss"], net.outputs(p, x), y)
        return -rho * net.flat(net.vjp(p, x, dl / len(y)))

    theta, now, states = net.flat(case["theta0"]), 0.0, []
    for t in case["times"]:
        steps = math.ceil((t - now) / step - 1e-9)
        h = (t - now) / steps if steps else 0.0
        for _ in range(steps):
            k1 = velocity(theta)
            k2 = velocity(theta + h / 2 * k1)
            k3 = velocity(theta + h / 2 * k2)
            k4 = velocity(theta + h * k3)
            theta = theta + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        now = t
        p = net.unflat(theta, m, d)
        f = net.outputs(p, x)
        states.append({"theta": p, "outputs": f, "outputs_test": net.outputs(p, xt),
                       "loss": float(np.mean(loss_terms(case["loss"], f, y)[0]))})
    return states


def linearized_flow(case):
    """The Taylor model's flow on the squared loss in closed form: with Theta = J0 diag(rho) J0^T = V diag(lam)
    V^T, f(t) - y = V exp(-t lam/n) V^T (f0 - y) and theta(t) = theta0 - diag(rho) J0^T V diag((1 - exp(-t
    lam/n))/lam) V^T (f0 - y), the factor's limit t/n on a zero eigenvalue."""
    if case["loss"] != "squared":
        raise ValueError("linearized_flow: the closed form is for the squared loss")
    net, x, y, xt = Net(case), case["x"], case["y"], case["x_test"]
    m, d, n = case["m"], case["d"], len(y)
    theta0 = net.flat(case["theta0"])
    rho = net.rates(case["theta0"])
    j0, jt = net.jacobian(case["theta0"], x), net.jacobian(case["theta0"], xt)
    f0, ft0 = net.outputs(case["theta0"], x), net.outputs(case["theta0"], xt)
    lam, v = np.linalg.eigh((j0 * rho) @ j0.T)
    keep = lam > 1e-12 * lam.max()
    coefficients = v.T @ (f0 - y)
    states = []
    for t in case["times"]:
        safe = np.where(keep, lam, 1.0)
        phi = np.where(keep, -np.expm1(-t * lam / n) / safe, t / n)
        theta = theta0 - rho * (j0.T @ (v @ (phi * coefficients)))
        f = f0 + j0 @ (theta - theta0)
        states.append({"theta": net.unflat(theta, m, d), "outputs": f, "outputs_test": ft0 + jt @ (theta - theta0),
                       "loss": float(np.mean(0.5 * (f - y) ** 2))})
    return states


# ---------------------------------------------------------------------------------------------- noisy dynamics

def _particle_blocks(net, m, d):
    """Masks over the flat theta (a, w, b, c): which entries are particle coordinates and the L2 strength's
    group (a or w/b); c, when present, is neither."""
    size = m + m * d + (m if net.has["b"] else 0) + (1 if net.has["c"] else 0)
    on_a, on_wb = np.zeros(size), np.zeros(size)
    on_a[:m] = 1.0
    on_wb[m:m + m * d + (m if net.has["b"] else 0)] = 1.0
    return on_a, on_wb


def mfld_trajectory(case):
    """Mean-field Langevin dynamics, the Euler-Maruyama scheme of the mfld chapter: for the particle coordinates
    theta_j = (a_j, w_j, b_j), theta_j <- theta_j - eta rho grad_theta_j L - eta lambda_g theta_j
    + sqrt(2 eta lambda) xi_j, with lambda_g = lambdaA on a and lambdaW on w, b; the output bias c, when present,
    takes a plain gradient step. xi is the case's: row k for step k, in the order a, w (row-major), b. Each state
    carries the energy F0 = L + (lambdaA/2) E_mu a^2 + (lambdaW/2) E_mu (|w|^2 + b^2)."""
    net, x, y = Net(case), case["x"], case["y"]
    m, d, n = case["m"], case["d"], len(y)
    eta, lam = case["eta"], case["lambda"]
    rho = net.rates(case["theta0"])
    on_a, on_wb = _particle_blocks(net, m, d)
    prior = case["lambdaA"] * on_a + case["lambdaW"] * on_wb
    particles = np.flatnonzero(on_a + on_wb)
    xi = np.asarray(case["xi"], dtype=float).reshape(case["steps"], -1)

    def state(theta):
        p = net.unflat(theta, m, d)
        f = net.outputs(p, x)
        loss = float(np.mean(0.5 * (f - y) ** 2))
        energy = loss + case["lambdaA"] / 2 * np.mean(p["a"] ** 2) + case["lambdaW"] / 2 * (
            np.sum(p["w"] ** 2) + (np.sum(p["b"] ** 2) if net.has["b"] else 0.0)) / m
        return {"theta": p, "outputs": f, "loss": loss, "energy": float(energy)}

    theta = net.flat(case["theta0"])
    states = [state(theta)]
    for k in range(case["steps"]):
        p = net.unflat(theta, m, d)
        grad = net.flat(net.vjp(p, x, (net.outputs(p, x) - y) / n))
        noise = np.zeros_like(theta)
        noise[particles] = math.sqrt(2 * eta * lam) * xi[k]
        theta = theta - eta * rho * grad - eta * prior * theta + noise
        states.append(state(theta))
    return states


def _inner(net, p, x, y, lambda_a):
    """The intrinsic kernel K = E_mu[h h^T] = (1/m) H H^T of the particles (H: n x m features) and the ridge
    solution alpha = (K + n lambdaA I)^-1 y of the two-timescale chapter."""
    n = len(y)
    h = net.sigma(net.preactivations(p, x))                # (n, m): h(x_i; w_j)
    k = h @ h.T / h.shape[1]
    system = k + n * lambda_a * np.eye(n)
    alpha = np.linalg.solve(system, y)
    return h, k, alpha, system


def two_timescale_trajectory(case):
    """Two-timescale training (two-timescale chapter): the particles (w_j, b_j) take the MFLD step of G with the
    drift -rho grad_w L at the current a, the L2 prior lambdaW and the noise sqrt(2 eta lambda) xi (the case's, in
    the order w row-major, b); then the second layer is set to the ridge readouts a_j = alpha^T h_j (ratio inf) or
    takes the case's substeps[k] gradient steps of size eta r / substeps[k] on (1/2n)|f - y|^2 + (lambdaA/2)
    E_mu a^2 (ratio r). With ratio inf the start's a is already the readouts of theta0's particles.

    Label-noise procedure (label_noise > 0, the two-timescale chapter's section on label noise, identity (L2)):
    step k also fits the ridge to the case's fresh noise eps[k], a_eps(w) = (R eps)^T h(w), R = (K + n lambdaA
    I)^-1 at the particles before the move, and the particles move down the gradient of -(lambdaA/2) a_y(w)^2 +
    (lambdaA/2) a_eps(w)^2 + prior. By the envelope formula the eps-term's gradient is minus the mean-field
    gradient m grad_w of (1/2n)|f - eps|^2 for the net whose second layer is a_eps, so the drift is -eta m
    (grad_w L(a; y) - grad_w L(a_eps; eps))."""
    net, x, y = Net(case), case["x"], case["y"]
    m, d, n = case["m"], case["d"], len(y)
    eta, lam, lambda_a, lambda_w = case["eta"], case["lambda"], case["lambdaA"], case["lambdaW"]
    exact = case["ratio"] == "inf"
    rho = net.rates(case["theta0"])
    on_a, on_wb = _particle_blocks(net, m, d)
    particles = np.flatnonzero(on_wb)
    xi = np.asarray(case["xi"], dtype=float).reshape(case["steps"], -1)
    eps = np.asarray(case["eps"], dtype=float) if case.get("label_noise") else None

    def gradient(theta, targets=y):
        p = net.unflat(theta, m, d)
        return net.flat(net.vjp(p, x, (net.outputs(p, x) - targets) / n))

    def label_noise_gradient(theta, noise):
        """grad L(theta_eps; eps): the net with the ridge readouts of eps, against the targets eps."""
        p = net.unflat(theta, m, d)
        h, _, _, system = _inner(net, p, x, y, lambda_a)
        fitted = theta.copy()
        fitted[:m] = h.T @ np.linalg.solve(system, noise)
        return gradient(fitted, noise)

    def with_readouts(theta):
        p = net.unflat(theta, m, d)
        h, _, alpha, _ = _inner(net, p, x, y, lambda_a)
        theta = theta.copy()
        theta[:m] = h.T @ alpha
        return theta

    def state(theta):
        p = net.unflat(theta, m, d)
        h, k, alpha, system = _inner(net, p, x, y, lambda_a)
        f = net.outputs(p, x)
        loss = float(np.mean(0.5 * (f - y) ** 2))
        norms = (np.sum(p["w"] ** 2) + (np.sum(p["b"] ** 2) if net.has["b"] else 0.0)) / m
        g0 = lambda_a / 2 * float(y @ alpha)
        return {"theta": p, "outputs": f, "loss": loss, "alpha": alpha, "readouts": h.T @ alpha, "g0": g0,
                "energy": g0 + lambda_w / 2 * norms,
                "joint_energy": loss + lambda_a / 2 * float(np.mean(p["a"] ** 2)) + lambda_w / 2 * norms,
                "alignment": float(y @ k @ y / (np.linalg.norm(k) * (y @ y))),
                "df": float(np.trace(np.linalg.solve(system, k)))}

    theta = net.flat(case["theta0"])
    if exact:
        theta = with_readouts(theta)
    states = [state(theta)]
    for step in range(case["steps"]):
        grad = gradient(theta)
        if eps is not None:
            grad = grad - label_noise_gradient(theta, eps[step])
        move = np.zeros_like(theta)
        move[particles] = (-eta * rho[particles] * grad[particles] - eta * lambda_w * theta[particles]
                           + math.sqrt(2 * eta * lam) * xi[step])
        theta = theta + move
        if exact:
            theta = with_readouts(theta)
        else:
            count = case["substeps"][step]
            eta_a = eta * case["ratio"] / count
            for _ in range(count):
                grad = gradient(theta)
                theta[:m] = theta[:m] - eta_a * (rho[:m] * grad[:m] + lambda_a * theta[:m])
        states.append(state(theta))
    return states


# two-timescale.json's label-noise cases: the same function reads their eps
two_timescale_label_noise = two_timescale_trajectory


# ---------------------------------------------------------------------------------------------- phase diagram

def phase_run(case):
    """A tiny run of the phase-diagram chapter: Luo et al.'s net f(x) = (1/alpha) sum_k a_k relu(w_k . x~), the bias
    folded into w (x~ = (x, 1) is the case's x), trained by gradient descent on L = (1/2n) sum_i e_i^2,
    e_i = f(x~_i) - y_i, at the fixed step eta and the rates rho_a, rho_w:
        a_k <- a_k - eta rho_a (1/(n alpha)) sum_i e_i relu(w_k . x~_i)
        w_k <- w_k - eta rho_w (1/(n alpha)) sum_i e_i a_k 1[w_k . x~_i > 0] x~_i
    and the order parameter RD(theta_w) = ||w(k) - w(0)||_2 / ||w(0)||_2 over all entries of w. Returns the
    states at case["at"] ({"step", "rd_w", "loss"}) and the parameters after the last step."""
    x, y = case["x"], case["y"]
    n, alpha, eta = len(y), case["alpha"], case["eta"]
    rho_a, rho_w = case["rates"]["a"], case["rates"]["w"]
    a0 = np.asarray(case["theta0"]["a"], dtype=float)
    w0 = np.asarray(case["theta0"]["w"], dtype=float)
    a, w = a0.copy(), w0.copy()

    def residuals(a, w):
        return np.maximum(x @ w.T, 0.0) @ a / alpha - y

    states, k = [], 0
    for target in case["at"]:
        while k < target:
            z = x @ w.T                                          # (n, m)
            e = residuals(a, w)
            grad_a = np.maximum(z, 0.0).T @ e / (n * alpha)
            grad_w = ((e[:, None] * (z > 0)) * a).T @ x / (n * alpha)
            a, w = a - eta * rho_a * grad_a, w - eta * rho_w * grad_w
            k += 1
        e = residuals(a, w)
        states.append({"step": k, "rd_w": float(np.linalg.norm(w - w0) / np.linalg.norm(w0)),
                       "loss": float(np.mean(e * e) / 2)})
    return {"states": states, "theta": {"a": a, "w": w, "b": None, "c": None}}


# ---------------------------------------------------------------------------------------------- coordinates

def _abc_to_luo(e):
    gamma = e["a1"] + e["b1"] + e["a2"] + e["b2"]
    prime = (e["a2"] + e["b2"]) - (e["a1"] + e["b1"]) + ((2 * e["a1"] + e["c1"]) - (2 * e["a2"] + e["c2"])) / 2
    return {"gamma": gamma, "gamma_prime": prime}


def _golikov(q_sigma, q_a, q_w):
    return {"q_sigma": q_sigma, "q_tilde_a": q_a, "q_tilde_w": q_w, "A": q_sigma + 0.5,
            "B": max(q_a, q_w) + 2 * q_sigma + 1, "C": max(q_a, q_w) + q_sigma}


def _regime(luo, tol=1e-9):
    g, p = luo["gamma"], luo["gamma_prime"]
    if g < 1 - tol or p > g - 1 + tol:
        return "linear"
    if g > 1 + tol and p < g - 1 - tol:
        return "condensed"
    return "critical"


def _region(q, tol=1e-9):
    def sign(v):
        return 1 if v > tol else -1 if v < -tol else 0
    sa, sb, top, bottom = sign(q["A"]), sign(q["B"]), sign(q["C"]), sign(q["C"] + 0.5)
    if top > 0:
        return "unstable"
    if bottom < 0:
        return "trivial"
    if top == 0:
        if sb < 0:
            return "post_mf_ray"
        if sb == 0:
            return "mean_field"
        return ("sym_default_mf_segment", "sym_default", "pre_sym_default_ray")[sa + 1]
    if bottom == 0:
        return ("post_ntk_ray", "ntk", "pre_ntk_ray")[sa + 1]
    if sb < 0:
        return "post_mf_ntk"
    if sb == 0:
        return "mf_ntk_segment"
    return ("triangle", "ntk_sym_default_segment", "pre_ntk_sym_default")[sa + 1]


def coordinates(case):
    """abc exponents read off the scales (value ~ m^(-exponent)), then Luo's and Golikov's coordinates."""
    e = {name: case["scales"][key][1] for name, key in
         (("a1", "kW"), ("b1", "sW"), ("a2", "kA"), ("b2", "sA"), ("c1", "rhoW"), ("c2", "rhoA"))}
    luo = _abc_to_luo(e)
    golikov = _golikov(-(e["a1"] + e["b1"] + e["a2"] + e["b2"]), 2 * e["b2"] - e["c2"], 2 * e["b1"] - e["c1"])
    return {"abc": e, "luo": luo, "regime": _regime(luo), "golikov": golikov, "region": _region(golikov)}


def convert(case):
    if "luo" in case:
        g, p = case["luo"]["gamma"], case["luo"]["gamma_prime"]
        q_w = case["q_tilde_w"]
        abc = {"a1": 0.0, "b1": (g - p) / 2, "a2": 0.0, "b2": (g + p) / 2, "c1": 0.0, "c2": 0.0}
        return {"luo": case["luo"], "golikov": _golikov(-g, q_w + 2 * p, q_w), "abc": abc,
                "regime": _regime(case["luo"])}
    q = case["golikov"]
    golikov = _golikov(q["q_sigma"], q["q_tilde_a"], q["q_tilde_w"])
    luo = {"gamma": -q["q_sigma"], "gamma_prime": (q["q_tilde_a"] - q["q_tilde_w"]) / 2}
    abc = {"a1": 0.0, "b1": 0.0, "a2": 0.0, "b2": -q["q_sigma"], "c1": -q["q_tilde_w"],
           "c2": -2 * q["q_sigma"] - q["q_tilde_a"]}
    return {"luo": luo, "golikov": golikov, "abc": abc, "region": _region(golikov)}
