"""pytest options of the conformance checker: --adapter names the implementation under test.

    python3 -m pytest conformance --adapter conformance/adapters/numpy_reference.py
    python3 -m pytest conformance --adapter my_package.twolayer_adapter

MODULE is an importable module name or the path of a .py file. README.md lists the functions an adapter may
define; each test whose function the adapter lacks is skipped with that reason, never passed.
"""
import importlib
import importlib.util
import pathlib

import pytest


def pytest_addoption(parser):
    parser.addoption("--adapter", action="store", default=None, metavar="MODULE",
                     help="the implementation to check: an importable module name or a path to a .py file "
                          "(see conformance/README.md)")


def load_adapter(spec):
    """The adapter module named by --adapter (a module name or a .py path)."""
    path = pathlib.Path(spec)
    if spec.endswith(".py") or path.is_file():
        if not path.is_file():
            raise pytest.UsageError(f"--adapter: no file {spec}")
        module_spec = importlib.util.spec_from_file_location(f"conformance_adapter_{path.stem}", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


@pytest.fixture(scope="session")
def adapter(request):
    spec = request.config.getoption("--adapter")
    if spec is None:
        raise pytest.UsageError("--adapter: required (a module name or a .py file, e.g. "
                                "--adapter conformance/adapters/numpy_reference.py)")
    # An adapter whose own dependency is missing calls pytest.importorskip: every test is then skipped with
    # that reason (pytest's Skipped passes through here).
    return load_adapter(spec)


def pytest_configure(config):
    spec = config.getoption("--adapter")
    if spec is None:
        raise pytest.UsageError("--adapter: required (a module name or a .py file, e.g. "
                                "--adapter conformance/adapters/numpy_reference.py); see conformance/README.md")
