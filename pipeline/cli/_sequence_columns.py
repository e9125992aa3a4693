"""``tf.train.SequenceExample`` records to batches of `Column` values.

Context features become ordinary columns (as an Example's features); each
feature list becomes a column with ``steps`` (time steps per record, ``-1``
when the record lacks the list) and ``lengths`` per step. A name that is
both a context feature and a feature list is refused: the CLI's output keys
features by name.

Example:
    >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # lists {"a": [[1]]}
    >>> c = SequenceColumns().decode([rec, b""], "f", 0)["a"]
    >>> c.sequence, c.steps.tolist(), c.lengths.tolist(), c.values.tolist()
    (True, [1, -1], [1], [1])
"""

from __future__ import annotations

import numpy as np

from pipeline.cli._examples import _KINDS, feature_columns, values_of
from pipeline.cli._sequence_wire import decode_sequence, has_feature_lists
from pipeline.errors import InvalidArgumentError
from pipeline.io.schema import Column, merge_kinds

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
        return Column(kind, values_of(kind, self.parts), lengths, steps=self.steps)


class SequenceColumns:
    """Decodes blocks of SequenceExamples into context and feature-list columns.

    Example:
        >>> SequenceColumns.check(b"\\x12\\x02\\x0a\\x05")
        Traceback (most recent call last):
        ...
        pipeline.errors.InvalidArgumentError: malformed feature_lists near byte 2
    """

    @staticmethod
    def check(record: bytes) -> None:
        """Raise `InvalidArgumentError` when ``record`` is not a SequenceExample."""
        decode_sequence(record)

    def decode(
        self, records: list[bytes], path: str, first_index: int
    ) -> dict[str, Column]:
        """Decode one block of serialized SequenceExamples.

        Raises:
            InvalidArgumentError: a record is not a SequenceExample, or holds
                a name both as a context feature and as a feature list (names
                file and record).
        """
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
