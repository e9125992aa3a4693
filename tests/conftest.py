"""Shared test set-up: fixture paths, hypothesis profiles, thread-leak checks."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"

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


def fixture_path(*parts: str) -> Path:
    """Path of a golden fixture file under ../shared/fixtures; skips if absent."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"golden fixtures not found at {path}")
    return path


def load_fixture_json(*parts: str):
    """Parsed JSON of a golden fixture file."""
    with open(fixture_path(*parts), encoding="utf-8") as f:
        return json.load(f)


def pipeline_threads() -> list[threading.Thread]:
    """Live threads started by the executor (named ``pipeline-*``)."""
    return [t for t in threading.enumerate() if t.name.startswith("pipeline-")]


def wait_no_pipeline_threads(timeout_s: float = 5.0) -> list[threading.Thread]:
    """Wait until no ``pipeline-*`` thread is alive; return the survivors."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        alive = pipeline_threads()
        if not alive:
            return []
        time.sleep(0.01)
    return pipeline_threads()


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
