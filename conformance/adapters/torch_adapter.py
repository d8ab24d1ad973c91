"""An adapter on PyTorch autograd: the forward pass written once in torch (float64), gradients, gradient descent,
mean-field Langevin dynamics, two-timescale training (with the label-noise procedure) and the phase diagram's
fixed-step run from loss.backward(), so that the vectors check autograd's derivatives against twolayer's
hand-derived ones.

    python3 -m pytest conformance --adapter conformance/adapters/torch_adapter.py

Without torch installed every test is skipped (pytest.importorskip), never passed. Functions it does not define
(kernels, predictions, the empirical NTK, flows, the linearised model, coordinates) skip their tests. Checked with
Debian's python3-torch 1.13 (apt-get install python3-torch): 217 passed, 84 skipped.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

GROUPS = ("a", "w", "b", "c")


def _sigma(name):
    return {
        "relu": torch.relu,
        "erf": torch.erf,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softplus": torch.nn.functional.softplus,
    }[name]


def _tensor(v):
    return torch.tensor(np.asarray(v, dtype=float), dtype=torch.float64)


class _Net(torch.nn.Module):
    """f(x) = kA sum_j a_j sigma(kW <w_j, x> + kB b_j) + kC c + g(x), parameters in raw coordinates."""

    def __init__(self, case, theta):
        super().__init__()
        k = case["multipliers"]
        self.k = {g: (k["k" + g.upper()] or 0.0) for g in GROUPS}
        self.sigma = _sigma(case["activation"])
        self.params = torch.nn.ParameterDict(
            {g: torch.nn.Parameter(_tensor(theta[g])) for g in GROUPS if theta[g] is not None})

    def forward(self, x, offset=0.0):
        p = self.params
        z = self.k["w"] * x @ p["w"].T
        if "b" in p:
            z = z + self.k["b"] * p["b"]
        f = self.k["a"] * self.sigma(z) @ p["a"]
        if "c" in p:
            f = f + self.k["c"] * p["c"]
        return f + offset

    def state(self):
        return {g: (self.params[g].detach().numpy().copy() if g in self.params else None) for g in GROUPS}


def _loss(name, f, y):
    if name == "squared":
        return 0.5 * torch.mean((f - y) ** 2)
    return torch.mean(torch.nn.functional.softplus(-y * f))


def forward(case):
    net = _Net(case, case["theta"])
    with torch.no_grad():
        return net(_tensor(case["x"]), _tensor(case["offset"])).numpy()


def gradients(case):
    net = _Net(case, case["theta"])
    f = net(_tensor(case["x"]), _tensor(case["offset"]))
    loss = _loss(case["loss"], f, _tensor(case["y"]))
    loss.backward()
    gradient = {g: (net.params[g].grad.numpy().copy() if g in net.params else None) for g in GROUPS}
    if gradient["c"] is not None:
        gradient["c"] = float(gradient["c"])
    return {"outputs": f.detach().numpy(), "loss": float(loss), "gradient": gradient}


def gd_trajectory(case):
    """Heavy-ball descent by hand on autograd's gradients: v <- mu v - eta rho_g grad_g, theta <- theta + v."""
    net = _Net(case, case["theta0"])
    x, y = _tensor(case["x"]), _tensor(case["y"])
    rows_all = torch.arange(len(y))
    velocity = {g: torch.zeros_like(p) for g, p in net.params.items()}

    def snapshot():
        with torch.no_grad():
            f = net(x)
            state = net.state()
            if state["c"] is not None:
                state["c"] = float(state["c"])
            return {"theta": state, "outputs": f.numpy(), "loss": float(_loss(case["loss"], f, y))}

    states = [snapshot()]
    for k in range(case["steps"]):
        rows = torch.tensor(case["batches"][k % len(case["batches"])]) if case["batches"] else rows_all
        net.zero_grad()
        _loss(case["loss"], net(x[rows]), y[rows]).backward()
        with torch.no_grad():
            for g, p in net.params.items():
                velocity[g] = case["momentum"] * velocity[g] - case["eta"] * case["rates"][g] * p.grad
                p += velocity[g]
        states.append(snapshot())
    return states


# ---------------------------------------------------------------------------------------------- noisy dynamics
# The same steps as the NumPy reference describes, with every gradient from autograd (float64); the noise is
# the case's xi (and eps), so nothing random is drawn here.

def _autograd(case, theta, x, targets):
    """Outputs, loss and gradient by group of (1/2n)|f - targets|^2 at theta (a dict of tensors)."""
    net = _Net(case, {g: (theta[g].numpy() if theta.get(g) is not None else None) for g in GROUPS})
    f = net(x)
    loss = _loss("squared", f, targets)
    loss.backward()
    return f.detach(), float(loss), {g: net.params[g].grad.detach().clone() for g in net.params}


def _start(case):
    return {g: _tensor(case["theta0"][g]) for g in GROUPS if case["theta0"][g] is not None}


def _groups(theta):
    out = {g: (theta[g].numpy().copy() if g in theta else None) for g in GROUPS}
    if out["c"] is not None:
        out["c"] = float(out["c"])
    return out


def _split_noise(row, m, d, groups):
    """One row of xi, in the order of the given particle groups (a: m, w: m x d row-major, b: m)."""
    parts, k = {}, 0
    for g in groups:
        size = m * d if g == "w" else m
        parts[g] = row[k:k + size].reshape(m, d) if g == "w" else row[k:k + size]
        k += size
    assert k == len(row), "xi: a row of the wrong width"
    return parts


def mfld_trajectory(case):
    """MFLD (Euler-Maruyama): particles a, w, b move by -eta rho_g grad_g L - eta lambda_g theta_g + sqrt(2 eta
    lambda) xi; c by -eta rho_c grad_c L."""
    x, y = _tensor(case["x"]), _tensor(case["y"])
    m, d, eta = case["m"], case["d"], case["eta"]
    noise_scale = (2 * eta * case["lambda"]) ** 0.5
    strength = {"a": case["lambdaA"], "w": case["lambdaW"], "b": case["lambdaW"]}
    xi = _tensor(case["xi"])
    theta = _start(case)
    particles = [g for g in ("a", "w", "b") if g in theta]

    def state(theta):
        f, loss, _ = _autograd(case, theta, x, y)
        norms = sum(float(torch.sum(theta[g] ** 2)) for g in ("w", "b") if g in theta) / m
        energy = loss + case["lambdaA"] / 2 * float(torch.mean(theta["a"] ** 2)) + case["lambdaW"] / 2 * norms
        return {"theta": _groups(theta), "outputs": f.numpy(), "loss": loss, "energy": energy}

    states = [state(theta)]
    for k in range(case["steps"]):
        _, _, grad = _autograd(case, theta, x, y)
        row = _split_noise(xi[k], m, d, particles)
        moved = {g: theta[g] - eta * case["rates"][g] * grad[g] - eta * strength[g] * theta[g]
                 + noise_scale * row[g] for g in particles}
        if "c" in theta:
            moved["c"] = theta["c"] - eta * case["rates"]["c"] * grad["c"]
        theta = moved
        states.append(state(theta))
    return states


def _features(case, theta, x):
    """h_ij = sigma(kW <w_j, x_i> + kB b_j), (n, m)."""
    k = case["multipliers"]
    z = k["kW"] * x @ theta["w"].T
    if "b" in theta:
        z = z + k["kB"] * theta["b"]
    return _sigma(case["activation"])(z)


def _ridge(case, theta, x, targets):
    """alpha = (K + n lambdaA I)^-1 targets with K = h h^T / m, and the readouts h^T alpha."""
    h = _features(case, theta, x)
    n, m = h.shape
    k = h @ h.T / m
    system = k + n * case["lambdaA"] * torch.eye(n, dtype=torch.float64)
    alpha = torch.linalg.solve(system, targets)
    return h, k, system, alpha, h.T @ alpha


def two_timescale_trajectory(case):
    """Two-timescale training: w, b take the noisy step of the MFLD with the drift at the current a (minus the
    label-noise drift grad L(a_eps; eps) when the case gives eps), then a is set to the ridge readouts (ratio
    inf) or takes substeps[k] gradient steps of size eta r / substeps[k] (finite ratio r)."""
    x, y = _tensor(case["x"]), _tensor(case["y"])
    m, d, n, eta = case["m"], case["d"], len(case["y"]), case["eta"]
    lambda_a, lambda_w = case["lambdaA"], case["lambdaW"]
    noise_scale = (2 * eta * case["lambda"]) ** 0.5
    exact = case["ratio"] == "inf"
    xi = _tensor(case["xi"])
    eps = _tensor(case["eps"]) if case.get("label_noise") else None
    theta = _start(case)
    particles = [g for g in ("w", "b") if g in theta]
    if exact:
        theta["a"] = _ridge(case, theta, x, y)[4]

    def state(theta):
        f, loss, _ = _autograd(case, theta, x, y)
        h, k, system, alpha, readouts = _ridge(case, theta, x, y)
        norms = sum(float(torch.sum(theta[g] ** 2)) for g in particles) / m
        g0 = lambda_a / 2 * float(y @ alpha)
        return {"theta": _groups(theta), "outputs": f.numpy(), "loss": loss, "alpha": alpha.numpy(),
                "readouts": readouts.numpy(), "g0": g0, "energy": g0 + lambda_w / 2 * norms,
                "joint_energy": loss + lambda_a / 2 * float(torch.mean(theta["a"] ** 2)) + lambda_w / 2 * norms,
                "alignment": float(y @ k @ y / (torch.linalg.norm(k) * (y @ y))),
                "df": float(torch.trace(torch.linalg.solve(system, k)))}

    states = [state(theta)]
    for step in range(case["steps"]):
        _, _, grad = _autograd(case, theta, x, y)
        if eps is not None:
            fitted = dict(theta)
            fitted["a"] = _ridge(case, theta, x, eps[step])[4]
            _, _, grad_eps = _autograd(case, fitted, x, eps[step])
            grad = {g: grad[g] - grad_eps[g] for g in grad}
        row = _split_noise(xi[step], m, d, particles)
        moved = dict(theta)
        for g in particles:
            moved[g] = theta[g] - eta * case["rates"][g] * grad[g] - eta * lambda_w * theta[g] + noise_scale * row[g]
        theta = moved
        if exact:
            theta["a"] = _ridge(case, theta, x, y)[4]
        else:
            count = case["substeps"][step]
            eta_a = eta * case["ratio"] / count
            for _ in range(count):
                _, _, grad = _autograd(case, theta, x, y)
                theta["a"] = theta["a"] - eta_a * (case["rates"]["a"] * grad["a"] + lambda_a * theta["a"])
        states.append(state(theta))
    return states


# two-timescale.json's label-noise cases: the same function reads their eps
two_timescale_label_noise = two_timescale_trajectory


def phase_run(case):
    """The phase diagram's fixed-step run: descent on the Luo-form net (multipliers kA = 1/alpha, kW; the bias
    folded into w) by autograd, RD(theta_w) = ||w(k) - w(0)|| / ||w(0)|| at case["at"]."""
    x, y = _tensor(case["x"]), _tensor(case["y"])
    theta = _start(case)
    w0 = theta["w"].clone()
    states, k = [], 0
    for target in case["at"]:
        while k < target:
            _, _, grad = _autograd(case, theta, x, y)
            theta = {g: theta[g] - case["eta"] * case["rates"][g] * grad[g] for g in theta}
            k += 1
        _, loss, _ = _autograd(case, theta, x, y)
        states.append({"step": k, "rd_w": float(torch.linalg.norm(theta["w"] - w0) / torch.linalg.norm(w0)),
                       "loss": loss})
    return {"states": states, "theta": _groups(theta)}
