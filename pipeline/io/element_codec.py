"""Dataset elements as bytes, and element specs as JSON: a safe, typed format.

A record holds one element: its leaves in order, each a tag byte (``D``ense,
``S``parse, ``R``agged) and numpy buffers with their dtype code and shape.
Strings are a length table then the bytes. Nothing in a record or a spec
names code: dtypes come from a fixed table, structures are tuples and dicts.
A record that does not parse raises `DataLossError` saying what was expected;
the caller adds the file and record index.

Example:
    >>> elem = (np.int64(3), {"s": b"ab", "v": np.array([1.5, 2.5], np.float32)})
    >>> decode_element(encode_element(elem), spec_of(elem))
    (np.int64(3), {'s': b'ab', 'v': array([1.5, 2.5], dtype=float32)})
    >>> spec_from_json(spec_to_json(spec_of(elem))) == spec_of(elem)
    True
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from pipeline.errors import DataLossError
from pipeline.ragged import RaggedTensor, RaggedTensorSpec
from pipeline.types import SparseTensor, SparseTensorSpec, TensorSpec

__all__ = [
    "decode_element",
    "encode_element",
    "spec_from_json",
    "spec_of",
    "spec_to_json",
]

_DTYPES = (
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 "
    "float16 float32 float64 complex64 complex128 string"
).split()
_CODE = {name: i for i, name in enumerate(_DTYPES)}
_U64 = struct.Struct("<Q")
_MAX_RANK = 64


def _dtype_name(dtype: np.dtype) -> str:
    name = "string" if dtype.kind in "OSU" else dtype.name
    if name not in _CODE:
        raise TypeError(f"Can't save values of dtype {dtype}; supported: {_DTYPES}.")
    return name


def _numpy_dtype(name: str) -> np.dtype:
    return np.dtype(object) if name == "string" else np.dtype(name)


# -- encoding -----------------------------------------------------------------


def _encode_dense(value: Any, out: list[bytes]) -> None:
    if isinstance(value, bytes):  # an S array would drop trailing NUL bytes
        arr = np.empty((), dtype=object)
        arr[()] = bytes(value)
    else:
        arr = np.asarray(value)
    name = _dtype_name(arr.dtype)
    if arr.ndim > _MAX_RANK:
        raise TypeError(f"Can't save a tensor of rank {arr.ndim} (max {_MAX_RANK}).")
    out.append(bytes([_CODE[name], arr.ndim]))
    out.append(np.asarray(arr.shape, dtype="<u8").tobytes())
    if name != "string":
        out.append(np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<")).data)
        return
    items = [_as_bytes(v) for v in arr.ravel()]
    out.append(np.asarray([len(v) for v in items], dtype="<u8").tobytes())
    out.extend(items)


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    raise TypeError(
        f"Can't save a string tensor holding {type(value).__name__} values."
    )


def _encode_leaf(value: Any, out: list[bytes]) -> None:
    if isinstance(value, SparseTensor):
        out.append(b"S")
        for part in (value.indices, value.values, value.dense_shape):
            _encode_dense(part, out)
    elif isinstance(value, RaggedTensor):
        splits = value.nested_row_splits
        out.append(b"R" + bytes([len(splits)]))
        for part in (*splits, value.flat_values):
            _encode_dense(part, out)
    elif isinstance(value, (np.ndarray, np.generic, bytes, bool, int, float)):
        out.append(b"D")
        _encode_dense(value, out)
    else:
        raise TypeError(f"Can't save an element leaf of type {type(value).__name__}.")


def encode_element(element: Any) -> bytes:
    """One element as bytes (leaves in ``flatten`` order)."""
    out: list[bytes] = []
    for leaf in _flatten(element):
        _encode_leaf(leaf, out)
    return b"".join(out)


# -- decoding -----------------------------------------------------------------


class _Reader:
    """Bounds-checked reads from a record."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = memoryview(data), 0

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise DataLossError(
                f"record ends early: expected {n} bytes of {what} at byte "
                f"{self.pos}, {len(self.data) - self.pos} left"
            )
        self.pos += n
        return self.data[self.pos - n : self.pos]

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]


def _decode_dense(r: _Reader) -> np.ndarray:
    code, ndim = r.byte("dtype code"), r.byte("rank")
    if code >= len(_DTYPES) or ndim > _MAX_RANK:
        raise DataLossError(f"bad leaf header: dtype code {code}, rank {ndim}")
    shape = tuple(int(d) for d in np.frombuffer(r.take(8 * ndim, "shape"), "<u8"))
    count = int(np.prod(shape, dtype=np.float64))
    name = _DTYPES[code]
    if name != "string":
        dtype = np.dtype(name).newbyteorder("<")
        raw = r.take(count * dtype.itemsize, f"{name} values")
        arr = np.frombuffer(raw, dtype).astype(dtype.newbyteorder("="), copy=True)
        return arr.reshape(shape)
    sizes = np.frombuffer(r.take(8 * count, "string lengths"), "<u8")
    out = np.empty(count, dtype=object)
    for i, n in enumerate(sizes.tolist()):
        out[i] = bytes(r.take(n, "string bytes"))
    return out.reshape(shape)


def _decode_leaf(r: _Reader) -> Any:
    tag = r.byte("leaf tag")
    if tag == ord("D"):
        arr = _decode_dense(r)
        return arr[()] if arr.ndim == 0 else arr
    if tag == ord("S"):
        indices, values, shape = (_decode_dense(r) for _ in range(3))
        return SparseTensor(indices, values, shape)
    if tag == ord("R"):
        parts = [_decode_dense(r) for _ in range(r.byte("ragged rank") + 1)]
        try:
            return RaggedTensor.from_nested_row_splits(parts[-1], parts[:-1])
        except ValueError as e:
            raise DataLossError(f"bad ragged leaf: {e}") from e
    raise DataLossError(f"bad leaf tag {tag!r}: expected one of b'D', b'S', b'R'")


def decode_element(data: bytes, spec: Any) -> Any:
    """The element ``encode_element`` wrote, shaped like ``spec``'s structure."""
    r = _Reader(data)
    leaves = [_decode_leaf(r) for _ in _flatten(spec)]
    if r.pos != len(r.data):
        raise DataLossError(
            f"record has {len(r.data) - r.pos} bytes after its {len(leaves)} leaves"
        )
    return _pack(spec, iter(leaves))


# -- structures and specs -----------------------------------------------------


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, tuple):
        return [x for v in value for x in _flatten(v)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _flatten(v)]
    return [value]


def _pack(template: Any, it: Any) -> Any:
    if isinstance(template, tuple):
        items = [_pack(t, it) for t in template]
        return type(template)(*items) if hasattr(template, "_fields") else tuple(items)
    if isinstance(template, dict):
        return {k: _pack(v, it) for k, v in template.items()}
    return next(it)


def spec_of(element: Any) -> Any:
    """The spec structure of an element (sparse leaves: unknown dims)."""
    if isinstance(element, (tuple, dict)):
        return _pack(element, iter([spec_of(v) for v in _flatten(element)]))
    if isinstance(element, SparseTensor):
        return SparseTensorSpec(element.shape, element.dtype)
    if isinstance(element, RaggedTensor):
        rank = len(element.nested_row_splits)
        shape = (None,) * (rank + 1) + element.flat_values.shape[1:]
        return RaggedTensorSpec(shape, element.dtype, rank)
    arr = np.asarray(element)
    return TensorSpec(arr.shape, object if arr.dtype.kind in "OSU" else arr.dtype)


def spec_to_json(spec: Any) -> Any:
    """A JSON-able description of an element spec (named tuples become tuples)."""
    if isinstance(spec, tuple):
        return {"tuple": [spec_to_json(s) for s in spec]}
    if isinstance(spec, dict):
        return {"dict": [[_key(k), spec_to_json(s)] for k, s in spec.items()]}
    shape = None if spec.shape is None else list(spec.shape)
    out = {"shape": shape, "dtype": _dtype_name(np.dtype(spec.dtype))}
    if isinstance(spec, SparseTensorSpec):
        out["sparse"] = True
    if isinstance(spec, RaggedTensorSpec):
        out["ragged_rank"] = spec.ragged_rank
        out["row_splits_dtype"] = _dtype_name(spec.row_splits_dtype)
    elif not isinstance(spec, TensorSpec):
        raise TypeError(f"Can't save an element of type {type(spec).__name__}.")
    return out


def _key(key: Any) -> Any:
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        raise TypeError(f"Can't save a dict key of type {type(key).__name__}.")
    return key


def spec_from_json(obj: Any) -> Any:
    """The element spec ``spec_to_json`` described; `DataLossError` if malformed."""
    if not isinstance(obj, dict):
        raise DataLossError(f"bad element spec: expected an object, got {obj!r:.80}")
    if "tuple" in obj and isinstance(obj["tuple"], list):
        return tuple(spec_from_json(s) for s in obj["tuple"])
    if "dict" in obj and isinstance(obj["dict"], list):
        if not all(isinstance(p, list) and len(p) == 2 for p in obj["dict"]):
            raise DataLossError("bad element spec: dict items must be [key, spec]")
        return {_checked_key(k): spec_from_json(s) for k, s in obj["dict"]}
    shape, dtype = obj.get("shape"), obj.get("dtype")
    ok_shape = shape is None or (
        isinstance(shape, list)
        and all(d is None or (type(d) is int and d >= 0) for d in shape)
    )
    if not ok_shape or dtype not in _CODE:
        raise DataLossError(f"bad leaf spec: {obj!r:.120}")
    if "ragged_rank" in obj:
        rank, splits = obj["ragged_rank"], obj.get("row_splits_dtype")
        if type(rank) is not int or splits not in ("int32", "int64"):
            raise DataLossError(f"bad ragged spec: {obj!r:.120}")
        return RaggedTensorSpec(shape, _numpy_dtype(dtype), rank, np.dtype(splits))
    if obj.get("sparse") is True:
        return SparseTensorSpec(shape, _numpy_dtype(dtype))
    return TensorSpec(shape, _numpy_dtype(dtype))


def _checked_key(key: Any) -> Any:
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        raise DataLossError(f"bad element spec: dict key {key!r:.40}")
    return key
