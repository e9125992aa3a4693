"""The numpy (CPU) backend.

Example:
    >>> from pipeline.nn.backend import numpy_backend as b
    >>> b.to_numpy(b.xp.arange(3)).tolist()
    [0, 1, 2]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

name = "numpy"
xp = np

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SERIES_LIMIT = 2.5
_SERIES_TERMS = 60
# Chebyshev fit of erfc (Numerical Recipes' erfcc), fractional error < 1.2e-7,
# used only where erfc < 4e-4, so erf's absolute error stays below 1e-10.
_ERFC_COEFFS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def to_numpy(array: Any) -> np.ndarray:
    """The array itself, as numpy.

    Example:
        >>> to_numpy([1, 2]).tolist()
        [1, 2]
    """
    return np.asarray(array)


def is_array(obj: Any) -> bool:
    """Whether ``obj`` is an array of this backend.

    Example:
        >>> is_array(np.zeros(1)), is_array([0])
        (True, False)
    """
    return isinstance(obj, np.ndarray)


def scatter_add(out: np.ndarray, indices: Any, values: Any) -> None:
    """``out[indices] += values`` in place (``np.add.at``).

    Example:
        >>> a = np.zeros(2); scatter_add(a, np.array([0, 0]), np.ones(2)); a.tolist()
        [2.0, 0.0]
    """
    np.add.at(out, indices, values)


def _erf_series(x: np.ndarray) -> np.ndarray:
    x2 = x * x
    term = x.copy()
    total = x.copy()
    for n in range(1, _SERIES_TERMS):
        term *= -x2 / n
        total += term / (2 * n + 1)
    return total * _TWO_OVER_SQRT_PI


def _erfc_tail(z: np.ndarray) -> np.ndarray:
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(z)
    for c in reversed(_ERFC_COEFFS):
        poly = poly * t + c
    return t * np.exp(-z * z + poly)


def erf(x: Any) -> np.ndarray:
    """The error function, computed in float64 and returned in ``x``'s dtype.

    Example:
        >>> round(float(erf(np.float64(1.0))), 9)
        0.842700793
    """
    x = np.asarray(x)
    x64 = x.astype(np.float64)
    out = np.empty_like(x64)
    small = np.abs(x64) < _SERIES_LIMIT
    out[small] = _erf_series(x64[small])
    big = ~small
    out[big] = np.sign(x64[big]) * (1.0 - _erfc_tail(np.abs(x64[big])))
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    return out.astype(dtype)
