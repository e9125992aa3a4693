"""Numpy splitter for unquoted CSV batches, with a grouped fast decode.

For a buffer of newline-terminated records with no quoting to honour, every
field lies between two separators. The selected fields are gathered
column-major into one byte buffer with numpy, columns of the same dtype next
to each other, so each dtype group is one zero-copy pyarrow binary array:
one cast per group turns it into numbers, one conversion gives the strings.
That takes a few calls per batch, whatever the number of columns, which
matters for the small batches of a threaded pipeline.

`Split.decode` handles the clean case (every value parses, no required field
missing) and returns None otherwise; `Split.arrays` then gives per-column
binary arrays (nulls where missing) for the exact column-by-column path.

Example:
    >>> from pipeline.io.csv_spec import column_specs
    >>> specs = column_specs([[0], [""]])
    >>> split = Split.of(b"1,a\\n,b\\n", 2, 2, (0, 1), specs, b"")
    >>> [c.to_pylist() for c in split.arrays()]
    [[b'1', None], [b'a', b'b']]
    >>> split.decode()
    [array([1, 0], dtype=int32), array([b'a', b'b'], dtype=object)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from pipeline.io.csv_spec import ColumnSpec

__all__ = ["Split"]

_NEWLINE = 10
_HEX_MARKS = (ord("x"), ord("X"))
_ARROW_TYPES = {
    np.dtype(np.int32): pa.int32(),
    np.dtype(np.int64): pa.int64(),
    np.dtype(np.float32): pa.float32(),
    np.dtype(np.float64): pa.float64(),
}


@dataclasses.dataclass
class Split:
    """The selected fields of a batch, column-major, grouped by dtype.

    Column ``order[p]`` (an index into ``specs``) sits at position ``p``; its
    fields are ``data[offsets[p * n + i]:offsets[p * n + i + 1]]``.
    """

    data: np.ndarray
    offsets: np.ndarray
    missing: np.ndarray  # (columns, n) in position order
    order: list[int]
    specs: Sequence[ColumnSpec]
    n: int

    @classmethod
    def of(
        cls, buf: bytes, n: int, ncols: int, select: Sequence[int],
        specs: Sequence[ColumnSpec], na_value: bytes, delim: int = 44,
    ) -> Split | None:  # fmt: skip
        """Split ``buf``: ``n`` records of ``ncols`` fields (else None)."""
        raw = np.frombuffer(buf, np.uint8)
        seps = np.flatnonzero((raw == delim) | (raw == _NEWLINE))
        if len(seps) != n * ncols:
            return None
        if not (raw[seps[ncols - 1 :: ncols]] == _NEWLINE).all():
            return None
        order = sorted(range(len(specs)), key=lambda j: specs[j].dtype.num)
        cols = np.asarray([select[j] for j in order], dtype=np.int64)
        starts = np.empty_like(seps)
        starts[0] = 0
        starts[1:] = seps[:-1] + 1
        starts = starts.reshape(n, ncols)[:, cols].T.reshape(-1)
        lengths = seps.reshape(n, ncols)[:, cols].T.reshape(-1) - starts
        offsets = np.zeros(len(lengths) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        index = np.arange(int(offsets[-1]), dtype=np.int64)
        index += np.repeat(starts - offsets[:-1], lengths)
        missing = lengths == 0
        if na_value:
            missing |= _equal_to(raw, starts, lengths, na_value)
        shape = (len(order), n)
        return cls(raw[index], offsets.astype(np.int32), missing.reshape(shape),
                   order, specs, n)  # fmt: skip

    def _binary(self, lo: int, hi: int) -> pa.Array:
        """Positions ``[lo, hi)`` as one binary array, nulls where missing."""
        n = self.n
        gone = self.missing[lo:hi].reshape(-1)
        nulls = int(gone.sum())
        validity = None
        if nulls:
            validity = pa.py_buffer(np.packbits(~gone, bitorder="little"))
        offsets = pa.py_buffer(self.offsets[lo * n : hi * n + 1])
        return pa.Array.from_buffers(
            pa.binary(), (hi - lo) * n, [validity, offsets, pa.py_buffer(self.data)],
            null_count=nulls,
        )  # fmt: skip

    def arrays(self) -> list[pa.Array]:
        """Per-column binary arrays in ``specs`` order (nulls where missing)."""
        out: list[pa.Array] = [None] * len(self.order)  # type: ignore[list-item]
        for p, j in enumerate(self.order):
            out[j] = self._binary(p, p + 1)
        return out

    def decode(self) -> list[np.ndarray] | None:
        """Typed, filled columns in ``specs`` order; None unless all is clean."""
        specs = [self.specs[j] for j in self.order]
        required = np.fromiter((s.required for s in specs), bool, len(specs))
        if self.missing[required].any():
            return None
        out: list[np.ndarray] = [None] * len(specs)  # type: ignore[list-item]
        lo = 0
        while lo < len(specs):
            hi = lo + 1
            while hi < len(specs) and specs[hi].dtype == specs[lo].dtype:
                hi += 1
            values = self._group(lo, hi, specs[lo])
            if values is None:
                return None
            for p in range(lo, hi):
                out[self.order[p]] = values[p - lo]
            lo = hi
        return out

    def _group(self, lo: int, hi: int, spec: ColumnSpec) -> np.ndarray | None:
        arr = self._binary(lo, hi)
        gone = self.missing[lo:hi]
        if spec.kind == "string":
            values = arr.to_numpy(zero_copy_only=False).reshape(hi - lo, self.n)
        else:
            if spec.kind == "int" and self._has_hex(lo, hi):
                return None  # pyarrow reads hex ints, TF does not
            try:
                cast = arr.cast(_ARROW_TYPES[spec.dtype])
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return None
            flat = np.frombuffer(cast.buffers()[1], spec.dtype)
            values = flat[cast.offset : cast.offset + len(cast)].reshape(
                hi - lo, self.n
            )
            values = values.copy()
        for k in np.flatnonzero(gone.any(axis=1)).tolist():
            values[k][gone[k]] = self.specs[self.order[lo + k]].default
        return values

    def _has_hex(self, lo: int, hi: int) -> bool:
        n = self.n
        part = self.data[self.offsets[lo * n] : self.offsets[hi * n]]
        return bool(((part == _HEX_MARKS[0]) | (part == _HEX_MARKS[1])).any())


def _equal_to(raw: np.ndarray, starts, lengths, value: bytes) -> np.ndarray:
    """Which fields equal ``value`` exactly."""
    out = lengths == len(value)
    if out.any():
        where = np.flatnonzero(out)
        window = raw[starts[where, None] + np.arange(len(value))]
        out[where] = (window == np.frombuffer(value, np.uint8)).all(axis=1)
    return out
