"""adapt(): one streaming pass fitting pending columns, with bounded sketches."""

from __future__ import annotations

import json

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import FailedPreconditionError
from pipeline.feature_column import _sketches

fc = pl.feature_column


def batches(n_batches=20, size=50, seed=1):
    rng = np.random.default_rng(seed)
    words = np.array([b"a", b"b", b"c", b"d"], dtype=object)
    for _ in range(n_batches):
        yield {
            "x": rng.normal(10.0, 2.0, size),
            "u": rng.uniform(0.0, 1.0, size),
            "w": words[rng.choice(4, size, p=[0.5, 0.3, 0.15, 0.05])],
            "h": np.array(
                [f"id{i}".encode() for i in rng.integers(0, 300, size)], dtype=object
            ),
        }


def test_adapt_fits_every_pending_column(tmp_path):
    data = list(batches())
    cols = [
        fc.normalized_numeric_column("x"),
        fc.quantile_bucketized_column("u", 4),
        fc.embedding_column(fc.vocabulary_column("w", top_k=3), 2),
        fc.indicator_column(fc.categorical_column_with_hash_bucket("h", 10)),
    ]
    result = fc.adapt(cols, iter(data), vocabulary_dir=str(tmp_path))
    x = np.concatenate([b["x"] for b in data])
    u = np.concatenate([b["u"] for b in data])
    norm = result.columns[0].normalizer_fn
    np.testing.assert_allclose(norm.mean, [x.mean()], rtol=1e-12)
    np.testing.assert_allclose(norm.variance, [x.var()], rtol=1e-9)
    bounds = result.columns[1].boundaries
    exact = np.quantile(u, [0.25, 0.5, 0.75], method="higher")
    np.testing.assert_allclose(
        bounds, exact.astype(np.float32), rtol=1e-6
    )  # exact: small data
    vocab_col = result.columns[2].categorical_column
    assert isinstance(vocab_col, fc.VocabularyFileCategoricalColumn)
    assert (tmp_path / "w.txt").read_text() == "a\nb\nc\n"
    assert result.statistics["h"]["distinct_estimate"] == pytest.approx(300, rel=0.05)
    assert result.statistics["u"]["quantile_rank_error"] == 0.0
    # the fitted columns work, and survive a JSON config round trip
    out = fc.dense_features(result.columns, data[0])
    assert out.shape == (50, 1 + 4 + 2 + 10)  # 4 quantile buckets: 3 boundaries
    for col in result.columns:
        config = json.loads(json.dumps(fc.serialize_feature_column(col)))
        assert fc.deserialize_feature_column(config) == col


def test_vocabulary_list_min_count_and_tuple_elements():
    data = [({"w": np.array([b"x", b"y", b"x"], dtype=object)}, np.zeros(3))]
    result = fc.adapt([fc.vocabulary_column("w", min_count=2, num_oov_buckets=1)], data)
    col = result.columns[0]
    assert col.vocabulary_list == (b"x",) and col.num_buckets == 2


def test_single_examples_are_accepted():
    data = [{"x": 1.0, "w": b"p"}, {"x": 3.0, "w": b"p"}]
    result = fc.adapt(
        [fc.normalized_numeric_column("x"), fc.vocabulary_column("w")], data
    )
    assert result.columns[0].normalizer_fn.mean.tolist() == [2.0]
    assert result.columns[1].vocabulary_list == (b"p",)


def test_pending_columns_refuse_to_run_and_no_data_fails():
    col = fc.normalized_numeric_column("x")
    with pytest.raises(FailedPreconditionError, match="adapt"):
        fc.transform_dense(col, {"x": [1.0]})
    with pytest.raises(FailedPreconditionError, match="no values"):
        fc.adapt([col], [])


def test_crossed_and_nested_pending_columns_are_replaced():
    cross = fc.crossed_column([fc.quantile_bucketized_column("u", 2), "w"], 16)
    result = fc.adapt([fc.indicator_column(cross)], batches(2))
    inner = result.columns[0].categorical_column.keys[0]
    assert isinstance(inner, fc.BucketizedColumn) and len(inner.boundaries) == 1


def test_quantile_sample_bound_and_accuracy():
    sample = _sketches.QuantileSample(capacity=2000, seed=3)
    rng = np.random.default_rng(0)
    data = rng.uniform(size=200_000)
    for chunk in np.array_split(data, 400):
        sample.update(chunk)
    bound = sample.error_bound
    assert 0 < bound < 0.07
    cuts = sample.boundaries(10)
    ranks = np.searchsorted(np.sort(data), cuts) / data.size
    assert np.max(np.abs(ranks - np.arange(1, 10) / 10)) <= bound


def test_frequent_values_bound_after_pruning():
    fv = _sketches.FrequentValues(capacity=10)
    rng = np.random.default_rng(0)
    stream = rng.zipf(1.5, 20000) % 1000
    for chunk in np.array_split(stream, 100):
        fv.update(chunk)
    exact = {v: c for v, c in zip(*np.unique(stream, return_counts=True))}
    for value, count in fv.top(5, 1):
        assert exact[value] - fv.error_bound <= count <= exact[value]
    assert fv.top(1, 1)[0][0] == max(exact, key=exact.get)


def test_embedding_dimension_rule():
    assert [fc.embedding_dimension(n) for n in (1, 2, 16, 17, 625, 626)] == [
        1,
        2,
        2,
        3,
        5,
        6,
    ]
    with pytest.raises(ValueError, match="num_values"):
        fc.embedding_dimension(0)


def test_adapt_reads_a_pl_data_dataset():
    x = np.arange(1000, dtype=np.float32)
    words = np.array([b"a", b"b", b"b", b"c"] * 250, dtype=object)
    ds = pl.data.Dataset.from_tensor_slices({"x": x, "w": words}).batch(64)
    result = fc.adapt(
        [fc.normalized_numeric_column("x"), fc.vocabulary_column("w")], ds
    )
    assert result.columns[0].normalizer_fn.mean.tolist() == [float(x.mean())]
    assert result.columns[1].vocabulary_list == (b"b", b"a", b"c")
    assert result.statistics["w"]["distinct_estimate"] == 3
