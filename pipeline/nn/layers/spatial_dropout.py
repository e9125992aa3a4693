"""Spatial dropout: drops whole feature maps (channels) instead of entries.

Example:
    >>> import numpy as np
    >>> x = np.ones((1, 3, 4), np.float32)
    >>> out = SpatialDropout1D(0.5, seed=0)(x, training=True)
    >>> bool((out.numpy()[:, 0] == out.numpy()[:, 2]).all())
    True
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers.regularization import Dropout
from pipeline.nn.layers.reshaping import _data_format


class _SpatialDropout(Dropout):
    _RANK = 3

    def __init__(
        self, rate: float, seed: Any = None, name: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if inputs.ndim != self._RANK:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"expected ndim={self._RANK}, found ndim={inputs.ndim}. "
                f"Full shape received: {inputs.shape}"
            )
        return super().call(inputs, training=training)

    def _noise_shape(self, inputs: Any) -> tuple:
        shape = inputs.shape
        if getattr(self, "data_format", "channels_last") == "channels_first":
            return (shape[0], shape[1]) + (1,) * (len(shape) - 2)
        return (shape[0],) + (1,) * (len(shape) - 2) + (shape[-1],)

    def get_config(self) -> dict[str, Any]:
        return {"rate": self.rate, "seed": self.seed, "name": self.name,
                "dtype": self.dtype}  # fmt: skip


class SpatialDropout1D(_SpatialDropout):
    """Drops whole channels of ``(batch, steps, channels)`` inputs in training.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        seed: optional int seed.

    Example:
        >>> SpatialDropout1D(0.3).rate
        0.3
    """


class _SpatialDropoutND(_SpatialDropout):
    def __init__(
        self,
        rate: float,
        data_format: Any = None,
        seed: Any = None,
        name: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = _data_format(data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout2D(_SpatialDropoutND):
    """Drops whole channels of 4-D (image) inputs in training.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        seed: optional int seed.

    Example:
        >>> SpatialDropout2D(0.3, data_format="channels_first").data_format
        'channels_first'
    """

    _RANK = 4


class SpatialDropout3D(_SpatialDropoutND):
    """Drops whole channels of 5-D (volume) inputs in training.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        seed: optional int seed.

    Example:
        >>> SpatialDropout3D(0.3).data_format
        'channels_last'
    """

    _RANK = 5
