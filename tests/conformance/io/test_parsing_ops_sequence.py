"""TF's parsing_ops_test.py, the SequenceExample cases.

Ported from tensorflow/python/kernel_tests/io_ops/parsing_ops_test.py
(ParseSequenceExampleTest). As there, most cases run through
parse_single_sequence_example and again as a batch of one through
parse_sequence_example, whose expectations gain a batch dimension.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_parsing import (
    bytes_feature,
    check,
    empty_feature,
    float_feature,
    int64_feature,
    random_bytes,
    sequence_example,
    sparse,
    train_module,
)
from conformance_support import SparseValue, numpy_dtype

RNG = np.random.default_rng(4321)


def _batched(value, kind):
    """An expectation of a single record, with a batch dimension of one."""
    if isinstance(value, SparseValue):
        indices = np.insert(value.indices, 0, 0, axis=1)
        return SparseValue(indices, value.values, np.insert(value.dense_shape, 0, 1))
    if kind == "ragged":
        return [value]
    return np.expand_dims(value, 0)


def _kind(api, spec):
    if isinstance(spec, api.io.RaggedFeature):
        return "ragged"
    if isinstance(spec, api.io.FixedLenSequenceFeature):
        return "sequence"
    return "other"


def both(api, serialized, name=None, context=None, sequence=None, ctx=None, lists=None):
    """Check one record through both the single and the batch parser."""
    context, sequence = context or {}, sequence or {}
    ctx_out, lists_out = api.io.parse_single_sequence_example(
        serialized,
        context_features=context or None,
        sequence_features=sequence or None,
        example_name=name,
    )
    check(ctx_out, ctx or {})
    check(lists_out, lists or {})
    ctx_out, lists_out, lengths = api.io.parse_sequence_example(
        [serialized],
        context_features=context or None,
        sequence_features=sequence or None,
        example_names=None if name is None else [name],
    )
    check(
        ctx_out,
        {k: _batched(v, _kind(api, context[k])) for k, v in ctx.items()} if ctx else {},
    )
    want_lists, want_lengths = {}, {}
    for key, value in (lists or {}).items():
        kind = _kind(api, sequence[key])
        want_lists[key] = _batched(value, kind)
        if kind == "sequence":
            want_lengths[key] = np.array([np.shape(value)[0]], np.int64)
    check(lists_out, want_lists)
    check(lengths, want_lengths)


def both_fail(api, serialized, sequence, match, name="in1"):
    """Both parsers raise TF's error for one record."""
    with pytest.raises(api.errors.InvalidArgumentError, match=match):
        api.io.parse_single_sequence_example(
            serialized, sequence_features=sequence, example_name=name
        )
    with pytest.raises(api.errors.InvalidArgumentError, match=match):
        api.io.parse_sequence_example(
            [serialized], sequence_features=sequence, example_names=[name]
        )


def test_create_sequence_example(api):
    train = train_module(api)
    value = train.SequenceExample(
        context=train.Features(
            feature={
                "global_feature": train.Feature(
                    float_list=train.FloatList(value=[1, 2, 3])
                )
            }
        ),
        feature_lists=train.FeatureLists(
            feature_list={
                "repeated_feature_2_frames": train.FeatureList(
                    feature=[
                        train.Feature(
                            bytes_list=train.BytesList(value=[b"a", b"b", b"c"])
                        ),
                        train.Feature(
                            bytes_list=train.BytesList(value=[b"a", b"d", b"e"])
                        ),
                    ]
                ),
                "repeated_feature_3_frames": train.FeatureList(
                    feature=[
                        train.Feature(int64_list=train.Int64List(value=v))
                        for v in ([3, 4, 5, 6, 7], [-1, 0, 0, 0, 0], [1, 2, 3, 4, 5])
                    ]
                ),
            }
        ),
    )
    serialized = value.SerializeToString()  # the TF case is this smoke test
    ctx, lists = api.io.parse_single_sequence_example(
        serialized,
        context_features={"global_feature": api.io.FixedLenFeature([3], api.float32)},
        sequence_features={
            "repeated_feature_3_frames": api.io.FixedLenSequenceFeature([5], api.int64)
        },
    )
    check(ctx, {"global_feature": np.array([1, 2, 3], np.float32)})
    frames = [[3, 4, 5, 6, 7], [-1, 0, 0, 0, 0], [1, 2, 3, 4, 5]]
    check(lists, {"repeated_feature_3_frames": np.array(frames, np.int64)})


def test_sequence_example_with_sparse_and_dense_context(api):
    serialized = sequence_example(
        context={"c": float_feature([3, 4]), "st_a": float_feature([3.0, 4.0])}
    )
    a_default, b_default = [[1, 2, 3]], random_bytes(RNG, (3, 3))
    both(
        api,
        serialized,
        name="in1",
        context={
            "st_a": api.io.VarLenFeature(api.float32),
            "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=a_default),
            "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
            "c": api.io.FixedLenFeature((2,), api.float32),
        },
        ctx={
            "st_a": sparse([[0], [1]], np.array([3.0, 4.0], np.float32), [2]),
            "a": np.array(a_default, np.int64),
            "b": b_default,
            "c": np.array([3, 4], np.float32),
        },
    )


def test_sequence_example_with_multiple_size_feature_lists(api):
    serialized = sequence_example(
        feature_lists={
            "a": [
                int64_feature([-1, 0, 1]),
                int64_feature([2, 3, 4]),
                int64_feature([5, 6, 7]),
                int64_feature([8, 9, 10]),
            ],
            "b": [bytes_feature([b"r00", b"r01", b"r10", b"r11"])],
            "c": [float_feature([3, 4]), float_feature([-1, 2])],
        }
    )
    seq = api.io.FixedLenSequenceFeature
    both(
        api,
        serialized,
        name="in1",
        sequence={
            "a": seq((1, 3), api.int64),
            "b": seq((2, 2), api.string),
            "c": seq(2, api.float32),
            "d": seq((5,), api.float32, allow_missing=True),
        },
        lists={
            "a": np.array(
                [[[-1, 0, 1]], [[2, 3, 4]], [[5, 6, 7]], [[8, 9, 10]]], np.int64
            ),
            "b": np.array([[[b"r00", b"r01"], [b"r10", b"r11"]]], object),
            "c": np.array([[3, 4], [-1, 2]], np.float32),
            "d": np.empty((0, 5), np.float32),
        },
    )


SPARSE_LISTS = {
    "a": [int64_feature([3, 4]), int64_feature([1, 0])],
    "st_a": [float_feature([3.0, 4.0]), float_feature([5.0]), float_feature([])],
    "st_b": [
        bytes_feature([b"a"]),
        bytes_feature([]),
        bytes_feature([]),
        bytes_feature([b"b", b"c"]),
    ],
}


@pytest.mark.parametrize("name", [None, "in1"])
def test_sequence_example_with_sparse_and_dense_feature_lists(api, name):
    both(
        api,
        sequence_example(feature_lists=SPARSE_LISTS),
        name=name,
        sequence={
            "st_a": api.io.VarLenFeature(api.float32),
            "st_b": api.io.VarLenFeature(api.string),
            "st_c": api.io.VarLenFeature(api.int64),
            "a": api.io.FixedLenSequenceFeature((2,), api.int64),
        },
        lists={
            "a": np.array([[3, 4], [1, 0]], np.int64),
            "st_a": sparse(
                [[0, 0], [0, 1], [1, 0]], np.array([3, 4, 5], np.float32), [3, 2]
            ),
            "st_b": sparse(
                [[0, 0], [3, 0], [3, 1]], np.array([b"a", b"b", b"c"], object), [4, 2]
            ),
            "st_c": sparse([], np.empty(0, np.int64), [0, 0]),
        },
    )


def test_sequence_example_with_empty_feature_in_feature_lists(api):
    serialized = sequence_example(
        feature_lists={
            "st_a": [float_feature([3.0, 4.0]), empty_feature(), float_feature([5.0])]
        }
    )
    both(
        api,
        serialized,
        name="in1",
        sequence={"st_a": api.io.VarLenFeature(api.float32)},
        lists={
            "st_a": sparse(
                [[0, 0], [0, 1], [2, 0]], np.array([3, 4, 5], np.float32), [3, 2]
            )
        },
    )


def _fixed_a(api):
    return {"a": api.io.FixedLenSequenceFeature((2,), api.int64)}


def test_sequence_example_list_with_inconsistent_data_fails(api):
    serialized = sequence_example(
        feature_lists={"a": [int64_feature([-1, 0]), float_feature([2, 3])]}
    )
    both_fail(
        api,
        serialized,
        _fixed_a(api),
        "Feature list: a, Index: 1.  Data types don't match. Expected type: int64",
    )


def test_sequence_example_list_with_wrong_data_type_fails(api):
    serialized = sequence_example(feature_lists={"a": [float_feature([2, 3])]})
    both_fail(
        api,
        serialized,
        _fixed_a(api),
        "Feature list: a, Index: 0.  Data types don't match. Expected type: int64",
    )


def test_sequence_example_list_with_wrong_sparse_data_type_fails(api):
    serialized = sequence_example(
        feature_lists={
            "a": [
                int64_feature([3, 4]),
                int64_feature([1, 2]),
                float_feature([2.0, 3.0]),
            ]
        }
    )
    both_fail(
        api,
        serialized,
        _fixed_a(api),
        "Name: in1, Feature list: a, Index: 2.  Data types don't match. "
        "Expected type: int64",
    )


def test_sequence_example_list_with_wrong_shape_fails(api):
    serialized = sequence_example(
        feature_lists={"a": [int64_feature([2, 3]), int64_feature([2, 3, 4])]}
    )
    both_fail(
        api,
        serialized,
        _fixed_a(api),
        r"Name: in1, Key: a, Index: 1.  Number of int64 values != expected.  "
        r"values size: 3 but output shape: \[2\]"
        r"|Feature list 'a' has an unexpected number of values.  Total values "
        r"size: 5 is not consistent with output shape: \[\?,2\]",
    )


def test_sequence_example_list_with_wrong_shape_fails2(api):
    serialized = sequence_example(
        feature_lists={"a": [int64_feature([2]), int64_feature([2, 3, 4])]}
    )
    both_fail(
        api,
        serialized,
        _fixed_a(api),
        r"Name: in1, Key: a, Index: 0.  Number of (int64 )?values != expected.  "
        r"values size: 1 but output shape: \[2\]",
    )


def test_sequence_example_with_missing_feature_list_fails(api):
    serialized = sequence_example(feature_lists={})
    both_fail(
        api,
        serialized,
        _fixed_a(api),
        "Name: in1, Feature list 'a' is required but could not be found.  Did you "
        "mean to include it in feature_list_dense_missing_assumed_empty or "
        "feature_list_dense_defaults?",
    )


def test_sequence_example_batch(api):
    first = sequence_example(
        feature_lists={
            "a": [
                int64_feature([-1, 0, 1]),
                int64_feature([2, 3, 4]),
                int64_feature([5, 6, 7]),
                int64_feature([8, 9, 10]),
            ]
        }
    )
    second = sequence_example(
        context={"c": float_feature([7])},
        feature_lists={"a": [int64_feature([21, 2, 11])], "b": [int64_feature([5])]},
    )
    seq = api.io.FixedLenSequenceFeature
    ctx, lists, lengths = api.io.parse_sequence_example(
        [first, second],
        context_features={
            "c": api.io.FixedLenFeature((), api.float32, default_value=-1)
        },
        sequence_features={
            "a": seq((1, 3), api.int64),
            "b": seq((), api.int64, allow_missing=True),
            "d": seq((5,), api.float32, allow_missing=True),
        },
        example_names=["in1", "in2"],
    )
    check(ctx, {"c": np.array([-1, 7], np.float32)})
    a = [
        [[[-1, 0, 1]], [[2, 3, 4]], [[5, 6, 7]], [[8, 9, 10]]],
        [[[21, 2, 11]], [[0, 0, 0]], [[0, 0, 0]], [[0, 0, 0]]],
    ]
    check(
        lists,
        {
            "a": np.array(a, np.int64),
            "b": np.array([[0], [5]], np.int64),
            "d": np.empty((2, 0, 5), np.float32),
        },
    )
    check(
        lengths,
        {
            "a": np.array([4, 1], np.int64),
            "b": np.array([0, 1], np.int64),
            "d": np.array([0, 0], np.int64),
        },
    )


RAGGED_RECORDS = [
    sequence_example(
        context={"a": float_feature([3, 4])},
        feature_lists={
            "b": [float_feature([5]), float_feature([3])],
            "c": [int64_feature([6, 7, 8, 9])],
        },
    ),
    sequence_example(
        context={"a": float_feature([9])},
        feature_lists={"b": [], "c": [int64_feature([]), int64_feature([1, 2, 3])]},
    ),
    sequence_example(
        feature_lists={
            "b": [float_feature([1]), float_feature([1, 2]), float_feature([1, 2, 3])]
        }
    ),
    sequence_example(
        context={"a": empty_feature()},
        feature_lists={"b": [empty_feature()], "c": [int64_feature([3, 3, 3])]},
    ),
]


def _ragged_specs(api):
    rf = api.io.RaggedFeature
    return (
        {"a": rf(dtype=api.float32)},
        {
            "b": rf(dtype=api.float32),
            "c": rf(dtype=api.int64, row_splits_dtype=api.int64),
        },
    )


@pytest.mark.parametrize("repeat", [1, 64])
def test_ragged_feature_with_no_partitions_batch(api, repeat):
    context, sequence = _ragged_specs(api)
    ctx, lists, lengths = api.io.parse_sequence_example(
        RAGGED_RECORDS * repeat, context_features=context, sequence_features=sequence
    )
    check(ctx, {"a": [[3, 4], [9], [], []] * repeat})
    check(
        lists,
        {
            "b": [[[5], [3]], [], [[1], [1, 2], [1, 2, 3]], [[]]] * repeat,
            "c": [[[6, 7, 8, 9]], [[], [1, 2, 3]], [], [[3, 3, 3]]] * repeat,
        },
    )
    check(lengths, {})
    assert numpy_dtype(lists["c"].row_splits.dtype) == np.int64
    assert numpy_dtype(lists["b"].row_splits.dtype) == np.int32


def test_ragged_feature_with_no_partitions_single(api):
    context, sequence = _ragged_specs(api)
    ctx, lists = api.io.parse_single_sequence_example(
        RAGGED_RECORDS[0], context_features=context, sequence_features=sequence
    )
    check(ctx, {"a": np.array([3, 4], np.float32)})
    check(lists, {"b": [[5], [3]], "c": [[6, 7, 8, 9]]})


NESTED_RECORDS = [
    sequence_example(
        context={
            "a_values": float_feature([1, 2, 3, 4, 5, 6, 7]),
            "a_lengths_axis2": int64_feature([1, 2, 0, 1]),
            "a_lengths_axis3": int64_feature([1, 2, 1, 3]),
            "a_splits_axis3": int64_feature([0, 1, 3, 4, 7]),
        },
        feature_lists={
            "b_values": [float_feature([1, 2, 3, 4]), float_feature([2, 4, 6])],
            "b_splits": [int64_feature([0, 1, 4]), int64_feature([0, 2, 3])],
        },
    ),
    sequence_example(),
    sequence_example(
        context={
            "a_values": float_feature([1, 2, 3, 4, 5, 6, 7, 8]),
            "a_lengths_axis2": int64_feature([2, 3]),
            "a_lengths_axis3": int64_feature([3, 1, 1, 1, 2]),
            "a_splits_axis3": int64_feature([0, 3, 4, 5, 6, 8]),
        },
        feature_lists={
            "b_values": [
                float_feature([9, 8, 7, 6, 5]),
                float_feature([4, 3, 2, 1]),
                float_feature([0]),
            ],
            "b_splits": [
                int64_feature([0, 1, 4, 5]),
                int64_feature([0, 4]),
                int64_feature([0, 1]),
            ],
        },
    ),
]

NESTED_A = [
    [[[[1]], [[2, 3], [4]]], [[], [[5, 6, 7]]]],
    [],
    [[[[1, 2, 3], [4]], [[5], [6], [7, 8]]]],
]
NESTED_B = [
    [[[1], [2, 3, 4]], [[2, 4], [6]]],
    [],
    [[[9], [8, 7, 6], [5]], [[4, 3, 2, 1]], [[0]]],
]
NESTED_C = [
    [[[1], [2], [3], [4]], [[2], [4], [6]]],
    [],
    [[[9], [8], [7], [6], [5]], [[4], [3], [2], [1]], [[0]]],
]


def _nested_specs(api):
    rf = api.io.RaggedFeature
    context = {
        "a": rf(
            value_key="a_values",
            partitions=[
                rf.UniformRowLength(2),
                rf.RowLengths("a_lengths_axis2"),
                rf.RowSplits("a_splits_axis3"),
            ],
            dtype=api.float32,
            row_splits_dtype=api.int64,
        )
    }
    sequence = {
        "b": rf(
            value_key="b_values",
            dtype=api.float32,
            partitions=[rf.RowSplits("b_splits")],
        ),
        "c": rf(
            value_key="b_values",
            dtype=api.float32,
            partitions=[rf.UniformRowLength(1)],
        ),
    }
    return context, sequence


def test_nested_ragged_feature_batch(api):
    context, sequence = _nested_specs(api)
    ctx, lists, _ = api.io.parse_sequence_example(
        NESTED_RECORDS, context_features=context, sequence_features=sequence
    )
    check(ctx, {"a": NESTED_A})
    check(lists, {"b": NESTED_B, "c": NESTED_C})


def test_nested_ragged_feature_single(api):
    context, sequence = _nested_specs(api)
    ctx, lists = api.io.parse_single_sequence_example(
        NESTED_RECORDS[0], context_features=context, sequence_features=sequence
    )
    check(ctx, {"a": NESTED_A[0]})
    check(lists, {"b": NESTED_B[0], "c": NESTED_C[0]})


def test_misaligned_nested_ragged_feature_fails(api):
    serialized = sequence_example(
        feature_lists={
            "b_values": [float_feature([1, 2, 3, 4]), float_feature([2, 4, 6])],
            "b_splits": [int64_feature([0, 1, 4])],
        }
    )
    rf = api.io.RaggedFeature
    sequence = {
        "b": rf(
            value_key="b_values",
            dtype=api.float32,
            partitions=[rf.RowSplits("b_splits")],
            validate=True,
        )
    }
    match = (
        "Feature b: values and partitions are not aligned"
        "|.* do not form a valid RaggedTensor"
        "|Incompatible shapes|required broadcastable shapes"
    )
    errors = (api.errors.InvalidArgumentError, ValueError)
    with pytest.raises(errors, match=match):
        api.io.parse_single_sequence_example(serialized, sequence_features=sequence)
    with pytest.raises(errors, match=match):
        api.io.parse_sequence_example([serialized], sequence_features=sequence)
