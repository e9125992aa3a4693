"""Reverse-mode autodiff: :class:`GradientTape` records ops, then walks them back.

Every op in :mod:`pipeline.nn.ops` calls :func:`record` with its output, its
inputs, a ``vjp`` closure (the primitive's backward on backend arrays, written
beside its forward) and a ``rule`` (the same backward written with recorded
ops). A tape keeps a record only when one of the inputs is watched, so code
outside any tape pays nothing.

Higher-order gradients: when ``gradient`` runs while another tape is recording,
the backward walk uses the rules, so the gradients it returns are recorded on
the outer tape and can be differentiated again. Otherwise it uses the array
``vjp``s and records nothing (plain training pays nothing for this).

Example:
    >>> from pipeline.nn import Variable, ops
    >>> w = Variable(3.0)
    >>> with GradientTape() as tape:
    ...     y = ops.multiply(w, w)
    >>> float(tape.gradient(y, w))
    6.0
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.errors import FailedPreconditionError
from pipeline.nn import backend
from pipeline.nn import tape_higher as _higher
from pipeline.nn.tensor import IndexedSlices, Tensor, Variable, to_array

_local = threading.local()


def _active() -> list[GradientTape]:
    tapes = getattr(_local, "tapes", None)
    if tapes is None:
        tapes = _local.tapes = []
    return tapes


def recording() -> bool:
    """Whether any tape is recording on this thread.

    Example:
        >>> recording()
        False
    """
    return bool(getattr(_local, "tapes", None))


def record(
    output: Tensor,
    inputs: Sequence[Any],
    vjp: Callable[[Any], Sequence[Any]],
    rule: Callable[[Tensor, tuple[Any, ...], Tensor], Sequence[Any]] | None = None,
) -> None:
    """Records ``output = op(*inputs)`` on every active tape that watches an input.

    ``vjp(upstream)`` returns one gradient per input (a backend array, an
    :class:`IndexedSlices`, or None where no gradient flows). A ``vjp`` with a
    true ``takes_needs`` attribute is called as ``vjp(upstream, needs)`` with
    one bool per input, and may skip (return None for) unneeded gradients.

    ``rule(upstream, inputs, output)`` is the same backward built from ops on
    tensors (one tensor or None per input); it is used only for a gradient
    taken under an outer tape. An op recorded without a rule gives a correct
    gradient there too, but the outer tape sees it as a constant.

    Example:
        >>> record(Tensor(1.0), [Tensor(1.0)], lambda g: [g])  # no tape: no-op
    """
    for tape in _active():
        tape._record(output, inputs, vjp, rule)


def _flatten(structure: Any) -> list[Any]:
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten(structure[key])]
    if isinstance(structure, list | tuple):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _flat_tensors(structure: Any) -> list[Any] | None:
    """A plain list of tensors as a new list (a list's own leaves, no copy of
    the structure needed), else None.

    Example:
        >>> _flat_tensors([Tensor(1.0)]) is not None, _flat_tensors(Tensor(1.0))
        (True, None)
    """
    if type(structure) is list and all(isinstance(s, Tensor) for s in structure):
        return list(structure)
    return None


def _rebuild(structure: Any, leaves: list[Any]) -> Any:
    if isinstance(structure, dict):
        return {key: _rebuild(structure[key], leaves) for key in sorted(structure)}
    if isinstance(structure, list | tuple):
        items = [_rebuild(item, leaves) for item in structure]
        return type(structure)(items) if isinstance(structure, tuple) else items
    return leaves.pop(0)


def _densify(grad: Any) -> Any:
    return grad.to_dense() if isinstance(grad, IndexedSlices) else grad


def _array_backward(record: tuple[Any, ...], upstream: Any, tracked: set[int]) -> Any:
    _, inputs, vjp, _ = record
    if isinstance(upstream, IndexedSlices):
        upstream = upstream.to_dense()
    if getattr(vjp, "takes_needs", False):
        return vjp(upstream, [id(i) in tracked for i in inputs])
    return vjp(upstream)


def _accumulate(grads: dict[int, Any], key: int, grad: Any) -> None:
    previous = grads.get(key)
    if previous is None:
        grads[key] = grad
    elif isinstance(previous, IndexedSlices) and isinstance(grad, IndexedSlices):
        xp = backend.xp()
        grads[key] = IndexedSlices(
            xp.concatenate([previous.values, grad.values]),
            xp.concatenate([previous.indices, grad.indices]),
            previous.dense_shape,
        )
    else:
        grads[key] = _densify(previous) + _densify(grad)


class GradientTape:
    """Records operations to compute gradients, as ``tf.GradientTape``.

    Args:
        persistent: allow several ``gradient`` calls. Defaults to False.
        watch_accessed_variables: watch every trainable ``Variable`` an op reads
            inside the tape. Defaults to True.

    Example:
        >>> from pipeline.nn import constant, ops
        >>> x = constant([1.0, 2.0])
        >>> with GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = ops.sum(ops.square(x))
        >>> tape.gradient(y, x).numpy().tolist()
        [2.0, 4.0]
    """

    def __init__(
        self, persistent: bool = False, watch_accessed_variables: bool = True
    ) -> None:
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._watched: dict[int, Tensor] = {}
        self._tracked: set[int] = set()
        self._records: list[tuple[Tensor, tuple[Any, ...], Callable, Any]] = []
        self._used = False

    def __enter__(self) -> GradientTape:
        _active().append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        tapes = _active()
        if self in tapes:
            tapes.remove(self)

    def watch(self, tensor: Any) -> None:
        """Watches a tensor (or a nested structure of tensors).

        Example:
            >>> from pipeline.nn import constant
            >>> with GradientTape() as tape:
            ...     tape.watch(constant(1.0))
        """
        for leaf in _flatten(tensor):
            if not isinstance(leaf, Tensor):
                raise TypeError(f"`watch` takes tensors. Received: {type(leaf)}")
            self._watched[id(leaf)] = leaf
            self._tracked.add(id(leaf))

    def watched_variables(self) -> list[Variable]:
        """The variables this tape watches, in watch order.

        Example:
            >>> GradientTape().watched_variables()
            []
        """
        return [t for t in self._watched.values() if isinstance(t, Variable)]

    def _record(
        self, output: Tensor, inputs: Sequence[Any], vjp: Callable, rule: Any
    ) -> None:
        hit = False
        for item in inputs:
            if not isinstance(item, Tensor):
                continue
            key = id(item)
            if key in self._tracked:
                hit = True
            elif (
                self.watch_accessed_variables
                and isinstance(item, Variable)
                and item.trainable
            ):
                self._watched[key] = item
                self._tracked.add(key)
                hit = True
        if hit:
            self._tracked.add(id(output))
            self._records.append((output, tuple(inputs), vjp, rule))

    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: str = "none",
    ) -> Any:
        """Gradients of ``target`` (a tensor or a list of tensors, summed).

        Args:
            target: a tensor or a nested structure of tensors.
            sources: a tensor/variable or a nested structure of them.
            output_gradients: upstream gradients, one per target; ones if None.
            unconnected_gradients: ``"none"`` (None for unconnected sources) or
                ``"zero"``.

        Returns:
            Tensors of the sources' shapes in the sources' structure (an
            ``IndexedSlices`` for a source read by a row lookup), None where
            unconnected.

        Raises:
            FailedPreconditionError: a second call on a non-persistent tape.

        Example:
            >>> from pipeline.nn import Variable, ops
            >>> a, b = Variable(2.0), Variable(5.0)
            >>> with GradientTape() as tape:
            ...     y = a * 3.0
            >>> [None if g is None else float(g) for g in tape.gradient(y, [a, b])]
            [3.0, None]
        """
        if self._used and not self.persistent:
            raise FailedPreconditionError(
                "A non-persistent GradientTape can only be used to compute one set "
                "of gradients. Use GradientTape(persistent=True) for more."
            )
        self._used = True
        targets = _flatten(target)
        uppers = None if output_gradients is None else _flatten(output_gradients)
        if any(tape is not self for tape in _active()):
            grads = _higher.backprop(self, targets, uppers)
            source_grad = _higher.source_grad
        else:
            grads = self._backprop(targets, uppers)
            source_grad = self._source_grad
        flat = _flat_tensors(sources)
        leaves = [
            source_grad(grads, s, unconnected_gradients)
            for s in (_flatten(sources) if flat is None else flat)
        ]
        if not self.persistent:
            self._records = []
        return leaves if flat is not None else _rebuild(sources, leaves)

    def _backprop(self, targets: list[Any], uppers: Any) -> dict[int, Any]:
        xp = backend.xp()
        grads: dict[int, Any] = {}
        for i, t in enumerate(targets):
            if not isinstance(t, Tensor):
                continue
            if uppers is None:  # a fresh array of ones: no read-only view needed
                seed = xp.ones_like(t._array)
            else:  # the caller's array: only ever read, through a read-only view
                seed = xp.broadcast_to(to_array(uppers[i], t.dtype), t.shape)
            _accumulate(grads, id(t), seed)
        return self._walk(grads, _array_backward, _accumulate)

    def _walk(
        self, grads: dict[int, Any], backward: Callable, add: Callable
    ) -> dict[int, Any]:
        """The reverse walk both gradient paths share, from the seeded ``grads``.

        ``backward(record, upstream, tracked)`` gives one gradient (or None)
        per input of a record; ``add(grads, key, grad)`` accumulates one. The
        records are copied first: a recorded backward may append to them.
        """
        tracked = self._tracked
        for record in self._records[::-1]:
            upstream = grads.get(id(record[0]))
            if upstream is None:
                continue
            grads_in = backward(record, upstream, tracked)
            for item, g in zip(record[1], grads_in, strict=True):
                if g is not None and id(item) in tracked:
                    add(grads, id(item), g)
        return grads

    @staticmethod
    def _source_grad(grads: dict[int, Any], source: Any, unconnected: str) -> Any:
        g = grads.get(id(source))
        if g is None:
            if unconnected == "zero":
                return Tensor(backend.xp().zeros_like(source._array))
            return None
        if isinstance(g, IndexedSlices):
            return g
        if tuple(g.shape) != source.shape:
            g = backend.xp().broadcast_to(g, source.shape)
        return Tensor(g, source.dtype)
