"""Python operators on symbolic tensors: ``x + y``, ``x * 2``, ``-x``, ``x[:, 1:]``.

Each operator on a :class:`~pipeline.nn.layers._symbolic.KerasTensor` becomes a
call of a :class:`TensorOp`, an operation node of the functional graph (as
Keras 3's ``keras.ops`` calls are): it is replayed by the model, listed among
the config's layers (so it saves and reloads), but not in ``model.layers``.

Example:
    >>> import numpy as np
    >>> from pipeline.nn.layers import Input
    >>> x = Input((3,))
    >>> y = (x * 2 + 1)[:, 1:]
    >>> y.shape
    (None, 2)
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.nn.layers.base import Layer
from pipeline.nn.tensor import Tensor


def _compare(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Tensor]:
    return lambda a, b: Tensor(fn(np.asarray(a), np.asarray(b)))


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "subtract": operator.sub,
    "multiply": operator.mul,
    "divide": operator.truediv,
    "matmul": operator.matmul,
    "power": operator.pow,
    "floor_divide": _compare(operator.floordiv),
    "mod": _compare(operator.mod),
    "less": _compare(operator.lt),
    "less_equal": _compare(operator.le),
    "greater": _compare(operator.gt),
    "greater_equal": _compare(operator.ge),
    "not_equal": _compare(operator.ne),
    "logical_and": _compare(np.logical_and),
    "logical_or": _compare(np.logical_or),
    "logical_xor": _compare(np.logical_xor),
}
_UNARY: dict[str, Callable[[Any], Any]] = {
    "negative": operator.neg,
    "absolute": operator.abs,
    "logical_not": lambda a: Tensor(np.logical_not(np.asarray(a))),
    "round": lambda a: Tensor(np.round(np.asarray(a))),
}


def encode_key(key: Any) -> Any:
    """An indexing key (ints, slices, None, Ellipsis, tuples) as JSON data.

    Example:
        >>> encode_key((slice(None), None, 1))
        [{'slice': [None, None, None]}, {'newaxis': True}, 1]
    """
    if isinstance(key, tuple):
        return [encode_key(k) for k in key]
    if isinstance(key, slice):
        return {"slice": [key.start, key.stop, key.step]}
    if key is None:
        return {"newaxis": True}
    if key is Ellipsis:
        return {"ellipsis": True}
    if isinstance(key, int | np.integer) and not isinstance(key, bool):
        return int(key)
    raise TypeError(
        "Symbolic tensors can be indexed with ints, slices, None and Ellipsis. "
        f"Received: key={key!r}"
    )


def decode_key(data: Any) -> Any:
    """The inverse of :func:`encode_key`.

    Example:
        >>> decode_key([{'slice': [1, None, None]}, {'ellipsis': True}])
        (slice(1, None, None), Ellipsis)
    """
    if isinstance(data, list):
        return tuple(decode_key(d) for d in data)
    if isinstance(data, dict) and isinstance(data.get("slice"), list):
        start, stop, step = (_int_or_none(v) for v in data["slice"])
        return slice(start, stop, step)
    if isinstance(data, dict) and data.get("newaxis") is True:
        return None
    if isinstance(data, dict) and data.get("ellipsis") is True:
        return Ellipsis
    return _int_or_none(data)


def _int_or_none(value: Any) -> int | None:
    if value is None or (type(value) is int):
        return value
    raise ValueError(f"Expected an int or None in an indexing key. Received: {value!r}")


class TensorOp(Layer):
    """One operator applied to symbolic tensors, as a graph operation.

    Args:
        op: the operation's name (``"add"``, ``"negative"``, ``"getitem"``...).
        constant: the non-tensor operand of a binary op (a number or nested
            list), if any.
        swapped: whether the constant is the left operand (``2 - x``).
        key: the indexing key of ``"getitem"``, as :func:`encode_key` writes it.
        name: optional name.

    Example:
        >>> TensorOp("subtract", constant=1.0, swapped=True)([3.0]).numpy().tolist()
        [-2.0]
    """

    def __init__(
        self,
        op: str,
        constant: Any = None,
        swapped: bool = False,
        key: Any = None,
        **kwargs: Any,
    ) -> None:
        if op not in _BINARY and op not in _UNARY and op != "getitem":
            raise ValueError(f"Unknown tensor operation: {op!r}")
        kwargs.setdefault("name", None)
        kwargs["name"] = kwargs["name"] or _auto_name(op)
        super().__init__(**kwargs)
        self.op = op
        self.constant = None if constant is None else _constant(constant)
        self.swapped = bool(swapped)
        self.key = key

    def call(self, inputs: Any) -> Any:
        if self.op == "getitem":
            return inputs[decode_key(self.key)]
        if self.op in _UNARY:
            return _UNARY[self.op](inputs)
        if isinstance(inputs, list | tuple):
            left, right = inputs
        elif self.swapped:
            left, right = Tensor(np.asarray(self.constant, inputs.dtype)), inputs
        else:
            left, right = inputs, Tensor(np.asarray(self.constant, inputs.dtype))
        return _BINARY[self.op](left, right)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {"op": self.op, "constant": self.constant, "swapped": self.swapped,
             "key": self.key}
        )  # fmt: skip
        return config


def _auto_name(op: str) -> str:
    from pipeline.nn.layers.base import unique_name  # noqa: PLC0415

    return unique_name(op)


def _constant(value: Any) -> Any:
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"Unsupported operand for a symbolic tensor: {type(value).__name__}"
        )
    return array.tolist()


def binary(op: str, left: Any, right: Any, swapped: bool = False) -> Any:
    """``left <op> right`` where ``left`` is symbolic (``right`` may be too).

    Example:
        >>> from pipeline.nn.layers import Input
        >>> binary("add", Input((2,)), 1.0).shape
        (None, 2)
    """
    from pipeline.nn.layers._symbolic import KerasTensor  # noqa: PLC0415

    if isinstance(right, KerasTensor):
        pair = [right, left] if swapped else [left, right]
        return TensorOp(op)(pair)
    return TensorOp(op, constant=_constant(right), swapped=swapped)(left)


def unary(op: str, tensor: Any) -> Any:
    """``op(tensor)`` for a symbolic tensor.

    Example:
        >>> from pipeline.nn.layers import Input
        >>> unary("negative", Input((2,))).shape
        (None, 2)
    """
    return TensorOp(op)(tensor)


def getitem(tensor: Any, key: Any) -> Any:
    """``tensor[key]`` for a symbolic tensor.

    Example:
        >>> from pipeline.nn.layers import Input
        >>> getitem(Input((4,)), (slice(None), slice(1, 3))).shape
        (None, 2)
    """
    return TensorOp("getitem", key=encode_key(key))(tensor)
