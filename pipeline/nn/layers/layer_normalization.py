"""LayerNormalization: normalizes each sample over its feature axes (Keras 3).

Example:
    >>> import numpy as np
    >>> out = LayerNormalization()(np.array([[1.0, 3.0]], np.float32))
    >>> np.round(out.numpy(), 3).tolist()
    [[-1.0, 1.0]]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn import constraints, initializers, ops
from pipeline.nn.layers._weights import (
    constrain,
    serialize_constraint,
    serialize_regularizer,
)
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor


def _check_axis(axis: Any) -> Any:
    if isinstance(axis, list | tuple):
        return list(axis)
    if isinstance(axis, int | np.integer) and not isinstance(axis, bool):
        return int(axis)
    raise TypeError(
        "Expected an int or a list/tuple of ints for the argument 'axis', "
        f"but received: {axis!r}"
    )


class LayerNormalization(Layer):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` over ``axis`` per sample.

    Args:
        axis: an int or a list of ints: the axes normalized together (and
            the shape of gamma and beta). Defaults to -1.
        epsilon: added to the variance. Defaults to 1e-3.
        center, scale: whether to use beta and gamma. Default True.
        beta_initializer, gamma_initializer: zeros and ones by default.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint:
            optional.
        rms_scaling: deprecated in Keras (kept for its configs): no centering,
            ``x / sqrt(var + epsilon) * gamma``.

    Raises:
        TypeError: for an ``axis`` that is neither an int nor a list of ints.

    Example:
        >>> LayerNormalization(axis=[-2, -1]).compute_output_shape((None, 2, 3))
        (None, 2, 3)
    """

    def __init__(
        self,
        axis: Any = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        rms_scaling = bool(kwargs.pop("rms_scaling", False))
        if rms_scaling:
            warnings.warn(
                "`rms_scaling=True` is deprecated (Keras): it scales by the "
                "variance, not the root mean square.",
                UserWarning,
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = _check_axis(axis)
        self.epsilon, self.center, self.scale = epsilon, center, scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = resolve_regularizer(beta_regularizer)
        self.gamma_regularizer = resolve_regularizer(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape: Any) -> None:
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
        else:
            self.axis = [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        if self.scale or self.rms_scaling:
            self.gamma = constrain(self.add_weight(
                shape, self.gamma_initializer, name="gamma",
                regularizer=self.gamma_regularizer), self.gamma_constraint)  # fmt: skip
        if self.center and not self.rms_scaling:
            self.beta = constrain(self.add_weight(
                shape, self.beta_initializer, name="beta",
                regularizer=self.beta_regularizer), self.beta_constraint)  # fmt: skip
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        ndim = inputs.ndim
        axes = tuple(sorted(a % ndim for a in self.axis))
        if inputs.dtype.kind != "f":
            inputs = ops.cast(inputs, "float32")
        shape = [inputs.shape[i] if i in axes else 1 for i in range(ndim)]
        mean = ops.mean(inputs, axis=axes, keepdims=True)
        var = ops.mean(ops.square(ops.subtract(inputs, mean)), axis=axes, keepdims=True)
        inv = ops.divide(1.0, ops.sqrt(ops.add(var, self.epsilon)))
        if self.rms_scaling:
            return ops.multiply(
                ops.multiply(inputs, inv), ops.reshape(self.gamma, shape)
            )
        out = ops.multiply(ops.subtract(inputs, mean), inv)
        if self.gamma is not None:
            out = ops.multiply(out, ops.reshape(self.gamma, shape))
        if self.beta is not None:
            out = ops.add(out, ops.reshape(self.beta, shape))
        return out

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape (an ``axis`` out of its range is a ``ValueError``).

        Example:
            >>> LayerNormalization().compute_output_shape((None, 4))
            (None, 4)
        """
        rank = len(input_shape)
        for axis in self.axis if isinstance(self.axis, list) else [self.axis]:
            if not -rank <= axis < rank:
                raise ValueError(
                    f"Axis {axis} is out of bounds for input shape {input_shape}. "
                    f"Received: axis={self.axis}"
                )
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": serialize_constraint(self.beta_constraint),
            "gamma_constraint": serialize_constraint(self.gamma_constraint),
        }
