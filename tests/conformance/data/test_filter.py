"""Cases of tensorflow/python/data/kernel_tests/filter_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, elements, spec_shapes, to_numpy

COMPONENTS = (
    np.arange(7, dtype=np.int64),
    np.array([[1, 2, 3]], dtype=np.int64) * np.arange(7, dtype=np.int64)[:, None],
    np.array(37.0, dtype=np.float64) * np.arange(7),
)


@pytest.mark.parametrize(("count", "modulus"), [(3, 2), (4, 18), (0, 1)])
def test_filter_dataset(api, count, modulus):
    ds = api.data.Dataset.from_tensor_slices(COMPONENTS)
    ds = ds.map(lambda x, y, z: (x * x, y * y, z * z)).repeat(count)
    ds = ds.filter(lambda x, _y, _z: x % modulus == 0)
    assert list(spec_shapes(ds.element_spec)) == [c.shape[1:] for c in COMPONENTS]
    got = elements(ds)
    kept = [i for i in range(7) if i**2 % modulus == 0]
    assert len(got) == count * len(kept)
    for k, element in enumerate(got):
        i = kept[k % len(kept)]
        for component, value in zip(COMPONENTS, element):
            np.testing.assert_array_equal(value, component[i] ** 2)


def test_filter_range(api):
    ds = api.data.Dataset.range(4).filter(lambda x: x % 3 != 2)
    assert_produces(ds, [0, 1, 3])


def test_filter_dict(api):
    ds = api.data.Dataset.range(10).map(lambda x: {"foo": x * 2, "bar": x**2})
    ds = ds.filter(lambda d: d["bar"] % 2 == 0).map(lambda d: d["foo"] + d["bar"])
    assert_produces(ds, [i * 2 + i**2 for i in range(10) if not (i**2) % 2])


def test_sparse(api):
    def make(i):
        sparse = api.SparseTensor(
            indices=np.array([[0, 0]]), values=(i * np.array([1])), dense_shape=[1, 1]
        )
        return sparse, i

    ds = api.data.Dataset.range(10).map(make)
    ds = ds.filter(lambda _, i: i % 2 == 0).map(lambda x, i: x)
    got = elements(ds)
    assert [g.values.tolist() for g in got] == [[0], [2], [4], [6], [8]]
    assert all(g.indices.tolist() == [[0, 0]] for g in got)


def test_short_circuit(api):
    ds = api.data.Dataset.zip(
        (api.data.Dataset.range(10), api.data.Dataset.from_tensors(True).repeat(None))
    )
    assert_produces(ds.filter(lambda x, y: y), [(i, True) for i in range(10)])


def test_parallel_filters(api):
    ds = api.data.Dataset.range(10).filter(lambda x: x % 2 == 0)
    iterators = [iter(ds) for _ in range(10)]
    assert [int(to_numpy(next(it))) for it in iterators] == [0] * 10


def test_name(api):
    ds = api.data.Dataset.from_tensors(42).filter(lambda x: True, name="filter")
    assert_produces(ds, [42])


def _number(api, record):
    return api.io.decode_csv(record, [[0.0]])[0]


def test_predicate_fail_is_invalid_argument(api):
    ds = api.data.Dataset.from_tensors(b"x").filter(lambda r: _number(api, r) > 0)
    with pytest.raises(api.errors.InvalidArgumentError):
        list(ds)


def test_predicate_error_then_goes_on(api):
    ds = api.data.Dataset.from_tensor_slices([b"1", b"2", b"?", b"4"])
    ds = ds.filter(lambda r: _number(api, r) > 1.5)
    it = iter(ds)
    assert to_numpy(next(it)) == b"2"
    with pytest.raises(api.errors.InvalidArgumentError):
        next(it)
    assert to_numpy(next(it)) == b"4"
    with pytest.raises(StopIteration):
        next(it)


def test_predicate_must_return_a_scalar_bool(api):
    with pytest.raises(ValueError, match="predicate"):
        list(api.data.Dataset.range(3).filter(lambda x: x))
