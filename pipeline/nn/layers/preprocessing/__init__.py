"""Keras 3's preprocessing layers, computing in numpy on the host.

`Normalization`, `Discretization`, `CategoryEncoding`, `Hashing`,
`HashedCrossing`, `StringLookup` and `IntegerLookup`; ``adapt`` reads arrays,
lists or any iterable of batches (a ``pl.data.Dataset`` included) in one pass.

Example:
    >>> from pipeline.nn import layers
    >>> layers.CategoryEncoding(3)([[0, 2]]).numpy().tolist()
    [[1.0, 0.0, 1.0]]
"""

from __future__ import annotations

from pipeline.nn.layers.preprocessing.category_encoding import CategoryEncoding
from pipeline.nn.layers.preprocessing.discretization import Discretization
from pipeline.nn.layers.preprocessing.hashing import HashedCrossing, Hashing
from pipeline.nn.layers.preprocessing.index_lookup import IndexLookup
from pipeline.nn.layers.preprocessing.lookups import IntegerLookup, StringLookup
from pipeline.nn.layers.preprocessing.normalization import Normalization

__all__ = [
    "CategoryEncoding",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IndexLookup",
    "IntegerLookup",
    "Normalization",
    "StringLookup",
]
