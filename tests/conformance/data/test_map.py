"""Cases of tensorflow/python/data/kernel_tests/map_test.py.

A per-element error comes from ``io.decode_csv`` on a bad record (it raises
``InvalidArgumentError`` in both libraries); TF's ``check_numerics`` has no
counterpart here. A Python function raising ``StopIteration`` is a map
function in pipeline and a ``numpy_function`` in TF (a traced TF function
runs its Python body once, not per element).
"""

from __future__ import annotations

import collections

import numpy as np
import pytest
from conformance_support import (
    assert_produces,
    elements,
    is_tensorflow,
    spec_shapes,
    to_numpy,
)

COMPONENTS = (
    np.arange(7),
    np.array([[1, 2, 3]]) * np.arange(7)[:, np.newaxis],
    np.array(37.0) * np.arange(7),
)


def _square(x, y, z):
    return x * x, y * y, z * z


def _check_squares(got, count):
    assert len(got) == 7 * count
    for k, element in enumerate(got):
        i = k % 7
        for component, value in zip(COMPONENTS, element):
            np.testing.assert_array_equal(value, component[i] ** 2)


@pytest.mark.parametrize("count", [1, 3])
def test_map_dataset(api, count):
    ds = api.data.Dataset.from_tensor_slices(COMPONENTS).map(_square).repeat(count)
    assert list(spec_shapes(ds.element_spec)) == [c.shape[1:] for c in COMPONENTS]
    _check_squares(elements(ds), count)


@pytest.mark.parametrize(
    ("num_parallel_calls", "buffer_size"),
    [(1, 1), (1, 2), (2, 2), (2, 4), (8, 8), (8, 16)],
)
def test_parallel_map_dataset(api, num_parallel_calls, buffer_size):
    ds = api.data.Dataset.from_tensor_slices(COMPONENTS)
    ds = ds.map(_square, num_parallel_calls=num_parallel_calls)
    ds = ds.prefetch(buffer_size).repeat(2)
    assert list(spec_shapes(ds.element_spec)) == [c.shape[1:] for c in COMPONENTS]
    _check_squares(elements(ds), 2)


def test_implicit_dispose_parallel_map(api):
    big = tuple(np.repeat(c, 100, axis=0) for c in COMPONENTS)
    ds = api.data.Dataset.from_tensor_slices(big).map(_square, num_parallel_calls=8)
    it = iter(ds.prefetch(16).repeat(100).prefetch(16))
    for _ in range(3):
        next(it)
    del it


RECORDS = np.array([b"1", b"2", b"3", b"nan?", b"5"], dtype=object)


def _parse(api):
    return lambda record: api.io.decode_csv(record, [[0.0]])[0]


def _steps(it, count):
    out = []
    for _ in range(count):
        try:
            out.append(float(to_numpy(next(it))))
        except StopIteration:
            out.append("END")
            break
        except Exception as e:  # noqa: BLE001 - the class is the outcome
            out.append(type(e).__name__)
    return out


@pytest.mark.parametrize("num_parallel_calls", [None, 2])
def test_map_error_then_goes_on(api, num_parallel_calls):
    ds = api.data.Dataset.from_tensor_slices(RECORDS)
    ds = ds.map(_parse(api), num_parallel_calls=num_parallel_calls)
    got = _steps(iter(ds), 7)
    assert got == [1.0, 2.0, 3.0, "InvalidArgumentError", 5.0, "END"]


def test_parallel_map_unspecified_output_size(api):
    ds = api.data.Dataset.from_tensor_slices(RECORDS).map(
        _parse(api), num_parallel_calls=2
    )
    it = iter(ds)
    assert [float(to_numpy(next(it))) for _ in range(3)] == [1.0, 2.0, 3.0]


def test_prefetch_error_then_goes_on(api):
    ds = api.data.Dataset.from_tensor_slices(RECORDS).map(_parse(api)).prefetch(2)
    got = _steps(iter(ds), 7)
    assert got == [1.0, 2.0, 3.0, "InvalidArgumentError", 5.0, "END"]


def test_capture_iterator(api):
    captured = iter(api.data.Dataset.range(10))
    ds = api.data.Dataset.range(10).map(lambda x: x * captured.get_next())
    assert_produces(ds, [i * i for i in range(10)])


def test_map_dict(api):
    ds = api.data.Dataset.range(10)
    ds = ds.map(lambda x: {"foo": x * 2, "bar": x**2})
    ds = ds.map(lambda d: d["foo"] + d["bar"])
    assert_produces(ds, [i * 2 + i**2 for i in range(10)])


def test_map_namedtuple(api):
    labels = api.data.Dataset.range(10)
    images = labels.map(lambda label: -label)
    as_tuple = api.data.Dataset.zip((labels, images))
    example = collections.namedtuple("Example", ["label", "image"])
    as_named = as_tuple.map(example)
    as_tuple = as_tuple.map(lambda label, image: (label, 2 * image))
    as_named = as_named.map(lambda ex: ex._replace(image=2 * ex.image))
    got_tuple, got_named = elements(as_tuple), elements(as_named)
    assert [tuple(t) for t in got_tuple] == [(i, -2 * i) for i in range(10)]
    assert [tuple(n) for n in got_named] == [(i, -2 * i) for i in range(10)]
    assert all(type(n).__name__ == "Example" for n in got_named)
    assert got_named[3].image == -6


def test_return_list(api):
    ds = api.data.Dataset.range(10).map(lambda x: [x, 37.0])
    assert_produces(ds, [(i, 37.0) for i in range(10)])


def test_constant_output(api):
    ds = api.data.Dataset.range(10).map(lambda x: [x, "hello", 10])
    assert_produces(ds, [(i, b"hello", 10) for i in range(10)])


def _sparse(api, i):
    return api.SparseTensor(
        indices=np.array([[0, 0]]), values=(i * np.array([1])), dense_shape=[1, 1]
    )


def test_sparse(api):
    ds = api.data.Dataset.range(10).map(lambda i: _sparse(api, i))
    got = elements(ds)
    assert len(got) == 10
    for i, value in enumerate(got):
        assert value.indices.tolist() == [[0, 0]]
        assert value.values.tolist() == [i]
        assert value.dense_shape.tolist() == [1, 1]


def test_nested_dataset_map(api):
    ds = api.data.Dataset.from_tensors([1.0, 2.0, 3.0])
    ds = ds.map(api.data.Dataset.from_tensor_slices)
    ds = ds.map(lambda inner: inner.batch(3)).flat_map(lambda x: x)
    assert_produces(ds, [[1.0, 2.0, 3.0]])


class Foo:
    """A return value that is not a tensor."""


def test_return_value_error(api):
    ds = api.data.Dataset.from_tensors([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"Unsupported return value"):
        list(ds.map(lambda x: Foo))


@pytest.mark.parametrize("num_parallel_calls", [None, 12])
@pytest.mark.parametrize(
    ("fn", "want"),
    [
        (lambda x, y: (x, y), (1, 2)),
        (lambda x, y: ((x, y), (x, y)), ((1, 2), (1, 2))),
        (lambda x, y: (y, x), (2, 1)),
        (lambda x, y: x, 1),
    ],
    ids=["identity", "replicate", "swap", "project"],
)
def test_short_circuit(api, fn, want, num_parallel_calls):
    ds = api.data.Dataset.from_tensors((1, 2)).repeat()
    ds = ds.map(fn, num_parallel_calls=num_parallel_calls)
    assert elements(ds, limit=1) == [to_numpy(want)]


def _raise_stop_at_3(x):
    if x == 3:
        raise StopIteration()
    return x


@pytest.mark.parametrize("num_parallel_calls", [None, 2])
def test_stop_iteration_in_map_is_invalid_argument(api, num_parallel_calls):
    if is_tensorflow(api):

        def fn(x):
            return api.numpy_function(_raise_stop_at_3, [x], api.int64)

    else:
        fn = _raise_stop_at_3
    ds = api.data.Dataset.range(5).map(fn, num_parallel_calls=num_parallel_calls)
    it = iter(ds)
    assert [int(next(it)) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(api.errors.InvalidArgumentError):
        next(it)
    assert int(next(it)) == 4
    with pytest.raises(StopIteration):
        next(it)


def test_map_element_spec(api):
    ds = api.data.Dataset.range(3).map(lambda x: (x, [1.5, 2.5], "s"))
    assert spec_shapes(ds.element_spec) == ((), (2,), ())


def _outcomes(it, limit=12):
    out = []
    for _ in range(limit):
        try:
            value = to_numpy(next(it))
        except StopIteration:
            out.append("END")
            break
        except Exception as e:  # noqa: BLE001 - the class is the outcome
            out.append(type(e).__name__)
            continue
        if isinstance(value, tuple):
            out.append(tuple(np.asarray(v).tolist() for v in value))
        else:
            out.append(np.asarray(value).tolist())
    return out


def _parsed(api, records):
    parse = _parse(api)
    return api.data.Dataset.from_tensor_slices(records).map(parse)


@pytest.mark.parametrize(
    ("build", "want"),
    [
        (lambda p: p([b"1", b"2", b"?", b"4", b"5"]).batch(2), [[1, 2], "E", [5]]),
        (lambda p: p([b"1", b"?", b"3", b"4"]).take(3), [1, "E", 3, 4]),
        (lambda p: p([b"1", b"?", b"3"]).cache(), [1, "E", 3]),
        (lambda p: p([b"1", b"?"]).repeat(2), [1, "E", 1, "E"]),
        (lambda p: p([b"1", b"?", b"3"]).filter(lambda v: v > 0), [1, "E", 3]),
        (lambda p: p([b"1", b"?", b"3", b"4"]).shard(2, 1), ["E", 3]),
        (
            lambda p: p([b"1", b"?", b"3", b"4"]).take_while(lambda v: v < 4),
            [1, "E", 3],
        ),
        (lambda p: p([b"1", b"?", b"3", b"4"]).padded_batch(2), ["E", [3, 4]]),
        (
            lambda p: (
                p([b"1", b"?", b"3", b"4"]).window(2).flat_map(lambda w: w.batch(2))
            ),
            ["E", [3, 4]],
        ),
    ],
    ids=[
        "batch",
        "take",
        "cache",
        "repeat",
        "filter",
        "shard",
        "take_while",
        "padded_batch",
        "window",
    ],
)
def test_map_error_through_other_transformations(api, build, want):
    got = _outcomes(iter(build(lambda records: _parsed(api, records))))
    want = [w if w != "E" else "InvalidArgumentError" for w in want] + ["END"]
    assert got == want


def test_map_error_through_enumerate_uses_its_index(api):
    ds = _parsed(api, [b"1", b"?", b"3"]).enumerate()
    got = _outcomes(iter(ds))
    assert got == [(0, 1.0), "InvalidArgumentError", (2, 3.0), "END"]


def test_map_error_through_unique(api):
    ds = api.data.Dataset.from_tensor_slices([b"1", b"?", b"1", b"3"])
    ds = ds.map(lambda r: api.io.decode_csv(r, [[0]])[0]).unique()
    assert _outcomes(iter(ds)) == [1, "InvalidArgumentError", 3, "END"]


def test_map_error_through_concatenate(api):
    ds = _parsed(api, [b"1", b"?"]).concatenate(api.data.Dataset.from_tensors(9.0))
    assert _outcomes(iter(ds)) == [1.0, "InvalidArgumentError", 9.0, "END"]


def test_map_error_through_zip(api):
    ds = api.data.Dataset.zip(
        (_parsed(api, [b"1", b"?", b"3"]), api.data.Dataset.range(3))
    )
    got = _outcomes(iter(ds))
    assert got == [(1.0, 0), "InvalidArgumentError", (3.0, 2), "END"]


@pytest.mark.parametrize(
    ("num_parallel_calls", "want"),
    [
        (None, [1, 1, "E", 3, "E", 3]),  # an error does not use up its turn
        (2, [1, 1, "E", "E", 3, 3]),  # in the parallel interleave it does
    ],
)
def test_map_error_inside_interleave(api, num_parallel_calls, want):
    def inner(_):
        return _parsed(api, [b"1", b"?", b"3"])

    ds = api.data.Dataset.range(2).interleave(
        inner, cycle_length=2, num_parallel_calls=num_parallel_calls
    )
    got = _outcomes(iter(ds))
    want = [w if w != "E" else "InvalidArgumentError" for w in want] + ["END"]
    assert got == want


def test_map_error_inside_flat_map(api):
    ds = api.data.Dataset.range(2).flat_map(lambda _: _parsed(api, [b"1", b"?", b"3"]))
    got = _outcomes(iter(ds))
    want = [1, "InvalidArgumentError", 3, 1, "InvalidArgumentError", 3, "END"]
    assert got == want


@pytest.mark.parametrize(
    ("num_parallel_calls", "buffer_size"), [(None, None), (2, 2), (8, 16)]
)
def test_map_dataset_multithreaded_access(api, num_parallel_calls, buffer_size):
    import threading

    ds = api.data.Dataset.from_tensor_slices(COMPONENTS)
    ds = ds.map(_square, num_parallel_calls=num_parallel_calls)
    if buffer_size:
        ds = ds.prefetch(buffer_size)
    it = iter(ds.repeat(18))
    results, lock = [], threading.Lock()

    def consume():
        while True:
            try:
                value = to_numpy(next(it))
            except StopIteration:
                return
            with lock:
                results.append(value)

    threads = [threading.Thread(target=consume) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.sort(key=lambda r: int(r[0]))
    _check_squares([results[i * 18] for i in range(7)], 1)
    assert [int(r[0]) for r in results] == sorted([i * i for i in range(7)] * 18)


def _counted(api, build):
    """``build(count)`` over a counting function: the dataset and the counter."""
    counter = api.Variable(0)

    def count(x):
        counter.assign_add(1)
        return x

    return build(count), counter


def _range(api, n):
    return api.data.Dataset.range(n)


@pytest.mark.parametrize(
    ("build", "want", "calls"),
    [
        (lambda api, c: _range(api, 10).map(c), list(range(10)), 10),
        (
            lambda api, c: _range(api, 10).map(c).batch(4),
            [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]],
            10,
        ),
        (
            lambda api, c: _range(api, 10).filter(lambda x: c(x) % 3 == 0),
            [0, 3, 6, 9],
            10,
        ),
        (
            lambda api, c: _range(api, 4).flat_map(
                lambda x: api.data.Dataset.from_tensors(c(x))
            ),
            [0, 1, 2, 3],
            4,
        ),
        (
            lambda api, c: _range(api, 4).interleave(
                lambda x: api.data.Dataset.from_tensors(x).map(c), cycle_length=2
            ),
            [0, 1, 2, 3],
            4,
        ),
    ],
    ids=["map", "map_batch", "filter", "flat_map", "interleave"],
)
@pytest.mark.parametrize("ask_spec", [False, True])
def test_side_effect_sees_each_element_once(api, build, want, calls, ask_spec):
    ds, counter = _counted(api, lambda count: build(api, count))
    if ask_spec:
        assert ds.element_spec is not None
    assert_produces(ds, want)
    assert int(to_numpy(counter.numpy())) == calls


def test_side_effect_get_single_element_once(api):
    ds, counter = _counted(api, lambda count: _range(api, 1).map(count))
    assert int(to_numpy(ds.get_single_element())) == 0
    assert int(to_numpy(counter.numpy())) == 1
