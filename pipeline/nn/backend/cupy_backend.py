"""The cupy (GPU) backend; cupy is imported only when this backend is chosen.

Example:
    >>> name
    'cupy'
"""

from __future__ import annotations

import importlib
from typing import Any

name = "cupy"


def __getattr__(attr: str) -> Any:
    if attr == "xp":
        return importlib.import_module("cupy")
    raise AttributeError(attr)


def to_numpy(array: Any) -> Any:
    """A host numpy copy of a cupy array.

    Example:
        >>> callable(to_numpy)
        True
    """
    return array.get() if hasattr(array, "get") else array


def is_array(obj: Any) -> bool:
    """Whether ``obj`` is a cupy array.

    Example:
        >>> is_array([0])
        False
    """
    return type(obj).__module__.startswith("cupy")


def scatter_add(out: Any, indices: Any, values: Any) -> None:
    """``out[indices] += values`` in place (``cupyx.scatter_add``).

    Example:
        >>> callable(scatter_add)
        True
    """
    importlib.import_module("cupyx").scatter_add(out, indices, values)


def erf(x: Any) -> Any:
    """The error function (cupyx.scipy.special.erf).

    Example:
        >>> callable(erf)
        True
    """
    special = importlib.import_module("cupyx.scipy.special")
    return special.erf(x)
