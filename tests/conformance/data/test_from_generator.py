"""Cases of tensorflow/python/data/kernel_tests/from_generator_test.py."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest
from conformance_support import assert_produces, elements, to_numpy


def _ranges():
    for i in range(1, 30):
        yield [i] * i


@pytest.mark.parametrize("num_repeats", [1, 3])
@pytest.mark.parametrize(
    "make",
    [
        _ranges,
        lambda: [[i] * i for i in range(1, 30)],
        lambda: ([i] * i for i in range(1, 30)),
    ],
    ids=["fn", "list", "generator_expression"],
)
def test_from_generator_repeat_prefetch_twice(api, make, num_repeats):
    ds = api.data.Dataset.from_generator(make, output_types=api.int64)
    ds = ds.repeat(num_repeats).prefetch(5)
    want = list(make()) * num_repeats
    for _ in range(2):  # two iterations over the same dataset
        assert_produces(ds, want)


@pytest.mark.parametrize("num_repeats", [1, 3])
def test_from_generator_ndarray(api, num_repeats):
    ds = api.data.Dataset.from_generator(
        lambda: np.arange(50, dtype=np.int64), output_types=api.int64
    )
    assert_produces(ds.repeat(num_repeats).prefetch(5), list(range(50)) * num_repeats)


def test_from_multiple_concurrent_generators(api):
    def gen():
        for i in range(1, 10):
            yield ([i] * i, [i, i**2, i**3])

    want = list(gen())

    def inner(_):
        return (
            api.data.Dataset.from_generator(
                gen,
                output_types=(api.int64, api.int64),
                output_shapes=([None], [3]),
            )
            .repeat(3)
            .prefetch(5)
        )

    ds = api.data.Dataset.range(12).interleave(
        inner, cycle_length=10, block_length=len(want)
    )
    assert_produces(ds, want * 3 * 12)


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_from_generator_implicit_conversion(api, dtype):
    def gen():
        yield [1]
        yield [2]
        yield [3]

    tf_dtype = getattr(api, dtype)
    ds = api.data.Dataset.from_generator(gen, output_types=tf_dtype, output_shapes=[1])
    got = elements(ds)
    assert [g.dtype for g in got] == [np.dtype(dtype)] * 3
    assert [g.tolist() for g in got] == [[1], [2], [3]]


def test_from_generator_string(api):
    def gen():
        yield "foo"
        yield b"bar"
        yield "baz"

    ds = api.data.Dataset.from_generator(gen, output_types=api.string, output_shapes=[])
    assert_produces(ds, [b"foo", b"bar", b"baz"])


def _steps(it, count):
    """``count`` outcomes of ``next(it)``: a value, an error class name or END."""
    out = []
    for _ in range(count):
        try:
            out.append(to_numpy(next(it)).tolist())
        except StopIteration:
            out.append("END")
            break
        except Exception as e:  # noqa: BLE001 - the class is the outcome
            out.append(type(e).__name__)
    return out


def test_from_generator_type_error_then_goes_on(api):
    def gen():
        yield np.array([1, 2, 3], dtype=np.int64)
        yield np.array([4, 5, 6], dtype=np.int64)
        yield "ERROR"
        yield np.array([7, 8, 9], dtype=np.int64)

    ds = api.data.Dataset.from_generator(gen, output_types=api.int64, output_shapes=[3])
    got = _steps(iter(ds), 6)
    assert got == [[1, 2, 3], [4, 5, 6], "InvalidArgumentError", [7, 8, 9], "END"]


def test_from_generator_shape_error_then_goes_on(api):
    def gen():
        yield np.array([1, 2, 3], dtype=np.int64)
        yield np.array([4, 5, 6], dtype=np.int64)
        yield np.array([7, 8, 9, 10], dtype=np.int64)
        yield np.array([11, 12, 13], dtype=np.int64)

    ds = api.data.Dataset.from_generator(gen, output_types=api.int64, output_shapes=[3])
    got = _steps(iter(ds), 6)
    assert got == [[1, 2, 3], [4, 5, 6], "InvalidArgumentError", [11, 12, 13], "END"]


def test_from_generator_structure_error_then_goes_on(api):
    def gen():
        yield 1, 2
        yield 3, 4
        yield 5
        yield 6, 7, 8
        yield 9, 10

    ds = api.data.Dataset.from_generator(gen, output_types=(api.int64, api.int64))
    it = iter(ds)
    assert to_numpy(next(it)) == (1, 2)
    assert to_numpy(next(it)) == (3, 4)
    for _ in range(2):
        with pytest.raises(api.errors.InvalidArgumentError, match="expected structure"):
            next(it)
    assert to_numpy(next(it)) == (9, 10)
    with pytest.raises(StopIteration):
        next(it)


def test_from_generator_heterogeneous(api):
    def gen():
        yield 1
        yield [2, 3]

    ds = api.data.Dataset.from_generator(gen, output_types=api.int64)
    assert_produces(ds, [1, [2, 3]])


def test_from_generator_stop_short(api):
    def gen():
        yield 0
        yield 1
        yield 2

    it = iter(api.data.Dataset.from_generator(gen, output_types=api.int64))
    assert int(next(it)) == 0
    assert int(next(it)) == 1


def test_from_generator_destructor_called(api):
    deleted = threading.Event()

    class Wrapper:
        def __iter__(self):
            return self

        def __next__(self):
            return 42

        def __del__(self):
            deleted.set()

    ds = api.data.Dataset.from_generator(Wrapper, output_types=api.int64).take(2)
    it = iter(ds)
    assert int(next(it)) == 42
    assert int(next(it)) == 42
    with pytest.raises(StopIteration):
        next(it)
    gc.collect()
    assert deleted.wait(5.0)


def test_from_generator_with_args(api):
    def flat_map_fn(elem):
        def gen(n):
            for _ in range(n):
                yield np.array(n, dtype=np.int64)

        return api.data.Dataset.from_generator(
            gen, output_types=api.int64, output_shapes=(), args=(elem,)
        )

    ds = api.data.Dataset.range(5).flat_map(flat_map_fn)
    assert_produces(ds, [1, 2, 2, 3, 3, 3, 4, 4, 4, 4])


def test_from_generator_with_two_args(api):
    def flat_map_fn(elem, message):
        def gen(n, msg):
            for i in range(n):
                yield i, msg

        return api.data.Dataset.from_generator(
            gen,
            output_types=(api.int64, api.string),
            output_shapes=((), ()),
            args=(elem, message),
        )

    ds = api.data.Dataset.zip(
        (
            api.data.Dataset.range(5),
            api.data.Dataset.from_tensors("Hi!").repeat(None),
        )
    ).flat_map(flat_map_fn)
    want = [(i, b"Hi!") for n in range(5) for i in range(n)]
    assert_produces(ds, want)


def test_from_generator_tuple_for_a_vector_spec(api):
    def gen():
        yield (9,)
        yield (1, 2)

    spec = api.TensorSpec(shape=[None], dtype=api.int64)
    ds = api.data.Dataset.from_generator(gen, output_signature=spec)
    assert_produces(ds, [[9], [1, 2]])


def test_from_generator_error_keeps_the_elements_before_it(api):
    def gen():
        yield 1
        yield 2
        raise ValueError("boom")

    ds = api.data.Dataset.from_generator(gen, output_types=api.int64)
    it = iter(ds)
    assert [int(next(it)), int(next(it))] == [1, 2]
    with pytest.raises(api.errors.InvalidArgumentError, match="boom"):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_from_generator_output_signature_dict(api):
    def gen():
        yield {"a": 1, "b": [1.0, 2.0]}
        yield {"a": 2, "b": [3.0]}

    sig = {
        "a": api.TensorSpec(shape=(), dtype=api.int64),
        "b": api.TensorSpec(shape=[None], dtype=api.float32),
    }
    ds = api.data.Dataset.from_generator(gen, output_signature=sig)
    assert_produces(ds, [{"a": 1, "b": [1.0, 2.0]}, {"a": 2, "b": [3.0]}])


def _gen():
    yield 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"output_types": "int64", "generator": [1, 2]}, TypeError, "callable"),
        ({}, TypeError, "either the `output_signature` argument or"),
        ({"output_shapes": []}, TypeError, "either the `output_signature`"),
        (
            {"output_types": "int64", "output_signature": "spec"},
            TypeError,
            "can not be used together",
        ),
        ({"output_signature": "int64"}, TypeError, "must contain objects"),
        ({"output_signature": ("spec", 3)}, TypeError, "must contain objects"),
        (
            {"output_types": ("int64", "int64"), "output_shapes": ([],)},
            ValueError,
            "same sequence length",
        ),
    ],
)
def test_from_generator_argument_errors(api, kwargs, error, match):
    def resolve(value):
        if value == "spec":
            return api.TensorSpec(shape=(), dtype=api.int64)
        if isinstance(value, str):
            return getattr(api, value)
        if isinstance(value, tuple):
            return tuple(resolve(v) for v in value)
        return value

    args = {k: resolve(v) if k != "output_shapes" else v for k, v in kwargs.items()}
    generator = args.pop("generator", _gen)
    with pytest.raises(error, match=match):
        api.data.Dataset.from_generator(generator, **args)


@pytest.mark.parametrize(
    ("values", "dtype", "want"),
    [
        ([[], [1]], "int64", [[], [1]]),
        ([np.float32(1.5)], "float64", [1.5]),
        ([np.int64(5)], "float32", [5.0]),
        ([[True, False]], "int32", [[1, 0]]),
        ([1.7, 2], "int64", ["InvalidArgumentError", 2]),
        ([True, 1], "bool", [True, "InvalidArgumentError"]),
        ([b"a", 1, "c"], "string", [b"a", "InvalidArgumentError", b"c"]),
    ],
)
def test_from_generator_conversions(api, values, dtype, want):
    ds = api.data.Dataset.from_generator(
        lambda: iter(values), output_types=getattr(api, dtype)
    )
    got = []
    for outcome in _steps(iter(ds), len(values) + 1):
        got.append(outcome)
    assert got == want + ["END"]
    if dtype != "string":
        for value in elements(ds.ignore_errors()):
            assert value.dtype == np.dtype(dtype)
