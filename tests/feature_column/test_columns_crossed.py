"""crossed_column and weighted_categorical_column."""

from __future__ import annotations

import json

import numpy as np
import pytest

import pipeline as pl
from pipeline._reference import farmhash as ref

fc = pl.feature_column
SEED = 0xDECAFCAFFE


def chain(values, key=SEED):
    h = key
    for v in values:
        h = ref.fingerprint_cat64(h, v)
    return h


def fp(s):
    return ref.fingerprint64(s)


def test_errors():
    with pytest.raises(ValueError, match="length > 1"):
        fc.crossed_column(["a"], 10)
    with pytest.raises(ValueError, match="hash_bucket_size"):
        fc.crossed_column(["a", "b"], 0)
    with pytest.raises(ValueError, match="not supported for crossing"):
        fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("b", 4)], 10)
    with pytest.raises(ValueError, match="Unsupported key type"):
        fc.crossed_column(["a", fc.numeric_column("b")], 10)


def test_name_sorted_but_order_matters():
    ab = fc.crossed_column(["b", "a"], 1000)
    ba = fc.crossed_column(["a", "b"], 1000)
    assert ab.name == ba.name == "a_X_b"
    feats = {
        "a": np.array([[b"x"]], dtype=object),
        "b": np.array([[b"y"]], dtype=object),
    }
    got_ab = fc.transform_ids(ab, feats).values.tolist()
    got_ba = fc.transform_ids(ba, feats).values.tolist()
    assert got_ab == [chain([fp(b"y"), fp(b"x")]) % 1000]
    assert got_ba == [chain([fp(b"x"), fp(b"y")]) % 1000]


def test_sparse_first_then_dense_and_integers_raw():
    bucket = fc.bucketized_column(fc.numeric_column("n"), [0.0])
    cross = fc.crossed_column(["s", bucket, "i"], 97, hash_key=5)
    feats = {
        "s": np.array([[b"u"], [b""]], dtype=object),  # dense: "" is kept
        "n": np.array([1.0, -1.0]),
        "i": pl.SparseTensor([[0, 0], [1, 0]], np.array([-1, 3]), [2, 2]),
    }
    r = fc.transform_ids(cross, feats)
    # sparse inputs (bucket ids, then i) first, dense s last; ints enter raw
    row0 = [chain([1, 2**64 - 1, fp(b"u")], 5) % 97]
    row1 = [chain([0, 3, fp(b"")], 5) % 97]
    assert r.splits.tolist() == [0, 1, 2]
    assert r.values.tolist() == row0 + row1


def test_multivalent_product_and_empty_rows():
    cross = fc.crossed_column(["t", "c"], 10**6)
    feats = {
        "t": [["p", "q"], [], ["r"]],
        "c": np.array([[b"x"], [b"y"], [b"z"]], dtype=object),
    }
    r = fc.transform_ids(cross, feats)
    assert r.splits.tolist() == [0, 2, 2, 3]
    want = [
        chain([fp(t), fp(c)]) % 10**6
        for t, c in [(b"p", b"x"), (b"q", b"x"), (b"r", b"z")]
    ]
    assert r.values.tolist() == want


def test_nested_cross_and_config():
    inner = fc.crossed_column(["a", "b"], 10)
    outer = fc.crossed_column([inner, "c"], 20)
    feats = {k: np.array([[k.encode()]], dtype=object) for k in "abc"}
    got = fc.transform_ids(outer, feats).values.tolist()
    assert got == [chain([fp(b"a"), fp(b"b"), fp(b"c")]) % 20]
    config = json.loads(json.dumps(fc.serialize_feature_column(outer)))
    assert fc.deserialize_feature_column(config) == outer


def test_weighted_column():
    ids = fc.categorical_column_with_vocabulary_list("k", ["a", "b"])
    w = fc.weighted_categorical_column(ids, "kw")
    assert w.name == "k_weighted_by_kw" and w.num_buckets == 2
    with pytest.raises(ValueError, match="convertible to float"):
        fc.weighted_categorical_column(ids, "kw", dtype="string")
    # Dense weights pair with the ids in order after TF drops their 0.0 cells.
    feats = {
        "k": np.array([[b"a", b"b"], [b"", b"b"]], dtype=object),
        "kw": np.array([[0.5, 2.0], [0.0, 3.0]], np.float32),
    }
    r = fc.transform_ids(w, feats)
    assert r.values.tolist() == [0, 1, 1] and r.weights.tolist() == [0.5, 2.0, 3.0]
    out = fc.transform_dense(fc.indicator_column(w), feats)
    assert out.tolist() == [[0.5, 2.0], [0.0, 3.0]]
    feats["kw"] = np.array([[0.5, 2.0], [9.0, 3.0]], np.float32)  # 4 weights, 3 ids
    with pytest.raises(pl.errors.InvalidArgumentError, match="4 weights .* 3 ids"):
        fc.transform_ids(w, feats)
    config = json.loads(json.dumps(fc.serialize_feature_column(w)))
    assert fc.deserialize_feature_column(config) == w


def test_inconsistent_sparse_tensor_is_rejected():
    # as TF, the SparseTensor itself refuses 2 indices with 1 value
    with pytest.raises(ValueError, match="vector of 2 values"):
        pl.SparseTensor([[0, 0], [1, 0]], np.array([1]), [2, 1])


def test_weights_of_another_float_dtype_are_cast_like_tf():
    w = fc.weighted_categorical_column(
        fc.categorical_column_with_identity("k", 3), "kw"
    )
    feats = {"k": np.array([[1]]), "kw": np.array([[0.5]], np.float64)}
    ids = fc.transform_ids(w, feats)
    assert ids.weights.dtype == np.float32 and ids.weights.tolist() == [0.5]


@pytest.mark.parametrize(
    ("combiner", "denominator"), [("mean", 1.1), ("sqrtn", np.sqrt(1.01))]
)
def test_linear_model_sparse_ids_dense_weights_with_combiner(combiner, denominator):
    col = fc.weighted_categorical_column(
        fc.categorical_column_with_identity("ids", 3), "values"
    )
    model = fc.LinearModel([col], sparse_combiner=combiner)
    model.build()
    weights = {w.name: w for w in model.weights}
    weights["ids_weighted_by_values/weights"].assign(
        np.array([[1.0], [2.0], [3.0]], np.float32)
    )
    ids = pl.SparseTensor([[0, 0], [1, 0], [1, 1]], np.array([0, 2, 1]), [2, 2])
    out = model({"ids": ids, "values": [[0.5], [1.0], [0.1]]}).numpy()
    # Row 0: id 0 weighs .5 alone -> 1. Row 1: (3 * 1 + 2 * .1) / denominator.
    np.testing.assert_allclose(out, [[1.0], [3.2 / denominator]], rtol=1e-6)
