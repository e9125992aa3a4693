"""The ``Masking`` layer: marks the timesteps whose features all equal a value.

Example:
    >>> import numpy as np
    >>> x = np.array([[[0.0, 0.0], [1.0, 2.0]]], np.float32)
    >>> Masking()(x)._keras_mask.numpy().tolist()
    [[False, True]]
"""

from __future__ import annotations

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


class Masking(Layer):
    """Masks timesteps (axis -2 entries) whose every feature equals ``mask_value``.

    The output is the input with masked timesteps set to 0; it carries the
    boolean mask ``any(x != mask_value, axis=-1)`` as ``_keras_mask``, which the
    layers after it receive as ``mask=``.

    Args:
        mask_value: the padding value. Defaults to 0.0.

    Example:
        >>> Masking(mask_value=1.0).compute_mask([[[1.0], [2.0]]]).numpy().tolist()
        [[False, True]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs: Any, mask: Any = None) -> Tensor:
        """``any(inputs != mask_value, axis=-1)``.

        Example:
            >>> Masking().compute_mask([[[0.0], [3.0]]]).numpy().tolist()
            [[False, True]]
        """
        return Tensor(backend.xp().any(_array(inputs) != self.mask_value, axis=-1))

    def call(self, inputs: Any) -> Tensor:
        keep = backend.xp().any(
            _array(inputs) != self.mask_value, axis=-1, keepdims=True
        )
        outputs = ops.where(keep, inputs, ops.zeros_like(inputs))
        outputs._keras_mask = Tensor(keep[..., 0])
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape.

        Example:
            >>> Masking().compute_output_shape((None, 3, 2))
            (None, 3, 2)
        """
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
