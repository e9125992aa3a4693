"""Binds each kernel module to its compiled or pure-Python implementation.

``pipeline._native.<name>`` (built from ``_ext/<name>.pyx``) and
``pipeline._reference.<name>`` (slow, obvious, the living spec) expose the same
names with the same results and errors. ``_kernels.<name>`` is the compiled one
when it is built and ``PIPELINE_PURE_PYTHON`` is unset, else the reference.

Example:
    >>> from pipeline import _kernels
    >>> crc = _kernels.load("crc32c")
    >>> crc.crc32c(b"123456789")
    3808858755
"""

from __future__ import annotations

import importlib
from types import ModuleType

from pipeline import _config

_cache: dict[str, ModuleType] = {}


def native(name: str) -> ModuleType | None:
    """The compiled kernel module ``name``, or None when it is not built.

    A module that is built but fails to import (a missing symbol, an ABI
    mismatch) raises its ImportError rather than passing for "not built".

    Example:
        >>> native("no_such_kernel") is None
        True
    """
    module_name = f"pipeline._native.{name}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        return None


def reference(name: str) -> ModuleType:
    """The pure-Python twin of kernel module ``name``.

    Example:
        >>> reference("crc32c").__name__
        'pipeline._reference.crc32c'
    """
    return importlib.import_module(f"pipeline._reference.{name}")


def load(name: str) -> ModuleType:
    """The kernel module to use for ``name``: compiled if available, else reference.

    Example:
        >>> load("crc32c").crc32c(b"") == 0
        True
    """
    module = _cache.get(name)
    if module is None:
        module = None if _config.pure_python() else native(name)
        if module is None:
            module = reference(name)
        _cache[name] = module
    return module


def is_native(name: str) -> bool:
    """Whether ``load(name)`` gives the compiled module.

    Example:
        >>> isinstance(is_native("crc32c"), bool)
        True
    """
    return load(name).__name__.startswith("pipeline._native.")


def __getattr__(name: str) -> ModuleType:
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return load(name)
    except ImportError as e:
        raise AttributeError(f"no kernel module named {name!r}") from e
