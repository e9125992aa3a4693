"""Cases of tensorflow/python/data/kernel_tests/zip_test.py."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from conformance_support import assert_produces, elements, spec_shapes

_COMPONENTS = [
    np.tile(np.array([[1], [2], [3], [4]]), 20),
    np.tile(np.array([[12], [13], [14], [15]]), 22),
    np.array([37.0, 38.0, 39.0, 40.0]),
]


def _zip_slices(api, components):
    return api.data.Dataset.zip(
        tuple(api.data.Dataset.from_tensor_slices(c) for c in components)
    )


def test_zip_equal_lengths(api):
    expected = [tuple(c[i] for c in _COMPONENTS) for i in range(4)]
    assert_produces(_zip_slices(api, _COMPONENTS), expected)


def test_zip_stops_at_the_shortest_and_stays_ended(api):
    components = [[1, 2, 3, 4], [1, 2, 3, 4, 5], [1.0, 2.0]]
    it = iter(_zip_slices(api, components))
    got = [next(it) for _ in range(2)]
    assert [tuple(int(v) for v in e) for e in got] == [(1, 1, 1), (2, 2, 2)]
    for _ in range(2):
        with pytest.raises(StopIteration):
            next(it)


def test_zip_nested_structure(api):
    ds = [api.data.Dataset.from_tensor_slices(c) for c in _COMPONENTS]
    zipped = api.data.Dataset.zip((ds[0], (ds[1], ds[2])))
    assert spec_shapes(zipped.element_spec) == ((20,), ((22,), ()))
    expected = [
        (_COMPONENTS[0][i], (_COMPONENTS[1][i], _COMPONENTS[2][i])) for i in range(4)
    ]
    assert_produces(zipped, expected)


def test_zip_named_tuple(api):
    foo = collections.namedtuple("Foo", ["x", "y"])
    ds = api.data.Dataset.zip(
        foo(x=api.data.Dataset.range(3), y=api.data.Dataset.range(3, 6))
    )
    got = elements(ds)
    assert all(type(e).__name__ == "Foo" for e in got)
    assert [(int(e.x), int(e.y)) for e in got] == [(0, 3), (1, 4), (2, 5)]


def test_zip_variadic_and_keyword(api):
    a, b = api.data.Dataset.range(2), api.data.Dataset.range(5, 9)
    assert_produces(api.data.Dataset.zip(a, b), [(0, 5), (1, 6)])
    assert_produces(api.data.Dataset.zip(datasets=(a, b)), [(0, 5), (1, 6)])
    assert_produces(api.data.Dataset.zip(a), [0, 1])


def test_zip_of_a_non_dataset_is_a_type_error(api):
    with pytest.raises(TypeError, match="zip"):
        api.data.Dataset.zip((api.data.Dataset.range(2), 1))


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda D: D.zip((D.range(10), D.range(3))), 3),
        (lambda D: D.zip((D.range(10).repeat(), D.range(3))), 3),
        (lambda D: D.zip((D.range(10).repeat(), D.range(3).repeat())), -1),
        (lambda D: D.zip((D.range(10).filter(lambda x: True), D.range(3))), -2),
        (
            lambda D: D.zip((D.range(10).repeat(), D.range(3).filter(lambda x: True))),
            -2,
        ),
    ],
)
def test_zip_cardinality(api, build, expected):
    assert int(build(api.data.Dataset).cardinality()) == expected


@pytest.mark.parametrize("arr", [[37.0, 38.0, 39.0, 40.0], [1.0, 2.0]])
def test_zip_checkpoint_case_values(api, arr):
    components = [_COMPONENTS[0], _COMPONENTS[1], np.array(arr)]
    ds = [api.data.Dataset.from_tensor_slices(c) for c in components]
    zipped = api.data.Dataset.zip((ds[0], (ds[1], ds[2])))
    expected = [
        (components[0][i], (components[1][i], components[2][i]))
        for i in range(len(arr))
    ]
    assert_produces(zipped, expected)


def test_zip_of_dicts_keeps_keys(api):
    D = api.data.Dataset
    ds = D.zip({"b": D.range(2), "a": D.range(3, 5)})
    assert_produces(ds, [{"b": 0, "a": 3}, {"b": 1, "a": 4}])


def test_zip_of_nothing_is_invalid(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        api.data.Dataset.zip(())
