"""Helpers shared by the tests: golden-fixture paths and thread inspection.

Import them as ``from support import load_fixture_json`` (``tests/`` is on the
test path). Never ``from support import ...``: several conftest.py files exist
and the name ``conftest`` is ambiguous.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
KERNEL_NAMES = tuple(sorted(p.stem for p in (ROOT / "_ext").glob("*.pyx")))


def fixture_path(*parts: str) -> Path:
    """Path of a golden fixture file under ../shared/fixtures; fails if absent."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"golden fixture missing: {path} (the tests need ../shared/fixtures)"
        )
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


def assert_columns_equal(got, want) -> None:
    """Decoded columns are equal: dtypes, values, floats bit for bit (NaN and
    the sign of zero included)."""
    assert len(got) == len(want)
    for x, y in zip(got, want):
        assert x.dtype == y.dtype
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True)
            assert np.array_equal(np.signbit(x), np.signbit(y))
        else:
            assert x.tolist() == y.tolist()


def kernels_of(side: str) -> dict[str, ModuleType]:
    """Every kernel module of one side: ``"native"`` (compiled) or ``"reference"``.

    A compiled kernel that is not built raises ImportError: a comparison of the
    two sides must never quietly compare the reference with itself.
    """
    if side not in ("native", "reference"):
        raise ValueError(f"side must be 'native' or 'reference', got {side!r}")
    package = "pipeline._native" if side == "native" else "pipeline._reference"
    return {n: importlib.import_module(f"{package}.{n}") for n in KERNEL_NAMES}


@contextlib.contextmanager
def all_kernels(side: str) -> Iterator[dict[str, ModuleType]]:
    """Binds every kernel in ``pipeline._kernels`` to one side for the block,
    so a whole run is pure Python or wholly compiled (never a mix)."""
    from pipeline import _kernels

    saved = _kernels._cache
    _kernels._cache = kernels_of(side)
    try:
        yield _kernels._cache
    finally:
        _kernels._cache = saved


def write_id_tfrecords(prefix: str, counts: list[int], index: bool = True) -> list[str]:
    """TFRecord files ``<prefix>/part-<i>.tfrecord`` of consecutive record ids.

    File ``i`` holds ``counts[i]`` records ``b"<id>"``, numbered across the files
    in order; with ``index``, each gets its record index sidecar.
    """
    from pipeline.io.index import write_index
    from pipeline.io.tfrecord_writer import TFRecordWriter

    files, k = [], 0
    for i, n in enumerate(counts):
        path = f"{prefix}/part-{i}.tfrecord"
        with TFRecordWriter(path) as w:
            for _ in range(n):
                w.write(b"%d" % k)
                k += 1
        if index:
            write_index(path)
        files.append(path)
    return files
