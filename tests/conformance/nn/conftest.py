"""The ``keras`` fixture for the ported Keras 3 test cases.

Every test under tests/conformance/nn takes ``keras``: ``pipeline.nn`` by
default, or the real ``keras`` package (3.15, TensorFlow backend, in
.venv-bench) under ``pytest --api=tensorflow``. One translation of Keras's own
unit-test cases is thus validated against Keras and run against us; the
``departure`` marker works as in the rest of tests/conformance.
"""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture(scope="session")
def keras(request):
    """``pipeline.nn`` or ``keras``, as ``--api`` says."""
    if request.config.getoption("--api") == "tensorflow":
        importlib.import_module("tensorflow")
        return importlib.import_module("keras")
    return importlib.import_module("pipeline.nn")


@pytest.fixture(autouse=True)
def _keras_clean_state(request):
    """Fresh name counters between cases, as Keras's ``TestCase`` gives."""
    yield
    if request.config.getoption("--api") == "tensorflow":
        importlib.import_module("keras").backend.clear_session()
