"""TF's parse_single_example_op_test.py, ported.

From tensorflow/python/kernel_tests/io_ops/parse_single_example_op_test.py:
each record is parsed alone with parse_single_example, with and without
``example_names`` (TF runs both to cover its two code paths). Inputs are wire
bytes from tests/conformance_parsing.py.
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

RNG = np.random.default_rng(2468)


def empty_sparse(dtype, shape=(0,)):
    """TF's ``empty_sparse``: no values, ``dense_shape`` ``shape``."""
    return sparse([], np.array([], dtype=dtype), list(shape))


def parse_both(api, serialized, features, expected):
    """parse_single_example gives ``expected`` with and without a name."""
    check(api.io.parse_single_example(serialized, features), expected)
    check(
        api.io.parse_single_example(serialized, features, example_names="name"),
        expected,
    )


def _raises(api, match):
    return pytest.raises(api.errors.InvalidArgumentError, match=match)


def test_empty_serialized_with_all_defaults(api):
    a_default, b_default = [0, 42, 0], random_bytes(RNG, (3, 3))
    c_default = RNG.random(2).astype(np.float32)
    features = {
        "st_a": api.io.VarLenFeature(api.int64),
        "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=a_default),
        "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
        "c:has_a_tricky_name": api.io.FixedLenFeature(
            (2,), api.float32, default_value=c_default
        ),
    }
    expected = {
        "st_a": empty_sparse(np.int64),
        "a": np.array([a_default], np.int64),
        "b": b_default,
        "c:has_a_tricky_name": c_default,
    }
    parse_both(api, b"", features, expected)


def _without_c_default(api):
    return {
        "st_a": api.io.VarLenFeature(api.int64),
        "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=[0, 42, 0]),
        "b": api.io.FixedLenFeature(
            (3, 3), api.string, default_value=random_bytes(RNG, (3, 3))
        ),
        "c": api.io.FixedLenFeature((2,), dtype=api.float32),
    }


@pytest.mark.parametrize(
    "serialized", [example({"c": empty_feature()}), b""], ids=["empty", "missing"]
)
def test_empty_serialized_without_defaults_fails(api, serialized):
    with _raises(api, r"Feature: c \(data type: float\) is required"):
        api.io.parse_single_example(serialized, _without_c_default(api))


def test_dense_not_matching_shape_fails(api):
    serialized = example({"a": float_feature([-1, -1])})
    with _raises(api, "Key: a."):
        api.io.parse_single_example(
            serialized, {"a": api.io.FixedLenFeature((1, 3), api.float32)}
        )


def test_dense_default_no_shape_fails(api):
    serialized = example({"a": float_feature([1, 1, 3])})
    with pytest.raises(ValueError, match="Missing shape for feature a"):
        api.io.parse_single_example(
            serialized, {"a": api.io.FixedLenFeature(None, api.float32)}
        )


SPARSE_CASES = [
    (
        {"st_c": float_feature([3, 4])},
        {
            "st_c": sparse([[0], [1]], np.array([3, 4], np.float32), [2]),
            "st_d": empty_sparse(object),
        },
    ),
    (
        {"st_c": float_feature([])},
        {"st_c": empty_sparse(np.float32), "st_d": empty_sparse(object)},
    ),
    (
        {"st_d": empty_feature()},
        {"st_c": empty_sparse(np.float32), "st_d": empty_sparse(object)},
    ),
    (
        {"st_c": float_feature([1, 2, -1]), "st_d": bytes_feature([b"hi"])},
        {
            "st_c": sparse([[0], [1], [2]], np.array([1, 2, -1], np.float32), [3]),
            "st_d": sparse([[0]], np.array([b"hi"], object), [1]),
        },
    ),
]


@pytest.mark.parametrize("record, expected", SPARSE_CASES)
def test_serialized_containing_sparse(api, record, expected):
    features = {
        "st_c": api.io.VarLenFeature(api.float32),
        "st_d": api.io.VarLenFeature(api.string),
    }
    parse_both(api, example(record), features, expected)


SPARSE_FEATURE_CASES = [
    (
        {"val": float_feature([3, 4]), "idx": int64_feature([5, 10])},
        sparse([[5], [10]], np.array([3, 4], np.float32), [13]),
    ),
    (
        {"val": float_feature([]), "idx": int64_feature([])},
        empty_sparse(np.float32, [13]),
    ),
    ({"val": empty_feature()}, empty_sparse(np.float32, [13])),
    (
        {"val": float_feature([1, 2, -1]), "idx": int64_feature([0, 9, 3])},
        sparse([[0], [3], [9]], np.array([1, -1, 2], np.float32), [13]),
    ),
]


@pytest.mark.parametrize("record, expected", SPARSE_FEATURE_CASES)
def test_serialized_containing_sparse_feature(api, record, expected):
    features = {"sp": api.io.SparseFeature(["idx"], "val", api.float32, [13])}
    parse_both(api, example(record), features, {"sp": expected})


REUSE_CASES = [
    (
        {
            "val1": float_feature([3, 4]),
            "val2": float_feature([5, 6]),
            "idx": int64_feature([5, 10]),
        },
        {
            "sp1": sparse([[5], [10]], np.array([3, 4], np.float32), [13]),
            "sp2": sparse([[5], [10]], np.array([5, 6], np.float32), [7]),
        },
    ),
    (
        {"val1": float_feature([]), "idx": int64_feature([])},
        {"sp1": empty_sparse(np.float32, [13]), "sp2": empty_sparse(np.float32, [7])},
    ),
]


@pytest.mark.parametrize("record, expected", REUSE_CASES)
def test_serialized_containing_sparse_feature_reuse(api, record, expected):
    features = {
        "sp1": api.io.SparseFeature("idx", "val1", api.float32, 13),
        "sp2": api.io.SparseFeature(
            "idx", "val2", api.float32, size=7, already_sorted=True
        ),
    }
    parse_both(api, example(record), features, expected)


SPARSE_3D_CASES = [
    (
        {
            "val": float_feature([3, 4]),
            "idx0": int64_feature([5, 10]),
            "idx1": int64_feature([0, 2]),
        },
        sparse([[5, 0], [10, 2]], np.array([3, 4], np.float32), [13, 3]),
    ),
    (
        {
            "val": float_feature([]),
            "idx0": int64_feature([]),
            "idx1": int64_feature([]),
        },
        empty_sparse(np.float32, [13, 3]),
    ),
    ({"val": empty_feature()}, empty_sparse(np.float32, [13, 3])),
    (
        {
            "val": float_feature([1, 2, -1]),
            "idx0": int64_feature([0, 9, 3]),
            "idx1": int64_feature([1, 0, 2]),
        },
        sparse([[0, 1], [3, 2], [9, 0]], np.array([1, -1, 2], np.float32), [13, 3]),
    ),
]


@pytest.mark.parametrize("record, expected", SPARSE_3D_CASES)
def test_serialized_containing_3d_sparse_feature(api, record, expected):
    features = {
        "sp": api.io.SparseFeature(["idx0", "idx1"], "val", api.float32, [13, 3])
    }
    parse_both(api, example(record), features, {"sp": expected})


B_NAME = "b*has+a:tricky_name"


def _dense_specs(api):
    return {
        "a": api.io.FixedLenFeature((1, 2, 1), dtype=api.float32),
        B_NAME: api.io.FixedLenFeature((1, 1, 1, 1), dtype=api.string),
    }


def _dense_expected(a, b):
    return {
        "a": np.array(a, np.float32).reshape(1, 2, 1),
        B_NAME: np.array([b], object).reshape(1, 1, 1, 1),
    }


@pytest.mark.parametrize(
    "record, a, b",
    [
        (
            {"a": float_feature([1, 1]), B_NAME: bytes_feature([b"b0_str"])},
            [1, 1],
            b"b0_str",
        ),
        ({"a": float_feature([-1, -1]), B_NAME: bytes_feature([b""])}, [-1, -1], b""),
    ],
)
def test_serialized_containing_dense(api, record, a, b):
    parse_both(api, example(record), _dense_specs(api), _dense_expected(a, b))


@pytest.mark.parametrize(
    "first, second, a, b",
    [
        (
            {"a": float_feature([10, 10])},
            {"a": float_feature([1, 1]), B_NAME: bytes_feature([b"b0_str"])},
            [1, 1],
            b"b0_str",
        ),
        (
            {B_NAME: bytes_feature([b"b100"])},
            {"a": float_feature([-1, -1]), B_NAME: bytes_feature([b"b1"])},
            [-1, -1],
            b"b1",
        ),
    ],
)
def test_serialized_containing_dense_with_concat(api, first, second, a, b):
    serialized = example(first) + example(second)
    parse_both(api, serialized, _dense_specs(api), _dense_expected(a, b))


@pytest.mark.parametrize("record, value", [({"a": float_feature([1])}, 1), ({}, -1)])
def test_serialized_containing_dense_scalar(api, record, value):
    features = {"a": api.io.FixedLenFeature((1,), dtype=api.float32, default_value=-1)}
    parse_both(api, example(record), features, {"a": np.array([value], np.float32)})


@pytest.mark.parametrize(
    "record, a, b",
    [
        ({"a": float_feature([1, 1])}, [1, 1], b"tmp_str"),
        ({"b": bytes_feature([b"b1"])}, [3, -3], b"b1"),
        ({"b": empty_feature()}, [3, -3], b"tmp_str"),
    ],
)
def test_serialized_containing_dense_with_defaults(api, record, a, b):
    features = {
        "a": api.io.FixedLenFeature(
            (1, 2, 1), dtype=api.float32, default_value=[3.0, -3.0]
        ),
        "b": api.io.FixedLenFeature(
            (1, 1, 1, 1), dtype=api.string, default_value="tmp_str"
        ),
    }
    expected = {
        "a": np.array(a, np.float32).reshape(1, 2, 1),
        "b": np.array([b], object).reshape(1, 1, 1, 1),
    }
    parse_both(api, example(record), features, expected)


@pytest.mark.parametrize(
    "record, sp",
    [
        (
            {
                "c": float_feature([3, 4]),
                "val": bytes_feature([b"a", b"b"]),
                "idx": int64_feature([0, 3]),
            },
            sparse([[0], [3]], np.array([b"a", b"b"], object), [13]),
        ),
        (
            {
                "c": float_feature([1, 2]),
                "val": bytes_feature([b"c"]),
                "idx": int64_feature([7]),
            },
            sparse([[7]], np.array([b"c"], object), [13]),
        ),
    ],
)
def test_sparse_and_sparse_feature_and_dense_with_no_default(api, record, sp):
    a_default = np.array([[1, 2, 3]], dtype=np.int64)
    b_default = random_bytes(RNG, (3, 3))
    features = {
        "st_a": api.io.VarLenFeature(api.int64),
        "sp": api.io.SparseFeature("idx", "val", api.string, 13),
        "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=a_default),
        "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
        "c": api.io.FixedLenFeature((2,), api.float32),
    }
    c = np.array([v for v in record["c"][1]], np.float32)
    expected = {
        "st_a": empty_sparse(np.int64),
        "sp": sp,
        "a": a_default,
        "b": b_default,
        "c": c,
    }
    parse_both(api, example(record), features, expected)


@pytest.mark.parametrize(
    "record, idx, sp",
    [
        (
            {"val": bytes_feature([b"a", b"b"]), "idx": int64_feature([0, 3])},
            sparse([[0], [1]], np.array([0, 3], np.int64), [2]),
            sparse([[0], [3]], np.array([b"a", b"b"], object), [13]),
        ),
        (
            {"val": bytes_feature([b"c", b"d"]), "idx": int64_feature([7, 1])},
            sparse([[0], [1]], np.array([7, 1], np.int64), [2]),
            sparse([[1], [7]], np.array([b"d", b"c"], object), [13]),
        ),
    ],
)
def test_sparse_and_sparse_feature_with_reuse(api, record, idx, sp):
    features = {
        "idx": api.io.VarLenFeature(api.int64),
        "sp": api.io.SparseFeature(["idx"], "val", api.string, [13]),
    }
    parse_both(api, example(record), features, {"idx": idx, "sp": sp})


VAR_LEN_RECORDS = [
    {"c": int64_feature([2])},
    {"a": float_feature([1, 1]), "b": bytes_feature([b"b0_str", b"b1_str"])},
    {"a": float_feature([-1, -1, 2, 2]), "b": bytes_feature([b"b1"])},
    {"a": float_feature([]), "c": int64_feature([3])},
]


def _var_len_expected(index):
    empty_a = np.empty((0, 2, 1), np.float32)
    empty_b = np.empty((0, 1, 1, 1), object)
    a = [
        empty_a,
        np.array([[[1], [1]]], np.float32),
        np.array([[[-1], [-1]], [[2], [2]]], np.float32),
        empty_a,
    ][index]
    b = [
        empty_b,
        np.array([b"b0_str", b"b1_str"], object).reshape(2, 1, 1, 1),
        np.array([b"b1"], object).reshape(1, 1, 1, 1),
        empty_b,
    ][index]
    c = [[2], [], [], [3]][index]
    return {
        "a": a,
        "b": b,
        "c": np.array(c, np.int64),
        "d": np.empty((0,), object),
    }


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


@pytest.mark.parametrize("index", range(4))
def test_serialized_containing_var_len_dense(api, index):
    serialized = example(VAR_LEN_RECORDS[index])
    parse_both(api, serialized, _var_len_specs(api), _var_len_expected(index))


def test_var_len_dense_not_a_multiple_fails(api):
    specs = _var_len_specs(api, b_shape=(2, 1, 1))
    specs = {"a": specs["a"], "b": specs["b"]}
    with _raises(api, "key b:"):
        api.io.parse_single_example(example(VAR_LEN_RECORDS[2]), specs)


def test_var_len_dense_empty_default_fails(api):
    specs = _var_len_specs(api, a_default=[], b_shape=(2, 1, 1))
    specs = {"a": specs["a"], "b": specs["b"]}
    with pytest.raises((ValueError, api.errors.InvalidArgumentError), match="eshape"):
        api.io.parse_single_example(b"", specs)


def test_fixed_len_unknown_first_dimension_fails(api):
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
        api.io.parse_single_example(b"", specs)


def test_fixed_len_unknown_inner_dimension_fails(api):
    specs = {"c": api.io.FixedLenFeature((1, None), api.int64, default_value=[[1]])}
    with pytest.raises(
        ValueError,
        match=r"All dimensions of shape for feature c need to be known but "
        r"received \(1, None\).",
    ):
        api.io.parse_single_example(b"", specs)


def test_fixed_len_sequence_without_allow_missing_fails(api):
    specs = _var_len_specs(api)
    specs["c"] = api.io.FixedLenSequenceFeature(
        shape=[], dtype=api.int64, allow_missing=False
    )
    with pytest.raises(
        ValueError,
        match="Unsupported: FixedLenSequenceFeature requires allow_missing to be True.",
    ):
        api.io.parse_single_example(b"", specs)


# -- ParseSingleExampleTest ----------------------------------------------------


def test_single_example_with_sparse_and_sparse_feature_and_dense(api):
    record = {
        "c": float_feature([3, 4]),
        "d": float_feature([0.0, 1.0]),
        "val": bytes_feature([b"a", b"b"]),
        "idx": int64_feature([0, 3]),
        "st_a": float_feature([3.0, 4.0]),
    }
    a_default, b_default = [1, 2, 3], random_bytes(RNG, (3, 3))
    features = {
        "st_a": api.io.VarLenFeature(api.float32),
        "sp": api.io.SparseFeature(["idx"], "val", api.string, [13]),
        "a": api.io.FixedLenFeature((1, 3), api.int64, default_value=a_default),
        "b": api.io.FixedLenFeature((3, 3), api.string, default_value=b_default),
        "c": api.io.FixedLenFeature(2, api.float32),
        "d": api.io.FixedLenSequenceFeature([], api.float32, allow_missing=True),
    }
    expected = {
        "st_a": sparse([[0], [1]], np.array([3.0, 4.0], np.float32), [2]),
        "sp": sparse([[0], [3]], np.array([b"a", b"b"], object), [13]),
        "a": np.array([a_default], np.int64),
        "b": b_default,
        "c": np.array([3, 4], np.float32),
        "d": np.array([0.0, 1.0], np.float32),
    }
    check(api.io.parse_single_example(example(record), features), expected)


def test_example_longer_than_spec_fails(api):
    serialized = example({"a": bytes_feature([b"a", b"b"])})
    with _raises(api, "Can't parse serialized Example"):
        api.io.parse_single_example(
            serialized, {"a": api.io.FixedLenFeature(1, api.string)}
        )
