"""Sources of pl.data.Dataset vs tf.data's documented semantics."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError

Dataset = pl.data.Dataset


def test_from_tensor_slices_types_python_values_as_tf():
    ds = Dataset.from_tensor_slices(([1, 2], [1.5, 2.5], ["a", "bc"], [True, False]))
    first = next(iter(ds))
    assert [type(v) for v in first] == [np.int32, np.float32, bytes, np.bool_]
    assert first == (np.int32(1), np.float32(1.5), b"a", np.True_)
    spec = ds.element_spec
    assert [s.dtype for s in spec] == [np.int32, np.float32, np.dtype(object), np.bool_]
    assert all(s.shape == () for s in spec)


def test_from_tensor_slices_keeps_numpy_dtypes_and_big_ints():
    ds = Dataset.from_tensor_slices(np.array([1.0, 2.0]))
    assert next(iter(ds)).dtype == np.float64
    assert next(iter(Dataset.from_tensor_slices([2**40]))).dtype == np.int64


def test_from_tensor_slices_dict_and_matrix_rows():
    ds = Dataset.from_tensor_slices(
        {"x": [[1, 2], [3, 4]], "s": np.array([b"p", b"q"])}
    )
    out = list(ds)
    assert list(out[1]) == ["x", "s"]
    assert out[1]["x"].tolist() == [3, 4] and out[1]["s"] == b"q"
    assert ds.element_spec["x"].shape == (2,)
    assert len(ds) == 2


def test_from_tensor_slices_rejects_mismatched_sizes():
    with pytest.raises(InvalidArgumentError, match="same size"):
        Dataset.from_tensor_slices(([1, 2], [1, 2, 3]))


def test_from_tensors_is_one_element():
    ds = Dataset.from_tensors(([1, 2, 3], "s"))
    assert ds.cardinality() == 1
    (elem,) = list(ds)
    assert elem[0].tolist() == [1, 2, 3] and elem[0].dtype == np.int32
    assert elem[1] == b"s"


def test_range_forms_and_dtype():
    assert [int(x) for x in Dataset.range(3)] == [0, 1, 2]
    assert [int(x) for x in Dataset.range(5, 1, -2)] == [5, 3]
    assert all(type(x) is np.int64 for x in Dataset.range(2))
    assert Dataset.range(10, 0).cardinality() == 0


def test_from_generator_conforms_to_signature():
    def gen():
        yield 1, [1.0, 2.0]
        yield 2, [3.0]

    sig = (pl.TensorSpec((), np.int64), pl.TensorSpec((None,), np.float32))
    ds = Dataset.from_generator(gen, output_signature=sig)
    out = list(ds)
    assert type(out[0][0]) is np.int64 and out[0][1].dtype == np.float32
    assert out[1][1].tolist() == [3.0]
    assert ds.cardinality() == pl.data.UNKNOWN_CARDINALITY
    with pytest.raises(TypeError):
        len(ds)


def test_from_generator_shape_mismatch_raises():
    def gen():
        yield [1, 2]

    ds = Dataset.from_generator(gen, output_signature=pl.TensorSpec((3,), np.int32))
    with pytest.raises(pl.errors.InvalidArgumentError, match=r"shape \(2,\)"):
        list(ds)


def test_from_generator_strings_and_args():
    def gen(n):
        for i in range(int(n)):
            yield f"s{i}"

    ds = Dataset.from_generator(
        gen, output_signature=pl.TensorSpec((), pl.string), args=(2,)
    )
    assert list(ds) == [b"s0", b"s1"]


def test_zip_structures_and_cardinality():
    a, b = Dataset.range(3), Dataset.from_tensor_slices(["x", "y"])
    assert [(int(i), s) for i, s in Dataset.zip(a, b)] == [(0, b"x"), (1, b"y")]
    assert Dataset.zip((a, b)).cardinality() == 2
    d = list(Dataset.zip({"n": a, "s": b}))
    assert d[1] == {"n": np.int64(1), "s": b"y"}
    assert Dataset.zip(a, a.repeat()).cardinality() == 3


def test_named_tuple_elements_are_kept():
    Point = collections.namedtuple("Point", "x y")
    ds = Dataset.from_tensor_slices(Point([1, 2], [3, 4]))
    first = next(iter(ds))
    assert isinstance(first, Point) and first.y == 3
    # a namedtuple is passed as one argument to map (only plain tuples unpack)
    assert [int(v) for v in ds.map(lambda p: p.x + p.y)] == [4, 6]


def test_list_files_sorted_or_shuffled(tmp_path):
    for n in ("c.rec", "a.rec", "b.rec", "x.txt"):
        (tmp_path / n).write_bytes(b"")
    pattern = str(tmp_path / "*.rec")
    names = [f.rsplit(b"/", 1)[1] for f in Dataset.list_files(pattern, shuffle=False)]
    assert names == [b"a.rec", b"b.rec", b"c.rec"]
    shuffled = list(Dataset.list_files(pattern, seed=3))
    assert sorted(shuffled) == sorted(Dataset.list_files(pattern, shuffle=False))
    both = Dataset.list_files([pattern, str(tmp_path / "*.txt")], shuffle=False)
    assert len(both) == 4
    with pytest.raises(pl.errors.NotFoundError, match="no files match"):
        Dataset.list_files(str(tmp_path / "*.none"))
