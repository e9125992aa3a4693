"""`make test` builds every kernel, and `_kernels` binds the compiled ones.

Without these checks a missing or broken build would quietly run the whole
suite on the pure-Python twins.
"""

from __future__ import annotations

import importlib
import importlib.machinery
from pathlib import Path

import pytest

from pipeline import _kernels

ROOT = Path(__file__).resolve().parents[2]
KERNELS = sorted(p.stem for p in (ROOT / "_ext").glob("*.pyx"))


def test_the_kernel_list_is_not_empty():
    assert {"crc32c", "example", "example_dense", "tfrecord"} <= set(KERNELS)


@pytest.mark.parametrize("name", KERNELS)
def test_every_pyx_is_built_as_a_compiled_module(name):
    module = importlib.import_module(f"pipeline._native.{name}")
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    assert module.__file__ is not None and module.__file__.endswith(suffixes), (
        f"pipeline._native.{name} is not a compiled extension: {module.__file__}"
    )
    assert _kernels.native(name) is module


@pytest.mark.parametrize("name", KERNELS)
def test_load_binds_the_compiled_kernel(name, monkeypatch):
    monkeypatch.delenv("PIPELINE_PURE_PYTHON", raising=False)
    monkeypatch.setattr(_kernels, "_cache", {})
    assert _kernels.load(name).__name__ == f"pipeline._native.{name}"
    assert _kernels.is_native(name)


@pytest.mark.parametrize("name", KERNELS)
def test_pure_python_switch_binds_the_reference_twin(name, monkeypatch):
    monkeypatch.setenv("PIPELINE_PURE_PYTHON", "1")
    monkeypatch.setattr(_kernels, "_cache", {})
    assert _kernels.load(name).__name__ == f"pipeline._reference.{name}"
    assert not _kernels.is_native(name)


def test_a_kernel_that_is_not_built_is_none():
    assert _kernels.native("no_such_kernel") is None


def test_a_broken_build_raises_instead_of_passing_for_not_built(monkeypatch):
    # A compiled module whose own import fails (here: a dependency it names is
    # missing) must surface, not silently fall back to the reference twin.
    real_import = importlib.import_module

    def broken(module_name, *args):
        if module_name == "pipeline._native.crc32c":
            raise ModuleNotFoundError("No module named 'libmissing'", name="libmissing")
        return real_import(module_name, *args)

    monkeypatch.setattr(_kernels.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="libmissing"):
        _kernels.native("crc32c")
