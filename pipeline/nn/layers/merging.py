"""Merge layers (lists of same-batch inputs): Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate and Dot.

Masks follow Keras 3: the output mask is the OR of the inputs' masks (None
when an input has none); Multiply, Maximum and Minimum also skip masked
entries of one input in favour of the other's.

Example:
    >>> from pipeline.nn import constant
    >>> Add()([constant([1.0]), constant([2.0])]).numpy().tolist()
    [3.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.nn import backend, ops
from pipeline.nn.layers.base import Layer
from pipeline.nn.tensor import Tensor


def _array(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._array
    if hasattr(x, "numpy") and not hasattr(x, "__array_interface__"):
        return backend.xp().asarray(x.numpy())
    return backend.xp().asarray(x)


def _check_mask_lists(inputs: Any, mask: Any) -> None:
    if not isinstance(mask, list | tuple):
        raise ValueError(f"`mask` should be a list. Received: mask={mask!r}")
    if not isinstance(inputs, list | tuple):
        raise ValueError(f"`inputs` should be a list. Received: inputs={inputs!r}")
    if len(mask) != len(inputs):
        raise ValueError(
            "The lists `inputs` and `mask` should have the same length. Received: "
            f"inputs of length {len(inputs)}, and mask of length {len(mask)}"
        )


class _Merge(Layer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check(self, inputs: Any) -> list[Any]:
        if not isinstance(inputs, list | tuple) or len(inputs) < 1:
            raise ValueError(
                f"A merge layer should be called on a list of inputs. "
                f"Received: inputs={inputs!r}"
            )
        batches = {x.shape[0] for x in inputs if getattr(x, "ndim", 0)}
        if len(batches) > 1:
            raise ValueError(
                "Cannot merge tensors with different batch sizes. Received tensors "
                f"with shapes {[tuple(x.shape) for x in inputs]}"
            )
        return list(inputs)

    def _merge(self, items: list[Any]) -> Tensor:
        raise NotImplementedError

    def call(self, inputs: Any) -> Tensor:
        return ops.convert_to_tensor(self._merge(self._check(inputs)))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The OR of the inputs' masks; None when any input has none.

        Raises:
            ValueError: when ``inputs`` or ``mask`` is not a list, or their
                lengths differ.

        Example:
            >>> Add().compute_mask([[1.0], [2.0]], [[True], [False]]).numpy().tolist()
            [True]
        """
        if mask is None:
            return None
        _check_mask_lists(inputs, mask)
        if any(m is None for m in mask):
            return None
        out = _array(mask[0]).astype(bool)
        for m in mask[1:]:
            out = backend.xp().logical_or(out, _array(m).astype(bool))
        return Tensor(out)

    def _fold_skipping_masked(self, items: list[Any], op: Callable) -> Tensor:
        """Folds ``op`` over ``items``; a masked entry takes the other operand."""
        xp = backend.xp()
        masks = [getattr(x, "_keras_mask", None) for x in items]
        out, out_mask = items[0], _expand(masks[0], items[0])
        for x, mask in zip(items[1:], masks[1:], strict=True):
            mask = _expand(mask, x)
            if mask is not None:
                x = ops.where(mask, x, out)
            if out_mask is not None:
                out = ops.where(out_mask, out, x)
            both = mask is not None and out_mask is not None
            out_mask = xp.logical_or(out_mask, mask) if both else None
            out = op(out, x)
        out = ops.convert_to_tensor(out)
        if out_mask is not None:
            out._keras_mask = Tensor(xp.any(out_mask, axis=-1))
        return out


def _expand(mask: Any, x: Any) -> Any:
    if mask is None:
        return None
    m = _array(mask).astype(bool)
    return backend.xp().broadcast_to(m[..., None], tuple(x.shape))


class Add(_Merge):
    """Elementwise sum of the inputs.

    Example:
        >>> from pipeline.nn import constant
        >>> Add()([constant([1.0]), constant([2.0]), constant([3.0])]).numpy().tolist()
        [6.0]
    """

    def _merge(self, items: list[Any]) -> Tensor:
        out = items[0]
        for item in items[1:]:
            out = ops.add(out, item)
        return out


class Subtract(_Merge):
    """``inputs[0] - inputs[1]`` (exactly two inputs).

    Example:
        >>> from pipeline.nn import constant
        >>> Subtract()([constant([5.0]), constant([2.0])]).numpy().tolist()
        [3.0]
    """

    def _merge(self, items: list[Any]) -> Tensor:
        if len(items) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: {len(items)} inputs"
            )
        return ops.subtract(items[0], items[1])


class Average(_Merge):
    """Elementwise mean of the inputs.

    Example:
        >>> from pipeline.nn import constant
        >>> Average()([constant([1.0]), constant([2.0])]).numpy().tolist()
        [1.5]
    """

    def _merge(self, items: list[Any]) -> Tensor:
        return ops.divide(Add._merge(self, items), float(len(items)))


class Multiply(_Merge):
    """Elementwise product of the inputs (a masked entry counts as 1).

    Example:
        >>> from pipeline.nn import constant
        >>> Multiply()([constant([2.0]), constant([3.0])]).numpy().tolist()
        [6.0]
    """

    def _merge(self, items: list[Any]) -> Tensor:
        xp = backend.xp()
        masks = [_expand(getattr(x, "_keras_mask", None), x) for x in items]
        out, out_mask = None, None
        all_masked = all(m is not None for m in masks)
        for x, mask in zip(items, masks, strict=True):
            if mask is not None:
                x = ops.where(mask, x, ops.ones_like(x))
                if all_masked:
                    out_mask = (
                        mask if out_mask is None else xp.logical_or(out_mask, mask)
                    )
            out = x if out is None else ops.multiply(out, x)
        out = ops.convert_to_tensor(out)
        if out_mask is not None:
            out = ops.where(out_mask, out, ops.zeros_like(out))
            out._keras_mask = Tensor(xp.any(out_mask, axis=-1))
        return out


class Maximum(_Merge):
    """Elementwise maximum of the inputs (masked entries are skipped).

    Example:
        >>> from pipeline.nn import constant
        >>> Maximum()([constant([1.0, 5.0]), constant([3.0, 2.0])]).numpy().tolist()
        [3.0, 5.0]
    """

    def _merge(self, items: list[Any]) -> Tensor:
        return self._fold_skipping_masked(items, ops.maximum)


class Minimum(_Merge):
    """Elementwise minimum of the inputs (masked entries are skipped).

    Example:
        >>> from pipeline.nn import constant
        >>> Minimum()([constant([1.0, 5.0]), constant([3.0, 2.0])]).numpy().tolist()
        [1.0, 2.0]
    """

    def _merge(self, items: list[Any]) -> Tensor:
        return self._fold_skipping_masked(items, ops.minimum)
