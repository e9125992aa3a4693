"""``tf.train.SequenceExample`` records to batches of `Column` values.

Context features become ordinary columns (as an Example's features); each
feature list becomes a column with ``steps`` (time steps per record, ``-1``
when the record lacks the list) and ``lengths`` per step. An empty
``Feature{}`` context feature counts as missing (as in an Example); an empty
``Feature{}`` time step is a step with no values (TensorFlow's reading: a
``VarLenFeature`` gives it no values, a ``FixedLenSequenceFeature`` refuses
it), and a list whose steps are all such is an ``untyped`` column. A name that is
both a context feature and a feature list is refused: the CLI's output keys
features by name.

A block is read by the kernels: each record's context bytes (its field 1,
an Example as it is) go to `ExampleColumns`, a walk of its map entries
gives the feature list keys, and ``FeatureLists`` (the parser's reader)
locates and decodes every step of a key across the block at once. When that
fails, the block is decoded record by record in Python (exact, slow), which
names the record at fault.

Example:
    >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # lists {"a": [[1]]}
    >>> c = SequenceColumns().decode([rec, b""], "f", 0)["a"]
    >>> c.sequence, c.steps.tolist(), c.lengths.tolist(), c.values.tolist()
    (True, [1, -1], [1], [1])
"""

from __future__ import annotations

import numpy as np

from pipeline.cli._examples import (
    _KERNEL_KINDS,
    _KINDS,
    ExampleColumns,
    feature_columns,
    values_of,
)
from pipeline.cli._sequence_wire import (
    decode_sequence,
    has_feature_lists,
    split_record,
)
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_sequence_wire import FeatureLists
from pipeline.io.schema import Column, merge_kinds

_DTYPES = {"string": np.dtype(object), "float": np.dtype(np.float32),
           "int64": np.dtype(np.int64)}  # fmt: skip

__all__ = ["SequenceColumns", "is_sequence_block"]


def is_sequence_block(records: list[bytes]) -> bool:
    """Whether a file whose first block is ``records`` holds SequenceExamples:
    its first record decides (it has feature lists)."""
    return bool(records) and has_feature_lists(records[0])


def _record_error(path: str, index: int, e: InvalidArgumentError):
    return InvalidArgumentError(
        f"record {index} of {path!r}: not a SequenceExample: {e.message}",
        path=path,
        record_index=index,
        offset=e.offset,
    )


class _ListColumn:
    """Accumulates one feature list across a block."""

    def __init__(self, n: int) -> None:
        self.steps = np.full(n, -1, dtype=np.int64)
        self.lengths: list[int] = []
        self.parts: list[tuple[str, object]] = []
        self.kind: str | None = None

    def add(self, i: int, features: list) -> None:
        self.steps[i] = len(features)
        for feature in features:
            which = feature.WhichOneof("kind")
            values = getattr(feature, which).value if which else []
            if which:
                self.kind = merge_kinds(self.kind, _KINDS[which])
                self.parts.append((_KINDS[which], values))
            self.lengths.append(len(values))

    def column(self) -> Column:
        lengths = np.array(self.lengths, dtype=np.int64)
        kind = self.kind or "string"
        values = values_of(kind, self.parts)
        untyped = self.kind is None
        return Column(kind, values, lengths, steps=self.steps, untyped=untyped)


def _list_column(lists: FeatureLists, key: str) -> Column:
    """Feature list ``key`` of a located block, or `InvalidArgumentError`
    (a malformed step, or steps of different list types)."""
    f, k = lists.column[key], lists.kernel
    located = k.index_steps(lists.records, lists.start[f], lists.stop[f])
    if located[5] != k.STATUS_OK:
        raise InvalidArgumentError(f"malformed feature list {key!r}")
    kinds = np.unique(located[1][located[1] != 0])
    if len(kinds) > 1:
        raise InvalidArgumentError(f"feature list {key!r} mixes list types")
    kind = _KERNEL_KINDS[int(kinds[0])] if len(kinds) else "string"
    steps, values, value_splits = lists.read(key, _DTYPES[kind])
    per_record = np.where(steps.present, np.diff(steps.splits), -1).astype(np.int64)
    lengths = np.diff(value_splits).astype(np.int64)
    untyped = not len(kinds)
    return Column(kind, values, lengths, steps=per_record, untyped=untyped)


class SequenceColumns:
    """Decodes blocks of SequenceExamples into context and feature-list columns.

    Example:
        >>> SequenceColumns.check(b"\\x12\\x02\\x0a\\x05")
        Traceback (most recent call last):
        ...
        pipeline.errors.InvalidArgumentError: malformed feature_lists near byte 2
    """

    def __init__(self) -> None:
        self._context = ExampleColumns()

    @staticmethod
    def check(record: bytes) -> None:
        """Raise `InvalidArgumentError` when ``record`` is not a SequenceExample."""
        decode_sequence(record)

    def validate(self, records: list[bytes], path: str, first_index: int) -> None:
        """Check that every record of a block is a SequenceExample (by
        decoding it: see `decode`)."""
        self.decode(records, path, first_index)

    def decode(
        self, records: list[bytes], path: str, first_index: int
    ) -> dict[str, Column]:
        """Decode one block of serialized SequenceExamples.

        Raises:
            InvalidArgumentError: a record is not a SequenceExample, or holds
                a name both as a context feature and as a feature list (names
                file and record).
        """
        try:
            return self._located(records, path, first_index)
        except InvalidArgumentError:
            return self._exact(records, path, first_index)  # names the record

    def _located(self, records, path: str, first_index: int) -> dict[str, Column]:
        contexts, keys = [], {}
        for record in records:
            context, names = split_record(record)
            contexts.append(context)
            keys.update(dict.fromkeys(names))
        out = self._context.decode(contexts, path, first_index)
        if not keys:
            return out
        names = [str(first_index + i) for i in range(len(records))]
        lists = FeatureLists(records, names, list(keys))
        for key in keys:
            if key in out:
                raise InvalidArgumentError(f"{key!r} is context and feature list")
            out[key] = _list_column(lists, key)
        return out

    def _exact(self, records, path: str, first_index: int) -> dict[str, Column]:
        contexts: list[dict] = []
        lists: dict[str, _ListColumn] = {}
        for i, record in enumerate(records):
            try:
                context, feature_lists = decode_sequence(record)
            except InvalidArgumentError as e:
                raise _record_error(path, first_index + i, e) from e
            contexts.append(context)
            for name, steps in feature_lists.items():
                lists.setdefault(name, _ListColumn(len(records))).add(i, steps)
        out = feature_columns(contexts)
        for name, acc in lists.items():
            if name in out:
                raise InvalidArgumentError(
                    f"{path!r}: {name!r} is both a context feature and a feature "
                    "list; the CLI keys features by name and cannot show both",
                    path=path,
                )
            out[name] = acc.column()
        return out
