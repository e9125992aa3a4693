"""The arithmetic of ``BatchNormalization``: masked moments and batch renorm.

Example:
    >>> import numpy as np
    >>> mean, var = moments(np.array([[1.0], [3.0]], np.float32), 1, None)
    >>> mean.numpy().tolist(), var.numpy().tolist()
    ([[2.0]], [[1.0]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.nn import backend, ops
from pipeline.nn.tensor import Tensor

# Keras's ``backend.epsilon()``: a fully masked batch gives 0, not NaN.
_EPSILON = 1e-7
_CLIP_KEYS = ("rmax", "rmin", "dmax")


def check_renorm_clipping(clipping: dict[str, Any]) -> dict[str, Any]:
    """``clipping`` if its keys and values are valid (Keras's checks).

    Raises:
        ValueError: for keys other than rmax/rmin/dmax, rmax < rmin, dmax < 0.

    Example:
        >>> check_renorm_clipping({"rmax": 3.0})
        {'rmax': 3.0}
    """
    unknown = set(clipping) - set(_CLIP_KEYS)
    if unknown:
        raise ValueError(
            "Received invalid keys for `renorm_clipping` argument: "
            f"{clipping}. Supported values: {list(_CLIP_KEYS)}."
        )
    rmax, rmin, dmax = (clipping.get(k) for k in _CLIP_KEYS)
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError(
            "rmax should be greater than rmin in the `renorm_clipping` argument. "
            f"Received: rmax={rmax}, rmin={rmin}."
        )
    if dmax is not None and dmax < 0:
        raise ValueError(
            "dmax should be non-negative in the `renorm_clipping` argument. "
            f"Received: dmax={dmax}."
        )
    return clipping


def sqrt_of(initializer: Callable[..., Any]) -> Callable[..., Any]:
    """An initializer giving the square root of ``initializer``'s values.

    Example:
        >>> sqrt_of(lambda shape, dtype=None: np.full(shape, 4.0))((2,)).tolist()
        [2.0, 2.0]
    """

    def init(shape: Any, dtype: Any = None) -> Any:
        return np.sqrt(np.asarray(initializer(shape, dtype=dtype)))

    return init


def moments(inputs: Any, axis: int, mask: Any) -> tuple[Tensor, Tensor]:
    """Mean and biased variance over every axis but ``axis`` (kept as size 1).

    With ``mask`` (one dim less than ``inputs``, broadcast over the last axis)
    only the unmasked entries count.

    Example:
        >>> m, v = moments(np.array([[1.0], [5.0]], np.float32), 1, np.array([1, 0]))
        >>> round(float(m.numpy()[0, 0]), 4), round(float(v.numpy()[0, 0]), 4)
        (1.0, 0.0)
    """
    inputs = ops.convert_to_tensor(inputs)
    reduce_axes = tuple(i for i in range(inputs.ndim) if i != axis)
    if mask is None:
        mean = ops.mean(inputs, axis=reduce_axes, keepdims=True)
        diff = ops.subtract(inputs, mean)
        return mean, ops.mean(ops.square(diff), axis=reduce_axes, keepdims=True)
    xp = backend.xp()
    m = mask._array if isinstance(mask, Tensor) else xp.asarray(np.asarray(mask))
    weights = xp.broadcast_to(m.astype(bool)[..., None], inputs.shape)
    weights = weights.astype(inputs.dtype)
    count = weights.sum(axis=reduce_axes, keepdims=True) + inputs.dtype.type(_EPSILON)
    total = ops.sum(ops.multiply(inputs, weights), axis=reduce_axes, keepdims=True)
    mean = ops.divide(total, count)
    diff = ops.multiply(ops.subtract(inputs, mean), weights)
    var = ops.divide(ops.sum(ops.square(diff), axis=reduce_axes, keepdims=True), count)
    return mean, var


def _shaped(variable: Any, like: Tensor) -> Any:
    return backend.xp().reshape(variable.value, like.shape)


def renorm_transform(
    layer: Any, mean: Tensor, var: Tensor, gamma: Any, beta: Any, ndim: int
) -> tuple[Any, Any]:
    """The effective ``(gamma, beta)`` of batch renorm: ``r·gamma``, ``d·gamma + beta``.

    ``r`` and ``d`` are constants (no gradient flows through them).
    """
    xp = backend.xp()
    eps = mean.dtype.type(layer.epsilon)
    stddev = xp.sqrt(var._array + eps)
    renorm_stddev = xp.maximum(_shaped(layer.renorm_stddev, mean), xp.sqrt(eps))
    r = stddev / renorm_stddev
    d = (mean._array - _shaped(layer.renorm_mean, mean)) / renorm_stddev
    clip = layer.renorm_clipping or {}
    if clip.get("rmin") is not None:
        r = xp.maximum(r, mean.dtype.type(clip["rmin"]))
    if clip.get("rmax") is not None:
        r = xp.minimum(r, mean.dtype.type(clip["rmax"]))
    if clip.get("dmax") is not None:
        d = xp.clip(d, -clip["dmax"], clip["dmax"]).astype(mean.dtype)
    r, d = Tensor(r), Tensor(d)
    if gamma is None:
        new_gamma, new_beta = r, d
    else:
        new_gamma, new_beta = ops.multiply(r, gamma), ops.multiply(d, gamma)
    if beta is not None:
        new_beta = ops.add(new_beta, beta)
    return new_gamma, new_beta


def update_renorm_statistics(layer: Any, mean: Tensor, var: Tensor) -> None:
    """Moves renorm_mean/renorm_stddev (``renorm_momentum``) and
    moving_mean/moving_stddev (``momentum``); moving_variance = stddev² - eps."""
    xp = backend.xp()
    dtype = layer.moving_mean.dtype
    batch_mean = xp.reshape(mean._array, (-1,)).astype(dtype)
    stddev = xp.sqrt(
        xp.reshape(var._array, (-1,)).astype(dtype) + dtype.type(layer.epsilon)
    )

    def move(variable: Any, value: Any, momentum: float) -> Any:
        m = dtype.type(momentum)
        variable.assign(variable.value * m + value * (1 - m))
        return variable.value

    move(layer.renorm_mean, batch_mean, layer.renorm_momentum)
    move(layer.renorm_stddev, stddev, layer.renorm_momentum)
    move(layer.moving_mean, batch_mean, layer.momentum)
    new_stddev = move(layer.moving_stddev, stddev, layer.momentum)
    layer.moving_variance.assign(
        xp.maximum(new_stddev * new_stddev - dtype.type(layer.epsilon), 0)
    )
