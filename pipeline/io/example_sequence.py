"""Parsing serialized tf.train.SequenceExample records, as ``tf.io`` does.

A SequenceExample holds ``context`` (field 1, laid out as an Example's
features, so the Example parser reads it as it is) and ``feature_lists``
(field 2): for each key a list of Features, one per time step. The Example
kernel locates the wanted feature lists and their steps, and decodes the
values of every step of the batch at once (one call per key).

Output per sequence feature, for a batch of B with ``T_b`` steps in record b:

* `FixedLenSequenceFeature` (shape S): dense ``[B, max T] + S``, zero padded,
  and ``lengths[key] = [T_b]``.
* `VarLenFeature`: a `SparseTensor` with indices ``[b, t, j]``.
* `RaggedFeature`: a `RaggedTensor` ``[B, (T), ...]``, partitions applied per step.

Example:
    >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # lists {"a": [[1]]}
    >>> seq = {"a": VarLenFeature("int64")}
    >>> _, lists, _ = parse_sequence_example([rec], sequence_features=seq)
    >>> lists["a"].indices.tolist()
    [[0, 0, 0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io import example as _example
from pipeline.io.example_columns import shape_text, with_record_name
from pipeline.io.example_features import RaggedFeature
from pipeline.io.example_ragged import batched_levels, stack_units, unit_values
from pipeline.io.example_sequence_context import empty_context_error
from pipeline.io.example_sequence_wire import FeatureLists, Steps
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    check_parse_dtype,
    tf_dtype_name,
)
from pipeline.ragged import RaggedTensor
from pipeline.types import SparseTensor

__all__ = ["parse_sequence_example", "parse_single_sequence_example"]

_CONTEXT = (FixedLenFeature, VarLenFeature, RaggedFeature)
_SEQUENCE = (FixedLenSequenceFeature, VarLenFeature, RaggedFeature)


def _check_specs(context: Mapping, sequence: Mapping) -> None:
    if not context and not sequence:
        raise ValueError(
            "Both `context_features` and `sequence_features` argument are None, "
            "but at least one should have values."
        )
    for specs, allowed in ((context, _CONTEXT), (sequence, _SEQUENCE)):
        for key, spec in specs.items():
            if not isinstance(spec, allowed):
                raise ValueError(
                    f"Unsupported {type(spec).__name__} {spec!r} for key {key!r}"
                )
    for key, spec in (*context.items(), *sequence.items()):
        if isinstance(spec, (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)):
            kind = "sparse_types" if isinstance(spec, VarLenFeature) else "Tdense"
            check_parse_dtype(key, spec, kind)
    for key, spec in (*context.items(), *sequence.items()):
        if isinstance(spec, (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)):
            kind = "sparse_types" if isinstance(spec, VarLenFeature) else "Tdense"
            check_parse_dtype(key, spec, kind)
    for key, spec in sequence.items():
        if isinstance(spec, FixedLenSequenceFeature):
            _example.check_item_shape(key, spec)
            if spec.default_value is not None:
                raise ValueError(
                    f"Value feature_list.dense_defaults[{key}] must be None"
                )


def _names(example_names: Any, batch: int) -> list[str]:
    if example_names is None:
        return ["<unknown>"] * batch
    names = np.asarray(example_names, dtype=object).reshape(-1).tolist()
    names = [
        n.decode("utf-8", "replace") if isinstance(n, bytes) else str(n) for n in names
    ]
    return names + ["<unknown>"] * (batch - len(names))


class _Batch:
    """One batch being parsed: records, their names and their feature lists."""

    def __init__(self, records: list, names: list[str], keys: set[str]) -> None:
        self.records, self.names = records, names
        self.lists = FeatureLists(records, names, sorted(keys))

    def parse_steps(self, key: str, dtype: np.dtype) -> tuple[Steps, Any, Any]:
        """``(steps, values, per-step value splits)`` of the list ``key``."""
        return self.lists.read(key, dtype)


def _var_len(batch: _Batch, key: str, spec: VarLenFeature) -> SparseTensor:
    steps, values, splits = batch.parse_steps(key, spec.dtype)
    counts = np.diff(splits)
    b, t = steps.locate(np.repeat(np.arange(counts.size), counts))
    j = np.arange(values.size) - np.repeat(splits[:-1], counts)
    shape = [len(batch.records), steps.max_steps(), int(counts.max(initial=0))]
    indices = np.stack([b, t, j], axis=1).astype(np.int64).reshape(-1, 3)
    return SparseTensor(indices, values, np.array(shape, np.int64))


def _fixed_len(batch: _Batch, key: str, spec: FixedLenSequenceFeature):
    steps, values, splits = batch.parse_steps(key, spec.dtype)
    size = int(np.prod(spec.shape))
    if not spec.allow_missing and not steps.present.all():
        b = int(np.argmin(steps.present))
        raise InvalidArgumentError(
            f"Name: {batch.names[b]}, Feature list '{key}' is required but could "
            "not be found.  Did you mean to include it in "
            "feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?",
            record_index=b,
            feature=key,
        )
    _check_counts(batch, steps, np.diff(splits), size, key, spec)
    nrec, width = len(batch.records), steps.max_steps()
    pad = b"" if spec.dtype.kind == "O" else 0
    out = np.full((nrec, width * size), pad, dtype=spec.dtype)
    lengths = np.diff(steps.splits)
    out[np.arange(width * size)[None, :] < (lengths * size)[:, None]] = values
    return out.reshape((nrec, width, *spec.shape)), lengths.astype(np.int64)


def _check_counts(batch, steps, counts, size, key, spec) -> None:
    """TF's errors for a record whose steps do not each hold ``size`` values."""
    for b in range(len(batch.records)):
        lo, hi = int(steps.splits[b]), int(steps.splits[b + 1])
        total = int(counts[lo:hi].sum())
        if size and total % size:
            raise InvalidArgumentError(
                f"Feature list '{key}' has an unexpected number of values.  Total "
                f"values size: {total} is not consistent with output shape: "
                f"{shape_text(('?', *spec.shape))}",
                record_index=b,
                feature=key,
            )
        bad = np.flatnonzero(counts[lo:hi] != size)
        if bad.size:
            t = int(bad[0])
            raise InvalidArgumentError(
                f"Name: {batch.names[b]}, Key: {key}, Index: {t}.  Number of values "
                f"!= expected.  values size: {int(counts[lo + t])} but output "
                f"shape: {shape_text(spec.shape)}",
                record_index=b,
                feature=key,
            )


def _ragged(batch: _Batch, key: str, spec: RaggedFeature) -> RaggedTensor:
    keys = spec.keys(key)
    lists, first = {}, None
    for k in dict.fromkeys(keys):
        dtype = spec.dtype if k == keys[0] else np.dtype(np.int64)
        steps, values, splits = batch.parse_steps(k, dtype)
        if first is None:
            first = steps
        elif not np.array_equal(steps.splits, first.splits):
            raise InvalidArgumentError(
                f"Feature {key}: values and partitions are not aligned", feature=key
            )
        lists[k] = (values, splits)
    dtype = spec.row_splits_dtype
    if spec.validate:  # step by step, so each partition is checked on its own
        template = unit_values(spec, key, lists, None)
        units = [unit_values(spec, key, lists, s) for s in range(first.count)]
        records = [
            stack_units(units[first.splits[b] : first.splits[b + 1]], template, dtype)
            for b in range(len(batch.records))
        ]
        return stack_units(records, stack_units([], template, dtype), dtype)
    inner, rows = batched_levels(spec, key, lists)
    steps = RaggedTensor(inner, np.concatenate([[0], np.cumsum(rows)]).astype(dtype))
    return RaggedTensor(steps, first.splits.astype(dtype))


def _sequence(batch: _Batch, sequence: Mapping) -> tuple[dict, dict]:
    lists: dict[str, Any] = {}
    lengths: dict[str, np.ndarray] = {}
    for key, spec in sequence.items():
        if isinstance(spec, FixedLenSequenceFeature):
            lists[key], lengths[key] = _fixed_len(batch, key, spec)
        elif isinstance(spec, VarLenFeature):
            lists[key] = _var_len(batch, key, spec)
        else:
            lists[key] = _ragged(batch, key, spec)
    return lists, lengths


def _context_error(err: InvalidArgumentError, names: list[str], context: Mapping):
    """A context error in TF's SequenceExample wording where it has one."""
    key = getattr(err, "feature", None)
    if key in context and "Data types don't match" in err.message:
        b = err.record_index
        dtype = tf_dtype_name(context[key].dtype)
        return InvalidArgumentError(
            f"Name: {names[b]}, Context feature: {key}.  Data types don't match. "
            f"Expected type: {dtype}",
            record_index=b,
            feature=key,
        )
    return with_record_name(err, names)


def _wanted(sequence: Mapping) -> set[str]:
    keys: set[str] = set()
    for key, spec in sequence.items():
        keys.update(spec.keys(key) if isinstance(spec, RaggedFeature) else [key])
    return keys


def _parse_context(records: list, context: dict, names: list[str], single: bool):
    """The context features; an empty ``Feature{}`` under a FixedLenFeature
    is an error, as in TF (`empty_context_error`)."""
    try:
        ctx = _example.parse_features(records, context)
    except InvalidArgumentError as err:
        required = "is required but could not be found" in err.message
        tf_err = required and empty_context_error(records, context, names, single)
        raise (tf_err or _context_error(err, names, context)) from err
    tf_err = empty_context_error(records, context, names, single)
    if tf_err is not None:
        raise tf_err
    return ctx


def _parse_batch(records: list, context, sequence, names: list[str], single=False):
    context, sequence = dict(context or {}), dict(sequence or {})
    _check_specs(context, sequence)
    batch = _Batch(records, names, _wanted(sequence))
    ctx = _parse_context(records, context, names, single) if context else {}
    lists, lengths = _sequence(batch, sequence)
    return ctx, lists, lengths


def parse_sequence_example(
    serialized: Any,
    context_features: Mapping[str, Any] | None = None,
    sequence_features: Mapping[str, Any] | None = None,
    example_names: Any = None,
    name: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, np.ndarray]]:
    """Parse a batch of serialized SequenceExamples (``tf.io.parse_sequence_example``).

    Args:
        serialized: a list or 1-D array of serialized ``tf.train.SequenceExample``
            records (bytes).
        context_features: maps keys of the context to a `FixedLenFeature`,
            `VarLenFeature` or `RaggedFeature`; default none.
        sequence_features: maps keys of the feature lists to a
            `FixedLenSequenceFeature`, `VarLenFeature` or `RaggedFeature`;
            default none.
        example_names: optional names of the records for error messages.
        name: accepted for TF compatibility; unused.

    Returns:
        ``(context, feature_lists, lengths)``: dicts of parsed values, and the
        number of steps of each `FixedLenSequenceFeature` in each record.

    Raises:
        ValueError: no features, or a spec of a kind TF does not allow there.
        InvalidArgumentError: a malformed record, a missing required feature
            list, a step of the wrong type or size; the message names the
            record, the feature list and the step.

    Example:
        >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # {"a": [[1]]}
        >>> seq = {"a": FixedLenSequenceFeature([], "int64")}
        >>> _, lists, lengths = parse_sequence_example([rec, rec], None, seq)
        >>> lists["a"].tolist(), lengths["a"].tolist()
        ([[1], [1]], [1, 1])
    """
    records = _example.as_batch(serialized)
    names = _names(example_names, len(records))
    return _parse_batch(records, context_features, sequence_features, names)


def parse_single_sequence_example(
    serialized: Any,
    context_features: Mapping[str, Any] | None = None,
    sequence_features: Mapping[str, Any] | None = None,
    example_name: Any = None,
    name: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parse one serialized SequenceExample (``tf.io.parse_single_sequence_example``).

    As :func:`parse_sequence_example` without the batch dimension: a
    `FixedLenSequenceFeature` gives ``[T] + shape``, a `VarLenFeature` a
    `SparseTensor` with indices ``[t, j]``.

    Example:
        >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # {"a": [[1]]}
        >>> seq = {"a": VarLenFeature("int64")}
        >>> parse_single_sequence_example(rec, sequence_features=seq)[1]["a"].shape
        (1, 1)
    """
    if isinstance(serialized, np.ndarray) and serialized.ndim == 0:
        serialized = serialized.item()
    records = [_example.record_bytes(serialized)]
    names = _names(None if example_name is None else [example_name], 1)
    ctx, lists, _ = _parse_batch(
        records, context_features, sequence_features, names, single=True
    )
    return (
        {k: _example.unbatch(v) for k, v in ctx.items()},
        {k: _example.unbatch(v) for k, v in lists.items()},
    )
