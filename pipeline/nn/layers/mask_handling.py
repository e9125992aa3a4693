"""Keras 3's masks for layers: ``supports_masking``, ``compute_mask``, and
how a call passes its inputs' masks to ``call`` and on to its outputs.

A mask rides on a tensor as ``tensor._keras_mask`` (a boolean array over the
leading axes, or None).

Example:
    >>> import numpy as np
    >>> from pipeline.nn import ops
    >>> from pipeline.nn.layers import Layer
    >>> x = ops.convert_to_tensor(np.ones((2, 3)))
    >>> x._keras_mask = np.array([True, False])
    >>> class Double(Layer):
    ...     supports_masking = True
    ...     def call(self, inputs):
    ...         return ops.multiply(inputs, 2.0)
    >>> Double()(x)._keras_mask.tolist()
    [True, False]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers import _symbolic, call_context
from pipeline.nn.tensor import Tensor


class MaskHandling:
    """The mask methods of :class:`~pipeline.nn.layers.Layer`.

    Example:
        >>> from pipeline.nn.layers import Layer
        >>> Layer().supports_masking
        False
    """

    _call_params: list[str]
    _call_has_mask: bool

    @property
    def supports_masking(self) -> bool:
        """Whether the layer passes masks on (Keras: it overrides ``compute_mask``)."""
        value = self.__dict__.get("_supports_masking")
        if value is None:
            return type(self).compute_mask is not MaskHandling.compute_mask
        return value

    @supports_masking.setter
    def supports_masking(self, value: bool) -> None:
        self.__dict__["_supports_masking"] = bool(value)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The mask of the outputs for ``inputs`` (by default the input's mask).

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> Layer().compute_mask([1.0], None) is None
            True
        """
        return previous_mask

    def _populate_masks(self, inputs: Any, args: tuple, kwargs: dict) -> Any:
        """Passes the inputs' masks to ``call`` as Keras 3 does; returns the
        mask the outputs inherit (an explicit ``mask=``, else the input's)."""
        if not args and not kwargs and type(inputs) is Tensor:  # the common call
            previous_mask = inputs._keras_mask
            if self._call_has_mask and previous_mask is not None:
                kwargs["mask"] = previous_mask
            return previous_mask
        if kwargs.get("mask") is not None:
            return kwargs["mask"]
        previous_mask = call_context.mask_of(inputs)
        others = {k: v for k, v in kwargs.items() if k != "training"}
        if args or others:
            named = dict(zip(self._call_params, (inputs, *args), strict=False))
            named.update(others)
            tensors = call_context.tensor_arguments(named)
            if len(tensors) > 1:
                for name, value in tensors.items():
                    key = f"{name}_mask"
                    if key in self._call_params and named.get(key) is None:
                        masks = call_context.mask_of(value)
                        if any(m is not None for m in call_context.flat_masks(masks)):
                            kwargs[key] = masks
                return previous_mask
        if self._call_has_mask and any(
            m is not None for m in call_context.flat_masks(previous_mask)
        ):
            kwargs["mask"] = previous_mask
        return previous_mask

    def _set_output_masks(self, inputs: Any, outputs: Any, previous_mask: Any) -> None:
        if (
            previous_mask is None
            and type(self).compute_mask is MaskHandling.compute_mask
        ):
            return  # the default rule passes on no mask
        flat_outputs = [o for o in _symbolic.flatten(outputs) if isinstance(o, Tensor)]
        if not flat_outputs or all(o._keras_mask is not None for o in flat_outputs):
            return
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for tensor, mask in zip(
            flat_outputs, call_context.flat_masks(masks), strict=False
        ):
            if tensor._keras_mask is None and mask is not None:
                tensor._keras_mask = mask
