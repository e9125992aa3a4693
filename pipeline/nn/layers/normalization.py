"""BatchNormalization with Keras 3's training and inference behaviour.

Example:
    >>> import numpy as np
    >>> bn = BatchNormalization()
    >>> bn(np.ones((4, 2), np.float32), training=True).shape
    (4, 2)
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import initializers, ops
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor


class BatchNormalization(Layer):
    """Normalizes over the batch (training) or with moving statistics (inference).

    Training: ``mean`` and the biased ``var`` over every axis but ``axis``;
    ``y = (x - mean) / sqrt(var + epsilon) * gamma + beta``; then
    ``moving = moving * momentum + stat * (1 - momentum)``. Inference uses the
    moving statistics. Weights: gamma, beta, moving_mean, moving_variance.

    Args:
        axis: the feature axis. Defaults to -1.
        momentum: defaults to 0.99. epsilon: defaults to 1e-3.
        center, scale: whether to use beta and gamma. Default True.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: zeros, ones, zeros, ones by default.
        beta_regularizer, gamma_regularizer: optional penalties.

    Example:
        >>> [w.name for w in BatchNormalization().weights]
        []
    """

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale = center, scale
        self._inits = [initializers.get(i) for i in (
            gamma_initializer, beta_initializer,
            moving_mean_initializer, moving_variance_initializer)]  # fmt: skip
        self._regs = [resolve_regularizer(gamma_regularizer),
                      resolve_regularizer(beta_regularizer)]  # fmt: skip

    def build(self, input_shape: Any) -> None:
        shape = (input_shape[self.axis],)
        gamma_init, beta_init, mean_init, var_init = self._inits
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(shape, gamma_init, name="gamma",
                                         regularizer=self._regs[0])  # fmt: skip
        if self.center:
            self.beta = self.add_weight(shape, beta_init, name="beta",
                                        regularizer=self._regs[1])  # fmt: skip
        self.moving_mean = self.add_weight(
            shape, mean_init, trainable=False, name="moving_mean"
        )
        self.moving_variance = self.add_weight(
            shape, var_init, trainable=False, name="moving_variance"
        )
        self.built = True

    def _broadcast(self, v: Any, ndim: int) -> Any:
        axis = self.axis % ndim
        shape = [1] * ndim
        shape[axis] = -1
        return ops.reshape(v, shape)

    def call(self, inputs: Any, training: Any = None) -> Tensor:
        ndim = inputs.ndim
        axis = self.axis % ndim
        reduce_axes = tuple(i for i in range(ndim) if i != axis)
        if training and self.trainable:
            mean = ops.mean(inputs, axis=reduce_axes, keepdims=True)
            var = ops.mean(ops.square(ops.subtract(inputs, mean)), axis=reduce_axes,
                           keepdims=True)  # fmt: skip
            self._update(self.moving_mean, ops.reshape(mean, (-1,)))
            self._update(self.moving_variance, ops.reshape(var, (-1,)))
        else:
            mean = self._broadcast(self.moving_mean, ndim)
            var = self._broadcast(self.moving_variance, ndim)
        out = ops.divide(
            ops.subtract(inputs, mean), ops.sqrt(ops.add(var, self.epsilon))
        )
        if self.gamma is not None:
            out = ops.multiply(out, self._broadcast(self.gamma, ndim))
        if self.beta is not None:
            out = ops.add(out, self._broadcast(self.beta, ndim))
        return out

    def _update(self, moving: Any, stat: Tensor) -> None:
        m = moving.dtype.type(self.momentum)
        moving.assign(moving.value * m + stat._array * (1 - m))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale}  # fmt: skip
