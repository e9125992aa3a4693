"""pipeline.io.example_sequence: SequenceExample parsing, its errors and edges."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_parsing import (
    float_feature,
    int64_feature,
    sequence_example,
)

from pipeline.errors import InvalidArgumentError
from pipeline.io import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    VarLenFeature,
    parse_sequence_example,
    parse_single_sequence_example,
)
from pipeline.ragged import RaggedTensor

REC = sequence_example(
    context={"c": float_feature([2.5])},
    feature_lists={"a": [int64_feature([1]), int64_feature([2, 3])]},
)


def test_context_and_lists_together():
    ctx, lists, lengths = parse_sequence_example(
        [REC, sequence_example()],
        {"c": FixedLenFeature([], np.float32, default_value=-1.0)},
        {
            "a": VarLenFeature(np.int64),
            "r": RaggedFeature(np.int64, value_key="a"),
        },
    )
    assert ctx["c"].tolist() == [2.5, -1.0]
    assert lists["a"].indices.tolist() == [[0, 0, 0], [0, 1, 0], [0, 1, 1]]
    assert lists["a"].dense_shape.tolist() == [2, 2, 2]
    assert isinstance(lists["r"], RaggedTensor)
    assert lists["r"].to_list() == [[[1], [2, 3]], []]
    assert lengths == {}


def test_malformed_record_names_the_example():
    with pytest.raises(InvalidArgumentError, match="example id: in1"):
        parse_sequence_example(
            [b"\x12\x05zz"],
            sequence_features={"a": VarLenFeature(np.int64)},
            example_names=["in1"],
        )
    with pytest.raises(InvalidArgumentError, match="example id: <unknown>"):
        parse_single_sequence_example(
            b"\x12\x05zz", sequence_features={"a": VarLenFeature(np.int64)}
        )


def test_spec_checks_are_tfs_value_errors():
    with pytest.raises(ValueError, match="at least one should have values"):
        parse_sequence_example([REC])
    with pytest.raises(ValueError, match="Unsupported FixedLenFeature"):
        parse_sequence_example([REC], None, {"a": FixedLenFeature([], np.int64)})
    with pytest.raises(ValueError, match="Unsupported FixedLenSequenceFeature"):
        parse_sequence_example(
            [REC], {"c": FixedLenSequenceFeature([], np.float32, True)}
        )
    with pytest.raises(ValueError, match=r"dense_defaults\[a\] must be None"):
        parse_sequence_example(
            [REC], None, {"a": FixedLenSequenceFeature([], np.int64, default_value=0)}
        )


def test_fixed_len_sequence_steps_and_lengths():
    recs = [
        sequence_example(feature_lists={"s": [int64_feature([1, 2])] * 3}),
        sequence_example(feature_lists={"s": [int64_feature([5, 6])]}),
    ]
    _, lists, lengths = parse_sequence_example(
        recs, None, {"s": FixedLenSequenceFeature([2], np.int64)}
    )
    assert lists["s"].tolist() == [[[1, 2]] * 3, [[5, 6], [0, 0], [0, 0]]]
    assert lengths["s"].tolist() == [3, 1]
    assert lengths["s"].dtype == np.int64
    with pytest.raises(InvalidArgumentError, match="Total values size: 5"):
        parse_sequence_example(
            [sequence_example(feature_lists={"s": [int64_feature([1, 2, 3, 4, 5])]})],
            None,
            {"s": FixedLenSequenceFeature([2], np.int64)},
        )


def test_fixed_len_sequence_empty_step_is_an_error():
    rec = sequence_example(feature_lists={"v": [float_feature([1.0]), None]})
    with pytest.raises(InvalidArgumentError, match=r"Key: v, Index: 1.*values size: 0"):
        parse_single_sequence_example(
            rec, sequence_features={"v": FixedLenSequenceFeature([], np.float32)}
        )


def test_single_gives_steps_without_batch():
    ctx, lists = parse_single_sequence_example(
        REC,
        {"c": VarLenFeature(np.float32)},
        {"a": VarLenFeature(np.int64)},
        example_name="x",
    )
    assert ctx["c"].indices.tolist() == [[0]]
    assert lists["a"].indices.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert lists["a"].dense_shape.tolist() == [2, 2]


def test_misaligned_partition_lists():
    rec = sequence_example(
        feature_lists={
            "v": [int64_feature([1, 2]), int64_feature([3])],
            "s": [int64_feature([0, 2])],
        }
    )
    spec = RaggedFeature(
        np.int64, value_key="v", partitions=[RaggedFeature.RowSplits("s")]
    )
    with pytest.raises(InvalidArgumentError, match="not aligned"):
        parse_sequence_example([rec], None, {"r": spec})


def test_context_type_error_in_tf_wording():
    with pytest.raises(
        InvalidArgumentError,
        match=r"^Name: in1, Context feature: c\.  Data types don't match\. "
        "Expected type: int64",
    ):
        parse_sequence_example(
            [REC], {"c": FixedLenFeature([], np.int64)}, example_names=["in1"]
        )
    with pytest.raises(InvalidArgumentError, match="^Name: <unknown>, Feature: c"):
        parse_sequence_example(
            [sequence_example()], {"c": FixedLenFeature([], np.int64)}
        )
