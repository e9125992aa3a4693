"""Array math for update rules that also accepts row slices (sparse gradients).

An update rule is written once, in terms of the functions here. On dense arrays
they are the plain array functions. When a gradient arrives as row slices
(``IndexedSlices``: ``values`` for the rows ``indices`` of a ``dense_shape``
array), each function keeps Keras 3's rule for ``tf.IndexedSlices`` so the
results match TensorFlow:

* a unary function that maps 0 to 0 (square, sqrt, negation, clip) works on the
  values, keeping duplicate row indices apart;
* multiplication and division by a dense array or scalar gather the rows and stay
  sparse;
* addition, subtraction and maximum with a dense array densify first (duplicate
  rows are summed);
* assigning slices to a variable scatters into the given rows only.

One Keras corner is not copied: dividing slices by a dense array with zeros
or NaNs outside the sliced rows (Keras then adds those rows to the result).

Example:
    >>> import numpy as np
    >>> g = Rows(np.ones((2, 2), np.float32), np.array([0, 0]), (3, 2))
    >>> densify(square(mul(g, 2.0))).tolist()
    [[8.0, 8.0], [0.0, 0.0], [0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _access


class Rows:
    """Rows ``indices`` of a ``dense_shape`` array, with their ``values``.

    Args:
        values: backend array of shape ``(len(indices),) + dense_shape[1:]``.
        indices: 1-D integer backend array (duplicates allowed; they add up).
        dense_shape: shape of the dense array these rows belong to.

    Example:
        >>> import numpy as np
        >>> Rows(np.zeros((1, 2)), np.array([1]), (3, 2)).dense_shape
        (3, 2)
    """

    __slots__ = ("values", "indices", "dense_shape")

    def __init__(self, values: Any, indices: Any, dense_shape: Any) -> None:
        self.values = values
        self.indices = indices
        self.dense_shape = tuple(int(d) for d in dense_shape)

    def with_values(self, values: Any) -> Rows:
        """The same rows with new ``values``.

        Example:
            >>> import numpy as np
            >>> r = Rows(np.ones((1, 1)), np.array([0]), (2, 1))
            >>> r.with_values(r.values * 3).values.tolist()
            [[3.0]]
        """
        return Rows(values, self.indices, self.dense_shape)


def densify(x: Any) -> Any:
    """The dense array of ``x`` (rows with the same index are summed).

    Example:
        >>> import numpy as np
        >>> densify(Rows(np.array([1.0, 2.0]), np.array([1, 1]), (3,))).tolist()
        [0.0, 3.0, 0.0]
    """
    if not isinstance(x, Rows):
        return x
    xp = _access.xp()
    out = xp.zeros(x.dense_shape, dtype=x.values.dtype)
    _access.scatter_add(out, x.indices, x.values)
    return out


def _is_scalar(x: Any) -> bool:
    return not hasattr(x, "ndim") or x.ndim == 0


def _unary(fn):
    def apply(x: Any) -> Any:
        if isinstance(x, Rows):
            return x.with_values(fn(x.values))
        return fn(x)

    return apply


def square(x: Any) -> Any:
    """Elementwise square.

    Example:
        >>> import numpy as np
        >>> square(np.array([3.0])).tolist()
        [9.0]
    """
    return _unary(_access.xp().square)(x)


def sqrt(x: Any) -> Any:
    """Elementwise square root.

    Example:
        >>> import numpy as np
        >>> sqrt(np.array([9.0])).tolist()
        [3.0]
    """
    return _unary(_access.xp().sqrt)(x)


def neg(x: Any) -> Any:
    """Elementwise negation.

    Example:
        >>> import numpy as np
        >>> neg(np.array([1.0])).tolist()
        [-1.0]
    """
    return _unary(lambda v: -v)(x)


def clip(x: Any, low: Any, high: Any) -> Any:
    """Elementwise clip to ``[low, high]`` (slices are clipped row by row).

    Example:
        >>> import numpy as np
        >>> clip(np.array([-2.0, 0.5, 2.0]), -1.0, 1.0).tolist()
        [-1.0, 0.5, 1.0]
    """
    return _unary(lambda v: _access.xp().clip(v, low, high))(x)


def _union(fn, a: Any, b: Any) -> Any:
    if isinstance(a, Rows) and isinstance(b, Rows) and a.indices is b.indices:
        return a.with_values(fn(a.values, b.values))
    return fn(densify(a), densify(b))


def add(a: Any, b: Any) -> Any:
    """``a + b``; slices meeting a dense operand are densified first.

    Example:
        >>> import numpy as np
        >>> add(np.array([1.0]), 2.0).tolist()
        [3.0]
    """
    return _union(lambda x, y: x + y, a, b)


def sub(a: Any, b: Any) -> Any:
    """``a - b``; slices meeting a dense operand are densified first.

    Example:
        >>> import numpy as np
        >>> sub(np.array([1.0]), 2.0).tolist()
        [-1.0]
    """
    return _union(lambda x, y: x - y, a, b)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise maximum (densifies slices).

    Example:
        >>> import numpy as np
        >>> maximum(np.array([1.0, 5.0]), np.array([2.0, 3.0])).tolist()
        [2.0, 5.0]
    """
    return _access.xp().maximum(densify(a), densify(b))


def _gathered(fn, a: Any, b: Any) -> Any:
    """Apply ``fn`` keeping the rows of the sliced operand."""
    if isinstance(a, Rows) and isinstance(b, Rows):
        if a.indices is b.indices:
            return a.with_values(fn(a.values, b.values))
        return fn(densify(a), densify(b))
    if isinstance(a, Rows):
        other = b if _is_scalar(b) else b[a.indices]
        return a.with_values(fn(a.values, other))
    if isinstance(b, Rows):
        other = a if _is_scalar(a) else a[b.indices]
        return b.with_values(fn(other, b.values))
    return fn(a, b)


def mul(a: Any, b: Any) -> Any:
    """``a * b``; a sliced operand keeps its rows.

    Example:
        >>> import numpy as np
        >>> mul(np.array([2.0]), 3.0).tolist()
        [6.0]
    """
    return _gathered(lambda x, y: x * y, a, b)


def div(a: Any, b: Any) -> Any:
    """``a / b``; sliced ``a`` keeps its rows, a sliced divisor is densified.

    Example:
        >>> import numpy as np
        >>> div(np.array([3.0]), 2.0).tolist()
        [1.5]
    """
    if isinstance(b, Rows):
        return densify(a) / densify(b)
    return _gathered(lambda x, y: x / y, a, b)


def sum_squares(x: Any) -> Any:
    """Sum of squares of every element (of the values, for slices).

    Example:
        >>> import numpy as np
        >>> float(sum_squares(np.array([3.0, 4.0])))
        25.0
    """
    values = x.values if isinstance(x, Rows) else x
    return _access.xp().sum(_access.xp().square(values))
