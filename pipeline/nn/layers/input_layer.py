"""``Input`` and ``InputLayer``: the entry points of a functional model.

Example:
    >>> x = Input((3,), name="features")
    >>> x.shape, x.name
    ((None, 3), 'features')
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers._symbolic import KerasTensor, Node
from pipeline.nn.layers.base import Layer


class InputLayer(Layer):
    """Holds a model input's shape and dtype; its output is the input itself.

    Args:
        shape: the shape without the batch axis.
        batch_size: optional fixed batch size.
        dtype: defaults to float32.
        name: optional name.

    Example:
        >>> InputLayer((2,)).output.shape
        (None, 2)
    """

    def __init__(
        self,
        shape: Any = None,
        batch_size: int | None = None,
        dtype: Any = None,
        sparse: Any = None,
        batch_shape: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        shape = shape if shape is not None else kwargs.pop("input_shape", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        if batch_shape is None:
            batch_shape = (batch_size,) + tuple(shape or ())
        self.batch_shape = tuple(batch_shape)
        self.output = KerasTensor(self.batch_shape, self.dtype, name=self.name)
        Node(self, [], {}, self.output)
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype,
                "name": self.name}  # fmt: skip


def Input(  # noqa: N802  (Keras's name)
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    sparse: Any = None,
    batch_shape: Any = None,
    name: str | None = None,
    tensor: Any = None,
) -> KerasTensor:
    """A symbolic input of ``shape`` (without the batch axis) for functional models.

    Example:
        >>> Input((4,)).shape
        (None, 4)
    """
    layer = InputLayer(shape, batch_size, dtype, sparse, batch_shape, name)
    return layer.output
