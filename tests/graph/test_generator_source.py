"""from_generator: values are matched to the signature down to its leaves only."""

from __future__ import annotations

import numpy as np

import pipeline as pl


def test_a_tuple_under_a_signature_leaf_is_a_vector_value():
    def gen():
        yield {"values": [1, 2], "dense_shape": (2,)}

    spec = {
        "values": pl.TensorSpec((None,), np.int64),
        "dense_shape": pl.TensorSpec((1,), np.int64),
    }
    (elem,) = list(pl.data.Dataset.from_generator(gen, output_signature=spec))
    assert elem["dense_shape"].tolist() == [2]
    assert elem["values"].tolist() == [1, 2]
