"""Regularization layers: Dropout and ActivityRegularization.

Example:
    >>> Dropout(0.5)([1.0, 2.0]).numpy().tolist()
    [1.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import backend, ops
from pipeline.nn.layers.base import Layer
from pipeline.nn.tensor import Tensor

_NOISE_SHAPE = "Invalid value received for argument `noise_shape`. "


def check_noise_shape(noise_shape: Any) -> tuple | None:
    """``noise_shape`` as a tuple of positive ints and Nones (None stays None).

    Raises:
        ValueError: for a non-sequence, a non-integer entry, or a dimension
            that is not positive (Keras's messages).

    Example:
        >>> check_noise_shape([None, 1, 4])
        (None, 1, 4)
    """
    if noise_shape is None:
        return None
    if not isinstance(noise_shape, tuple | list):
        raise ValueError(
            f"{_NOISE_SHAPE}Expected a tuple or list of integers. "
            f"Received: noise_shape={noise_shape!r}"
        )
    dims = tuple(noise_shape)
    for d in dims:
        if d is not None and (
            not isinstance(d, int | np.integer) or isinstance(d, bool)
        ):
            raise ValueError(
                f"{_NOISE_SHAPE}Expected all elements to be integers or None. "
                f"Received: noise_shape={dims}"
            )
    if any(d is not None and d <= 0 for d in dims):
        raise ValueError(
            f"{_NOISE_SHAPE}Expected all dimensions to be positive integers or "
            f"None. Received: noise_shape={dims}"
        )
    return tuple(None if d is None else int(d) for d in dims)


class Dropout(Layer):
    """Zeroes entries with probability ``rate`` in training, scaling the rest up.

    With ``training`` False or None (inference, ``predict``) the output is the
    input. In training, each kept entry becomes ``x / (1 - rate)``.

    Args:
        rate: fraction to drop, a float in [0, 1].
        noise_shape: optional shape of the keep/drop mask, broadcast against
            the input; None entries take the input's size (``(None, 1, None)``
            drops the same features at every step).
        seed: optional int seed for reproducible masks.

    Raises:
        ValueError: for a ``rate`` outside [0, 1] or a malformed ``noise_shape``.

    Example:
        >>> Dropout(0.5, noise_shape=[None, 1]).noise_shape
        (None, 1)
    """

    def __init__(
        self, rate: float, noise_shape: Any = None, seed: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(rate, int | float | np.number) or not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float "
                f"value between 0 and 1. Received: rate={rate}"
            )
        self.rate, self.seed = float(rate), seed
        self.noise_shape = check_noise_shape(noise_shape)
        self._rng = np.random.default_rng(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.rate >= 1:
            return ops.multiply(inputs, 0.0)
        keep = self._rng.random(self._noise_shape(inputs)) >= self.rate
        scale = np.asarray(keep / (1.0 - self.rate), dtype=inputs.dtype)
        return ops.multiply(inputs, backend.xp().asarray(scale))

    def _noise_shape(self, inputs: Any) -> tuple:
        return tuple(
            inputs.shape[i] if d is None else d
            for i, d in enumerate(self.noise_shape or inputs.shape)
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape (dropout keeps it).

        Example:
            >>> Dropout(0.1).compute_output_shape((None, 3))
            (None, 3)
        """
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate,
                "seed": self.seed, "noise_shape": self.noise_shape}  # fmt: skip


class ActivityRegularization(Layer):
    """Returns its input and adds ``l1·Σ|x| + l2·Σx²`` of it to ``losses``.

    Args:
        l1: the L1 factor. Default 0.0.
        l2: the L2 factor. Default 0.0.

    Example:
        >>> import numpy as np
        >>> layer = ActivityRegularization(l1=0.2, l2=0.3)
        >>> _ = layer(2 * np.ones((1,), np.float32))
        >>> round(float(layer.losses[0]), 4)
        1.6
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        from pipeline.nn import regularizers  # noqa: PLC0415  (imports layers' base)

        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape.

        Example:
            >>> ActivityRegularization().compute_output_shape((None, 3))
            (None, 3)
        """
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}


def _check_unit_interval(name: str, value: Any) -> float:
    if not isinstance(value, int | float | np.number) or not 0 <= value <= 1:
        raise ValueError(
            f"Invalid value received for argument `{name}`. Expected a float "
            f"value between 0 and 1. Received: {name}={value}"
        )
    return float(value)


class GaussianNoise(Layer):
    """Adds zero-mean Gaussian noise of ``stddev`` in training (identity otherwise).

    Args:
        stddev: the noise's standard deviation, in [0, 1].
        seed: optional int seed.

    Raises:
        ValueError: for a ``stddev`` outside [0, 1].

    Example:
        >>> GaussianNoise(0.1)([1.0, 2.0]).numpy().tolist()
        [1.0, 2.0]
    """

    def __init__(self, stddev: float, seed: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stddev = _check_unit_interval("stddev", stddev)
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        if not training or self.stddev == 0:
            return inputs
        noise = self._rng.normal(0.0, self.stddev, inputs.shape).astype(inputs.dtype)
        return ops.add(inputs, backend.xp().asarray(noise))

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape.

        Example:
            >>> GaussianNoise(0.1).compute_output_shape((None, 3))
            (None, 3)
        """
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(Layer):
    """Multiplies by 1-centered Gaussian noise of std ``sqrt(rate / (1 - rate))``
    in training (identity otherwise).

    Args:
        rate: the drop probability it mimics, in [0, 1].
        seed: optional int seed.

    Raises:
        ValueError: for a ``rate`` outside [0, 1].

    Example:
        >>> GaussianDropout(0.2)([1.0, 2.0]).numpy().tolist()
        [1.0, 2.0]
    """

    def __init__(self, rate: float, seed: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rate = _check_unit_interval("rate", rate)
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        stddev = float(np.sqrt(self.rate / (1.0 - self.rate)))
        noise = self._rng.normal(1.0, stddev, inputs.shape).astype(inputs.dtype)
        return ops.multiply(inputs, backend.xp().asarray(noise))

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape.

        Example:
            >>> GaussianDropout(0.1).compute_output_shape((None, 3))
            (None, 3)
        """
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


# SELU's constants: AlphaDropout keeps SELU activations' mean and variance.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Dropout):
    """Dropout for SELU networks: dropped entries become SELU's negative
    saturation, then an affine map restores the input's mean and variance.

    Args:
        rate: fraction to drop, in [0, 1].
        noise_shape: optional shape of the keep/drop mask (None entries take
            the input's size).
        seed: optional int seed.

    Example:
        >>> AlphaDropout(0.2)([1.0, 2.0]).numpy().tolist()
        [1.0, 2.0]
    """

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        keep = self._rng.random(self._noise_shape(inputs)) >= self.rate
        keep = backend.xp().asarray(keep.astype(inputs.dtype))
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        dropped = ops.add(ops.multiply(inputs, keep), alpha_p * (1 - keep))
        return ops.add(ops.multiply(dropped, a), b)
