"""The fast path of dense updates: one fused kernel pass per variable.

For a dense gradient on the numpy backend, an update rule hands its variable,
gradient and slots to ``_kernels.load("optim")`` (Cython, GIL released; or its
numpy twin), which computes the same float operations as the rule in one pass.
Row slices and other backends take the rule's array path.

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
