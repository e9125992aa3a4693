"""The fast path of dense updates: one fused kernel pass per variable.

For a dense gradient on the numpy backend, an update rule hands its variable,
gradient and slots to ``_kernels.load("optim")`` (Cython, GIL released; or its
numpy twin), which computes the same float operations as the rule in one pass.
Row slices and other backends take the rule's array path. ``run_many`` updates
several variables in one kernel call, so a step's Python cost per variable is a
few list entries rather than a kernel call.

Example:
    >>> import numpy as np
    >>> w = np.ones(2, np.float32)
    >>> dense_value(np.ones(2, np.float32), w) is w
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.nn import backend
from pipeline.nn.optimizers import _access, _rows

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_PLAIN = (float, int, bool)


def dense_value(gradient: Any, variable: Any) -> Any:
    """The variable's numpy array when the fused kernels apply, else None.

    Example:
        >>> import numpy as np
        >>> dense_value(np.ones(2, np.float16), np.ones(2, np.float16)) is None
        True
    """
    if isinstance(gradient, _rows.Rows) or backend.name() != "numpy":
        return None
    value = _access.read(variable)
    if value.dtype not in _FLOATS or gradient.dtype != value.dtype:
        return None
    return value


def _view(slot: Any) -> Any:
    # a flat view updated in place (a copy would lose the update)
    assert slot.value.flags.c_contiguous, slot.name
    return slot.value.reshape(-1)


def run(
    kernel: str,
    variable: Any,
    value: Any,
    gradient: Any,
    slots: list[Any],
    *scalars: Any,
) -> None:
    """Run ``kernel`` and store the new value in ``variable``.

    ``slots`` are ``StateVariable`` objects updated in place (their arrays are
    always contiguous); float ``scalars`` are cast to the variable's dtype.

    Example:
        >>> import numpy as np
        >>> w = np.ones(3, np.float32)
        >>> run("sgd", w, w, np.ones(3, np.float32), [], 0.25); w.tolist()
        [0.75, 0.75, 0.75]
    """
    real = value.dtype.type
    # Python numbers convert exactly as real() would; numpy ones are cast so the
    # numpy twin computes in the variable's precision too
    args = [s if type(s) in _PLAIN else real(s) for s in scalars]
    if not value.flags.c_contiguous:
        value = np.ascontiguousarray(value)
    if not gradient.flags.c_contiguous:
        gradient = np.ascontiguousarray(gradient)
    out = np.empty(value.shape, value.dtype)
    getattr(_kernels.load("optim"), kernel)(
        out.reshape(-1),
        value.reshape(-1),
        gradient.reshape(-1),
        *[_view(slot) for slot in slots],
        *args,
    )
    _access.write(variable, out, owned=True)


def dense_values(gradients: list[Any], variables: list[Any]) -> list[Any] | None:
    """The variables' numpy arrays when one fused call can update them all (every
    gradient dense and of its variable's dtype, one float dtype throughout),
    else None.

    Example:
        >>> import numpy as np
        >>> w = np.ones(2, np.float32)
        >>> dense_values([np.ones(2, np.float32)], [w])[0] is w
        True
        >>> dense_values([np.ones(2)], [w]) is None
        True
    """
    values = [dense_value(g, v) for g, v in zip(gradients, variables, strict=True)]
    if not values or any(v is None for v in values):
        return None
    dtype = values[0].dtype
    if any(v.dtype != dtype for v in values):
        return None
    return values


def _flat(array: Any) -> Any:
    if not array.flags.c_contiguous:
        array = np.ascontiguousarray(array)
    return array.reshape(-1)


def run_many(
    kernel: str,
    variables: list[Any],
    values: list[Any],
    gradients: list[Any],
    slots: list[list[Any]],
    *scalars: Any,
) -> None:
    """``run`` for several variables of one dtype in one kernel call
    (``<kernel>_many``: the GIL released once for all of them).

    ``slots`` holds one list of ``StateVariable`` objects per slot kind (e.g.
    every variable's momentum, then every velocity); scalars are rounded to the
    variables' dtype by the kernel, as ``run`` rounds them.

    Example:
        >>> import numpy as np
        >>> from pipeline.nn.optimizers._state import StateVariable
        >>> w = [np.ones(2, np.float32)]
        >>> m, v = StateVariable(np.zeros(2, np.float32), "m"), StateVariable(
        ...     np.zeros(2, np.float32), "v")
        >>> run_many("adam", w, w, [np.ones(2, np.float32)], [[m], [v], [v]],
        ...          0.1, 0.1, 0.001, 1e-7, False)
        >>> m.numpy().tolist()
        [0.10000000149011612, 0.10000000149011612]
    """
    outs = [np.empty(v.shape, v.dtype) for v in values]
    getattr(_kernels.load("optim"), f"{kernel}_many")(
        [o.reshape(-1) for o in outs],
        [_flat(v) for v in values],
        [_flat(g) for g in gradients],
        *[[_view(slot) for slot in kind] for kind in slots],
        *scalars,
    )
    for variable, out in zip(variables, outs, strict=True):
        _access.write(variable, out, owned=True)
