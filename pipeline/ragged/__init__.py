"""Ragged tensors: `RaggedTensor` and its dataset type `RaggedTensorSpec`.

Example:
    >>> from pipeline.ragged import RaggedTensor
    >>> RaggedTensor.from_row_lengths([1, 2, 3], [1, 2]).to_list()
    [[1], [2, 3]]
"""

from __future__ import annotations

from pipeline.ragged.factory import constant
from pipeline.ragged.spec import RaggedTensorSpec
from pipeline.ragged.tensor import RaggedTensor

__all__ = ["RaggedTensor", "RaggedTensorSpec", "constant"]
