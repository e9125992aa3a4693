"""Parsing serialized tf.train.Example records into columns, as ``tf.io`` does.

The ``example_fused`` kernel walks the batch once without the GIL: it fills
the columns of FixedLenFeatures straight from the wire bytes (string values
are created at the end, with the GIL) and locates the lists of the other
features, which are then filled column by column. A batch with an error goes
through the ``example`` kernel's two passes (locate, then fill), which raise
it; SparseFeature and RaggedFeature read plain lists the same way.
Output per feature, for a batch of B:

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
from pipeline.io import output_shapes, vectorized
from pipeline.io.example_columns import (
    Located,
    fill_dense_all,
    fill_sequence,
    fill_sparse,
    single_record_message,
    with_record_name,
)
from pipeline.io.example_features import RaggedFeature, SparseFeature
from pipeline.io.example_plan import BASE, check_item_shape, plan_of
from pipeline.io.example_ragged import batch_ragged, batch_sparse
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
)
from pipeline.ragged import RaggedTensor
from pipeline.types import SparseTensor

__all__ = [
    "as_batch",
    "check_item_shape",
    "parse_example",
    "parse_features",
    "parse_lists",
    "parse_single_example",
    "record_bytes",
    "unbatch",
]

Feature = (
    FixedLenFeature
    | VarLenFeature
    | FixedLenSequenceFeature
    | SparseFeature
    | RaggedFeature
)


def as_batch(serialized: Any) -> list[bytes] | np.ndarray:
    """``serialized`` as a list of record bytes (a single record is an error).

    Example:
        >>> as_batch(np.array([b"a", "b"], dtype=object))
        [b'a', b'b']
    """
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
        records = [record_bytes(r) for r in records]
    return records


def record_bytes(record: Any) -> bytes:
    """One serialized record as ``bytes`` (str is UTF-8 encoded).

    Example:
        >>> record_bytes("ab")
        b'ab'
    """
    if isinstance(record, str):
        return record.encode()
    if isinstance(record, (bytes, bytearray, memoryview, np.bytes_)):
        return bytes(record)
    raise InvalidArgumentError(f"a serialized record must be bytes, got {record!r}")


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
) -> dict[str, np.ndarray | SparseTensor | RaggedTensor]:
    """Parse a batch of serialized Examples, as ``tf.io.parse_example``.

    Args:
        serialized: a list or 1-D array of serialized ``tf.train.Example``
            records (bytes).
        features: maps each output key to a `FixedLenFeature`, `VarLenFeature`,
            `FixedLenSequenceFeature`, `SparseFeature` or `RaggedFeature`.
        example_names: optional names of the records, used in error messages
            (``Name: in1, Key: a, Index: 0. ...``); default ``<unknown>``.
        name: accepted for TF compatibility; unused.

    Returns:
        A dict from key to a numpy array (dense), a `SparseTensor` or a
        `pipeline.RaggedTensor`.

    Raises:
        ValueError: a spec TF rejects (a FixedLenFeature shape with None, a
            FixedLenSequenceFeature without ``allow_missing``).
        InvalidArgumentError: a malformed record, a missing required feature, a
            list of the wrong type or length; the message names the record,
            the feature, the record index and what was expected.

    Example:
        >>> from pipeline.io.example_message import serialize_example
        >>> recs = [serialize_example({"t": np.array([b"a", b"b"], object)})]
        >>> parse_example(recs, {"t": VarLenFeature("string")})["t"].values.tolist()
        [b'a', b'b']
    """
    records = as_batch(serialized)
    try:
        out = parse_features(records, features)
    except InvalidArgumentError as err:
        raise with_record_name(err, example_names) from err
    output_shapes.declare_parsed(out, features, like=serialized)
    return out


def parse_features(records: list, features: Mapping[str, Feature]) -> dict[str, Any]:
    """:func:`parse_example` of a list of record bytes, without record names.

    Example:
        >>> parse_features([b""], {"x": FixedLenFeature([], "int64", 3)})["x"]
        array([3])
    """
    plan = plan_of(features)
    if not plan.composite:
        return _parse_plan(records, plan)
    base = {k: s for k, s in features.items() if isinstance(s, BASE)}
    out = _parse_base(records, base) if base else {}
    lists = parse_lists(records, _list_needs(features))
    batch = len(records)
    for key, spec in features.items():
        if isinstance(spec, SparseFeature):
            out[key] = batch_sparse(spec, lists, batch)
        elif isinstance(spec, RaggedFeature):
            out[key] = batch_ragged(key, spec, lists, batch)
    return {key: out[key] for key in features}


def _list_needs(features: Mapping[str, Feature]) -> dict[str, np.dtype]:
    """The plain lists composite features read, with the dtype of each."""
    needs: dict[str, np.dtype] = {}
    for key, spec in features.items():
        if isinstance(spec, SparseFeature):
            needs[spec.value_key] = spec.dtype
            needs.update((k, np.dtype(np.int64)) for k in spec.index_keys)
        elif isinstance(spec, RaggedFeature):
            value_key, *partition_keys = spec.keys(key)
            needs[value_key] = spec.dtype
            needs.update((k, np.dtype(np.int64)) for k in partition_keys)
    return needs


def parse_lists(
    records: list, needs: Mapping[str, np.dtype]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each needed list of every record as ``(flat values, per-record splits)``.

    Example:
        >>> from pipeline.io.example_message import serialize_example
        >>> recs = [serialize_example({"x": np.array([4, 5])}), b""]
        >>> values, splits = parse_lists(recs, {"x": np.dtype(np.int64)})["x"]
        >>> values.tolist(), splits.tolist()
        ([4, 5], [0, 2, 2])
    """
    parsed = _parse_base(records, {k: VarLenFeature(d) for k, d in needs.items()})
    out = {}
    for key, sparse in parsed.items():
        counts = np.bincount(sparse.indices[:, 0], minlength=len(records))
        splits = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        out[key] = (sparse.values, splits)
    return out


def _parse_base(records: list, features: Mapping[str, Feature]) -> dict[str, Any]:
    return _parse_plan(records, plan_of(features))


def _parse_plan(records: list, plan: Any) -> dict[str, Any]:
    out, located = _walk(records, plan)
    if not plan.others:
        return out
    kernel = _kernels.load("example")
    for f, key, spec in plan.others:
        loc = Located(kernel, records, key, *located[f])
        if isinstance(spec, VarLenFeature):
            out[key] = fill_sparse(loc, spec.dtype)
        else:
            out[key] = fill_sequence(loc, spec)
    return {key: out[key] for key in plan.keys}


def _walk(records: list, plan: Any) -> tuple[dict[str, Any], dict[int, Any]]:
    """The dense columns, and ``(kind, count, start, stop)`` of each other
    feature by position: from the one walk, or when it finds an error, from
    the two passes (which raise it)."""
    parser = plan.parser
    if parser is not None:
        status, *_, outs = parser.parse(records)
        if status == 0:
            located = {f: outs[f] for f, *_ in plan.others}
            return plan.columns(len(records), outs), located
    kernel = _kernels.load("example")
    *index, status, bad, offset = kernel.index_features(records, plan.encoded)
    if status != kernel.STATUS_OK:
        raise _malformed(records, bad, offset)
    out = fill_dense_all(records, tuple(index), plan.dense)
    return out, {f: [rows[f] for rows in index] for f, *_ in plan.others}


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
        example_names: accepted for TF compatibility; TF's single-record
            messages do not name the record, and neither do ours.
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
    try:
        parsed = parse_features([record_bytes(serialized)], features)
    except InvalidArgumentError as err:
        raise single_record_message(err) from err
    out = {key: unbatch(value) for key, value in parsed.items()}
    output_shapes.declare_parsed(out, features)
    return out


def unbatch(value: Any) -> Any:
    """Record 0 of a parsed batch value (dense, sparse or ragged).

    Example:
        >>> unbatch(np.array([[1, 2]])).tolist()
        [1, 2]
    """
    if isinstance(value, SparseTensor):
        return SparseTensor(value.indices[:, 1:], value.values, value.dense_shape[1:])
    if isinstance(value, RaggedTensor):
        return value[0]
    return value[0, ...]
