"""Ops composed from the primitives (their gradients follow by autodiff).

Example:
    >>> from pipeline.nn import ops
    >>> ops.gelu([0.0]).numpy().tolist()
    [0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr, constant
from pipeline.nn.ops.arithmetic import add, divide, multiply, power, where
from pipeline.nn.ops.unary import erf, exp, log1p, negative, tanh
from pipeline.nn.tensor import Tensor

_SQRT_2 = 1.4142135623730951
_SQRT_2_OVER_PI = 0.7978845608028654
_GELU_COEFF = 0.044715


def convert_to_tensor(x: Any, dtype: Any = None) -> Tensor:
    """A tensor of ``x`` (a tensor is returned as is when no cast is needed).

    Example:
        >>> convert_to_tensor([1.0]).dtype
        dtype('float32')
    """
    if isinstance(x, Tensor) and (dtype is None or x.dtype == np.dtype(dtype)):
        return x
    return constant(x, dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """A host numpy array of ``x``.

    Example:
        >>> convert_to_numpy(constant([1.0])).tolist()
        [1.0]
    """
    return x.numpy() if isinstance(x, Tensor) else np.asarray(x)


def stop_gradient(x: Any) -> Tensor:
    """``x`` with no gradient flowing back.

    Example:
        >>> stop_gradient([1.0]).numpy().tolist()
        [1.0]
    """
    return apply(arr(convert_to_tensor(x)), [], None)


def zeros_like(x: Any) -> Tensor:
    """Zeros of ``x``'s shape and dtype.

    Example:
        >>> zeros_like([1.0]).numpy().tolist()
        [0.0]
    """
    return Tensor(backend.xp().zeros_like(arr(convert_to_tensor(x))))


def ones_like(x: Any) -> Tensor:
    """Ones of ``x``'s shape and dtype.

    Example:
        >>> ones_like([1.0]).numpy().tolist()
        [1.0]
    """
    return Tensor(backend.xp().ones_like(arr(convert_to_tensor(x))))


def gelu(x: Any, approximate: bool = True) -> Tensor:
    """Gaussian error linear unit, written as TensorFlow writes it.

    Exact: ``0.5·x·(1 + erf(x/√2))``; approximate:
    ``0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))``.

    Example:
        >>> round(float(gelu([1.0], approximate=False)[0]), 4)
        0.8413
    """
    x = convert_to_tensor(x)
    half_x = multiply(0.5, x)
    if approximate:
        cubic = add(x, multiply(_GELU_COEFF, power(x, 3.0)))
        return multiply(half_x, add(1.0, tanh(multiply(_SQRT_2_OVER_PI, cubic))))
    return multiply(half_x, add(1.0, erf(divide(x, _SQRT_2))))


def sigmoid_cross_entropy_with_logits(labels: Any, logits: Any) -> Tensor:
    """``max(x, 0) - x·z + log(1 + exp(-|x|))``, elementwise, as TF computes it.

    Example:
        >>> round(float(sigmoid_cross_entropy_with_logits([1.0], [0.0])[0]), 4)
        0.6931
    """
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, logits.dtype)
    positive = arr(logits) >= 0
    zeros = zeros_like(logits)
    relu_logits = where(positive, logits, zeros)
    neg_abs = where(positive, negative(logits), logits)
    return add(
        add(relu_logits, negative(multiply(logits, labels))), log1p(exp(neg_abs))
    )
