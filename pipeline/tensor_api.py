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

from pipeline.errors import InvalidArgumentError
from pipeline.nn import ops
from pipeline.nn.tape import GradientTape
from pipeline.nn.tensor import Tensor, Variable
from pipeline.tensor_reductions import (
    argmax,
    argmin,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
)

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
    "fingerprint",
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


def fingerprint(data: Any, method: str = "farmhash64", name=None) -> np.ndarray:
    """``tf.fingerprint``: one 8-byte FarmHash fingerprint per row (uint8 [n, 8]).

    A numeric row is fingerprinted by its little-endian bytes; a string row of
    one string by the string, of several by their fingerprints' bytes, as TF.

    Example:
        >>> import pipeline as pl
        >>> pl.fingerprint([b"abc", b"de"]).shape
        (2, 8)
    """
    if method != "farmhash64":
        raise InvalidArgumentError(f"Unsupported fingerprint method: {method}")
    from pipeline.strings import fingerprint64

    array = np.asarray(data)
    if array.ndim == 0:
        raise InvalidArgumentError("`data` should have at least one dimension")
    rows = array.reshape(array.shape[0], int(np.prod(array.shape[1:])))
    if array.dtype.kind in "OSU":
        rows = rows.astype(object)
        if rows.shape[1] != 1:
            prints = fingerprint64(rows.reshape(-1)).astype("<u8").reshape(rows.shape)
            keys = np.empty(rows.shape[0], dtype=object)
            keys[:] = [p.tobytes() for p in prints]
        else:
            keys = rows[:, 0]
    else:
        little = rows.astype(rows.dtype.newbyteorder("<"))
        keys = np.empty(rows.shape[0], dtype=object)
        keys[:] = [row.tobytes() for row in little]
    out = fingerprint64(keys).astype("<u8") if keys.size else np.zeros(0, "<u8")
    return out.view(np.uint8).reshape(-1, 8)
