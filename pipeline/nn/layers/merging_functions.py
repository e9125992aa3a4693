"""Keras's functional forms of the merge layers: ``add([a, b])`` and the like.

Each builds the layer with ``**kwargs`` (``name=``...) and calls it on
``inputs`` (arrays, tensors or symbolic ``Input`` tensors).

Example:
    >>> import numpy as np
    >>> add([np.array([[1.0]]), np.array([[2.0]])]).numpy().tolist()
    [[3.0]]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers.merging import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
)
from pipeline.nn.layers.merging_axes import Concatenate, Dot

__all__ = [
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]


def add(inputs: Any, **kwargs: Any) -> Any:
    """``Add(**kwargs)(inputs)``: the elementwise sum.

    Example:
        >>> import numpy as np
        >>> add([np.array([1.0]), np.array([2.0])]).numpy().tolist()
        [3.0]
    """
    return Add(**kwargs)(inputs)


def subtract(inputs: Any, **kwargs: Any) -> Any:
    """``Subtract(**kwargs)(inputs)``: ``inputs[0] - inputs[1]``.

    Example:
        >>> import numpy as np
        >>> subtract([np.array([5.0]), np.array([2.0])]).numpy().tolist()
        [3.0]
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs: Any, **kwargs: Any) -> Any:
    """``Multiply(**kwargs)(inputs)``: the elementwise product.

    Example:
        >>> import numpy as np
        >>> multiply([np.array([2.0]), np.array([3.0])]).numpy().tolist()
        [6.0]
    """
    return Multiply(**kwargs)(inputs)


def average(inputs: Any, **kwargs: Any) -> Any:
    """``Average(**kwargs)(inputs)``: the elementwise mean.

    Example:
        >>> import numpy as np
        >>> average([np.array([1.0]), np.array([2.0])]).numpy().tolist()
        [1.5]
    """
    return Average(**kwargs)(inputs)


def maximum(inputs: Any, **kwargs: Any) -> Any:
    """``Maximum(**kwargs)(inputs)``: the elementwise maximum.

    Example:
        >>> import numpy as np
        >>> maximum([np.array([1.0]), np.array([2.0])]).numpy().tolist()
        [2.0]
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs: Any, **kwargs: Any) -> Any:
    """``Minimum(**kwargs)(inputs)``: the elementwise minimum.

    Example:
        >>> import numpy as np
        >>> minimum([np.array([1.0]), np.array([2.0])]).numpy().tolist()
        [1.0]
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: Any, axis: int = -1, **kwargs: Any) -> Any:
    """``Concatenate(axis, **kwargs)(inputs)``.

    Example:
        >>> import numpy as np
        >>> concatenate([np.array([[1.0]]), np.array([[2.0]])]).numpy().tolist()
        [[1.0, 2.0]]
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: Any, axes: Any = -1, **kwargs: Any) -> Any:
    """``Dot(axes, **kwargs)(inputs)``: per-sample dot products.

    Example:
        >>> import numpy as np
        >>> dot([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])]).numpy().tolist()
        [[11.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
