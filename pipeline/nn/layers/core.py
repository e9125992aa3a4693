"""Core layers: Dense, Activation, Identity (Embedding, Dropout, Flatten re-exported).

Example:
    >>> import numpy as np
    >>> layer = Dense(2, kernel_initializer="ones")
    >>> layer(np.ones((1, 3), np.float32)).numpy().tolist()
    [[3.0, 3.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import activations, constraints, initializers, ops
from pipeline.nn.layers._weights import (
    check_input_axis,
    constrain,
    refuse_unsupported,
    serialize_constraint,
    serialize_regularizer,
)
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.layers.embedding import Embedding
from pipeline.nn.layers.regularization import Dropout
from pipeline.nn.layers.reshaping import Flatten
from pipeline.nn.tensor import Tensor

__all__ = ["Activation", "Dense", "Dropout", "Embedding", "Flatten", "Identity"]


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``, as Keras 3's ``Dense``.

    Args:
        units: output size (a positive integer).
        activation: name or callable; None (default) is linear. It may be
            reassigned after construction (``layer.activation = None``).
        use_bias: whether to add a bias. Defaults to True.
        kernel_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional
            penalties (callables, names or configs of ``pl.nn.regularizers``).
        kernel_constraint, bias_constraint: optional ``pl.nn.constraints``
            (names, configs or callables), set as the variables' ``constraint``.
        **kwargs: base ``Layer`` arguments (``name``, ``trainable``, ``dtype``).

    Raises:
        ValueError: for a ``units`` that is not a positive integer, or (when
            called) inputs whose last axis differs from the built one.

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
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        refuse_unsupported(self, kwargs)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        valid = isinstance(units, int | np.integer) and not isinstance(units, bool)
        if not valid or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive "
                f"integer. Received: units={units}"
            )
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = resolve_regularizer(kernel_regularizer)
        self.bias_regularizer = resolve_regularizer(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True
        self.bias = None

    @property
    def activation(self) -> Any:
        """The activation function (assigning a name or None resolves it)."""
        return self._activation

    @activation.setter
    def activation(self, value: Any) -> None:
        self._activation = activations.get(value)

    def build(self, input_shape: Any) -> None:
        self.kernel = constrain(
            self.add_weight(
                shape=(input_shape[-1], self.units),
                initializer=self.kernel_initializer,
                regularizer=self.kernel_regularizer,
                name="kernel",
            ),
            self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = constrain(
                self.add_weight(
                    shape=(self.units,),
                    initializer=self.bias_initializer,
                    regularizer=self.bias_regularizer,
                    name="bias",
                ),
                self.bias_constraint,
            )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        check_input_axis(self, inputs, -1, self.kernel.shape[0])
        if inputs.dtype != self.kernel.dtype:
            inputs = ops.cast(inputs, self.kernel.dtype)
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
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": serialize_constraint(self.kernel_constraint),
            "bias_constraint": serialize_constraint(self.bias_constraint),
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
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return self.activation(inputs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "activation": activations.serialize(self.activation)}  # fmt: skip


class Identity(Layer):
    """Returns its input unchanged (a placeholder layer; masks pass through).

    Example:
        >>> Identity()([1.0, 2.0]).numpy().tolist()
        [1.0, 2.0]
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return inputs
