"""The op helpers: wrap a forward result, record its backward, undo broadcasting.

Example:
    >>> import numpy as np
    >>> unbroadcast(np.ones((2, 3)), (3,)).tolist()
    [2.0, 2.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from pipeline.nn import backend, tape
from pipeline.nn.tensor import Tensor, to_array


def arr(x: Any) -> Any:
    """The backend array of a tensor; Python scalars pass through (weakly typed).

    Example:
        >>> arr(2.0)
        2.0
    """
    if isinstance(x, Tensor):
        return x._array
    if isinstance(x, bool | int | float):
        return x
    return to_array(x)


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of a tensor, array or scalar.

    Example:
        >>> shape_of(1.0)
        ()
    """
    return tuple(getattr(x, "shape", ()))


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sums ``grad`` over the axes that broadcasting added or stretched.

    Example:
        >>> import numpy as np
        >>> unbroadcast(np.ones((2, 3)), (2, 1)).tolist()
        [[3.0], [3.0]]
    """
    if tuple(grad.shape) == tuple(shape):
        return grad
    lead = grad.ndim - len(shape)
    if lead > 0:
        grad = grad.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


def apply(
    value: Any,
    inputs: Sequence[Any],
    vjp: Callable[[Any], Sequence[Any]] | None,
    rule: Callable[[Tensor, tuple[Any, ...], Tensor], Sequence[Any]] | None = None,
) -> Tensor:
    """A tensor of ``value``, with its backward recorded on any tape watching an input.

    Args:
        value: the forward result (a backend array or array-like).
        inputs: the op's inputs (tensors, arrays or Python numbers).
        vjp: the backward on arrays, ``vjp(upstream) -> one gradient per input``;
            None for an op without a gradient.
        rule: the same backward written with ops on tensors,
            ``rule(upstream, inputs, output)``, used for gradients taken under an
            outer tape (higher-order gradients). Default None.

    Example:
        >>> import numpy as np
        >>> apply(np.zeros(2), [], None).shape
        (2,)
    """
    out = Tensor.__new__(Tensor)
    out._array = value if backend.get().is_array(value) else to_array(value)
    out._keras_logits = None
    out._keras_mask = None
    if vjp is not None and tape.recording():
        tape.record(out, inputs, vjp, rule)
    return out


def ops_package() -> ModuleType:
    """The ``pipeline.nn.ops`` package, for a rule that needs an op of a module
    that imports this one.

    Example:
        >>> ops_package().__name__
        'pipeline.nn.ops'
    """
    import pipeline.nn.ops as package  # noqa: PLC0415  (the package imports us)

    return package


def constant(value: Any, dtype: Any = None, shape: Any = None) -> Tensor:
    """A constant tensor (Python floats become float32, ints int32).

    Args:
        value: array-like or tensor.
        dtype: optional numpy dtype.
        shape: optional shape to broadcast or reshape to.

    Example:
        >>> constant([1, 2]).dtype, constant(0.5, shape=(2,)).numpy().tolist()
        (dtype('int32'), [0.5, 0.5])
    """
    array = to_array(value, dtype)
    if shape is not None:
        shape = tuple(shape)
        if array.size == 1:
            array = backend.xp().broadcast_to(array.reshape(()), shape).copy()
        else:
            array = array.reshape(shape)
    return Tensor(array)
