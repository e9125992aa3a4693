"""``CategoryEncoding``: integer features as one-hot, multi-hot or count vectors.

Example:
    >>> from pipeline.nn import layers
    >>> layers.CategoryEncoding(4, "count")([[0, 1, 1]]).numpy().tolist()
    [[1.0, 2.0, 0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.layers.preprocessing._common import (
    PreprocessingLayer,
    as_numpy,
    encode,
)


class CategoryEncoding(PreprocessingLayer):
    """Encodes integer features (Keras 3's ``CategoryEncoding``).

    Args:
        num_tokens: the number of tokens; inputs must lie in ``[0, num_tokens)``.
        output_mode: ``"multi_hot"`` (default; ``"binary"`` is its alias),
            ``"one_hot"`` or ``"count"``.
        sparse: accepted for Keras compatibility; outputs are dense.
        **kwargs: ``name``, ``dtype`` (of the output, default float32).

    Example:
        >>> CategoryEncoding(3, "one_hot")([2, 0]).numpy().tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        num_tokens: int | None = None,
        output_mode: str = "multi_hot",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of "
                "tokens is not known beforehand, use the IntegerLookup layer "
                "instead."
            )
        if num_tokens < 1:
            raise ValueError(
                f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}."
            )
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def _encode(self, inputs: Any, count_weights: Any = None) -> np.ndarray:
        return encode(
            as_numpy(inputs),
            self.output_mode,
            self.num_tokens,
            self.dtype,
            count_weights,
        )

    def call(self, inputs: Any, count_weights: Any = None) -> np.ndarray:
        """The encoded ``inputs``; ``count_weights`` weigh each entry in count mode."""
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not "
                    f"`'count'`. Received `count_weights={count_weights}`."
                )
            count_weights = as_numpy(count_weights).astype(self.dtype)
        return self._encode(inputs, count_weights)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """``input_shape`` with the last axis replaced (or, one-hot, extended).

        Example:
            >>> CategoryEncoding(5).compute_output_shape((None, 3))
            (None, 5)
        """
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (
            input_shape[-1] != 1 or len(input_shape) == 1
        ):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self) -> dict[str, Any]:
        """Keras's config: the base fields, ``num_tokens`` and ``output_mode``."""
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}  # fmt: skip
