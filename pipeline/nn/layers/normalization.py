"""BatchNormalization with Keras 3's training, inference, masking and renorm.

Example:
    >>> import numpy as np
    >>> bn = BatchNormalization()
    >>> bn(np.ones((4, 2), np.float32), training=True).shape
    (4, 2)
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import backend, constraints, initializers, ops
from pipeline.nn.layers import _batchnorm_math as bnm
from pipeline.nn.layers._weights import (
    constrain,
    serialize_constraint,
    serialize_regularizer,
)
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor


class BatchNormalization(Layer):
    """Normalizes over the batch (training) or with moving statistics (inference).

    Training: ``mean`` and the biased ``var`` over every axis but ``axis``
    (masked entries excluded when a mask comes in);
    ``y = (x - mean) / sqrt(var + epsilon) * gamma + beta``; then
    ``moving = moving * momentum + stat * (1 - momentum)``. Inference uses the
    moving statistics. Weights: gamma, beta, moving_mean, moving_variance
    (with ``renorm``: also moving_stddev, renorm_mean, renorm_stddev).

    Args:
        axis: the feature axis. Defaults to -1.
        momentum: defaults to 0.99. epsilon: defaults to 1e-3.
        center, scale: whether to use beta and gamma. Default True.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: zeros, ones, zeros, ones by default.
        beta_regularizer, gamma_regularizer: optional penalties.
        beta_constraint, gamma_constraint: optional constraints.
        renorm: batch renormalization (Ioffe 2017): in training the batch
            statistics are corrected by ``r = std / renorm_std`` and
            ``d = (mean - renorm_mean) / renorm_std`` (no gradient through
            them). Defaults to False.
        renorm_clipping: optional dict with keys ``rmax``, ``rmin``, ``dmax``
            clipping ``r`` and ``d``.
        renorm_momentum: momentum of the renorm statistics. Defaults to 0.99.
        synchronized: accepted for Keras compatibility (one device here).

    Raises:
        ValueError: for unknown ``renorm_clipping`` keys, ``rmax < rmin`` or a
            negative ``dmax``.

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
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        renorm: bool = False,
        renorm_clipping: Any = None,
        renorm_momentum: float = 0.99,
        synchronized: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.axis, self.momentum, self.epsilon = (
            int(axis),
            float(momentum),
            float(epsilon),
        )
        self.center, self.scale, self.synchronized = center, scale, synchronized
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_initializer = initializers.get(beta_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.gamma_regularizer = resolve_regularizer(gamma_regularizer)
        self.beta_regularizer = resolve_regularizer(beta_regularizer)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.beta_constraint = constraints.get(beta_constraint)
        self.renorm = renorm
        if renorm:
            renorm_clipping = bnm.check_renorm_clipping(renorm_clipping or {})
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape: Any) -> None:
        shape = (input_shape[self.axis],)
        if self.scale:
            self.gamma = constrain(self.add_weight(
                shape, self.gamma_initializer, name="gamma",
                regularizer=self.gamma_regularizer), self.gamma_constraint)  # fmt: skip
        if self.center:
            self.beta = constrain(self.add_weight(
                shape, self.beta_initializer, name="beta",
                regularizer=self.beta_regularizer), self.beta_constraint)  # fmt: skip
        self.moving_mean = self.add_weight(
            shape, self.moving_mean_initializer, trainable=False, name="moving_mean"
        )
        self.moving_variance = self.add_weight(
            shape, self.moving_variance_initializer, trainable=False,
            name="moving_variance")  # fmt: skip
        if self.renorm:
            stddev = bnm.sqrt_of(self.moving_variance_initializer)
            self.moving_stddev = self.add_weight(
                shape, stddev, trainable=False, name="moving_stddev"
            )
            self.renorm_mean = self.add_weight(
                shape, self.moving_mean_initializer, trainable=False, name="renorm_mean"
            )
            self.renorm_stddev = self.add_weight(
                shape, stddev, trainable=False, name="renorm_stddev"
            )
        self.built = True

    def _broadcast(self, v: Any, ndim: int) -> Any:
        shape = [1] * ndim
        shape[self.axis % ndim] = -1
        return ops.reshape(v, shape)

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Tensor:
        ndim = inputs.ndim
        if mask is not None and len(tuple(mask.shape)) != ndim - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. "
                f"Received: mask.shape={tuple(mask.shape)}, inputs.shape={inputs.shape}"
            )
        if inputs.dtype.kind != "f":
            inputs = ops.cast(inputs, "float32")
        gamma = None if self.gamma is None else self._broadcast(self.gamma, ndim)
        beta = None if self.beta is None else self._broadcast(self.beta, ndim)
        if training and self.trainable:
            mean, var = bnm.moments(inputs, self.axis % ndim, mask)
            if self.renorm:
                gamma, beta = bnm.renorm_transform(self, mean, var, gamma, beta, ndim)
                bnm.update_renorm_statistics(self, mean, var)
            else:
                self._update(self.moving_mean, mean)
                self._update(self.moving_variance, var)
        else:
            mean = self._broadcast(self.moving_mean, ndim)
            var = self._broadcast(self.moving_variance, ndim)
        out = ops.divide(
            ops.subtract(inputs, mean), ops.sqrt(ops.add(var, self.epsilon))
        )
        if gamma is not None:
            out = ops.multiply(out, gamma)
        if beta is not None:
            out = ops.add(out, beta)
        return out

    def _update(self, moving: Any, stat: Tensor) -> None:
        m = moving.dtype.type(self.momentum)
        value = backend.xp().reshape(stat._array, (-1,)).astype(moving.dtype)
        moving.assign(moving.value * m + value * (1 - m))

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape.

        Example:
            >>> BatchNormalization().compute_output_shape((None, 3))
            (None, 3)
        """
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(
                self.moving_mean_initializer
            ),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer
            ),
            "beta_regularizer": serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": serialize_constraint(self.beta_constraint),
            "gamma_constraint": serialize_constraint(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
