"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax.

Example:
    >>> LeakyReLU()([-1.0]).numpy().tolist()
    [-0.30000001192092896]
"""

from __future__ import annotations

import warnings
from typing import Any

from pipeline.nn import activations, constraints, initializers, ops, regularizers
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor

# Keras's stand-in for minus infinity under a mask (float32 and wider).
_MASKED = -1e9


class _Elementwise(Layer):
    """A weightless layer whose output has its input's shape and mask."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True  # no weights: built at construction, as Keras

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


class ReLU(_Elementwise):
    """``min(max_value, x if x > threshold else negative_slope·(x - threshold))``.

    Args:
        max_value: optional cap (not negative). Default None.
        negative_slope: the slope below ``threshold`` (not negative). Default 0.
        threshold: where the slope changes (not negative). Default 0.

    Raises:
        ValueError: a negative ``max_value``; a None or negative
            ``negative_slope`` or ``threshold``.

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
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                "max_value of a ReLU layer cannot be a negative value. "
                f"Received: max_value={max_value}"
            )
        for name, value in (
            ("negative_slope", negative_slope),
            ("threshold", threshold),
        ):
            if value is None or value < 0.0:
                raise ValueError(
                    f"{name} of a ReLU layer cannot be None or a negative value. "
                    f"Received: {name}={value}"
                )
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


class LeakyReLU(_Elementwise):
    """``x if x > 0 else negative_slope·x``; the layer's default slope is 0.3.

    The deprecated ``alpha=`` keyword sets ``negative_slope`` (with a warning).

    Raises:
        ValueError: ``negative_slope`` is None or negative.

    Example:
        >>> LeakyReLU(negative_slope=0.5)([-2.0]).numpy().tolist()
        [-1.0]
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "Argument `alpha` is deprecated. Use `negative_slope` instead.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or "
                "negative value. Expected a float. "
                f"Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope

    def call(self, inputs: Any) -> Tensor:
        return ops.leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(Layer):
    """Leaky ReLU with a learned slope ``alpha`` per feature; ``shared_axes`` share it.

    Args:
        alpha_initializer: Default ``"zeros"``.
        alpha_regularizer: an optional penalty on ``alpha``.
        alpha_constraint: an optional constraint on ``alpha`` (applied after
            each optimizer update).
        shared_axes: axes (counted with the batch axis as 0) along which one
            slope is shared.

    Example:
        >>> PReLU(alpha_initializer="ones")([[-2.0, 3.0]]).numpy().tolist()
        [[-2.0, 3.0]]
    """

    def __init__(
        self,
        alpha_initializer: Any = "zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = resolve_regularizer(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is not None and not isinstance(shared_axes, list | tuple):
            shared_axes = [shared_axes]
        self.shared_axes = None if shared_axes is None else list(shared_axes)

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
        self.alpha.constraint = self.alpha_constraint
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
            "alpha_regularizer": _serialized(regularizers, self.alpha_regularizer),
            "alpha_constraint": _serialized(constraints, self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


def _serialized(module: Any, obj: Any) -> Any:
    return None if obj is None else module.serialize(obj)


class ELU(_Elementwise):
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


class Softmax(_Elementwise):
    """Softmax along ``axis`` (an int or a tuple; default -1).

    An optional ``mask`` (boolean, or numbers kept where ``> 0.5``) that
    broadcasts to the inputs excludes entries: they get probability 0, and a
    slice with every entry masked is all zeros.

    Raises:
        ValueError: the mask has more dimensions than the inputs or does not
            broadcast to them.

    Example:
        >>> Softmax()([[0.0, 0.0]]).numpy().tolist()
        [[0.5, 0.5]]
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs: Any, mask: Any = None) -> Tensor:
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        if mask is None:
            return ops.softmax(inputs, axis=axis)
        keep = _keep(inputs, mask)
        inputs = ops.where(keep, inputs, ops.constant(_MASKED, inputs.dtype))
        return ops.where(keep, ops.softmax(inputs, axis=axis), ops.zeros_like(inputs))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def _keep(inputs: Tensor, mask: Any) -> Any:
    keep = ops.convert_to_numpy(mask)
    got, want = tuple(keep.shape), tuple(inputs.shape)
    if len(got) > len(want):
        raise ValueError(
            "The `mask` must be broadcastable to `inputs` and must not have more "
            f"dimensions. Received: inputs.shape={want}, mask.shape={got}"
        )
    for m, i in zip(reversed(got), reversed(want), strict=False):
        if m != 1 and m != i:
            raise ValueError(
                "The `mask` must be broadcastable to `inputs`. Each mask dimension "
                "must be 1 or match the corresponding input dimension. Received: "
                f"inputs.shape={want}, mask.shape={got}"
            )
    return keep if keep.dtype == bool else keep > 0.5
