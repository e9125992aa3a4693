"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax.

Example:
    >>> LeakyReLU()([-1.0]).numpy().tolist()
    [-0.30000001192092896]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import activations, initializers, ops
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor


class ReLU(Layer):
    """``min(max_value, x if x >= threshold else negative_slope·(x - threshold))``.

    Args:
        max_value: optional cap. negative_slope: defaults to 0. threshold:
        defaults to 0.

    Example:
        >>> ReLU(max_value=1.0)([-1.0, 0.5, 3.0]).numpy().tolist()
        [0.0, 0.5, 1.0]
    """

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_value, self.negative_slope = max_value, negative_slope
        self.threshold = threshold

    def call(self, inputs: Any) -> Tensor:
        return activations.relu(
            inputs, self.negative_slope, self.max_value, self.threshold
        )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope,
                "threshold": self.threshold}  # fmt: skip


class LeakyReLU(Layer):
    """``x if x > 0 else negative_slope·x``; the layer's default slope is 0.3.

    Example:
        >>> LeakyReLU(negative_slope=0.5)([-2.0]).numpy().tolist()
        [-1.0]
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        kwargs.pop("alpha", None)
        super().__init__(**kwargs)
        self.negative_slope = negative_slope

    def call(self, inputs: Any) -> Tensor:
        return ops.leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(Layer):
    """Leaky ReLU with a learned slope ``alpha`` per feature; ``shared_axes`` share it.

    Example:
        >>> PReLU(alpha_initializer="ones")([[-2.0, 3.0]]).numpy().tolist()
        [[-2.0, 3.0]]
    """

    def __init__(
        self,
        alpha_initializer: Any = "zeros",
        alpha_regularizer: Any = None,
        shared_axes: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = resolve_regularizer(alpha_regularizer)
        if shared_axes is not None and not isinstance(shared_axes, list | tuple):
            shared_axes = [shared_axes]
        self.shared_axes = shared_axes

    def build(self, input_shape: Any) -> None:
        shape = list(input_shape[1:])
        for ax in self.shared_axes or []:
            shape[ax - 1] = 1
        self.alpha = self.add_weight(
            shape=tuple(shape),
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            name="alpha",
        )
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        positive = ops.relu(inputs)
        negative = ops.multiply(
            self.alpha, ops.negative(ops.relu(ops.negative(inputs)))
        )
        return ops.add(positive, negative)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "shared_axes": self.shared_axes,
        }


class ELU(Layer):
    """``x if x > 0 else alpha·(exp(x) - 1)`` (alpha defaults to 1.0).

    Example:
        >>> ELU()([1.0]).numpy().tolist()
        [1.0]
    """

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs: Any) -> Tensor:
        return ops.elu(inputs, self.alpha)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(Layer):
    """Softmax along ``axis`` (default -1); an optional boolean ``mask`` argument.

    Example:
        >>> Softmax()([[0.0, 0.0]]).numpy().tolist()
        [[0.5, 0.5]]
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs: Any, mask: Any = None) -> Tensor:
        if mask is not None:
            keep = ops.convert_to_tensor(mask)._array.astype(bool)
            inputs = ops.add(inputs, ops.constant((~keep) * -1e9, "float32"))
        return ops.softmax(inputs, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
