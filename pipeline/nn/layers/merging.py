"""Merge layers: Concatenate, Add, Multiply (lists of same-batch inputs).

Example:
    >>> from pipeline.nn import constant
    >>> Add()([constant([1.0]), constant([2.0])]).numpy().tolist()
    [3.0]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import ops
from pipeline.nn.layers.base import Layer
from pipeline.nn.tensor import Tensor


class _Merge(Layer):
    def _check(self, inputs: Any) -> list[Any]:
        if not isinstance(inputs, list | tuple) or len(inputs) < 1:
            raise ValueError(
                f"A merge layer should be called on a list of inputs. "
                f"Received: inputs={inputs!r}"
            )
        return list(inputs)


class Concatenate(_Merge):
    """Joins inputs along ``axis`` (default -1).

    Example:
        >>> from pipeline.nn import constant
        >>> Concatenate()([constant([[1.0]]), constant([[2.0]])]).numpy().tolist()
        [[1.0, 2.0]]
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs: Any) -> Tensor:
        return ops.concatenate(self._check(inputs), axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


class Add(_Merge):
    """Elementwise sum of the inputs.

    Example:
        >>> from pipeline.nn import constant
        >>> Add()([constant([1.0]), constant([2.0]), constant([3.0])]).numpy().tolist()
        [6.0]
    """

    def call(self, inputs: Any) -> Tensor:
        items = self._check(inputs)
        out = items[0]
        for item in items[1:]:
            out = ops.add(out, item)
        return ops.convert_to_tensor(out)


class Multiply(_Merge):
    """Elementwise product of the inputs.

    Example:
        >>> from pipeline.nn import constant
        >>> Multiply()([constant([2.0]), constant([3.0])]).numpy().tolist()
        [6.0]
    """

    def call(self, inputs: Any) -> Tensor:
        items = self._check(inputs)
        out = items[0]
        for item in items[1:]:
            out = ops.multiply(out, item)
        return ops.convert_to_tensor(out)
