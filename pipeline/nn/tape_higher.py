"""The recorded backward walk: gradients that an outer tape can differentiate.

:meth:`GradientTape.gradient` comes here when another tape is recording. The
walk is the same as the plain one, but upstream gradients are tensors and each
op's backward is its ``rule`` (built from ops), so every step is recorded on
the outer tape; accumulation is an ``add`` op for the same reason.

Example:
    >>> from pipeline.nn import GradientTape, Variable
    >>> x = Variable(3.0)
    >>> with GradientTape() as outer:
    ...     with GradientTape() as inner:
    ...         y = x * x * x
    ...     dy = inner.gradient(y, x)
    >>> float(dy), float(outer.gradient(dy, x))
    (27.0, 18.0)
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from pipeline.nn import backend
from pipeline.nn.tensor import IndexedSlices, Tensor, to_array


def _ops() -> ModuleType:
    import pipeline.nn.ops as ops_package  # noqa: PLC0415  (ops import the tape)

    return ops_package


def _as_tensor(grad: Any) -> Tensor:
    if isinstance(grad, Tensor):
        return grad
    if isinstance(grad, IndexedSlices):
        return Tensor(grad.to_dense())
    return Tensor(grad)


def _seed(target: Tensor, upper: Any) -> Tensor:
    xp = backend.xp()
    if upper is None:
        return Tensor(xp.ones_like(target._array))
    if not isinstance(upper, Tensor):
        return Tensor(xp.broadcast_to(to_array(upper, target.dtype), target.shape))
    if upper.dtype != target.dtype:
        upper = _ops().cast(upper, target.dtype)
    if upper.shape != target.shape:
        upper = upper + Tensor(xp.zeros(target.shape, target.dtype))
    return upper


def _add(grads: dict[int, Tensor], key: int, grad: Any) -> None:
    grad = _as_tensor(grad)
    previous = grads.get(key)
    grads[key] = grad if previous is None else previous + grad


def _backward(record: tuple[Any, ...], upstream: Tensor, tracked: set[int]) -> Any:
    output, inputs, vjp, rule = record
    if rule is not None:
        return rule(upstream, inputs, output)
    # No rule: the array backward gives the right value, as a constant.
    if getattr(vjp, "takes_needs", False):
        return vjp(upstream._array, [id(i) in tracked for i in inputs])
    return vjp(upstream._array)


def backprop(tape: Any, targets: list[Any], uppers: Any) -> dict[int, Any]:
    """Gradients of ``targets`` keyed by ``id(tensor)``, every step recorded.

    Args:
        tape: the :class:`~pipeline.nn.tape.GradientTape` whose records to walk.
        targets: flat list of target tensors (other entries are ignored).
        uppers: flat list of upstream gradients, one per target, or None for
            ones.

    Returns:
        A dict from ``id`` of each reached tensor to its gradient tensor.

    Example:
        >>> from pipeline.nn import GradientTape, Variable
        >>> with GradientTape() as tape:
        ...     y = Variable(2.0) * 3.0
        >>> float(backprop(tape, [y], None)[id(y)])
        1.0
    """
    grads: dict[int, Tensor] = {}
    for i, target in enumerate(targets):
        if isinstance(target, Tensor):
            _add(
                grads, id(target), _seed(target, None if uppers is None else uppers[i])
            )
    return tape._walk(grads, _backward, _add)


def source_grad(grads: dict[int, Any], source: Any, unconnected: str) -> Any:
    """The gradient tensor of ``source``: its shape and dtype, still recorded.

    Example:
        >>> from pipeline.nn import constant
        >>> source_grad({}, constant([1.0]), "zero").numpy().tolist()
        [0.0]
    """
    g = grads.get(id(source))
    if g is None:
        if unconnected == "zero":
            return Tensor(backend.xp().zeros_like(source._array))
        return None
    if g.shape != source.shape:
        g = g + Tensor(backend.xp().zeros(source.shape, g.dtype))
    if g.dtype != source.dtype:
        g = _ops().cast(g, source.dtype)
    return g
