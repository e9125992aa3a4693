"""The thread count of the BLAS library that numpy uses (OpenBLAS), at run time.

OpenBLAS's worker threads spin-wait for each other: on a machine busier than
its core count, several BLAS threads can make small matrix products many times
slower than one thread. :func:`set_num_threads` changes the count for this
process (as ``threadpoolctl`` does, without the dependency); :func:`info`
reports the library and its current count. Both are no-ops (None) where numpy
does not link an OpenBLAS that this process can find.

Example:
    >>> from pipeline.nn.backend import blas
    >>> before = blas.get_num_threads()
    >>> before is None or before >= 1
    True
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

_PREFIXES = ("scipy_openblas_", "openblas_")
_SUFFIXES = ("64_", "")
_cache: dict[str, Any] = {}


def _library() -> tuple[Any, tuple[str, str], str] | None:
    if "lib" in _cache:
        return _cache["lib"]
    np.ones(1) @ np.ones(1)  # make sure numpy's BLAS is loaded
    found = None
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        paths = set()
    for path in sorted(paths):
        lib = ctypes.CDLL(path)
        for prefix in _PREFIXES:
            for suffix in _SUFFIXES:
                if hasattr(lib, f"{prefix}set_num_threads{suffix}"):
                    found = (lib, (prefix, suffix), path)
                    break
            if found:
                break
    _cache["lib"] = found
    return found


def get_num_threads() -> int | None:
    """The number of threads OpenBLAS uses now (None if not found).

    Example:
        >>> n = get_num_threads(); n is None or isinstance(n, int)
        True
    """
    found = _library()
    if not found:
        return None
    lib, (prefix, suffix), _ = found
    getter = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
    return int(getter()) if getter is not None else None


def set_num_threads(n: int) -> int | None:
    """Sets OpenBLAS's thread count for this process; returns the previous one.

    Args:
        n: a positive number of threads.

    Raises:
        ValueError: for ``n < 1``.

    Example:
        >>> previous = set_num_threads(1)
        >>> previous is None or get_num_threads() == 1
        True
        >>> _ = set_num_threads(previous or 1)
    """
    if int(n) < 1:
        raise ValueError(f"`n` must be a positive integer. Received: n={n}")
    found = _library()
    if not found:
        return None
    previous = get_num_threads()
    lib, (prefix, suffix), _ = found
    getattr(lib, f"{prefix}set_num_threads{suffix}")(ctypes.c_int(int(n)))
    return previous


def info() -> str:
    """A one-line description: the BLAS library numpy uses and its threads.

    Example:
        >>> isinstance(info(), str)
        True
    """
    config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    found = _library()
    where = found[2] if found else "not located"
    return (
        f"{config.get('name')} {config.get('version')} "
        f"threads={get_num_threads()} ({where})"
    )
