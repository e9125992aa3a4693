"""Reshaping layers: Flatten and Reshape (the batch axis is kept).

Example:
    >>> Reshape((2, 2))([[1.0, 2.0, 3.0, 4.0]]).shape
    (1, 2, 2)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.layers import _symbolic
from pipeline.nn.layers.base import Layer
from pipeline.nn.tensor import Tensor


def _data_format(value: Any) -> str:
    value = "channels_last" if value is None else str(value).lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={value}"
        )
    return value


class Flatten(Layer):
    """Flattens every axis but the batch axis (a 1-D input becomes ``(n, 1)``).

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"``; the
            latter moves axis 1 last before flattening, so the order matches a
            channels-last model.

    Example:
        >>> Flatten()([[[1.0, 2.0], [3.0, 4.0]]]).shape
        (1, 4)
    """

    def __init__(self, data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)

    def call(self, inputs: Any) -> Tensor:
        rank = inputs.ndim
        if self.data_format == "channels_first" and rank > 1:
            inputs = ops.transpose(inputs, (0, *range(2, rank), 1))
        rest = math.prod(inputs.shape[1:]) if rank > 1 else 1
        return ops.reshape(inputs, (inputs.shape[0], rest))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """``(batch, product of the other dims)`` (None when one is unknown).

        Example:
            >>> Flatten().compute_output_shape((None, 2, 3))
            (None, 6)
        """
        rest = tuple(input_shape[1:])
        size = None if None in rest else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}


def check_target_shape(target_shape: Any) -> tuple:
    """``target_shape`` as a tuple: entries >= 0, or a single -1.

    Raises:
        ValueError: for an entry below -1 or more than one -1 (Keras's words).

    Example:
        >>> check_target_shape([2, -1])
        (2, -1)
    """
    shape = tuple(
        int(d) if isinstance(d, int | np.integer) else d for d in target_shape
    )
    if any(isinstance(d, int) and d < -1 for d in shape):
        raise ValueError(
            "Each dimension in `target_shape` must be a non-negative integer, "
            f"or `-1` for a single unknown dimension. Received: target_shape={shape}."
        )
    if shape.count(-1) > 1:
        raise ValueError(
            "There must be at most one unknown dimension (-1) in `target_shape`. "
            f"Received: target_shape={shape}."
        )
    return shape


def resolve_shape(input_shape: tuple, target: tuple) -> tuple:
    """``target`` with its -1 resolved from ``input_shape`` (None if unknown).

    Raises:
        ValueError: when the sizes cannot match.

    Example:
        >>> resolve_shape((6, 4), (-1, 8)), resolve_shape((None, 4), (-1, 2))
        ((3, 8), (None, 2))
    """
    if None in input_shape:
        return tuple(None if d == -1 else d for d in target)
    size = math.prod(input_shape)
    known = math.prod(d for d in target if d != -1)
    if -1 not in target and size == known:
        return target
    if -1 in target and known and size % known == 0:
        return tuple(size // known if d == -1 else d for d in target)
    raise ValueError(
        "The total size of the tensor must be unchanged. Received: "
        f"input_shape={input_shape}, target_shape={target}"
    )


class Reshape(Layer):
    """Reshapes every sample to ``target_shape`` (one entry may be -1).

    Args:
        target_shape: the new shape without the batch axis.

    Raises:
        ValueError: for a malformed ``target_shape``, or (when called) an input
            whose size does not fit it.

    Example:
        >>> Reshape((-1, 8)).compute_output_shape((None, 6, 4))
        (None, 3, 8)
    """

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_shape = check_target_shape(tuple(target_shape))
        self.built = True

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(inputs, _symbolic.KerasTensor):
            shape = self.compute_output_shape(inputs.shape)
            out = _symbolic.KerasTensor(shape, inputs.dtype, name=self.name)
            _symbolic.Node(self, inputs, {}, out)
            self._output_shape = [shape]
            return out
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs: Any) -> Tensor:
        target = resolve_shape(tuple(inputs.shape[1:]), self.target_shape)
        return ops.reshape(inputs, (inputs.shape[0], *target))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """``(batch, *target_shape)`` with -1 resolved where the sizes are known.

        Example:
            >>> Reshape((3, 5)).compute_output_shape((2, None))
            (2, 3, 5)
        """
        shape = tuple(input_shape)
        return (shape[0], *resolve_shape(shape[1:], self.target_shape))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": self.target_shape}


class Permute(Layer):
    """Permutes the non-batch axes: ``dims`` are 1-based (``(2, 1)`` swaps them).

    Args:
        dims: a permutation of ``1..rank-1``.

    Raises:
        ValueError: when ``dims`` is not a permutation of consecutive axes from 1.

    Example:
        >>> Permute((2, 1)).compute_output_shape((None, 3, 5))
        (None, 5, 3)
    """

    def __init__(self, dims: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of "
                "indices in `dims` must be consecutive and start from 1. "
                f"Received dims={tuple(dims)}"
            )

    def call(self, inputs: Any) -> Tensor:
        if inputs.ndim != len(self.dims) + 1:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"expected ndim={len(self.dims) + 1}, found ndim={inputs.ndim}. "
                f"Full shape received: {inputs.shape}"
            )
        return ops.transpose(inputs, (0, *self.dims))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The input shape with its non-batch axes reordered by ``dims``.

        Example:
            >>> Permute((3, 1, 2)).compute_output_shape((10, 3, 5, 6))
            (10, 6, 3, 5)
        """
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """Repeats a ``(batch, features)`` input ``n`` times: ``(batch, n, features)``.

    Args:
        n: the repetition count (a positive int).

    Raises:
        TypeError: for an ``n`` that is not an int. ValueError: for ``n <= 0``.

    Example:
        >>> RepeatVector(2)([[1.0, 2.0]]).numpy().tolist()
        [[[1.0, 2.0], [1.0, 2.0]]]
    """

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(n, int | np.integer) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(
                f"Argument `n` should be a positive integer. Received: n={n}"
            )
        self.n = int(n)

    def call(self, inputs: Any) -> Tensor:
        if inputs.ndim != 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"expected ndim=2, found ndim={inputs.ndim}. "
                f"Full shape received: {inputs.shape}"
            )
        batch, features = inputs.shape
        column = ops.reshape(inputs, (batch, 1, features))
        return ops.concatenate([column] * self.n, axis=1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """``(batch, n, features)``.

        Example:
            >>> RepeatVector(3).compute_output_shape((None, 5))
            (None, 3, 5)
        """
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n": self.n}
