"""Helpers for tests/conformance: the same assertions against pipeline and TF.

The ported cases call these with the ``api`` fixture's datasets and values,
so each helper accepts both libraries' objects: TF tensors (anything with
``.numpy()``), ``SparseTensor`` and ``RaggedTensor`` of either library, numpy
values and nested tuples, lists and dicts of them.

Example:
    >>> to_numpy((1, [2.0], {"a": b"x"}))
    (array(1), [array(2.)], {'a': array(b'x', dtype='|S1')})
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np


class SparseValue(NamedTuple):
    """A sparse tensor's three fields as numpy arrays, from either library."""

    indices: np.ndarray
    values: np.ndarray
    dense_shape: np.ndarray


def is_tensorflow(api: Any) -> bool:
    """True when ``api`` is the tensorflow module."""
    return getattr(api, "__name__", "") == "tensorflow"


def to_numpy(value: Any) -> Any:
    """``value`` with every tensor turned into numpy, structure kept.

    Sparse tensors become ``SparseValue``; ragged tensors become nested lists
    (``to_list()``); bytes stay bytes inside object arrays.
    """
    kind = type(value).__name__
    if kind in ("SparseTensor", "SparseTensorValue"):
        return SparseValue(
            np.asarray(to_numpy(value.indices)),
            np.asarray(to_numpy(value.values)),
            np.asarray(to_numpy(value.dense_shape)),
        )
    if kind in ("RaggedTensor", "RaggedTensorValue"):
        return value.to_list()
    if isinstance(value, Mapping):
        return {k: to_numpy(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(to_numpy(v) for v in value))
    if isinstance(value, tuple):
        return tuple(to_numpy(v) for v in value)
    if isinstance(value, list):
        return [to_numpy(v) for v in value]
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        return np.asarray(value.numpy())
    if value is None:
        return None
    return np.asarray(value)


def elements(dataset: Any, limit: int | None = None) -> list[Any]:
    """Every element of ``dataset`` (at most ``limit``), as numpy structures."""
    out = []
    for element in dataset:
        out.append(to_numpy(element))
        if limit is not None and len(out) >= limit:
            break
    return out


def _plain(value: Any) -> Any:
    """Nested Python values (lists, bytes, numbers) for a readable comparison."""
    value = to_numpy(value)
    if isinstance(value, SparseValue):
        return ("sparse", *(_plain(v) for v in value))
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return (
            type(value)(_plain(v) for v in value)
            if not hasattr(value, "_fields")
            else tuple(_plain(v) for v in value)
        )
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def assert_same(actual: Any, expected: Any, *, rtol: float = 1e-6) -> None:
    """``actual`` equals ``expected`` in structure, values and numeric closeness.

    Strings compare as bytes (``"a"`` in an expectation matches ``b"a"``).
    """
    got, want = _plain(actual), _plain(expected)
    _compare(got, want, rtol, path="element")


def _compare(got: Any, want: Any, rtol: float, path: str) -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: expected a dict, got {got!r}"
        assert sorted(got) == sorted(want), (
            f"{path}: keys {sorted(got)} != {sorted(want)}"
        )
        for key in want:
            _compare(got[key], want[key], rtol, f"{path}[{key!r}]")
        return
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)), (
            f"{path}: expected a sequence, got {got!r}"
        )
        assert len(got) == len(want), (
            f"{path}: length {len(got)} != {len(want)}: {got!r}"
        )
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, rtol, f"{path}[{i}]")
        return
    if isinstance(want, str):
        want = want.encode()
    if isinstance(got, str):
        got = got.encode()
    if isinstance(want, float) or isinstance(got, float):
        assert not isinstance(got, (bytes, list)), f"{path}: {got!r} != {want!r}"
        if np.isnan(want):
            assert np.isnan(got), f"{path}: {got!r} is not NaN"
            return
        assert np.isclose(got, want, rtol=rtol, atol=rtol), (
            f"{path}: {got!r} != {want!r}"
        )
        return
    assert got == want, f"{path}: {got!r} != {want!r}"


def assert_produces(dataset: Any, expected: Iterable[Any], **kw: Any) -> None:
    """``dataset`` yields exactly ``expected``, in order, then ends."""
    assert_same(elements(dataset), list(expected), **kw)


def assert_produces_unordered(dataset: Any, expected: Iterable[Any]) -> None:
    """``dataset`` yields ``expected`` in any order."""
    got = sorted(repr(_plain(e)) for e in elements(dataset))
    want = sorted(repr(_plain(to_numpy(e))) for e in expected)
    assert got == want


def errors_module(api: Any) -> Any:
    """``api.errors`` (pipeline.errors or tf.errors)."""
    return api.errors


def dense_features(api: Any) -> Any:
    """The DenseFeatures layer class: ``pl.feature_column`` or tf_keras's."""
    if is_tensorflow(api):
        return importlib.import_module("tf_keras").layers.DenseFeatures
    return api.feature_column.DenseFeatures


def linear_model(api: Any) -> Any:
    """The LinearModel class: ``pl.feature_column`` or tf_keras's experimental one."""
    if is_tensorflow(api):
        return importlib.import_module("tf_keras").experimental.LinearModel
    return api.feature_column.LinearModel


def numpy_dtype(dtype: Any) -> np.dtype:
    """A numpy dtype from a numpy dtype or a ``tf.DType`` (``tf.string`` -> object)."""
    if hasattr(dtype, "as_numpy_dtype"):
        dtype = dtype.as_numpy_dtype
    return np.dtype(dtype)


def spec_dtypes(spec: Any) -> Any:
    """An ``element_spec``'s structure with each leaf replaced by its numpy dtype."""
    if isinstance(spec, Mapping):
        return {k: spec_dtypes(v) for k, v in spec.items()}
    if isinstance(spec, (tuple, list)):
        return type(spec)(spec_dtypes(v) for v in spec)
    return numpy_dtype(spec.dtype)


def spec_shapes(spec: Any) -> Any:
    """An ``element_spec``'s leaves' shapes as tuples (None: unknown rank)."""
    if isinstance(spec, Mapping):
        return {k: spec_shapes(v) for k, v in spec.items()}
    if isinstance(spec, (tuple, list)):
        return type(spec)(spec_shapes(v) for v in spec)
    shape = spec.shape
    if hasattr(shape, "as_list"):
        return None if shape.rank is None else tuple(shape.as_list())
    return None if shape is None else tuple(shape)


def fill(api: Any, dims: Any, value: Any) -> Any:
    """``tf.fill(dims, value)`` inside a dataset function, in either library."""
    if is_tensorflow(api):
        return api.fill(dims, value)
    return np.full([int(d) for d in dims], value)


def as_string(api: Any, value: Any) -> Any:
    """``tf.strings.as_string(value)`` of a scalar, in either library."""
    if is_tensorflow(api):
        return api.strings.as_string(value)
    return str(value).encode()


def length(api: Any, value: Any, out_type: Any = np.int32) -> Any:
    """``tf.shape(value, out_type)[0]`` (dense or sparse), in either library."""
    if is_tensorflow(api):
        return api.shape(value, out_type=out_type)[0]
    if hasattr(value, "dense_shape"):
        return np.dtype(out_type).type(value.dense_shape[0])
    return np.dtype(out_type).type(np.shape(value)[0])


def outcomes(dataset: Any, error: type, limit: int = 12) -> list[Any]:
    """What successive ``next()`` calls give: a plain value, ``"error"`` when
    one raises ``error`` (iteration goes on), ``"end"`` at the end.

    At most ``limit`` calls, so a dataset that never ends still returns.
    """
    iterator, out = iter(dataset), []
    for _ in range(limit):
        try:
            out.append(_plain(to_numpy(next(iterator))))
        except StopIteration:
            out.append("end")
            break
        except error:
            out.append("error")
    return out
