"""TF's parsing_ops_test.py, parse_example and parse_single_example cases.

Ported from tensorflow/python/kernel_tests/io_ops/parsing_ops_test.py
(ParseExampleTest, ParseSingleExampleTest): the inputs are written as wire
bytes by tests/conformance_wire.py, and each output is compared by value,
dtype and shape. Error cases check TF's class and the part of TF's message
that its eager kernels give.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_parsing import (
    bytes_feature,
    check,
    empty_feature,
    example,
    float_feature,
    int64_feature,
    random_bytes,
    sparse,
)
from conformance_support import numpy_dtype

RNG = np.random.default_rng(1234)


def _random_bytes(shape):
    return random_bytes(RNG, shape)


def _raises(api, match):
    return pytest.raises(api.errors.InvalidArgumentError, match=match)


# -- ParseExampleTest ----------------------------------------------------------


def test_empty_serialized_with_all_defaults(api):
    a_default, b_default = [0, 42, 0], _random_bytes((3, 3))
    c_default = RNG.random(2).astype(np.float32)
    out = api.io.parse_example(
        ["", ""],
        {
            "st_a": api.io.VarLenFeature(api.int64),
            "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=a_default),
            "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
            "c:has_a_tricky_name": api.io.FixedLenFeature(
                (2,), api.float32, default_value=c_default
            ),
        },
        example_names=np.empty((0,), dtype=bytes),
    )
    check(
        out,
        {
            "st_a": sparse([], np.empty(0, np.int64), [2, 0]),
            "a": np.array(2 * [[a_default]], np.int64),
            "b": np.array(2 * [b_default]),
            "c:has_a_tricky_name": np.array(2 * [c_default]),
        },
    )


def _without_c_default(api):
    return {
        "st_a": api.io.VarLenFeature(api.int64),
        "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=[0, 42, 0]),
        "b": api.io.FixedLenFeature(
            (3, 3), api.string, default_value=_random_bytes((3, 3))
        ),
        "c": api.io.FixedLenFeature((2,), dtype=api.float32),
    }


def test_empty_feature_without_default_fails(api):
    serialized = [example({"c": empty_feature()})]
    with _raises(api, r"Name: in1, Feature: c \(data type: float\) is required"):
        api.io.parse_example(serialized, _without_c_default(api), ["in1"])


def test_missing_feature_without_default_fails(api):
    with _raises(api, r"Name: in1, Feature: c \(data type: float\) is required"):
        api.io.parse_example(["", ""], _without_c_default(api), ["in1", "in2"])


def test_dense_not_matching_shape_fails(api):
    serialized = [
        example({"a": float_feature([1, 1, 3])}),
        example({"a": float_feature([-1, -1])}),
    ]
    with _raises(api, "Name: failing, Key: a, Index: 1.  Number of float val"):
        api.io.parse_example(
            serialized,
            {"a": api.io.FixedLenFeature((1, 3), api.float32)},
            example_names=["passing", "failing"],
        )


def test_dense_default_no_shape_fails(api):
    serialized = [example({"a": float_feature([1, 1, 3])})]
    with pytest.raises(ValueError, match="Missing shape for feature a"):
        api.io.parse_example(
            serialized,
            {"a": api.io.FixedLenFeature(None, api.float32)},
            example_names=["failing"],
        )


SPARSE_RECORDS = [
    {"st_c": float_feature([3, 4])},
    {"st_c": float_feature([])},
    {"st_d": empty_feature()},
    {"st_c": float_feature([1, 2, -1]), "st_d": bytes_feature([b"hi"])},
]


def test_serialized_containing_sparse(api):
    out = api.io.parse_example(
        [example(f) for f in SPARSE_RECORDS],
        {
            "st_c": api.io.VarLenFeature(api.float32),
            "st_d": api.io.VarLenFeature(api.string),
        },
    )
    check(
        out,
        {
            "st_c": sparse(
                [[0, 0], [0, 1], [3, 0], [3, 1], [3, 2]],
                np.array([3.0, 4.0, 1.0, 2.0, -1.0], np.float32),
                [4, 3],
            ),
            "st_d": sparse([[3, 0]], np.array([b"hi"], object), [4, 1]),
        },
    )


SPARSE_FEATURE_RECORDS = [
    {"val": float_feature([3, 4]), "idx": int64_feature([5, 10])},
    {"val": float_feature([]), "idx": int64_feature([])},
    {"val": empty_feature()},
    {"val": float_feature([1, 2, -1]), "idx": int64_feature([0, 9, 3])},
]


def test_serialized_containing_sparse_feature(api):
    out = api.io.parse_example(
        [example(f) for f in SPARSE_FEATURE_RECORDS],
        {"sp": api.io.SparseFeature(["idx"], "val", api.float32, [13])},
    )
    want = sparse(
        [[0, 5], [0, 10], [3, 0], [3, 3], [3, 9]],
        np.array([3.0, 4.0, 1.0, -1.0, 2.0], np.float32),
        [4, 13],
    )
    check(out, {"sp": want})


REUSE_RECORDS = [
    {
        "val1": float_feature([3, 4]),
        "val2": float_feature([5, 6]),
        "idx": int64_feature([5, 10]),
    },
    {"val1": float_feature([]), "idx": int64_feature([])},
]


def test_serialized_containing_sparse_feature_reuse(api):
    out = api.io.parse_example(
        [example(f) for f in REUSE_RECORDS],
        {
            "sp1": api.io.SparseFeature("idx", "val1", api.float32, 13),
            "sp2": api.io.SparseFeature(
                "idx", "val2", api.float32, size=7, already_sorted=True
            ),
        },
    )
    f32 = np.float32
    check(
        out,
        {
            "sp1": sparse([[0, 5], [0, 10]], np.array([3, 4], f32), [2, 13]),
            "sp2": sparse([[0, 5], [0, 10]], np.array([5, 6], f32), [2, 7]),
        },
    )


SPARSE_3D_RECORDS = [
    {
        "val": float_feature([3, 4]),
        "idx0": int64_feature([5, 10]),
        "idx1": int64_feature([0, 2]),
    },
    {"val": float_feature([]), "idx0": int64_feature([]), "idx1": int64_feature([])},
    {"val": empty_feature()},
    {
        "val": float_feature([1, 2, -1]),
        "idx0": int64_feature([0, 9, 3]),
        "idx1": int64_feature([1, 0, 2]),
    },
]


def test_serialized_containing_3d_sparse_feature(api):
    out = api.io.parse_example(
        [example(f) for f in SPARSE_3D_RECORDS],
        {"sp": api.io.SparseFeature(["idx0", "idx1"], "val", api.float32, [13, 3])},
    )
    want = sparse(
        [[0, 5, 0], [0, 10, 2], [3, 0, 1], [3, 3, 2], [3, 9, 0]],
        np.array([3.0, 4.0, 1.0, -1.0, 2.0], np.float32),
        [4, 13, 3],
    )
    check(out, {"sp": want})


B_NAME = "b*has+a:tricky_name"


def _dense_specs(api):
    return {
        "a": api.io.FixedLenFeature((1, 2, 1), dtype=api.float32),
        B_NAME: api.io.FixedLenFeature((1, 1, 1, 1), dtype=api.string),
    }


def test_serialized_containing_dense(api):
    serialized = [
        example({"a": float_feature([1, 1]), B_NAME: bytes_feature([b"b0_str"])}),
        example({"a": float_feature([-1, -1]), B_NAME: bytes_feature([b""])}),
    ]
    out = api.io.parse_example(serialized, _dense_specs(api))
    check(
        out,
        {
            "a": np.array([[1, 1], [-1, -1]], np.float32).reshape(2, 1, 2, 1),
            B_NAME: np.array([b"b0_str", b""], object).reshape(2, 1, 1, 1, 1),
        },
    )


def test_serialized_containing_dense_with_concat(api):
    serialized = [
        example({"a": float_feature([10, 10])})
        + example({"a": float_feature([1, 1]), B_NAME: bytes_feature([b"b0_str"])}),
        example({B_NAME: bytes_feature([b"b100"])})
        + example({"a": float_feature([-1, -1]), B_NAME: bytes_feature([b"b1"])}),
    ]
    out = api.io.parse_example(serialized, _dense_specs(api))
    check(
        out,
        {
            "a": np.array([[1, 1], [-1, -1]], np.float32).reshape(2, 1, 2, 1),
            B_NAME: np.array([b"b0_str", b"b1"], object).reshape(2, 1, 1, 1, 1),
        },
    )


def test_serialized_containing_dense_scalar(api):
    serialized = [example({"a": float_feature([1])}), example({})]
    out = api.io.parse_example(
        serialized,
        {"a": api.io.FixedLenFeature((1,), dtype=api.float32, default_value=-1)},
    )
    check(out, {"a": np.array([[1], [-1]], np.float32)})


def test_serialized_containing_dense_with_defaults(api):
    serialized = [
        example({"a": float_feature([1, 1])}),
        example({"b": bytes_feature([b"b1"])}),
        example({"b": empty_feature()}),
    ]
    out = api.io.parse_example(
        serialized,
        {
            "a": api.io.FixedLenFeature(
                (1, 2, 1), dtype=api.float32, default_value=[3.0, -3.0]
            ),
            "b": api.io.FixedLenFeature(
                (1, 1, 1, 1), dtype=api.string, default_value="tmp_str"
            ),
        },
    )
    check(
        out,
        {
            "a": np.array([[1, 1], [3, -3], [3, -3]], np.float32).reshape(3, 1, 2, 1),
            "b": np.array([b"tmp_str", b"b1", b"tmp_str"], object).reshape(
                3, 1, 1, 1, 1
            ),
        },
    )


def test_sparse_and_sparse_feature_and_dense_with_no_default(api):
    serialized = [
        example(
            {
                "c": float_feature([3, 4]),
                "val": bytes_feature([b"a", b"b"]),
                "idx": int64_feature([0, 3]),
            }
        ),
        example(
            {
                "c": float_feature([1, 2]),
                "val": bytes_feature([b"c"]),
                "idx": int64_feature([7]),
            }
        ),
    ]
    a_default, b_default = [1, 2, 3], _random_bytes((3, 3))
    out = api.io.parse_example(
        serialized,
        {
            "st_a": api.io.VarLenFeature(api.int64),
            "sp": api.io.SparseFeature("idx", "val", api.string, 13),
            "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=a_default),
            "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
            "c": api.io.FixedLenFeature((2,), api.float32),
        },
        example_names=["in1", "in2"],
    )
    check(
        out,
        {
            "st_a": sparse([], np.empty(0, np.int64), [2, 0]),
            "sp": sparse(
                [[0, 0], [0, 3], [1, 7]], np.array([b"a", b"b", b"c"], object), [2, 13]
            ),
            "a": np.array(2 * [[a_default]], np.int64),
            "b": np.array(2 * [b_default]),
            "c": np.array([[3, 4], [1, 2]], np.float32),
        },
    )


def test_sparse_and_sparse_feature_with_reuse(api):
    serialized = [
        example({"val": bytes_feature([b"a", b"b"]), "idx": int64_feature([0, 3])}),
        example({"val": bytes_feature([b"c", b"d"]), "idx": int64_feature([7, 1])}),
    ]
    out = api.io.parse_example(
        serialized,
        {
            "idx": api.io.VarLenFeature(api.int64),
            "sp": api.io.SparseFeature(["idx"], "val", api.string, [13]),
        },
        example_names=["in1", "in2"],
    )
    check(
        out,
        {
            "idx": sparse(
                [[0, 0], [0, 1], [1, 0], [1, 1]], np.array([0, 3, 7, 1]), [2, 2]
            ),
            "sp": sparse(
                [[0, 0], [0, 3], [1, 1], [1, 7]],
                np.array([b"a", b"b", b"d", b"c"], object),
                [2, 13],
            ),
        },
    )


@pytest.mark.parametrize("batch_size", [1, 10, 20, 100, 256])
def test_var_len_dense_larger_batch(api, batch_size):
    rng = np.random.default_rng(3456 + batch_size)
    truth_int = list(range(batch_size))
    truth_str = [[f"foo{i}".encode(), f"bar{i}".encode()] for i in range(batch_size)]
    expected_str = [list(row) for row in truth_str]
    for i in range(1, batch_size):
        col = 1
        if rng.random() < 0.25:
            expected_str[i][col] = b"default"
            col -= 1
            truth_str[i].pop()
        if rng.random() < 0.25:
            expected_str[i][col] = b"default"
            truth_str[i].pop()
    serialized = [
        example({"a": int64_feature([truth_int[i]]), "b": bytes_feature(truth_str[i])})
        for i in range(batch_size)
    ]
    out = api.io.parse_example(
        serialized,
        {
            "a": api.io.FixedLenSequenceFeature(
                shape=(), dtype=api.int64, allow_missing=True, default_value=-1
            ),
            "b": api.io.FixedLenSequenceFeature(
                shape=[], dtype=api.string, allow_missing=True, default_value="default"
            ),
        },
    )
    check(
        out,
        {
            "a": np.array(truth_int, np.int64).reshape(batch_size, 1),
            "b": np.array(expected_str, object).reshape(batch_size, 2),
        },
    )


VAR_LEN_RECORDS = [
    {"c": int64_feature([2])},
    {"a": float_feature([1, 1]), "b": bytes_feature([b"b0_str", b"b1_str"])},
    {"a": float_feature([-1, -1, 2, 2]), "b": bytes_feature([b"b1"])},
    {"a": float_feature([]), "c": int64_feature([3])},
]
VAR_LEN_NAMES = ["in1", "in2", "in3", "in4"]


def _var_len_specs(api, a_default=None, b_shape=(1, 1, 1)):
    seq = api.io.FixedLenSequenceFeature
    return {
        "a": seq(
            (2, 1), dtype=api.float32, allow_missing=True, default_value=a_default
        ),
        "b": seq(b_shape, dtype=api.string, allow_missing=True),
        "c": seq(shape=[], dtype=api.int64, allow_missing=True),
        "d": seq(shape=[], dtype=api.string, allow_missing=True),
    }


def _var_len_expected(pad):
    a = [[pad] * 4, [1, 1, pad, pad], [-1, -1, 2, 2], [pad] * 4]
    return {
        "a": np.array(a, np.float32).reshape(4, 2, 2, 1),
        "b": np.array(
            [[b"", b""], [b"b0_str", b"b1_str"], [b"b1", b""], [b"", b""]], object
        ).reshape(4, 2, 1, 1, 1),
        "c": np.array([2, 0, 0, 3], np.int64).reshape(4, 1),
        "d": np.empty((4, 0), dtype=object),
    }


def test_serialized_containing_var_len_dense(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    out = api.io.parse_example(serialized, _var_len_specs(api), VAR_LEN_NAMES)
    check(out, _var_len_expected(0))


def test_serialized_containing_var_len_dense_custom_padding(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    out = api.io.parse_example(serialized, _var_len_specs(api, -2.0), VAR_LEN_NAMES)
    check(out, _var_len_expected(-2))


def test_var_len_dense_not_a_multiple_fails(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    specs = _var_len_specs(api, b_shape=(2, 1, 1))
    specs = {"a": specs["a"], "b": specs["b"]}
    with _raises(
        api,
        "Name: in3, Key: b, Index: 2.  "
        "Number of bytes values is not a multiple of stride length.",
    ):
        api.io.parse_example(serialized, specs, VAR_LEN_NAMES)


def test_var_len_dense_empty_default_fails(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    specs = _var_len_specs(api, a_default=[], b_shape=(2, 1, 1))
    specs = {"a": specs["a"], "b": specs["b"]}
    with pytest.raises((ValueError, api.errors.InvalidArgumentError), match="eshape"):
        api.io.parse_example(serialized, specs, VAR_LEN_NAMES)


def test_fixed_len_unknown_first_dimension_fails(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    specs = {
        "a": api.io.FixedLenFeature((None, 2, 1), dtype=api.float32),
        "b": api.io.FixedLenSequenceFeature(
            (2, 1, 1), dtype=api.string, allow_missing=True
        ),
    }
    with pytest.raises(
        ValueError,
        match="First dimension of shape for feature a unknown. "
        "Consider using FixedLenSequenceFeature.",
    ):
        api.io.parse_example(serialized, specs, VAR_LEN_NAMES)


def test_fixed_len_unknown_inner_dimension_fails(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    specs = {"c": api.io.FixedLenFeature((1, None), api.int64, default_value=[[1]])}
    with pytest.raises(
        ValueError,
        match=r"All dimensions of shape for feature c need to be known but "
        r"received \(1, None\).",
    ):
        api.io.parse_example(serialized, specs, VAR_LEN_NAMES)


def test_fixed_len_sequence_without_allow_missing_fails(api):
    serialized = [example(f) for f in VAR_LEN_RECORDS]
    specs = _var_len_specs(api)
    specs["c"] = api.io.FixedLenSequenceFeature(
        shape=[], dtype=api.int64, allow_missing=False
    )
    with pytest.raises(
        ValueError,
        match="Unsupported: FixedLenSequenceFeature requires allow_missing to be True.",
    ):
        api.io.parse_example(serialized, specs, VAR_LEN_NAMES)


RAGGED_NO_PARTITION_RECORDS = [
    {"rt_c": float_feature([3, 4])},
    {"rt_c": float_feature([])},
    {"rt_d": empty_feature()},
    {"rt_c": float_feature([1, 2, -1]), "rt_d": bytes_feature([b"hi"])},
]


@pytest.mark.parametrize("repeat", [1, 64])
def test_ragged_feature_with_no_partitions(api, repeat):
    serialized = [example(f) for f in RAGGED_NO_PARTITION_RECORDS] * repeat
    out = api.io.parse_example(
        serialized,
        {
            "rt_c": api.io.RaggedFeature(dtype=api.float32),
            "rt_d": api.io.RaggedFeature(dtype=api.string, row_splits_dtype=api.int64),
        },
    )
    check(
        out,
        {
            "rt_c": [[3.0, 4.0], [], [], [1.0, 2.0, -1.0]] * repeat,
            "rt_d": [[], [], [], [b"hi"]] * repeat,
        },
    )
    assert numpy_dtype(out["rt_c"].row_splits.dtype) == np.int32
    assert numpy_dtype(out["rt_d"].row_splits.dtype) == np.int64
    assert numpy_dtype(out["rt_c"].dtype) == np.float32


RAGGED_RECORDS = [
    {
        "rt_values": float_feature([3, 4, 5, 6]),
        "rt_splits": int64_feature([0, 1, 4]),
        "rt_lengths": int64_feature([1, 3]),
        "rt_starts": int64_feature([0, 1]),
        "rt_limits": int64_feature([1, 4]),
        "rt_rowids": int64_feature([0, 1, 1, 1]),
    },
    {
        "rt_values": float_feature([]),
        "rt_splits": int64_feature([0]),
        "rt_lengths": int64_feature([]),
        "rt_starts": int64_feature([]),
        "rt_limits": int64_feature([]),
        "rt_rowids": int64_feature([]),
    },
    {
        "rt_values": empty_feature(),
        "rt_splits": int64_feature([0]),
        "rt_lengths": empty_feature(),
        "rt_starts": empty_feature(),
        "rt_limits": empty_feature(),
        "rt_rowids": empty_feature(),
    },
    {
        "rt_values": float_feature([1, 2, -1, 8, 9, 5]),
        "rt_splits": int64_feature([0, 3, 3, 5, 6]),
        "rt_lengths": int64_feature([3, 0, 2, 1]),
        "rt_starts": int64_feature([0, 3, 3, 5]),
        "rt_limits": int64_feature([3, 3, 5, 6]),
        "rt_rowids": int64_feature([0, 0, 0, 2, 2, 3]),
    },
]


def _ragged(api, *partitions):
    return api.io.RaggedFeature(
        value_key="rt_values", partitions=list(partitions), dtype=api.float32
    )


def test_serialized_containing_ragged_feature(api):
    rf = api.io.RaggedFeature
    out = api.io.parse_example(
        [example(f) for f in RAGGED_RECORDS],
        {
            "rt1": _ragged(api, rf.RowSplits("rt_splits")),
            "rt2": _ragged(api, rf.RowLengths("rt_lengths")),
            "rt3": _ragged(api, rf.RowStarts("rt_starts")),
            "rt4": _ragged(api, rf.RowLimits("rt_limits")),
            "rt5": _ragged(api, rf.ValueRowIds("rt_rowids")),
            "uniform1": _ragged(api, rf.UniformRowLength(2)),
            "uniform2": _ragged(api, rf.UniformRowLength(2), rf.RowSplits("rt_splits")),
        },
    )
    rt = [[[3], [4, 5, 6]], [], [], [[1, 2, -1], [], [8, 9], [5]]]
    check(
        out,
        {
            "rt1": rt,
            "rt2": rt,
            "rt3": rt,
            "rt4": rt,
            "rt5": rt,
            "uniform1": [[[3, 4], [5, 6]], [], [], [[1, 2], [-1, 8], [9, 5]]],
            "uniform2": [[[[3], [4, 5, 6]]], [], [], [[[1, 2, -1], []], [[8, 9], [5]]]],
        },
    )
    assert numpy_dtype(out["rt1"].row_splits.dtype) == np.int32


def test_serialized_containing_nested_ragged_feature(api):
    serialized = [
        example(
            {
                "rt_values": float_feature([1, 2, 3, 4, 5, 6, 7]),
                "lengths_axis2": int64_feature([1, 2, 0, 1]),
                "lengths_axis3": int64_feature([1, 2, 1, 3]),
                "splits_axis3": int64_feature([0, 1, 3, 4, 7]),
            }
        ),
        example(
            {
                "rt_values": float_feature([1, 2, 3, 4, 5, 6, 7, 8]),
                "lengths_axis2": int64_feature([2, 3]),
                "lengths_axis3": int64_feature([3, 1, 1, 1, 2]),
                "splits_axis3": int64_feature([0, 3, 4, 5, 6, 8]),
            }
        ),
    ]
    rf = api.io.RaggedFeature
    spec = rf(
        value_key="rt_values",
        partitions=[
            rf.UniformRowLength(2),
            rf.RowLengths("lengths_axis2"),
            rf.RowSplits("splits_axis3"),
        ],
        dtype=api.float32,
        row_splits_dtype=api.int64,
    )
    out = api.io.parse_example(serialized, {"rt1": spec})
    check(
        out,
        {
            "rt1": [
                [[[[1]], [[2, 3], [4]]], [[], [[5, 6, 7]]]],
                [[[[1, 2, 3], [4]], [[5], [6], [7, 8]]]],
            ]
        },
    )


# -- ParseSingleExampleTest ----------------------------------------------------

SINGLE_RECORD = {
    "c": float_feature([3, 4]),
    "d": float_feature([0.0, 1.0]),
    "val": bytes_feature([b"a", b"b"]),
    "idx": int64_feature([0, 3]),
    "st_a": float_feature([3.0, 4.0]),
}


def _single_specs(api, b_default):
    return {
        "st_a": api.io.VarLenFeature(api.float32),
        "sp": api.io.SparseFeature(["idx"], "val", api.string, [13]),
        "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=[1, 2, 3]),
        "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
        "c": api.io.FixedLenFeature(2, api.float32),
        "d": api.io.FixedLenSequenceFeature([], api.float32, allow_missing=True),
    }


def _single_expected(b_default):
    return {
        "st_a": sparse([[0], [1]], np.array([3.0, 4.0], np.float32), [2]),
        "sp": sparse([[0], [3]], np.array([b"a", b"b"], object), [13]),
        "a": np.array([[1, 2, 3]], np.int64),
        "b": b_default,
        "c": np.array([3, 4], np.float32),
        "d": np.array([0.0, 1.0], np.float32),
    }


@pytest.mark.parametrize("names", [None, "in1"])
def test_single_example_with_sparse_and_sparse_feature_and_dense(api, names):
    b_default = _random_bytes((3, 3))
    out = api.io.parse_single_example(
        example(SINGLE_RECORD), _single_specs(api, b_default), example_names=names
    )
    check(out, _single_expected(b_default))


def test_single_example_with_all_feature_types(api):
    record = dict(SINGLE_RECORD)
    record.update(
        {
            "rt_1d": float_feature([3.0, 4.0]),
            "rt_values": float_feature([5, 6, 7]),
            "rt_splits": int64_feature([0, 1, 1, 3]),
            "rt_lengths": int64_feature([1, 0, 2]),
            "rt_starts": int64_feature([0, 1, 1]),
            "rt_limits": int64_feature([1, 1, 3]),
            "rt_rowids": int64_feature([0, 2, 2]),
            "rt_splits2": int64_feature([0, 2, 3]),
        }
    )
    b_default = _random_bytes((3, 3))
    rf = api.io.RaggedFeature
    specs = _single_specs(api, b_default)
    specs.update(
        {
            "rt_1d": rf(api.float32),
            "rt_2d_with_splits": _ragged(api, rf.RowSplits("rt_splits")),
            "rt_2d_with_lengths": _ragged(api, rf.RowLengths("rt_lengths")),
            "rt_2d_with_starts": _ragged(api, rf.RowStarts("rt_starts")),
            "rt_2d_with_limits": _ragged(api, rf.RowLimits("rt_limits")),
            "rt_2d_with_rowids": _ragged(api, rf.ValueRowIds("rt_rowids")),
            "rt_2d_with_uniform_row_length": _ragged(api, rf.UniformRowLength(1)),
            "rt_3d": _ragged(
                api, rf.RowSplits("rt_splits2"), rf.RowSplits("rt_splits")
            ),
            "rt_3d_with_uniform_row_length": _ragged(
                api, rf.UniformRowLength(1), rf.RowSplits("rt_splits")
            ),
        }
    )
    out = api.io.parse_single_example(example(record), specs, example_names="in1")
    rt_2d = [[5], [], [6, 7]]
    expected = _single_expected(b_default)
    expected.update(
        {
            "rt_1d": np.array([3, 4], np.float32),
            "rt_2d_with_splits": rt_2d,
            "rt_2d_with_lengths": rt_2d,
            "rt_2d_with_starts": rt_2d,
            "rt_2d_with_limits": rt_2d,
            "rt_2d_with_rowids": rt_2d,
            "rt_2d_with_uniform_row_length": np.array([[5], [6], [7]], np.float32),
            "rt_3d": [[[5], []], [[6, 7]]],
            "rt_3d_with_uniform_row_length": [[[5]], [[]], [[6, 7]]],
        }
    )
    check(out, expected)
