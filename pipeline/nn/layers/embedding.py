"""The ``Embedding`` layer: rows of a table looked up by integer ids.

Example:
    >>> Embedding(10, 4)([[1, 2, 3]]).shape
    (1, 3, 4)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import backend, constraints, initializers, ops
from pipeline.nn.layers._weights import (
    refuse_unsupported,
    serialize_constraint,
    serialize_regularizer,
)
from pipeline.nn.layers.base import Layer, resolve_regularizer
from pipeline.nn.tensor import Tensor


def check_positive_int(name: str, value: Any) -> int:
    """``value`` as an int; a ``ValueError`` unless it is a positive integer.

    Floats (even ``4.0``), strings, booleans and None are refused, as Keras does.

    Example:
        >>> check_positive_int("input_dim", 3)
        3
    """
    valid = isinstance(value, int | np.integer) and not isinstance(
        value, bool | np.bool_
    )
    if not valid or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r} "
            f"(of type {type(value).__name__})."
        )
    return int(value)


def _ids(inputs: Any) -> Any:
    array = (
        inputs._array if isinstance(inputs, Tensor) else backend.xp().asarray(inputs)
    )
    return array if array.dtype.kind in "iu" else array.astype("int64")


class Embedding(Layer):
    """Rows of a ``(input_dim, output_dim)`` table, looked up by integer ids.

    The gradient of the table is an ``IndexedSlices``: optimizers update only
    the rows a batch touched, as TensorFlow does.

    Args:
        input_dim: vocabulary size (a positive integer).
        output_dim: embedding width (a positive integer).
        embeddings_initializer: defaults to ``"uniform"`` (RandomUniform(-0.05, 0.05)).
        embeddings_regularizer: optional penalty.
        embeddings_constraint: optional constraint (name, config or callable),
            set as ``embeddings.constraint``.
        mask_zero: whether id 0 is padding: ``compute_mask`` then gives
            ``ids != 0`` and the output carries that mask. Defaults to False.
        weights: optional initial table (an array, or a one-element list of it);
            the layer is then built at construction.
        **kwargs: base ``Layer`` arguments.

    Raises:
        ValueError: for dims that are not positive integers (3.7, "3", True, 0).

    Example:
        >>> Embedding(3, 2, mask_zero=True).compute_mask([2, 0]).numpy().tolist()
        [True, False]
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        weights: Any = None,
        **kwargs: Any,
    ) -> None:
        input_dim = check_positive_int("input_dim", input_dim)
        output_dim = check_positive_int("output_dim", output_dim)
        kwargs.pop("input_length", None)
        refuse_unsupported(self, kwargs)
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = input_dim, output_dim
        if embeddings_initializer == "uniform":
            embeddings_initializer = "random_uniform"
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = resolve_regularizer(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights([np.asarray(w) for w in weights])

    def build(self, input_shape: Any = None) -> None:
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            name="embeddings",
        )
        self.embeddings.constraint = self.embeddings_constraint
        self.built = True

    def call(self, inputs: Any) -> Tensor:
        return ops.take(self.embeddings, _ids(inputs))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """``ids != 0`` with ``mask_zero``, else None.

        Example:
            >>> Embedding(3, 2).compute_mask([1, 0]) is None
            True
        """
        if not self.mask_zero:
            return None
        return Tensor(_ids(inputs) != 0)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The input shape with ``output_dim`` appended.

        Example:
            >>> Embedding(3, 2).compute_output_shape((None, 4))
            (None, 4, 2)
        """
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(
                self.embeddings_initializer
            ),
            "embeddings_regularizer": serialize_regularizer(
                self.embeddings_regularizer
            ),
            "embeddings_constraint": serialize_constraint(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        }
