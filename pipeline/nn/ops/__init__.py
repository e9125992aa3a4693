"""Tensor ops of ``pipeline.nn`` with gradients (Keras 3 ``keras.ops`` names).

Each op takes tensors, variables, arrays or Python numbers and returns a
:class:`~pipeline.nn.tensor.Tensor`; inside a
:class:`~pipeline.nn.tape.GradientTape` it records its backward.

Example:
    >>> from pipeline.nn import ops
    >>> ops.sum(ops.multiply([1.0, 2.0], [3.0, 4.0])).numpy().tolist()
    11.0
"""

from __future__ import annotations

from pipeline.nn.ops._core import constant
from pipeline.nn.ops.activation import (
    elu,
    leaky_relu,
    linear,
    log_softmax,
    relu,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    sparse_softmax_cross_entropy_with_logits,
)
from pipeline.nn.ops.arithmetic import (
    add,
    cast,
    clip,
    divide,
    matmul,
    maximum,
    minimum,
    multiply,
    power,
    subtract,
    where,
)
from pipeline.nn.ops.composite import (
    convert_to_numpy,
    convert_to_tensor,
    gelu,
    ones_like,
    sigmoid_cross_entropy_with_logits,
    stop_gradient,
    zeros_like,
)
from pipeline.nn.ops.loss_functions import (
    binary_crossentropy,
    categorical_crossentropy,
    huber,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from pipeline.nn.ops.reduction import argmax, argmin, max, mean, min, sum
from pipeline.nn.ops.shape import (
    concatenate,
    expand_dims,
    getitem,
    reshape,
    slice,
    squeeze,
    stack,
    take,
    transpose,
)
from pipeline.nn.ops.unary import (
    abs,
    erf,
    exp,
    log,
    log1p,
    negative,
    sign,
    sqrt,
    square,
    tanh,
)

concat = concatenate
gather = take
swish = silu
clip_by_value = clip

__all__ = [
    "abs",
    "add",
    "argmax",
    "argmin",
    "binary_crossentropy",
    "cast",
    "categorical_crossentropy",
    "clip",
    "clip_by_value",
    "concat",
    "concatenate",
    "constant",
    "convert_to_numpy",
    "convert_to_tensor",
    "divide",
    "elu",
    "erf",
    "exp",
    "expand_dims",
    "gather",
    "gelu",
    "getitem",
    "huber",
    "leaky_relu",
    "linear",
    "log",
    "log1p",
    "log_softmax",
    "matmul",
    "max",
    "maximum",
    "mean",
    "mean_absolute_error",
    "mean_squared_error",
    "min",
    "minimum",
    "multiply",
    "negative",
    "ones_like",
    "power",
    "relu",
    "reshape",
    "selu",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "sign",
    "silu",
    "slice",
    "softmax",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
    "sparse_softmax_cross_entropy_with_logits",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "stop_gradient",
    "subtract",
    "sum",
    "swish",
    "take",
    "tanh",
    "transpose",
    "where",
    "zeros_like",
]
