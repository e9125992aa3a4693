"""The optimizers' only door to arrays, variables and gradients.

Update rules never import numpy: they ask :func:`xp` for the array namespace of the
active backend (numpy, or cupy later), and read and write model variables through
:func:`read` and :func:`write`.

Example:
    >>> import numpy as np
    >>> read(np.ones(2, np.float32)).dtype
    dtype('float32')
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from pipeline.nn import backend, tensor


def xp() -> ModuleType:
    """The array namespace of the active backend.

    Example:
        >>> xp().__name__
        'numpy'
    """
    return backend.xp()


def to_numpy(x: Any) -> np.ndarray:
    """A host numpy array of a tensor, variable, backend array or number.

    Example:
        >>> to_numpy(3.0).tolist()
        3.0
    """
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    if backend.get().is_array(x):
        return np.asarray(backend.to_numpy(x))
    return np.asarray(x)


def read(variable: Any) -> Any:
    """The backend array behind ``variable`` (a Variable, or an array itself).

    Example:
        >>> read(np.zeros(3)).shape
        (3,)
    """
    if isinstance(variable, tensor.Variable):
        return variable.value
    return tensor.to_array(variable)


def write(variable: Any, value: Any, owned: bool = False) -> None:
    """Store ``value`` (a backend array of the right shape) in ``variable``.

    Args:
        variable: a ``Variable`` (given a new array) or a bare backend array
            (overwritten in place).
        value: the new value.
        owned: ``value`` is a fresh C-contiguous array of the variable's shape and
            dtype that nothing else refers to, so a ``Variable`` may keep it
            without a copy. Default False.

    Example:
        >>> v = np.zeros(2)
        >>> write(v, np.ones(2)); v.tolist()
        [1.0, 1.0]
    """
    if isinstance(variable, tensor.Variable):
        if owned:
            variable._array = value
        else:
            variable.assign(value)
    else:
        variable[...] = value  # a bare backend array


def scatter_add(out: Any, indices: Any, values: Any) -> None:
    """``out[indices] += values`` in place, duplicate indices adding up.

    Example:
        >>> a = np.zeros(3)
        >>> scatter_add(a, np.array([1, 1]), np.array([1.0, 2.0])); a.tolist()
        [0.0, 3.0, 0.0]
    """
    if backend.name() == "numpy":
        np.add.at(out, indices, values)
    else:
        import cupyx  # noqa: PLC0415  (only with the cupy backend)

        cupyx.scatter_add(out, indices, values)


def scatter_set(out: Any, indices: Any, values: Any) -> None:
    """``out[indices] = values`` in place (for a duplicate index, the last wins).

    Example:
        >>> a = np.zeros(3)
        >>> scatter_set(a, np.array([2]), np.array([5.0])); a.tolist()
        [0.0, 0.0, 5.0]
    """
    out[indices] = values


def is_indexed_slices(x: Any) -> bool:
    """Whether ``x`` is a sparse gradient (``values``, ``indices``, ``dense_shape``).

    Example:
        >>> is_indexed_slices(np.zeros(2))
        False
    """
    return all(hasattr(x, a) for a in ("values", "indices", "dense_shape"))
