"""The ``api`` fixture and the ``departure`` marker for the ported TF cases.

Every test here takes ``api``: the ``pipeline`` module by default, or the
``tensorflow`` module under ``pytest --api=tensorflow`` (run by
``make conformance-tf`` in .venv-bench). One translation of TensorFlow's own
unit-test cases is thus checked against TensorFlow and run against us.

A case marked ``@pytest.mark.departure("reason")`` is a deliberate difference
listed in the README: it asserts our behaviour, and against TensorFlow it must
fail (strict xfail), which proves the difference is real.
"""

from __future__ import annotations

import importlib

import pytest


def pytest_collection_modifyitems(config, items):
    if config.getoption("--api") != "tensorflow":
        return
    for item in items:
        marker = item.get_closest_marker("departure")
        if marker is not None:
            reason = marker.args[0] if marker.args else "deliberate departure"
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(scope="session")
def api(request):
    """``pipeline`` or ``tensorflow``, as ``--api`` says."""
    name = request.config.getoption("--api")
    module = importlib.import_module(name)
    if name == "tensorflow":
        module.config.run_functions_eagerly(False)
    return module
