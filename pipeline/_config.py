"""The only reader of environment variables in `pipeline`.

Settings are read when a function here is called, never at import time.

Variables:
    PIPELINE_PURE_PYTHON=1      use the pure-Python reference kernels
                                (``pipeline._reference``) instead of the compiled ones.
    PIPELINE_NN_BACKEND=numpy   the array backend of ``pipeline.nn`` (numpy|cupy).
    PIPELINE_NUM_THREADS=n      cap on worker threads (default: CPU count).
    PIPELINE_BLAS_THREADS=auto  BLAS threads during ``pipeline.nn`` loops: ``auto``
                                (timed per loop), a number, or ``off`` (untouched).
    PIPELINE_STEP_PLAN=off      ``fit`` without its step plan for Dense stacks
                                (``pipeline.nn.models.step_plan``), for comparison.

Example:
    >>> from pipeline import _config
    >>> isinstance(_config.num_threads(), int)
    True
"""

from __future__ import annotations

import os


def pure_python() -> bool:
    """Whether the reference kernels are forced (``PIPELINE_PURE_PYTHON=1``).

    Example:
        >>> isinstance(pure_python(), bool)
        True
    """
    return os.environ.get("PIPELINE_PURE_PYTHON", "") not in ("", "0")


def nn_backend() -> str:
    """The requested NN backend name, ``"numpy"`` unless set.

    Example:
        >>> nn_backend() in ("numpy", "cupy")
        True
    """
    return os.environ.get("PIPELINE_NN_BACKEND", "numpy").strip().lower() or "numpy"


def num_threads() -> int:
    """The number of worker threads to use at most (``PIPELINE_NUM_THREADS``).

    Example:
        >>> num_threads() >= 1
        True
    """
    value = os.environ.get("PIPELINE_NUM_THREADS", "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return os.cpu_count() or 1


def blas_threads() -> int | str:
    """The BLAS thread policy of nn loops (``PIPELINE_BLAS_THREADS``).

    Returns ``"auto"`` (the default, also for unreadable values), ``"off"``, or a
    positive thread count.

    Example:
        >>> blas_threads() in ("auto", "off") or blas_threads() >= 1
        True
    """
    value = os.environ.get("PIPELINE_BLAS_THREADS", "").strip().lower()
    if value == "off":
        return "off"
    if value.isdigit() and int(value) > 0:
        return int(value)
    return "auto"


def step_plan() -> bool:
    """Whether ``fit`` may use its step plan (``PIPELINE_STEP_PLAN``, on unless
    ``off``, ``0`` or ``false``).

    Example:
        >>> isinstance(step_plan(), bool)
        True
    """
    value = os.environ.get("PIPELINE_STEP_PLAN", "").strip().lower()
    return value not in ("off", "0", "false")
