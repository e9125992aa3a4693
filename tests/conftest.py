"""Shared test set-up: hypothesis profiles and the thread-leak fixture.

Helpers live in tests/support.py: ``from support import load_fixture_json``.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, settings
from support import pipeline_threads

# conftest files are plugins, not doctest modules: collecting them under
# --doctest-modules would import a second module named "conftest".
collect_ignore_glob = ["conftest.py", "*/conftest.py"]

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def no_thread_leak():
    """Fails the test if a ``pipeline-*`` thread outlives it."""
    before = set(pipeline_threads())
    yield
    import gc

    gc.collect()
    deadline = time.monotonic() + 5.0
    leaked = [t for t in pipeline_threads() if t not in before]
    while leaked and time.monotonic() < deadline:
        time.sleep(0.01)
        gc.collect()
        leaked = [t for t in pipeline_threads() if t not in before]
    assert not leaked, f"leaked threads: {[t.name for t in leaked]}"


@pytest.fixture(autouse=True)
def _global_seed_restored():
    """A test that sets ``pl.random.set_seed`` does not leak it to the next."""
    from pipeline import seeding

    before = seeding.global_seed()
    yield
    if seeding.global_seed() != before:
        seeding.set_global_seed(before)


def pytest_addoption(parser):
    """``--api``: which library the ported conformance cases run against.

    ``pipeline`` (the default) is the library under test. ``tensorflow`` runs the
    same translations against TensorFlow in .venv-bench, so a translation
    mistake shows up as a failure there (``make conformance-tf``).
    """
    parser.addoption(
        "--api",
        default="pipeline",
        choices=("pipeline", "tensorflow"),
        help="library the tests/conformance cases run against",
    )
