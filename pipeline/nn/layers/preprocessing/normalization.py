"""``Normalization``: feature-wise standardization with ``adapt`` (Keras 3's).

Example:
    >>> import numpy as np
    >>> from pipeline.nn import layers
    >>> layer = layers.Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 3.0]))
    >>> layer(np.array([1.0, 3.0])).numpy().tolist()
    [-1.0, 1.0]
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.layers.base import Layer
from pipeline.nn.layers.preprocessing._common import as_numpy
from pipeline.nn.tensor import Tensor

_EPSILON = 1e-7


def _first_of(batch: Any) -> Any:
    """The features of an ``(x, y)`` or ``(x, y, weights)`` batch."""
    return batch[0] if isinstance(batch, tuple) else batch


class Normalization(Layer):
    """Shifts and scales inputs to mean 0 and variance 1 per ``axis`` entry.

    The statistics come from ``mean`` and ``variance`` or from ``adapt``,
    which reads an array in one go, or an iterable of batches (a list of
    arrays, a generator, a ``pl.data.Dataset``) in one streaming pass.

    Args:
        axis: the axis or axes that keep separate statistics (default -1);
            None gives one scalar mean and variance.
        mean: optional mean, broadcast from the right over the kept axes.
        variance: optional variance, given with ``mean``.
        invert: apply the inverse transformation (``x * std + mean``).
        **kwargs: ``name``, ``dtype``.

    Example:
        >>> Normalization(mean=2.0, variance=4.0)([[4.0]]).numpy().tolist()
        [[1.0]]
    """

    def __init__(
        self,
        axis: Any = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape: tuple | None = None
        self._fixed: tuple[Tensor, Tensor] | None = None
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must "
                f"be set. Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must "
                    f"have the same shape. Received: mean shape {np.shape(mean)} "
                    f"and variance shape {np.shape(variance)}"
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number "
                    f"of axes ({len(self.axis)}). Received: mean shape "
                    f"{np.shape(mean)} for axis {self.axis}"
                )

    def build(self, input_shape: Any) -> None:
        """Checks ``axis`` against ``input_shape`` and creates the statistics."""
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                "All `axis` values must be in the range [-ndim, ndim). Received "
                f"inputs with ndim={ndim}, while axis={self.axis}"
            )
        keep = tuple(sorted(a % ndim for a in self.axis))
        for d in keep:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have a known shape. "
                    f"Received axis={self.axis}, inputs.shape={input_shape}, "
                    f"with unknown axis at index {d}"
                )
        self._build_input_shape = input_shape
        self._keep_axis = keep
        self._reduce_axis = tuple(d for d in range(ndim) if d not in keep)
        self._broadcast_shape = tuple(
            input_shape[d] if d in keep else 1 for d in range(ndim)
        )
        self._stats_shape = tuple(input_shape[d] for d in keep)
        if self.input_mean is None:
            self._add_statistics()
            self.built = True
            self.finalize_state()
            return
        self._fixed = (
            Tensor(self._broadcast(self.input_mean)),
            Tensor(self._broadcast(self.input_variance)),
        )
        self.built = True

    def _add_statistics(self) -> None:
        shape = self._stats_shape
        self.adapt_mean = self.add_weight(
            name="mean", shape=shape, initializer="zeros", trainable=False
        )
        self.adapt_variance = self.add_weight(
            name="variance", shape=shape, initializer="ones", trainable=False
        )
        self.count = self.add_weight(
            name="count", shape=(), dtype="int64", initializer="zeros", trainable=False
        )

    def _broadcast(self, value: Any) -> np.ndarray:
        value = np.asarray(value, dtype=self.dtype)
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        return np.broadcast_to(value.reshape(expanded), self._broadcast_shape).copy()

    @property
    def mean(self) -> Tensor | None:
        """The mean in the broadcast shape (None before the layer is built)."""
        return self._statistic(0)

    @property
    def variance(self) -> Tensor | None:
        """The variance in the broadcast shape (None before the layer is built)."""
        return self._statistic(1)

    def _statistic(self, which: int) -> Tensor | None:
        if self._fixed is not None:
            return self._fixed[which]
        if not self.built or self._build_input_shape is None:
            return None
        var = self.adapt_mean if which == 0 else self.adapt_variance
        return Tensor(np.reshape(var.numpy(), self._broadcast_shape))

    def finalize_state(self) -> None:
        """Kept for Keras compatibility: the statistics are read at each call."""

    def adapt(self, data: Any) -> None:
        """Computes ``mean`` and ``variance`` from ``data``.

        Args:
            data: a numpy array or tensor (one batch), or an iterable of
                batches (a list of arrays, a generator, a ``pl.data.Dataset``);
                ``(x, y)`` batches use ``x``.

        Raises:
            ValueError: an empty iterable, or data whose kept axes differ from
                the built shape.
            TypeError: an iterable yielding values without ``.shape``.

        Example:
            >>> layer = Normalization()
            >>> layer.adapt([np.array([[0.0], [2.0]])])
            >>> layer.mean.numpy().tolist(), layer.variance.numpy().tolist()
            ([[1.0]], [[1.0]])
        """
        single = isinstance(data, np.ndarray | Tensor) or hasattr(data, "numpy")
        if single:
            first = as_numpy(data)
            stream: Any = None
        elif hasattr(data, "__iter__"):
            first, stream = self._first_batch(data)
        else:
            raise TypeError(
                f"Unsupported data type: {type(data)}. `adapt` supports "
                "`np.ndarray`, tensors and iterables of batches (e.g. list, "
                "generator, `pl.data.Dataset`)."
            )
        self._check_or_build(tuple(first.shape))
        if stream is None:
            mean = first.mean(axis=self._reduce_axis)
            var = first.var(axis=self._reduce_axis)
        else:
            mean, var = self._streaming_moments(stream)
        self.adapt_mean.assign(np.asarray(mean, dtype=self.dtype))
        self.adapt_variance.assign(np.asarray(var, dtype=self.dtype))
        self.finalize_state()

    def _first_batch(self, data: Any) -> tuple[np.ndarray, Any]:
        it = iter(data)
        first = next(it, None)
        if first is None:
            raise ValueError(
                "adapt() received an empty iterable (no batches). Expected at "
                "least one batch, e.g. layer.adapt([x])."
            )
        first = _first_of(first)
        if not hasattr(first, "shape"):
            raise TypeError(
                "adapt() expects an iterable that yields arrays or tensors with "
                f"a `.shape` attribute. Got an element of type {type(first).__name__}."
            )
        array = as_numpy(first)
        return array, itertools.chain([array], it)

    def _check_or_build(self, shape: tuple) -> None:
        if not self.built:
            self.build(shape)
            return
        if self.input_mean is not None:
            raise ValueError(
                "Cannot adapt a Normalization layer given `mean` and `variance`."
            )
        if len(shape) != len(self._build_input_shape) or any(
            shape[d] != self._build_input_shape[d] for d in self._keep_axis
        ):
            raise ValueError(
                f"The layer was built with input_shape={self._build_input_shape}, "
                "but adapt() is being called with data with an incompatible "
                f"shape, data.shape={shape}"
            )

    def _streaming_moments(self, stream: Any) -> tuple[np.ndarray, np.ndarray]:
        total_mean = np.zeros(self._stats_shape)
        total_var = np.zeros(self._stats_shape)
        total = 0
        for batch in stream:
            batch = as_numpy(_first_of(batch)).astype(np.float64)
            if any(
                batch.shape[d] != self._build_input_shape[d] for d in self._keep_axis
            ):
                raise ValueError(
                    "adapt() yielded a batch with incompatible shape. Expected "
                    f"{self._build_input_shape}, got {tuple(batch.shape)}."
                )
            n = math.prod(batch.shape[d] for d in self._reduce_axis)
            if n == 0:
                continue
            b_mean = batch.mean(axis=self._reduce_axis)
            b_var = batch.var(axis=self._reduce_axis)
            total += n
            w = n / total
            new_mean = total_mean * (1 - w) + b_mean * w
            total_var = (total_var + (total_mean - new_mean) ** 2) * (1 - w) + (
                b_var + (b_mean - new_mean) ** 2
            ) * w
            total_mean = new_mean
        return total_mean, total_var

    def call(self, inputs: Any) -> Tensor:
        """``(x - mean) / std`` (or its inverse), ``std`` at least 1e-7."""
        if self.mean is None:  # unbuilt: called with no shape
            raise ValueError(
                "You must call `.build(input_shape)` on the layer before using it."
            )
        x = ops.cast(inputs, self.dtype)
        mean = self.mean.numpy().astype(self.dtype)
        std = np.maximum(np.sqrt(self.variance.numpy()), _EPSILON).astype(self.dtype)
        if self.invert:
            return ops.add(ops.multiply(x, std), mean)
        return ops.divide(ops.subtract(x, mean), std)

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape.

        Example:
            >>> Normalization().compute_output_shape((None, 3))
            (None, 3)
        """
        return input_shape

    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``axis``, ``invert``, ``mean`` and ``variance``."""
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist()}  # fmt: skip
