"""Cases of tensorflow/python/data/kernel_tests/concatenate_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, spec_shapes


def _rows(values, width):
    return np.tile(np.array([[v] for v in values]), width)


def test_concatenate_yields_both_inputs_in_order(api):
    first = (_rows([1, 2, 3, 4], 20), _rows([12, 13, 14, 15], 15), [37.0, 38, 39, 40])
    second = (
        _rows([1, 2, 3, 4, 5], 20),
        _rows([12, 13, 14, 15, 16], 15),
        np.array([37.0, 38.0, 39.0, 40.0, 41.0]),
    )
    first = (first[0], first[1], np.array(first[2]))
    ds = api.data.Dataset.from_tensor_slices(first).concatenate(
        api.data.Dataset.from_tensor_slices(second)
    )
    assert spec_shapes(ds.element_spec) == ((20,), (15,), ())
    expected = [tuple(c[i] for c in first) for i in range(4)]
    expected += [tuple(c[i] for c in second) for i in range(5)]
    assert_produces(ds, expected)
    assert int(ds.cardinality()) == 9


def test_concatenate_different_shapes_relaxes_the_spec(api):
    first = (_rows([1, 2, 3, 4], 20), _rows([12, 13, 14, 15], 4))
    second = (_rows([1, 2, 3, 4, 5], 20), _rows([12, 13, 14, 15, 16], 15))
    ds = api.data.Dataset.from_tensor_slices(first).concatenate(
        api.data.Dataset.from_tensor_slices(second)
    )
    assert spec_shapes(ds.element_spec) == ((20,), (None,))
    expected = [tuple(c[i] for c in first) for i in range(4)]
    expected += [tuple(c[i] for c in second) for i in range(5)]
    assert_produces(ds, expected)


def test_concatenate_different_ranks_gives_unknown_rank(api):
    a = api.data.Dataset.from_tensors(np.zeros((2, 3)))
    b = api.data.Dataset.from_tensors(np.zeros((2,)))
    assert spec_shapes(a.concatenate(b).element_spec) is None


def test_concatenate_different_structure_is_a_type_error(api):
    a = api.data.Dataset.from_tensor_slices((_rows([1, 2, 3, 4], 5), _rows([1] * 4, 4)))
    b = api.data.Dataset.from_tensor_slices(
        (_rows([1] * 5, 20), _rows([2] * 5, 15), np.arange(5.0))
    )
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        a.concatenate(b)


def test_concatenate_different_keys_is_a_type_error(api):
    a = api.data.Dataset.from_tensor_slices(
        {"foo": np.array([[1], [2]]), "bar": np.array([[3], [4]])}
    )
    b = api.data.Dataset.from_tensor_slices(
        {"foo": np.array([[1], [2]]), "baz": np.array([[5], [6]])}
    )
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        a.concatenate(b)


def test_concatenate_different_dtypes_is_a_type_error(api):
    a = api.data.Dataset.from_tensor_slices((_rows([1, 2, 3, 4], 5), _rows([1] * 4, 4)))
    b = api.data.Dataset.from_tensor_slices(
        (np.tile(np.array([[1.0], [2.0], [3.0], [4.0]]), 5), _rows([1] * 4, 15))
    )
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        a.concatenate(b)


def test_concatenate_int_and_string_is_a_type_error(api):
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        api.data.Dataset.from_tensors(1).concatenate(api.data.Dataset.from_tensors("a"))


def test_concatenate_checkpoint_case_values(api):
    first = (_rows([1, 2, 3, 4], 20), _rows([12, 13, 14, 15], 4))
    second = (_rows([5, 6, 7, 8, 9], 20), _rows([16, 17, 18, 19, 20], 15))
    ds = api.data.Dataset.from_tensor_slices(first).concatenate(
        api.data.Dataset.from_tensor_slices(second)
    )
    got = [tuple(np.asarray(c).tolist() for c in e) for e in ds.as_numpy_iterator()]
    assert len(got) == 9
    assert got[3] == ([4] * 20, [15] * 4)
    assert got[8] == ([9] * 20, [20] * 15)


def test_concatenate_dicts_with_keys_in_another_order(api):
    a = api.data.Dataset.from_tensors({"a": 1, "b": 2.0})
    b = api.data.Dataset.from_tensors({"b": 3.0, "a": 4})
    assert_produces(a.concatenate(b), [{"a": 1, "b": 2.0}, {"a": 4, "b": 3.0}])


def test_concatenate_of_a_non_dataset_fails(api):
    with pytest.raises((TypeError, AttributeError)):
        api.data.Dataset.range(3).concatenate([1, 2])


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda D: D.range(3).concatenate(D.range(2)), 5),
        (
            lambda D: (
                D.range(10).repeat().concatenate(D.range(2).filter(lambda x: True))
            ),
            -1,
        ),
        (lambda D: D.range(3).concatenate(D.range(2).filter(lambda x: True)), -2),
    ],
)
def test_concatenate_cardinality(api, build, expected):
    assert int(build(api.data.Dataset).cardinality()) == expected
