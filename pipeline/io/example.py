"""Parsing serialized tf.train.Example records into columns, as ``tf.io`` does.

The ``example`` kernel (compiled without the GIL, or its pure-Python twin)
walks the batch once to locate every requested feature; each output column is
then filled straight from the wire bytes. Output per feature, for a batch of B:

* `FixedLenFeature` (shape S): a dense array ``[B] + S``; a missing feature
  takes the default; a present one must have exactly ``prod(S)`` values.
* `VarLenFeature`: a `SparseTensor` with ``dense_shape [B, max count]``.
* `FixedLenSequenceFeature` (shape S): a dense ``[B, T] + S`` padded with the
  default (0 or b"" without one), T the longest sequence in the batch.

Example:
    >>> from pipeline.io.example_message import serialize_example
    >>> recs = [serialize_example({"x": np.array([i], np.int64)}) for i in (1, 2)]
    >>> parse_example(recs, {"x": FixedLenFeature([], np.int64)})["x"].tolist()
    [1, 2]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io import vectorized
from pipeline.io.example_columns import (
    DensePlan,
    Located,
    fill_dense_all,
    fill_sequence,
    fill_sparse,
)
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
)
from pipeline.types import SparseTensor

__all__ = ["parse_example", "parse_single_example"]

Feature = FixedLenFeature | VarLenFeature | FixedLenSequenceFeature


def _as_batch(serialized: Any) -> list[bytes] | np.ndarray:
    if isinstance(serialized, (bytes, bytearray, memoryview, str)):
        raise InvalidArgumentError(
            "`serialized` must be a batch (a list or 1-D array of bytes). Received a "
            "single record: use parse_single_example."
        )
    if isinstance(serialized, np.ndarray):
        if serialized.ndim != 1:
            raise InvalidArgumentError(
                f"`serialized` must be 1-D. Received shape {serialized.shape}"
            )
        serialized = serialized.tolist()
    records = serialized if isinstance(serialized, list) else list(serialized)
    if not _kernels.load("example").all_bytes(records):
        records = [_record_bytes(r) for r in records]
    return records


def _record_bytes(record: Any) -> bytes:
    if isinstance(record, str):
        return record.encode()
    if isinstance(record, (bytes, bytearray, memoryview, np.bytes_)):
        return bytes(record)
    raise InvalidArgumentError(f"a serialized record must be bytes, got {record!r}")


def _check_features(features: Mapping[str, Feature]) -> None:
    if not isinstance(features, Mapping):
        raise InvalidArgumentError(
            f"`features` must be a dict of feature specs. Received: {features!r}"
        )
    for key, spec in features.items():
        if not isinstance(
            spec, (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)
        ):
            raise InvalidArgumentError(
                f"Feature {key!r}: unsupported spec {spec!r} (use FixedLenFeature, "
                "VarLenFeature or FixedLenSequenceFeature)"
            )


def _malformed(records: list[bytes], index: int, offset: int) -> InvalidArgumentError:
    head = records[index][:32]
    return InvalidArgumentError(
        f"Could not parse example input (record {index}, byte {offset}): not a "
        f"valid serialized tf.train.Example, value: {head!r}",
        record_index=index,
        offset=offset,
    )


def parse_example(
    serialized: Any,
    features: Mapping[str, Feature],
    example_names: Any = None,
    name: str | None = None,
) -> dict[str, np.ndarray | SparseTensor]:
    """Parse a batch of serialized Examples, as ``tf.io.parse_example``.

    Args:
        serialized: a list or 1-D array of serialized ``tf.train.Example``
            records (bytes).
        features: maps each output key to a `FixedLenFeature`, `VarLenFeature`
            or `FixedLenSequenceFeature`.
        example_names: accepted for TF compatibility; unused.
        name: accepted for TF compatibility; unused.

    Returns:
        A dict from key to a numpy array (dense) or a `SparseTensor`.

    Raises:
        InvalidArgumentError: a malformed record, a missing required feature, a
            list of the wrong type or length; the message names the feature,
            the record index and what was expected.

    Example:
        >>> from pipeline.io.example_message import serialize_example
        >>> recs = [serialize_example({"t": np.array([b"a", b"b"], object)})]
        >>> parse_example(recs, {"t": VarLenFeature("string")})["t"].values.tolist()
        [b'a', b'b']
    """
    plan = _plan(features)
    records = _as_batch(serialized)
    kernel = _kernels.load("example")
    kind, count, start, stop, status, bad, offset = kernel.index_features(
        records, plan.encoded
    )
    if status != kernel.STATUS_OK:
        raise _malformed(records, bad, offset)
    out = fill_dense_all(records, (kind, count, start, stop), plan.dense)
    for f, key, spec in plan.others:
        loc = Located(kernel, records, key, kind[f], count[f], start[f], stop[f])
        if isinstance(spec, VarLenFeature):
            out[key] = fill_sparse(loc, spec.dtype)
        else:
            out[key] = fill_sequence(loc, spec)
    return {key: out[key] for key in plan.keys} if plan.others else out


class _Plan:
    """A parse spec digested once: keys, the dense plan, the other features."""

    def __init__(self, features: Mapping[str, Feature]) -> None:
        _check_features(features)
        self.key_tuple = tuple(features)
        self.spec_tuple = tuple(features.values())
        self.keys = list(features)
        self.encoded = [k.encode() for k in self.keys]
        dense = [
            f
            for f, k in enumerate(self.keys)
            if isinstance(features[k], FixedLenFeature)
        ]
        names = [self.keys[f] for f in dense]
        self.dense = DensePlan(dense, names, [features[k] for k in names])
        self.others = [
            (f, k, features[k]) for f, k in enumerate(self.keys) if f not in dense
        ]


_PLANS: dict[int, _Plan] = {}
_MAX_PLANS = 256


def _plan(features: Mapping[str, Feature]) -> _Plan:
    """The cached plan of ``features``; rebuilt when its keys or specs change."""
    if not isinstance(features, Mapping):
        _check_features(features)
    plan = _PLANS.get(id(features))
    if (
        plan is None
        or plan.key_tuple != tuple(features)
        or plan.spec_tuple != tuple(features.values())
    ):
        plan = _Plan(features)
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        _PLANS[id(features)] = plan
    return plan


def parse_single_example(
    serialized: Any,
    features: Mapping[str, Feature],
    example_names: Any = None,
    name: str | None = None,
) -> dict[str, np.ndarray | SparseTensor]:
    """Parse one serialized Example, as ``tf.io.parse_single_example``.

    Dense outputs have no batch dimension; sparse ones have rank-1 indices.
    Inside the graph optimizer's batch mode (``pipeline.io.vectorized``), the
    input is a batch and this behaves as :func:`parse_example`.

    Args:
        serialized: one serialized ``tf.train.Example`` (bytes).
        features: as in :func:`parse_example`.
        example_names: accepted for TF compatibility; unused.
        name: accepted for TF compatibility; unused.

    Returns:
        A dict from key to a numpy array or a `SparseTensor`.

    Raises:
        InvalidArgumentError: as :func:`parse_example`.

    Example:
        >>> from pipeline.io.example_message import serialize_example
        >>> rec = serialize_example({"v": np.array([1.5, 2.5], np.float32)})
        >>> parse_single_example(rec, {"v": FixedLenFeature([2], "float32")})["v"]
        array([1.5, 2.5], dtype=float32)
    """
    vectorized.note_vectorizable_call("parse_single_example")
    if vectorized.in_batch_mode():
        return parse_example(serialized, features)
    if isinstance(serialized, np.ndarray) and serialized.ndim == 0:
        serialized = serialized.item()
    parsed = parse_example([_record_bytes(serialized)], features)
    return {key: _unbatch(value) for key, value in parsed.items()}


def _unbatch(value: np.ndarray | SparseTensor) -> np.ndarray | SparseTensor:
    if isinstance(value, SparseTensor):
        return SparseTensor(value.indices[:, 1:], value.values, value.dense_shape[1:])
    return value[0, ...]
