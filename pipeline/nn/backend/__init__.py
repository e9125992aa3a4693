"""The array backend of ``pipeline.nn``, chosen once: numpy (CPU) or cupy (GPU).

Layers, ops and optimizers never import numpy or cupy for computation: they ask
:func:`xp` for the array namespace of the active backend. The backend is read from
``PIPELINE_NN_BACKEND`` (through :mod:`pipeline._config`) on first use, or chosen
with :func:`set_backend` before any tensor exists.

A backend module exposes ``name``, ``xp`` (the array namespace), ``to_numpy(array)``
(a host copy), ``erf(array)``, ``scatter_add(out, indices, values)`` (in
place, duplicates adding up) and ``is_array(obj)``.

Example:
    >>> from pipeline.nn import backend
    >>> backend.name()
    'numpy'
    >>> backend.xp().__name__
    'numpy'
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from pipeline import _config
from pipeline.errors import InvalidArgumentError

_BACKENDS = {
    "numpy": "pipeline.nn.backend.numpy_backend",
    "cupy": "pipeline.nn.backend.cupy_backend",
}
_active: ModuleType | None = None


def set_backend(name: str) -> None:
    """Selects the array backend of ``pipeline.nn`` (``"numpy"`` or ``"cupy"``).

    Args:
        name: the backend name. ``"cupy"`` needs the optional ``cupy`` package.

    Raises:
        InvalidArgumentError: for an unknown name.

    Example:
        >>> set_backend("numpy")
        >>> name()
        'numpy'
    """
    global _active
    key = str(name).strip().lower()
    if key not in _BACKENDS:
        raise InvalidArgumentError(
            f"`backend` must be one of {sorted(_BACKENDS)}. Received: backend={name!r}"
        )
    _active = importlib.import_module(_BACKENDS[key])


def get() -> ModuleType:
    """The active backend module (read from the environment on first use).

    Example:
        >>> get().name
        'numpy'
    """
    if _active is None:
        set_backend(_config.nn_backend())
    assert _active is not None
    return _active


def name() -> str:
    """The active backend's name.

    Example:
        >>> name()
        'numpy'
    """
    return get().name


def xp() -> ModuleType:
    """The array namespace (``numpy`` or ``cupy``) of the active backend.

    Example:
        >>> xp().zeros(2).shape
        (2,)
    """
    return get().xp


def to_numpy(array: Any) -> Any:
    """A host numpy array of a backend array.

    Example:
        >>> to_numpy(xp().ones(2)).tolist()
        [1.0, 1.0]
    """
    return get().to_numpy(array)


def erf(array: Any) -> Any:
    """The error function, elementwise, in the array's dtype.

    Example:
        >>> round(float(erf(xp().asarray(0.5))), 6)
        0.5205
    """
    return get().erf(array)


def scatter_add(out: Any, indices: Any, values: Any) -> None:
    """``out[indices] += values`` in place, duplicate indices adding up.

    Example:
        >>> a = xp().zeros(3)
        >>> scatter_add(a, xp().asarray([1, 1]), xp().asarray([1.0, 2.0]))
        >>> a.tolist()
        [0.0, 3.0, 0.0]
    """
    get().scatter_add(out, indices, values)
