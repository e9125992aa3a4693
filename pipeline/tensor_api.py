"""TensorFlow's top-level tensor names (``tf.reduce_mean``, ...) over ``pl.nn``.

Code written for TensorFlow runs with ``tf.`` spelled ``pl.``:
``pl.sqrt(pl.reduce_mean(pl.square(y_pred - y_true)))``. Each name keeps TF's
argument names and defaults and returns a ``pl.nn`` tensor, so it records
gradients under ``pl.GradientTape``. ``import pipeline`` loads this module on
the first use of one of its names.

Example:
    >>> import pipeline as pl
    >>> y_true, y_pred = pl.constant([1.0, 2.0]), pl.constant([1.5, 2.5])
    >>> float(pl.sqrt(pl.reduce_mean(pl.square(y_pred - y_true))))
    0.5
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.tape import GradientTape
from pipeline.nn.tensor import Tensor, Variable

float16, float32, float64 = np.float16, np.float32, np.float64
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
bool = np.bool_  # noqa: A001  (TensorFlow's name)

__all__ = [
    "GradientTape",
    "Variable",
    "abs",
    "add",
    "argmax",
    "argmin",
    "bool",
    "cast",
    "clip_by_value",
    "concat",
    "constant",
    "convert_to_tensor",
    "divide",
    "exp",
    "expand_dims",
    "float16",
    "float32",
    "float64",
    "gather",
    "int16",
    "int32",
    "int64",
    "int8",
    "log",
    "matmul",
    "maximum",
    "minimum",
    "multiply",
    "negative",
    "ones",
    "ones_like",
    "pow",
    "range",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
    "reshape",
    "shape",
    "sigmoid",
    "sign",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "subtract",
    "tanh",
    "transpose",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "where",
    "zeros",
    "zeros_like",
]

abs = ops.abs  # noqa: A001
add = ops.add
subtract = ops.subtract
multiply = ops.multiply
divide = ops.divide
maximum = ops.maximum
minimum = ops.minimum
negative = ops.negative
exp = ops.exp
log = ops.log
sign = ops.sign
sqrt = ops.sqrt
square = ops.square
tanh = ops.tanh
sigmoid = ops.sigmoid
pow = ops.power  # noqa: A001
zeros_like = ops.zeros_like
ones_like = ops.ones_like


def constant(
    value: Any, dtype: Any = None, shape: Any = None, name: str | None = None
) -> Tensor:
    """``tf.constant``: Python floats become float32 and ints int32.

    Example:
        >>> import pipeline as pl
        >>> pl.constant([[1, 2]], dtype=pl.float32).numpy().tolist()
        [[1.0, 2.0]]
    """
    return ops.constant(value, dtype=dtype, shape=shape)


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    """``tf.convert_to_tensor``: a tensor stays as it is, unless ``dtype`` differs.

    Example:
        >>> import pipeline as pl
        >>> pl.convert_to_tensor([1.0]).dtype
        dtype('float32')
    """
    if isinstance(value, Tensor) and (dtype is None or value.dtype == dtype):
        return value
    return ops.constant(value, dtype=dtype)


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.cast``: float to int truncates toward zero, as TF does.

    Example:
        >>> import pipeline as pl
        >>> pl.cast(pl.constant([1.7, -1.7]), pl.int32).numpy().tolist()
        [1, -1]
    """
    return ops.cast(x, dtype)


def reshape(tensor: Any, shape: Sequence[int], name: str | None = None) -> Tensor:
    """``tf.reshape`` (``-1`` infers one dimension).

    Example:
        >>> import pipeline as pl
        >>> pl.reshape(pl.constant([1, 2, 3, 4]), [2, -1]).shape
        (2, 2)
    """
    return ops.reshape(tensor, tuple(int(d) for d in np.asarray(shape).reshape(-1)))


def matmul(
    a: Any,
    b: Any,
    transpose_a: builtins.bool = False,
    transpose_b: builtins.bool = False,
    name: str | None = None,
) -> Tensor:
    """``tf.matmul``, with TF's ``transpose_a``/``transpose_b``.

    Example:
        >>> import pipeline as pl
        >>> pl.matmul([[1.0, 2.0]], [[3.0, 4.0]], transpose_b=True).numpy().tolist()
        [[11.0]]
    """
    if transpose_a:
        a = _swap_last_two(a)
    if transpose_b:
        b = _swap_last_two(b)
    return ops.matmul(a, b)


def _swap_last_two(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    axes = list(builtins.range(x.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return ops.transpose(x, axes)


def _reduce(op: Any, x: Any, axis: Any, keepdims: builtins.bool) -> Tensor:
    if isinstance(axis, (list, tuple, np.ndarray)):
        axis = tuple(int(a) for a in axis)
    return op(x, axis=axis, keepdims=keepdims)


def reduce_sum(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_sum`` over ``axis`` (None: all axes).

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_sum([[1, 2], [3, 4]], axis=0).numpy().tolist()
        [4, 6]
    """
    x = convert_to_tensor(input_tensor)
    total = _reduce(ops.sum, x, axis, keepdims)
    # numpy widens int32 sums to int64; TF keeps the input's type
    return total if total.dtype == x.dtype else ops.cast(total, x.dtype)


def reduce_mean(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_mean``; an integer input gives TF's truncated integer mean.

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_mean([1.0, 2.0]).numpy().tolist(), pl.reduce_mean([1, 2]).numpy()
        (1.5, array(1, dtype=int32))
    """
    x = convert_to_tensor(input_tensor)
    if np.issubdtype(x.dtype, np.integer):
        total = np.sum(x.numpy(), axis=_axis(axis), keepdims=keepdims)
        count = x.numpy().size // builtins.max(np.asarray(total).size, 1)
        return Tensor(np.asarray(np.trunc(total / count), dtype=x.dtype))
    return _reduce(ops.mean, x, axis, keepdims)


def _axis(axis: Any) -> Any:
    if isinstance(axis, (list, tuple, np.ndarray)):
        return tuple(int(a) for a in axis)
    return axis


def reduce_max(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_max``.

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_max([[1, 5], [3, 4]], axis=1).numpy().tolist()
        [5, 4]
    """
    return _reduce(ops.max, input_tensor, axis, keepdims)


def reduce_min(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_min``.

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_min([[1, 5], [3, 4]]).numpy().tolist()
        1
    """
    return _reduce(ops.min, input_tensor, axis, keepdims)


def argmax(
    input: Any,  # noqa: A002  (TensorFlow's name)
    axis: int | None = None,
    output_type: Any = np.int64,
    name: str | None = None,
) -> Tensor:
    """``tf.math.argmax``: ``axis=None`` means axis 0, as in TF; int64 by default.

    Example:
        >>> import pipeline as pl
        >>> pl.argmax([[1, 9], [7, 2]]).numpy().tolist()
        [1, 0]
    """
    return ops.cast(ops.argmax(input, axis=0 if axis is None else axis), output_type)


def argmin(
    input: Any,  # noqa: A002
    axis: int | None = None,
    output_type: Any = np.int64,
    name: str | None = None,
) -> Tensor:
    """``tf.math.argmin``: ``axis=None`` means axis 0, as in TF.

    Example:
        >>> import pipeline as pl
        >>> pl.argmin([3, 1, 2]).numpy().tolist()
        1
    """
    return ops.cast(ops.argmin(input, axis=0 if axis is None else axis), output_type)


def concat(values: Sequence[Any], axis: int, name: str | None = None) -> Tensor:
    """``tf.concat`` along ``axis``.

    Example:
        >>> import pipeline as pl
        >>> pl.concat([[1, 2], [3]], axis=0).numpy().tolist()
        [1, 2, 3]
    """
    return ops.concatenate(list(values), axis=axis)


def stack(values: Sequence[Any], axis: int = 0, name: str | None = None) -> Tensor:
    """``tf.stack``.

    Example:
        >>> import pipeline as pl
        >>> pl.stack([[1, 2], [3, 4]], axis=1).numpy().tolist()
        [[1, 3], [2, 4]]
    """
    return ops.stack(list(values), axis=axis)


def expand_dims(input: Any, axis: int, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.expand_dims``.

    Example:
        >>> import pipeline as pl
        >>> pl.expand_dims([1, 2], -1).shape
        (2, 1)
    """
    return ops.expand_dims(input, axis)


def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.squeeze``.

    Example:
        >>> import pipeline as pl
        >>> pl.squeeze([[1], [2]]).shape
        (2,)
    """
    return ops.squeeze(input, axis=axis)


def transpose(a: Any, perm: Sequence[int] | None = None, name=None) -> Tensor:
    """``tf.transpose`` (``perm=None`` reverses the axes).

    Example:
        >>> import pipeline as pl
        >>> pl.transpose([[1, 2]]).shape
        (2, 1)
    """
    return ops.transpose(a, None if perm is None else list(perm))


def gather(params: Any, indices: Any, axis: int = 0, name: str | None = None) -> Tensor:
    """``tf.gather`` along ``axis``.

    Example:
        >>> import pipeline as pl
        >>> pl.gather([10, 20, 30], [2, 0]).numpy().tolist()
        [30, 10]
    """
    return ops.take(params, indices, axis=axis)


def where(condition: Any, x: Any = None, y: Any = None, name=None) -> Tensor:
    """``tf.where``: with ``x`` and ``y``, picks from them; alone, the true indices.

    Example:
        >>> import pipeline as pl
        >>> pl.where([True, False], 1, 2).numpy().tolist(), pl.where([0, 3]).shape
        ([1, 2], (1, 1))
    """
    if x is None and y is None:
        return Tensor(np.argwhere(np.asarray(condition)).astype(np.int64))
    return ops.where(condition, x, y)


def clip_by_value(
    t: Any, clip_value_min: Any, clip_value_max: Any, name=None
) -> Tensor:
    """``tf.clip_by_value``.

    Example:
        >>> import pipeline as pl
        >>> pl.clip_by_value([-2.0, 0.5, 3.0], -1.0, 1.0).numpy().tolist()
        [-1.0, 0.5, 1.0]
    """
    return ops.clip(t, clip_value_min, clip_value_max)


def zeros(shape: Any, dtype: Any = np.float32, name: str | None = None) -> Tensor:
    """``tf.zeros`` (float32 by default).

    Example:
        >>> import pipeline as pl
        >>> pl.zeros([2]).numpy().tolist()
        [0.0, 0.0]
    """
    return Tensor(np.zeros(_shape_tuple(shape), dtype=dtype))


def ones(shape: Any, dtype: Any = np.float32, name: str | None = None) -> Tensor:
    """``tf.ones`` (float32 by default).

    Example:
        >>> import pipeline as pl
        >>> pl.ones([1, 2], dtype=pl.int64).numpy().tolist()
        [[1, 1]]
    """
    return Tensor(np.ones(_shape_tuple(shape), dtype=dtype))


def _shape_tuple(shape: Any) -> tuple[int, ...]:
    return tuple(int(d) for d in np.asarray(shape, dtype=np.int64).reshape(-1))


def shape(input: Any, out_type: Any = np.int32, name=None) -> Tensor:  # noqa: A002
    """``tf.shape``: the dimensions as an int32 vector.

    Example:
        >>> import pipeline as pl
        >>> pl.shape(pl.zeros([2, 3])).numpy().tolist()
        [2, 3]
    """
    return Tensor(np.asarray(np.shape(np.asarray(input)), dtype=out_type))


def range(  # noqa: A001  (TensorFlow's name)
    start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name=None
) -> Tensor:
    """``tf.range``: int32 for int arguments, float32 for floats, as TF.

    Example:
        >>> import pipeline as pl
        >>> pl.range(3).numpy().tolist(), pl.range(1, 2, 0.5).dtype
        ([0, 1, 2], dtype('float32'))
    """
    if limit is None:
        start, limit = 0, start
    if dtype is None:
        args = (start, limit, delta)
        is_float = builtins.any(isinstance(a, float) for a in args)
        dtype = np.float32 if is_float else np.int32
    return Tensor(np.arange(start, limit, delta).astype(dtype))
