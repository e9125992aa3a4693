"""DenseFeatures and LinearModel: outputs, sparse gradients, configs."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError

fc = pl.feature_column
TABLE = np.arange(8, dtype=np.float32).reshape(4, 2)


def _const(shape, dtype=None):
    return TABLE


def _features():
    ids = pl.SparseTensor([[0, 0], [0, 1], [1, 0]], np.array([1, 3, 1]), [3, 2])
    w = pl.SparseTensor(
        [[0, 0], [0, 1], [1, 0]], np.array([0.5, 2.0, 1.5], np.float32), [3, 2]
    )
    return {"id": ids, "w": w, "x": np.array([1.0, 2.0, 3.0], np.float32)}


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
def test_embedding_gradient_is_sparse_and_exact(combiner):
    ids = fc.categorical_column_with_identity("id", 4)
    col = fc.embedding_column(
        fc.weighted_categorical_column(ids, "w"), 2, combiner, initializer=_const
    )
    layer = fc.DenseFeatures([col, fc.numeric_column("x")])
    with pl.nn.GradientTape() as tape:
        out = layer(_features())
        loss = pl.nn.ops.sum(out[:, 0:2])
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    assert isinstance(grad, pl.nn.IndexedSlices)
    # d loss / d E[id] = Σ over occurrences of w / d_row, in both dimensions
    w = {"sum": (1.0, 1.0), "mean": (2.5, 1.5), "sqrtn": (np.sqrt(4.25), 1.5)}[combiner]
    expected = np.zeros((4, 2), np.float32)
    expected[1] += 0.5 / w[0] + 1.5 / w[1]
    expected[3] += 2.0 / w[0]
    np.testing.assert_allclose(np.asarray(grad), expected, rtol=1e-6)
    forward = fc.dense_features([col, fc.numeric_column("x")], _features())
    np.testing.assert_allclose(out.numpy(), forward, rtol=1e-6)


def test_shared_embeddings_share_one_table():
    a = fc.categorical_column_with_identity("a", 4)
    b = fc.categorical_column_with_identity("b", 4)
    cols = fc.shared_embeddings([a, b], 2, initializer=_const)
    layer = fc.DenseFeatures(cols)
    feats = {"a": np.array([[1], [2]]), "b": np.array([[1], [-1]])}
    with pl.nn.GradientTape() as tape:
        loss = pl.nn.ops.sum(layer(feats))
    assert len(layer.trainable_weights) == 1
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    dense = np.asarray(grad)
    assert dense[1].tolist() == [2.0, 2.0]  # id 1 is read by a's row 0 and b's row 0
    assert dense[2].tolist() == [1.0, 1.0]
    assert dense[0].tolist() == [0.0, 0.0]


def test_out_of_range_identity_in_embedding_fails():
    col = fc.embedding_column(fc.categorical_column_with_identity("k", 3), 2)
    with pytest.raises(InvalidArgumentError, match="not in \\[0, 3\\)"):
        fc.DenseFeatures([col])({"k": np.array([[1], [5]])})


def test_non_dense_column_and_non_dict_input_are_rejected():
    with pytest.raises(ValueError, match="must be a DenseColumn"):
        fc.DenseFeatures([fc.categorical_column_with_identity("k", 3)])
    layer = fc.DenseFeatures([fc.numeric_column("x")])
    with pytest.raises(ValueError, match="dictionary"):
        layer(np.zeros((2, 1)))
    with pytest.raises(ValueError, match="not in features dictionary"):
        layer({"y": np.zeros((2, 1))})


def test_batch_size_mismatch():
    layer = fc.DenseFeatures([fc.numeric_column("x"), fc.numeric_column("y")])
    with pytest.raises(ValueError, match="Batch size") as info:
        layer({"x": np.zeros(2), "y": np.zeros(3)})
    assert type(info.value) is ValueError  # as TF's static check


def test_linear_model_is_a_sparse_weighted_sum():
    ids = fc.categorical_column_with_identity("id", 4)
    x = fc.numeric_column("x")
    model = fc.LinearModel([ids, x], units=1)
    feats = _features()
    model(feats)  # build
    weights = {w.name: w for w in model.weights}
    weights["id/weights"].assign(
        np.array([[1.0], [10.0], [100.0], [1000.0]], np.float32)
    )
    weights["x/weights"].assign(np.array([[0.5]], np.float32))
    weights["bias_weights"].assign(np.array([7.0], np.float32))
    with pl.nn.GradientTape() as tape:
        out = model(feats)
        loss = pl.nn.ops.sum(out)
    # row 0: ids 1, 3 -> 1010; row 1: id 1 -> 10; row 2: none
    assert out.numpy().ravel().tolist() == [1010 + 0.5 + 7, 10 + 1 + 7, 1.5 + 7]
    grads = dict(
        zip(
            [w.name for w in model.trainable_weights],
            tape.gradient(loss, model.trainable_weights),
        )
    )
    assert isinstance(grads["id/weights"], pl.nn.IndexedSlices)
    assert np.asarray(grads["id/weights"]).ravel().tolist() == [0.0, 2.0, 0.0, 1.0]
    assert np.asarray(grads["bias_weights"]).tolist() == [3.0]


def test_config_round_trip_rebuilds_columns():
    ids = fc.categorical_column_with_vocabulary_list("t", ["a", "b"])
    cols = [
        fc.indicator_column(ids),
        fc.numeric_column("x", normalizer_fn=fc.Normalization(1.0, 4.0)),
    ]
    layer = fc.DenseFeatures(cols, name="df")
    clone = fc.DenseFeatures.from_config(layer.get_config())
    feats = {"t": np.array([b"b", b"z"], dtype=object), "x": np.array([3.0, 5.0])}
    assert clone.name == "df"
    assert clone(feats).numpy().tolist() == layer(feats).numpy().tolist()
    assert clone(feats).numpy().tolist() == [[0.0, 1.0, 1.0], [0.0, 0.0, 2.0]]
    model = fc.LinearModel(cols, units=2)
    assert fc.LinearModel.from_config(model.get_config()).units == 2


def test_max_norm_clips_each_looked_up_vector():
    table = np.array([[3.0, 4.0], [0.3, 0.4]], np.float32)
    col = fc.embedding_column(
        fc.categorical_column_with_identity("k", 2),
        2,
        "sum",
        initializer=lambda shape, dtype=None: table,
        max_norm=1.0,
    )
    out = fc.dense_features([col], {"k": [[0, 1]]})
    expected = np.float32(1.0) * table[0] / np.float32(5.0) + table[1]
    np.testing.assert_allclose(out[0], expected, rtol=1e-6)


def test_embedding_config_with_a_lambda_initializer_keeps_the_rest():
    col = fc.embedding_column(
        fc.categorical_column_with_identity("k", 4),
        2,
        "sum",
        initializer=_const,
        max_norm=2.0,
    )
    lam = fc.embedding_column(
        fc.categorical_column_with_identity("k", 4),
        2,
        initializer=lambda shape, dtype=None: TABLE,
    )
    config = fc.serialize_feature_column(col)
    assert fc.deserialize_feature_column(config, {"_const": _const}) == col
    again = fc.deserialize_feature_column(fc.serialize_feature_column(lam))
    assert again.initializer is None and again.dimension == 2


def test_unknown_combiner_fails_when_used_like_tf():
    col = fc.embedding_column(fc.categorical_column_with_identity("k", 4), 2, "max")
    with pytest.raises(ValueError, match="combiner must be one of"):
        fc.dense_features([col], {"k": [[1]]})


def test_cols_to_output_tensors_receives_each_part():
    x, y = fc.numeric_column("x"), fc.numeric_column("y", shape=2)
    parts = {}
    out = fc.DenseFeatures([y, x])({"x": [[1.0]], "y": [[2.0, 3.0]]}, parts)
    assert out.numpy().tolist() == [[1.0, 2.0, 3.0]]
    assert parts[x].tolist() == [[1.0]] and parts[y].tolist() == [[2.0, 3.0]]


def test_linear_model_trains_an_embedding_table_sparsely():
    ids = fc.categorical_column_with_identity("aaa", 3)
    table = np.array([[1.0, 2.0], [3.0, 5.0], [7.0, 11.0]], np.float32)
    col = fc.embedding_column(ids, 2, initializer=lambda shape, dtype=None: table)
    model = fc.LinearModel([col])
    model.build()
    weights = {w.name: w for w in model.weights}
    weights["aaa_embedding/weights"].assign(np.array([[4.0], [6.0]], np.float32))
    feats = {
        "aaa": pl.SparseTensor([[0, 0], [1, 0], [1, 4], [3, 0]], [2, 0, 1, 1], [4, 5])
    }
    with pl.nn.GradientTape() as tape:
        out = model(feats)
        total = pl.nn.ops.sum(out)
    assert out.numpy().tolist() == [[94.0], [29.0], [0.0], [42.0]]
    table_var = weights["aaa_embedding/embedding_weights"]
    (grad,) = tape.gradient(total, [table_var])
    # mean combiner: each id of a row weighs 1/len(row); d/dE[id] = coef * [4, 6].
    assert grad.indices.tolist() == [2, 0, 1, 1]
    assert grad.values.tolist() == [[4.0, 6.0], [2.0, 3.0], [2.0, 3.0], [4.0, 6.0]]
