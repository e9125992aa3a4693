"""Core layers: Dense, Embedding, Activation, Flatten, Dropout.

Example:
    >>> import numpy as np
    >>> layer = Dense(2, kernel_initializer="ones")
    >>> layer(np.ones((1, 3), np.float32)).numpy().tolist()
    [[3.0, 3.0]]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn import activations, backend, initializers, ops
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor


def _serialize_regularizer(reg: Any) -> Any:
    if reg is None:
        return None
    get_config = getattr(reg, "get_config", None)
    config = get_config() if get_config else {}
    return {"class_name": type(reg).__name__, "config": config}


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``, as Keras 3's ``Dense``.

    Args:
        units: output size.
        activation: name or callable; None (default) is linear.
        use_bias: whether to add a bias. Defaults to True.
        kernel_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional
            penalties (callables, names or configs of ``pl.nn.regularizers``).
        **kwargs: base ``Layer`` arguments (``name``, ``trainable``, ``dtype``).

    Example:
        >>> Dense(3).compute_output_shape((None, 5))
        (None, 3)
    """

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int | np.integer) or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive "
                f"integer. Received: units={units}"
            )
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = resolve_regularizer(kernel_regularizer)
        self.bias_regularizer = resolve_regularizer(bias_regularizer)

    def build(self, input_shape: Any) -> None:
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                name="bias",
            )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        if self.activation is activations.relu:
            return ops.linear(inputs, self.kernel, self.bias, activation="relu")
        return self.activation(ops.linear(inputs, self.kernel, self.bias))

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": _serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": _serialize_regularizer(self.bias_regularizer),
            "activity_regularizer": _serialize_regularizer(self.activity_regularizer),
        }


class Embedding(Layer):
    """Rows of a ``(input_dim, output_dim)`` table, looked up by integer ids.

    The gradient of the table is an ``IndexedSlices``: optimizers update only
    the rows a batch touched, as TensorFlow does.

    Args:
        input_dim: vocabulary size.
        output_dim: embedding width.
        embeddings_initializer: defaults to ``"uniform"`` (RandomUniform(-0.05, 0.05)).
        embeddings_regularizer: optional penalty.
        **kwargs: base ``Layer`` arguments.

    Example:
        >>> Embedding(10, 4)([[1, 2, 3]]).shape
        (1, 3, 4)
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("input_length", None)
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        if embeddings_initializer == "uniform":
            embeddings_initializer = "random_uniform"
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = resolve_regularizer(embeddings_regularizer)

    def build(self, input_shape: Any = None) -> None:
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            name="embeddings",
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        ids = inputs._array if isinstance(inputs, Tensor) else inputs
        return ops.take(self.embeddings, backend.xp().asarray(ids).astype("int64"))

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(
                self.embeddings_initializer
            ),
        }


class Activation(Layer):
    """Applies an activation function (a name or a callable).

    Example:
        >>> Activation("relu")([-1.0, 1.0]).numpy().tolist()
        [0.0, 1.0]
    """

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs: Any) -> Tensor:
        return self.activation(inputs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "activation": activations.serialize(self.activation)}  # fmt: skip


class Flatten(Layer):
    """Flattens every axis but the batch axis.

    Example:
        >>> Flatten()([[[1.0, 2.0], [3.0, 4.0]]]).shape
        (1, 4)
    """

    def __init__(self, data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def call(self, inputs: Any) -> Tensor:
        batch = inputs.shape[0]
        rest = math.prod(inputs.shape[1:])
        return ops.reshape(inputs, (batch, rest))


class Dropout(Layer):
    """Zeroes entries with probability ``rate`` in training, scaling the rest up.

    With ``training`` False or None (inference, ``predict``) the output is the
    input. In training, each kept entry becomes ``x / (1 - rate)``.

    Args:
        rate: fraction to drop, in [0, 1).
        noise_shape: optional broadcastable mask shape.
        seed: optional int seed for reproducible masks.

    Example:
        >>> Dropout(0.5)([1.0, 2.0]).numpy().tolist()
        [1.0, 2.0]
    """

    def __init__(
        self, rate: float, noise_shape: Any = None, seed: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float "
                f"value between 0 and 1. Received: rate={rate}"
            )
        self.rate, self.noise_shape, self.seed = float(rate), noise_shape, seed
        self._rng = np.random.default_rng(seed)

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        shape = tuple(
            inputs.shape[i] if d is None else d
            for i, d in enumerate(self.noise_shape or inputs.shape)
        )
        keep = self._rng.random(shape) >= self.rate
        scale = np.asarray(keep / (1.0 - self.rate), dtype=inputs.dtype)
        return ops.multiply(inputs, backend.xp().asarray(scale))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate,
                "noise_shape": self.noise_shape, "seed": self.seed}  # fmt: skip
