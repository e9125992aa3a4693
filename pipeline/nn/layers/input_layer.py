"""``Input`` and ``InputLayer``: the entry points of a functional model.

Example:
    >>> x = Input((3,), name="features")
    >>> x.shape, x.name
    ((None, 3), 'features')
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn.layers._symbolic import KerasTensor, Node
from pipeline.nn.layers.base import Layer

_WITH_TENSOR = "When providing the `input_tensor` argument, you cannot provide "


def _dims(shape: Any) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)


def _check_against_tensor(
    tensor: Any, shape: Any, batch_size: Any, batch_shape: Any, dtype: Any, sparse: Any
) -> None:
    if not isinstance(tensor, KerasTensor):
        raise ValueError(
            "Argument `input_tensor` must be a KerasTensor. Received invalid type: "
            f"input_tensor={tensor!r} (of type {type(tensor)})"
        )
    given = tensor.shape
    if batch_size is not None and (not given or given[0] != batch_size):
        raise ValueError(f"{_WITH_TENSOR}an incompatible `batch_size` argument.")
    if shape is not None and _dims(shape) != given[1:]:
        raise ValueError(f"{_WITH_TENSOR}an incompatible `shape` argument.")
    if batch_shape is not None and _dims(batch_shape) != given:
        raise ValueError(f"{_WITH_TENSOR}an incompatible `batch_shape` argument.")
    if dtype is not None and str(np.dtype(dtype)) != tensor.dtype:
        raise ValueError(f"{_WITH_TENSOR}an incompatible `dtype` argument.")
    if sparse is not None and bool(sparse) != bool(getattr(tensor, "sparse", False)):
        raise ValueError(f"{_WITH_TENSOR}an incompatible `sparse` argument.")


def _batch_shape(shape: Any, batch_size: Any, batch_shape: Any) -> tuple:
    if shape is not None and batch_shape is not None:
        raise ValueError(
            "You cannot pass both `shape` and `batch_shape` at the same time."
        )
    if batch_size is not None and batch_shape is not None:
        raise ValueError(
            "You cannot pass both `batch_size` and `batch_shape` at the same time."
        )
    if shape is None and batch_shape is None:
        raise ValueError("You must pass a `shape` argument.")
    if shape is not None:
        return (batch_size, *_dims(shape))
    return _dims(batch_shape)


def _symbolic_dtype(dtype: Any) -> str:
    """``"string"`` for text inputs (preprocessing layers), else a numpy dtype."""
    return "string" if dtype in ("string", str) else str(np.dtype(dtype or "float32"))


class InputLayer(Layer):
    """Holds a model input's shape and dtype; its output is the input itself.

    Args:
        shape: the shape without the batch axis.
        batch_size: optional fixed batch size.
        dtype: defaults to float32.
        sparse, ragged: accepted as False only (dense tensors here).
        batch_shape: the full shape, instead of ``shape`` and ``batch_size``.
        input_tensor: an existing ``KerasTensor`` to use as the output.
        optional: whether the input may be None. Defaults to False.
        name: optional name.

    Raises:
        ValueError: for ``shape`` with ``batch_shape``, ``batch_size`` with
            ``batch_shape``, no shape at all, ``sparse``/``ragged`` True, or
            arguments that contradict ``input_tensor``.

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
        ragged: Any = None,
        batch_shape: Any = None,
        input_tensor: Any = None,
        optional: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if "input_shape" in kwargs:
            warnings.warn(
                "Argument `input_shape` is deprecated. Use `shape` instead.",
                UserWarning,
                stacklevel=2,
            )
            shape = kwargs.pop("input_shape")
        batch_shape = kwargs.pop("batch_input_shape", batch_shape)
        kwargs.pop("trainable", None)
        if input_tensor is not None:
            _check_against_tensor(
                input_tensor, shape, batch_size, batch_shape, dtype, sparse
            )
            batch_shape, dtype = input_tensor.shape, input_tensor.dtype
        else:
            batch_shape = _batch_shape(shape, batch_size, batch_shape)
        super().__init__(name=name, dtype=_symbolic_dtype(dtype), **kwargs)
        for flag, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(f"`{flag}=True` is not supported by pipeline.nn.")
        self.sparse, self.ragged, self.optional = False, False, bool(optional)
        self.batch_shape = tuple(batch_shape)
        if input_tensor is None:
            input_tensor = KerasTensor(self.batch_shape, self.dtype, name=self.name)
        input_tensor.sparse = input_tensor.ragged = False
        self.output = input_tensor
        Node(self, [], {}, self.output)
        self.built = True

    def call(self) -> None:  # type: ignore[override]
        """Nothing to compute: an input layer only names the model's input."""
        return None

    def get_config(self) -> dict[str, Any]:
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype,
                "sparse": self.sparse, "ragged": self.ragged, "name": self.name,
                "optional": self.optional}  # fmt: skip


def Input(  # noqa: N802  (Keras's name)
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    sparse: Any = None,
    ragged: Any = None,
    batch_shape: Any = None,
    name: str | None = None,
    tensor: Any = None,
    optional: bool = False,
) -> KerasTensor:
    """A symbolic input of ``shape`` (without the batch axis) for functional models.

    Example:
        >>> Input((4,)).shape
        (None, 4)
    """
    layer = InputLayer(
        shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
        ragged=ragged, batch_shape=batch_shape, input_tensor=tensor,
        optional=optional, name=name,
    )  # fmt: skip
    return layer.output
