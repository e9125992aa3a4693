"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
OldLinearModelTest (TF's feature-column linear model, which TF 2.21 keeps as
``tf.compat.v1.feature_column.linear_model``; ours is ``LinearModel``).
"""

from __future__ import annotations

import numpy as np
import pytest

WIRE_WEIGHTS = [[10.0], [100.0], [1000.0], [10000.0]]


def _wire(fcx, values=("omar", "stringer", "marlo")):
    """omar, stringer, marlo hash to 2, 0, 3 in 4 buckets."""
    return fcx.sparse([[0, 0], [1, 0], [1, 1]], list(values), [2, 2])


def test_linear_model_needs_columns(api, fcx):
    with pytest.raises(ValueError, match="feature_columns must not be empty"):
        fcx.linear([], lambda: {})


def test_linear_model_takes_a_bare_column(api, fcx):
    price = api.feature_column.numeric_column("price")
    out = fcx.linear(price, lambda: {"price": [[1.0], [5.0]]}, {"price": [[2.0]]})
    assert out.tolist() == [[2.0], [10.0]]


def test_linear_model_refuses_a_dict_of_columns(api, fcx):
    columns = {"a": api.feature_column.numeric_column("a")}
    with pytest.raises(
        ValueError, match="Expected feature_columns to be iterable, found dict."
    ):
        fcx.linear(columns, lambda: {"a": [[0]]})


def test_linear_model_refuses_duplicate_names(api, fcx):
    fc = api.feature_column
    columns = [fc.numeric_column("a"), fc.numeric_column("a")]
    with pytest.raises(ValueError, match="Duplicate feature column name found"):
        fcx.linear(columns, lambda: {"a": [[0]]})


def test_dense_bias(api, fcx):
    price = api.feature_column.numeric_column("price")
    out = fcx.linear(
        [price], lambda: {"price": [[1.0], [5.0]]}, {"price": [[10.0]]}, bias=[5.0]
    )
    assert out.tolist() == [[15.0], [55.0]]


def test_sparse_bias(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire_cast", 4)
    feats = lambda: {"wire_cast": _wire(fcx)}  # noqa: E731
    out = fcx.linear([wire], feats, {"wire_cast": WIRE_WEIGHTS}, bias=[5.0])
    assert out.tolist() == [[1005.0], [10015.0]]


def test_dense_and_sparse_bias(api, fcx):
    fc = api.feature_column
    wire = fc.categorical_column_with_hash_bucket("wire_cast", 4)
    price = fc.numeric_column("price")
    feats = lambda: {"wire_cast": _wire(fcx), "price": [[1.0], [5.0]]}  # noqa: E731
    weights = {"wire_cast": WIRE_WEIGHTS, "price": [[10.0]]}
    out = fcx.linear([wire, price], feats, weights, bias=[5.0])
    assert out.tolist() == [[1015.0], [10065.0]]


def test_dense_multi_output(api, fcx):
    price = api.feature_column.numeric_column("price")
    out = fcx.linear(
        [price],
        lambda: {"price": [[1.0], [5.0]]},
        {"price": [[10.0, 100.0, 1000.0]]},
        bias=[5.0, 6.0, 7.0],
        units=3,
    )
    assert out.tolist() == [[15.0, 106.0, 1007.0], [55.0, 506.0, 5007.0]]


def test_sparse_multi_output(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire_cast", 4)
    weights = [[10.0 ** (i + 1) * (1 + j / 10) for j in range(3)] for i in range(4)]
    out = fcx.linear(
        [wire],
        lambda: {"wire_cast": _wire(fcx)},
        {"wire_cast": weights},
        bias=[5.0, 6.0, 7.0],
        units=3,
    )
    expected = [[1005.0, 1106.0, 1207.0], [10015.0, 11017.0, 12019.0]]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_dense_multi_dimension(api, fcx):
    price = api.feature_column.numeric_column("price", shape=2)
    feats = lambda: {"price": [[1.0, 2.0], [5.0, 6.0]]}  # noqa: E731
    assert fcx.linear([price], feats).tolist() == [[0.0], [0.0]]
    out = fcx.linear([price], feats, {"price": [[10.0], [100.0]]})
    assert out.tolist() == [[210.0], [650.0]]


def test_sparse_multi_rank(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire_cast", 4)

    def feats():
        return {
            "wire_cast": fcx.sparse(
                [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 0, 1]],
                ["omar", "stringer", "marlo", "omar"],  # 2, 0, 3, 2
                [2, 2, 2],
            )
        }

    assert fcx.linear([wire], feats).tolist() == [[0.0], [0.0]]
    out = fcx.linear([wire], feats, {"wire_cast": WIRE_WEIGHTS})
    assert out.tolist() == [[1010.0], [11000.0]]


def test_sparse_combiner_mean(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire_cast", 4)
    out = fcx.linear(
        [wire],
        lambda: {"wire_cast": _wire(fcx)},
        {"wire_cast": WIRE_WEIGHTS},
        bias=[5.0],
        sparse_combiner="mean",
    )
    assert out.tolist() == [[1005.0], [5010.0]]


def test_dense_multi_dimension_multi_output(api, fcx):
    price = api.feature_column.numeric_column("price", shape=2)
    out = fcx.linear(
        [price],
        lambda: {"price": [[1.0, 2.0], [5.0, 6.0]]},
        {"price": [[1.0, 2.0, 3.0], [10.0, 100.0, 1000.0]]},
        bias=[2.0, 3.0, 4.0],
        units=3,
    )
    assert out.tolist() == [[23.0, 205.0, 2007.0], [67.0, 613.0, 6019.0]]


def test_shape_mismatch(api, fcx):
    price = api.feature_column.numeric_column("price", shape=2)
    with pytest.raises(
        Exception, match=r"Cannot reshape a tensor with 2 elements to shape \[2,2\]"
    ):
        fcx.linear([price], lambda: {"price": [[1.0], [5.0]]})


def test_dense_reshaping(api, fcx):
    price = api.feature_column.numeric_column("price", shape=[1, 2])
    out = fcx.linear(
        [price],
        lambda: {"price": [[[1.0, 2.0]], [[5.0, 6.0]]]},
        {"price": [[10.0], [100.0]]},
    )
    assert out.tolist() == [[210.0], [650.0]]


def test_dense_multi_column(api, fcx):
    fc = api.feature_column
    price1, price2 = fc.numeric_column("price1", shape=2), fc.numeric_column("price2")
    feats = lambda: {"price1": [[1.0, 2.0], [5.0, 6.0]], "price2": [[3.0], [4.0]]}  # noqa: E731
    weights = {"price1": [[10.0], [100.0]], "price2": [[1000.0]]}
    out = fcx.linear([price1, price2], feats, weights, bias=[7.0])
    assert out.tolist() == [[3217.0], [4657.0]]


def test_weights_are_named_by_column(api, fcx):
    fc = api.feature_column
    price_a, price_b = fc.numeric_column("price_a"), fc.numeric_column("price_b")
    wire = fc.categorical_column_with_hash_bucket("wire_cast", 4)

    def feats():
        return {
            "price_a": [[1.0]],
            "price_b": [[3.0]],
            "wire_cast": fcx.sparse([[0, 0]], ["omar"], [1, 1]),
        }

    for columns in ([price_a, wire, price_b], [wire, price_b, price_a]):
        assert fcx.linear_weight_names(columns, feats) == [
            "bias_weights",
            "price_a/weights",
            "price_b/weights",
            "wire_cast/weights",
        ]


def test_nested_cross_names_the_weight(api, fcx):
    fc = api.feature_column
    inner = fc.crossed_column(["d2", "c"], 10)
    crossed = fc.crossed_column([inner, "d1"], 10)

    def feats():
        return {k: fcx.sparse([[0, 0]], [k], [1, 1]) for k in ("c", "d1", "d2")}

    assert fcx.linear_weight_names([crossed], feats) == [
        "bias_weights",
        "c_X_d1_X_d2/weights",
    ]


def test_static_batch_size_mismatch(api, fcx):
    fc = api.feature_column
    columns = [fc.numeric_column("price1"), fc.numeric_column("price2")]
    feats = lambda: {"price1": [[1.0], [5.0], [7.0]], "price2": [[3.0], [4.0]]}  # noqa: E731
    with pytest.raises(
        ValueError,
        match=r"Batch size \(first dimension\) of each feature must be same.",
    ):
        fcx.linear(columns, feats)


def test_one_dimensional_inputs(api, fcx):
    fc = api.feature_column
    buckets = fc.bucketized_column(fc.numeric_column("price"), [0.0, 10.0, 100.0])
    body_style = fc.categorical_column_with_vocabulary_list(
        "body-style", ["hardtop", "wagon", "sedan"]
    )

    def feats():
        return {
            "price": np.array([-1.0, 12.0], np.float32),
            "body-style": fcx.sparse([[0], [1]], ["sedan", "hardtop"], [2]),
        }

    weights = {
        buckets.name: WIRE_WEIGHTS,
        body_style.name: [[-10.0], [-100.0], [-1000.0]],
    }
    out = fcx.linear([buckets, body_style], feats, weights, bias=[5.0])
    assert out.tolist() == [[10.0 - 1000.0 + 5.0], [1000.0 - 10.0 + 5.0]]


def test_rank_0_feature(api, fcx):
    price = api.feature_column.numeric_column("price")
    with pytest.raises(ValueError, match="Feature .* cannot have rank 0"):
        fcx.linear([price], lambda: {"price": np.array(0.0, np.float32)})


def test_embedding_column_trains_its_table(api, fcx):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity("aaa", 3)
    embedded = fc.embedding_column(ids, dimension=2)

    def feats():
        return {
            "aaa": fcx.sparse([[0, 0], [1, 0], [1, 4], [3, 0]], [2, 0, 1, 1], [4, 5])
        }

    assert fcx.linear_weight_names([embedded], feats) == [
        "aaa_embedding/embedding_weights",
        "aaa_embedding/weights",
        "bias_weights",
    ]


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("trainable", [None, False])
def test_trainable(api, fcx, sparse, trainable):
    fc = api.feature_column
    if sparse:
        column = fc.categorical_column_with_hash_bucket("wire_cast", 4)
        feats = lambda: {"wire_cast": fcx.sparse([[0, 0]], ["omar"], [1, 1])}  # noqa: E731
    else:
        column = fc.numeric_column("price")
        feats = lambda: {"price": [[1.0], [5.0]]}  # noqa: E731
    kwargs = {} if trainable is None else {"trainable": trainable}
    names = fcx.linear_weight_names([column], feats, trainable_only=True, **kwargs)
    if trainable is False:
        assert names == []
    else:
        assert names == ["bias_weights", f"{column.name}/weights"]
