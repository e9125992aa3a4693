"""``convert --to tfrecord``: batches of columns written as blocks of Examples.

`ExampleBlocks` converts each batch's values to what its feature's list holds
(as the schema's kind says: a string feature's numbers as their text, an
int64 feature's floats truncated, as one record at a time would), gathers
batches until a block of about `BLOCK_RECORDS` records (or
`MAX_PENDING_BATCHES` batches, which bounds the memory for large records),
serializes the block with `pipeline.io.example_encode.encode_examples` (no
Python per record) and hands it to `TFRecordWriter.write_block`, which frames
it in place.

Example:
    >>> import numpy as np
    >>> from pipeline.io.tfrecord import iter_records
    >>> w = TFRecordWriter("memory://blocks-doc/a.tfrecord")
    >>> blocks = ExampleBlocks(w, {"x": "string"})
    >>> blocks.add({"x": Column("int64", np.array([7]), np.array([1]))})
    >>> blocks.flush()
    >>> w.close()
    >>> list(iter_records("memory://blocks-doc/a.tfrecord"))
    [b'\\n\\x0c\\n\\n\\n\\x01x\\x12\\x05\\n\\x03\\n\\x017']
"""

from __future__ import annotations

import numpy as np

from pipeline.cli._read import batch_size, take
from pipeline.io.example_encode import encode_examples
from pipeline.io.schema import Column
from pipeline.io.tfrecord_writer import FOOTER_BYTES, HEADER_BYTES, TFRecordWriter

__all__ = ["BLOCK_RECORDS", "ExampleBlocks", "MAX_PENDING_BATCHES", "byte_strings"]

#: Records serialized at a time: large enough that numpy's per-call cost is
#: spread thin, small enough that the encoder's rows stay in cache.
BLOCK_RECORDS = 16384
#: Batches gathered at most: readers bound a batch's bytes, so this bounds the
#: memory held when records are large (a few per batch).
MAX_PENDING_BATCHES = 8
_DTYPES = {"int64": np.int64, "float": np.float32}
# The dtype kinds that a kind's values keep as they are (others are converted).
_KEPT_KINDS = {"int64": "iub", "float": "f"}

_Columns = dict[str, tuple[np.ndarray, np.ndarray]]


def byte_strings(values: np.ndarray) -> np.ndarray:
    """An object array of bytes: text as UTF-8, anything else as its ``str``.

    Example:
        >>> byte_strings(np.array([1, 2])).tolist()
        [b'1', b'2']
    """
    items = values.tolist()
    if values.dtype == object:
        try:
            b"".join(items)
            return values
        except TypeError:
            pass
    out = np.empty(len(items), dtype=object)
    out[:] = [v if isinstance(v, bytes) else str(v).encode() for v in items]
    return out


class ExampleBlocks:
    """Gathers batches and writes them to ``writer`` as blocks of Examples.

    Args:
        writer: the TFRecord file to append to.
        kinds: each feature's kind (``"int64"``, ``"float"``, ``"string"``);
            a feature not named keeps its values' dtype.
        block_records: records per block. Default `BLOCK_RECORDS`.
    """

    def __init__(
        self,
        writer: TFRecordWriter,
        kinds: dict[str, str],
        block_records: int | None = None,
    ) -> None:
        self.writer, self.kinds = writer, kinds
        self.block_records = block_records or BLOCK_RECORDS
        self._pending: list[tuple[_Columns, int]] = []
        self._rows = 0

    def add(self, batch: dict[str, Column]) -> None:
        """Take a batch (written once a block is full, or by `flush`)."""
        n, step = batch_size(batch), self.block_records
        for start in range(0, n, step):
            part = batch if n <= step else take(batch, start, min(n, start + step))
            columns = {
                name: (self._typed(name, col.values), col.lengths)
                for name, col in part.items()
            }
            self._pending.append((columns, batch_size(part)))
            self._rows += batch_size(part)
            if self._rows >= step or len(self._pending) >= MAX_PENDING_BATCHES:
                self.flush()

    def flush(self) -> None:
        """Write every batch taken so far."""
        pending, self._pending, self._rows = self._pending, [], 0
        for columns, n in _merged(pending):
            block = encode_examples(columns, n, head=HEADER_BYTES, tail=FOOTER_BYTES)
            self.writer.write_block(block.data, block.starts, block.lengths)

    def _typed(self, name: str, values: np.ndarray) -> np.ndarray:
        kind = self.kinds.get(name)
        if kind == "string":
            return byte_strings(values)
        if kind in _DTYPES and values.dtype.kind not in _KEPT_KINDS[kind]:
            return np.asarray(values.tolist(), dtype=_DTYPES[kind])
        return values


def _merged(pending: list[tuple[_Columns, int]]) -> list[tuple[_Columns, int]]:
    """The batches as one, when they have the same features of the same
    dtypes (else as they are)."""
    if len(pending) < 2:
        return pending
    first = pending[0][0]
    dtypes = {name: values.dtype for name, (values, _) in first.items()}
    for columns, _ in pending[1:]:
        if {n: v.dtype for n, (v, _) in columns.items()} != dtypes:
            return pending
    merged = {
        name: (
            np.concatenate([columns[name][0] for columns, _ in pending]),
            np.concatenate([columns[name][1] for columns, _ in pending]),
        )
        for name in first
    }
    return [(merged, sum(n for _, n in pending))]
