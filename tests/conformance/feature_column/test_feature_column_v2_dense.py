"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
IndicatorColumnTest, EmbeddingColumnTest, SharedEmbeddingColumnTest,
InputLayerTest and LazyColumnTest, through DenseFeatures.

TF's shared embedding columns exist only in graph mode: ``fcx.in_graph`` and
``fcx.dense_graph`` build them in a TF graph (and plainly for pipeline).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from conformance_support import to_numpy

WIRE = ("omar", "stringer", "marlo")


def _table(values):
    """An embedding initializer giving ``values`` (TF's signature)."""

    def init(shape, dtype=None, partition_info=None):
        return np.asarray(values, np.float32)

    return init


def _indicator(api, fcx, column, features):
    return fcx.dense([api.feature_column.indicator_column(column)], features).tolist()


def test_indicator_column_name_and_shape(api):
    fc = api.feature_column
    a = fc.categorical_column_with_hash_bucket("a", 4)
    for indicator in (fc.indicator_column(a), copy.deepcopy(fc.indicator_column(a))):
        assert indicator.categorical_column.name == "a"
        assert indicator.name == "a_indicator"
        assert tuple(indicator.variable_shape) == (1, 4)


def test_indicator_needs_a_categorical_column(api):
    with pytest.raises(ValueError, match="Unsupported input type."):
        api.feature_column.indicator_column("aaa")


def test_indicator_1d_and_2d_inputs(api, fcx):
    animal = api.feature_column.categorical_column_with_hash_bucket("animal", 4)
    expected = [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
    assert _indicator(api, fcx, animal, {"animal": ["fox", "fox"]}) == expected
    sparse = fcx.sparse([[0, 0], [1, 0]], ["fox", "fox"], [2, 1])
    assert _indicator(api, fcx, animal, {"animal": sparse}) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 1], [[0.0, 2.0, 0.0, 0.0]]), ([1, 2], [[0.0, 1.0, 1.0, 0.0]])],
)
def test_indicator_multi_hot(api, fcx, values, expected):
    animal = api.feature_column.categorical_column_with_identity("animal", 4)
    feats = {"animal": fcx.sparse([[0, 0], [0, 1]], values, [1, 2])}
    assert _indicator(api, fcx, animal, feats) == expected


def test_indicator_parse_example(api, fcx):
    fc = api.feature_column
    a = fc.indicator_column(fc.categorical_column_with_vocabulary_list("aaa", WIRE))
    got = fcx.parse([a], [{"aaa": [b"omar", b"stringer"]}])["aaa"]
    assert got.indices.tolist() == [[0, 0], [0, 1]]
    assert got.values.tolist() == [b"omar", b"stringer"]


def test_indicator_transform(api, fcx):
    a = api.feature_column.categorical_column_with_vocabulary_list("aaa", WIRE)
    feats = {
        "aaa": fcx.sparse(
            [[0, 0], [1, 0], [1, 1]], ["marlo", "skywalker", "omar"], [2, 2]
        )
    }
    assert _indicator(api, fcx, a, feats) == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]


def test_indicator_of_weighted_column(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_vocabulary_list("ids", ("a", "b", "c"))
    weighted = fc.weighted_categorical_column(ids, "weights")
    feats = {"ids": [["c", "b", "a", "c"]], "weights": [[2.0, 4.0, 6.0, 1.0]]}
    assert _indicator(api, fcx, weighted, feats) == [[6.0, 4.0, 3.0]]


def test_indicator_of_weighted_column_with_unknown_value(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_vocabulary_list("ids", ("a", "b", "c"))
    weighted = fc.weighted_categorical_column(ids, "weights")
    feats = {"ids": [["c", "b", "unknown"]], "weights": [[2.0, 4.0, 6.0]]}
    assert _indicator(api, fcx, weighted, feats) == [[0.0, 4.0, 2.0]]


def test_indicator_with_unknown_value(api, fcx):
    ids = api.feature_column.categorical_column_with_vocabulary_list(
        "ids", ("a", "b", "c")
    )
    assert _indicator(api, fcx, ids, {"ids": [["c", "b", "unknown"]]}) == [
        [0.0, 1.0, 1.0]
    ]


def test_indicator_linear_model(api, fcx):
    fc = api.feature_column
    animal = fc.indicator_column(fc.categorical_column_with_identity("animal", 4))

    def feats():
        return {"animal": fcx.sparse([[0, 0], [0, 1]], [1, 2], [1, 2])}

    assert fcx.linear([animal], feats).tolist() == [[0.0]]
    out = fcx.linear([animal], feats, {animal.name: [[1.0], [2.0], [3.0], [4.0]]})
    assert out.tolist() == [[5.0]]


def test_indicator_config_round_trip(api):
    fc = api.feature_column
    animal = fc.indicator_column(fc.categorical_column_with_identity("animal", 4))
    assert type(animal).from_config(animal.get_config()) == animal


def test_embedding_defaults(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 3)
    e = fc.embedding_column(ids, dimension=2)
    assert e.categorical_column is ids
    assert (e.dimension, e.combiner, e.name) == (2, "mean", "aaa_embedding")
    assert (e.ckpt_to_load_from, e.tensor_name_in_ckpt, e.max_norm) == (None,) * 3
    assert e.trainable is True
    assert tuple(e.variable_shape) == (2,)
    assert fcx.spec(e.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int64), None)
    }


def _all_args(fc, **extra):
    return dict(
        dimension=2,
        combiner="my_combiner",
        initializer=lambda: "my_initializer",
        ckpt_to_load_from="my_ckpt",
        tensor_name_in_ckpt="my_ckpt_tensor",
        max_norm=42.0,
        trainable=False,
        **extra,
    )


def test_embedding_all_constructor_args(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 3)
    original = fc.embedding_column(ids, **_all_args(fc))
    for e in (original, copy.deepcopy(original)):
        assert (e.categorical_column.name, e.categorical_column.num_buckets) == (
            "aaa",
            3,
        )
        assert (e.dimension, e.combiner, e.max_norm, e.trainable) == (
            2,
            "my_combiner",
            42.0,
            False,
        )
        assert (e.ckpt_to_load_from, e.tensor_name_in_ckpt) == (
            "my_ckpt",
            "my_ckpt_tensor",
        )
        assert (e.name, tuple(e.variable_shape)) == ("aaa_embedding", (2,))
        assert fcx.spec(e.parse_example_spec) == {
            "aaa": ("VarLenFeature", None, np.dtype(np.int64), None)
        }


def test_embedding_initializer_must_be_callable(api):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 3)
    with pytest.raises(ValueError, match="initializer must be callable"):
        fc.embedding_column(ids, dimension=2, initializer="not_fn")


def test_embedding_parse_example(api, fcx):
    fc = api.feature_column
    a = fc.categorical_column_with_vocabulary_list("aaa", WIRE)
    got = fcx.parse([fc.embedding_column(a, 2)], [{"aaa": [b"omar", b"stringer"]}])
    assert got["aaa"].values.tolist() == [b"omar", b"stringer"]


EMBEDDING_3 = ((1.0, 2.0), (3.0, 5.0), (7.0, 11.0))


def test_embedding_lookup(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 3)
    e = fc.embedding_column(ids, dimension=2, initializer=_table(EMBEDDING_3))
    # Example ids [2], [0, 1], [], [1]; combiner mean.
    feats = {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 4], [3, 0]], [2, 0, 1, 1], [4, 5])}
    out = fcx.dense([e], feats).tolist()
    assert out == [[7.0, 11.0], [2.0, 3.5], [0.0, 0.0], [3.0, 5.0]]


def test_embedding_ids_below_zero_are_skipped(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 2)
    e = fc.embedding_column(ids, dimension=2, initializer=_table(EMBEDDING_3[:2]))
    feats = {
        "aaa": fcx.sparse([[0, 0], [0, 0], [1, 1], [1, 2]], [-9, 0, -6, 1], [2, 4])
    }
    assert fcx.dense([e], feats).tolist() == [[1.0, 2.0], [3.0, 5.0]]


def test_embedding_ids_too_big_fail(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 2)
    e = fc.embedding_column(ids, dimension=2, initializer=_table(EMBEDDING_3[:2]))
    feats = {"aaa": fcx.sparse([[0, 0], [1, 0]], [2, 0], [4, 5])}
    with pytest.raises(
        api.errors.InvalidArgumentError, match=r"indices\[0\].*\[0, 2\)"
    ):
        fcx.dense([e], feats)


def test_embedding_linear_model(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 3)
    e = fc.embedding_column(ids, dimension=2, initializer=_table(EMBEDDING_3))

    def feats():
        return {
            "aaa": fcx.sparse([[0, 0], [1, 0], [1, 4], [3, 0]], [2, 0, 1, 1], [4, 5])
        }

    # sum(embedding * [4, 6]) per example.
    out = fcx.linear([e], feats, {e.name: [[4.0], [6.0]]})
    assert out.tolist() == [[94.0], [29.0], [0.0], [42.0]]


def _two_ids(fc, size=3):
    return (
        fc.categorical_column_with_identity("aaa", size),
        fc.categorical_column_with_identity("bbb", size),
    )


def test_shared_embedding_defaults(api, fcx):
    fc = api.feature_column

    def build():
        a, b = _two_ids(fc)
        eb, ea = fc.shared_embeddings([b, a], dimension=2)
        return a, b, ea, eb

    a, b, ea, eb = fcx.in_graph(build)
    assert (ea.categorical_column, eb.categorical_column) == (a, b)
    assert (ea.max_norm, eb.max_norm) == (None, None)
    assert (ea.name, eb.name) == ("aaa_shared_embedding", "bbb_shared_embedding")
    assert tuple(ea.variable_shape) == tuple(eb.variable_shape) == (2,)
    assert fcx.spec(ea.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int64), None)
    }
    assert fcx.spec(eb.parse_example_spec) == {
        "bbb": ("VarLenFeature", None, np.dtype(np.int64), None)
    }


def test_shared_embedding_all_constructor_args(api, fcx):
    fc = api.feature_column

    def build():
        args = _all_args(fc, shared_embedding_collection_name="collection")
        return fc.shared_embeddings(list(_two_ids(fc)), **args)

    ea, eb = fcx.in_graph(build)
    for e, key in ((ea, "aaa"), (eb, "bbb")):
        assert (e.max_norm, e.name) == (42.0, f"{key}_shared_embedding")
        assert tuple(e.variable_shape) == (2,)
    copied = copy.deepcopy(ea)
    assert (copied.categorical_column.name, copied.max_norm) == ("aaa", 42.0)


def test_shared_embedding_initializer_must_be_callable(api, fcx):
    fc = api.feature_column
    with pytest.raises(ValueError, match="initializer must be callable"):
        fcx.in_graph(
            lambda: fc.shared_embeddings(
                list(_two_ids(fc)), dimension=2, initializer="not_fn"
            )
        )


def test_shared_embedding_needs_one_column_kind(api, fcx):
    fc = api.feature_column
    columns = [*_two_ids(fc), fc.categorical_column_with_hash_bucket("ccc", 3)]
    with pytest.raises(
        ValueError,
        match="all categorical_columns must have the same type.*"
        "IdentityCategoricalColumn.*HashedCategoricalColumn",
    ):
        fcx.in_graph(lambda: fc.shared_embeddings(columns, dimension=2))


def test_shared_embedding_accepts_weighted_columns(api, fcx):
    fc = api.feature_column
    a, b = _two_ids(fc)
    wa = fc.weighted_categorical_column(a, weight_feature_key="aaa_weights")
    wb = fc.weighted_categorical_column(b, weight_feature_key="bbb_weights")

    def build():
        for pair in ([wa, b], [a, wb], [wa, wb]):
            fc.shared_embeddings(pair, dimension=2)
        return True

    assert fcx.in_graph(build)


def test_shared_embedding_parse_example(api, fcx):
    fc = api.feature_column

    def build():
        a = fc.categorical_column_with_vocabulary_list("aaa", WIRE)
        b = fc.categorical_column_with_vocabulary_list("bbb", WIRE)
        return fc.shared_embeddings([a, b], dimension=2)

    columns = fcx.in_graph(build)
    example = {"aaa": [b"omar", b"stringer"], "bbb": [b"stringer", b"marlo"]}
    got = fcx.parse(columns, [example])
    assert got["aaa"].values.tolist() == [b"omar", b"stringer"]
    assert got["bbb"].values.tolist() == [b"stringer", b"marlo"]


def _shared_output(api, fcx, size, values, input_a, input_b):
    fc = api.feature_column

    def columns():
        return fc.shared_embeddings(
            list(_two_ids(fc, size)), dimension=2, initializer=_table(values)
        )

    feats = {"aaa": np.array(input_a), "bbb": np.array(input_b)}
    return fcx.dense_graph(columns, lambda: feats).tolist()


def test_shared_embedding_lookup(api, fcx):
    table = EMBEDDING_3 + ((9.0, 13.0),)
    out = _shared_output(
        api,
        fcx,
        4,
        table,
        [[2, -1, -1], [0, 1, -1]],  # ids [2], [0, 1]
        [[0, -1, -1], [-1, -1, -1]],  # ids [0], []
    )
    assert out == [[7.0, 11.0, 1.0, 2.0], [2.0, 3.5, 0.0, 0.0]]


def test_shared_embedding_lookup_valid(api, fcx):
    out = _shared_output(
        api,
        fcx,
        3,
        EMBEDDING_3,
        [[2, 1], [0, -1]],  # ids [2, 1], [0]
        [[1, -1], [1, 2]],  # ids [1], [1, 2]
    )
    assert out == [[5.0, 8.0, 3.0, 5.0], [1.0, 2.0, 5.0, 8.0]]


def test_dense_features_reuses_its_table(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("a", 3)
    table = ((1.0, 0.0), (0.0, 1.0), (1.0, 1.0))
    e = fc.embedding_column(ids, dimension=2, initializer=_table(table))
    layer = fcx.dense_layer([e])
    feats = {"a": fcx.sparse([[0, 0], [1, 0], [2, 0]], [0, 1, 2], [3, 3])}
    assert np.asarray(to_numpy(layer(feats))).tolist() == [list(r) for r in table]
    variables = list(layer.weights)
    assert len(variables) == 1
    layer(feats)
    assert len(layer.weights) == 1 and layer.weights[0] is variables[0]


def test_dense_features_gradient_is_sparse(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("a", 3)
    table = ((1.0, 0.0), (0.0, 1.0), (1.0, 1.0))
    e = fc.embedding_column(ids, dimension=2, initializer=_table(table))
    layer = fcx.dense_layer([e])
    feats = {"a": fcx.sparse([[0, 0], [1, 0], [2, 0]], [0, 1, 2], [3, 3])}
    layer(feats)
    with api.GradientTape() as tape:
        out = layer(feats) * 2
    (grad,) = tape.gradient(out, layer.trainable_weights)
    assert np.asarray(to_numpy(grad.indices)).tolist() == [0, 1, 2]
    assert np.asarray(to_numpy(grad.values)).tolist() == [[2.0, 2.0]] * 3
