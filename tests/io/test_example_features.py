"""pipeline.io.example_features / example_ragged: SparseFeature and RaggedFeature."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_parsing import example, float_feature, int64_feature

from pipeline.errors import InvalidArgumentError
from pipeline.io import (
    FixedLenFeature,
    RaggedFeature,
    SparseFeature,
    parse_example,
    parse_single_example,
)
from pipeline.ragged import RaggedTensor


def test_sparse_feature_lengths_must_match():
    rec = example({"v": float_feature([1, 2, 3]), "i": int64_feature([1, 2])})
    with pytest.raises(InvalidArgumentError, match="record 0 has 2 values in 'i'"):
        parse_example([rec], {"sp": SparseFeature("i", "v", np.float32, 5)})


def test_sparse_feature_already_sorted_keeps_order():
    rec = example({"v": float_feature([1, 2]), "i": int64_feature([3, 1])})
    kept = parse_example([rec], {"sp": SparseFeature("i", "v", "float32", 5, True)})
    assert kept["sp"].indices.tolist() == [[0, 3], [0, 1]]
    ordered = parse_example([rec], {"sp": SparseFeature("i", "v", "float32", 5)})
    assert ordered["sp"].indices.tolist() == [[0, 1], [0, 3]]
    assert ordered["sp"].values.tolist() == [2.0, 1.0]


def test_ragged_feature_defaults_and_repr():
    spec = RaggedFeature("int64", partitions=[RaggedFeature.RowLengths("n")])
    assert spec.keys("out") == ["out", "n"]
    assert spec.row_splits_dtype == np.int32 and spec.validate is False
    assert "RowLengths(key='n')" in repr(spec)
    with pytest.raises(TypeError, match="Unexpected partition type"):
        RaggedFeature("int64", partitions=["n"])
    with pytest.raises(ValueError, match="int32 or int64"):
        RaggedFeature("int64", row_splits_dtype=np.float32)


def test_ragged_uniform_row_length_must_divide():
    rec = example({"v": float_feature([1, 2, 3])})
    spec = RaggedFeature(
        np.float32, value_key="v", partitions=[RaggedFeature.UniformRowLength(2)]
    )
    with pytest.raises(InvalidArgumentError, match="multiple of 2"):
        parse_example([rec], {"r": spec})


def test_ragged_validate_checks_splits():
    rec = example({"v": float_feature([1, 2, 3, 4]), "s": int64_feature([0, 1, 3])})
    parts = [RaggedFeature.RowSplits("s")]
    loose = parse_example([rec], {"r": RaggedFeature(np.float32, "v", parts)})
    assert loose["r"].to_list() == [[[1.0], [2.0, 3.0]]]
    strict = RaggedFeature(np.float32, "v", parts, validate=True)
    with pytest.raises(InvalidArgumentError, match="valid RaggedTensor"):
        parse_example([rec], {"r": strict})


def test_single_ragged_without_partitions_is_dense():
    out = parse_single_example(
        example({"v": float_feature([1, 2])}), {"v": RaggedFeature(np.float32)}
    )
    assert isinstance(out["v"], np.ndarray) and out["v"].tolist() == [1.0, 2.0]
    batch = parse_example([b""], {"v": RaggedFeature(np.float32)})
    assert isinstance(batch["v"], RaggedTensor) and batch["v"].to_list() == [[]]


def test_empty_default_leaves_the_feature_required():
    spec = {"z": FixedLenFeature([0], np.float32, default_value=[])}
    with pytest.raises(InvalidArgumentError, match="Name: <unknown>, Feature: z"):
        parse_example([b""], spec)
    present = parse_example([example({"z": float_feature([])})], spec)
    assert present["z"].shape == (1, 0)


def test_example_names_in_messages():
    spec = {"a": FixedLenFeature([2], np.int64)}
    rec = example({"a": float_feature([1, 2])})
    with pytest.raises(InvalidArgumentError, match="^Name: r1, Key: a, Index: 1"):
        parse_example([example({"a": int64_feature([1, 2])}), rec], spec, ["r0", "r1"])
    with pytest.raises(InvalidArgumentError, match="^Key: a, Index: 0"):
        parse_single_example(rec, spec, example_names="r0")
