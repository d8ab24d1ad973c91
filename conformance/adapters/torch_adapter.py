"""An adapter on PyTorch autograd: the forward pass written once in torch (float64), gradients and gradient descent
from loss.backward(), so that the vectors check autograd's derivatives against twolayer's hand-derived ones.

    python3 -m pytest conformance --adapter conformance/adapters/torch_adapter.py

Without torch installed every test is skipped (pytest.importorskip), never passed. Functions it does not define
(kernels, predictions, flows, coordinates) skip their tests.
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
