"""Record index sidecars of text and CSV files: where each line or row starts.

The TFRecord sidecar (`pipeline.io.index`) lists where each record starts;
these list where each line of a text file, or each row of a CSV file,
starts, so ``pl.data.global_shuffle(files, format="text"|"csv")`` can read
any run of records with one seek. Same layout as the TFRecord sidecar, with
its own magic (``b"PLTXIDX1"`` for lines, ``b"PLCVIDX1"`` for CSV rows):
magic, record count, indexed file size, then one uint64 start per record.

Records follow the sources' rules: lines end at ``\\n`` (a last line needs
none; a file ending in ``\\n`` has no trailing empty line; an empty line is a
record). CSV rows end at a ``\\n`` outside double quotes (a quoted field may
span lines; ``""`` inside quotes is a quote); with ``header`` the first row
is not a record. Only uncompressed files can be indexed (a compressed stream
cannot be entered at an offset). Sidecars live where TFRecord ones do: in the
hidden ``.pipeline-index`` folder beside the file (`pipeline.io.index`), out
of reach of the patterns that name the data files.

Example:
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://lineidx-doc/a.csv") as f:
    ...     _ = f.write(b'x,y\\n1,"a\\nb"\\n2,c\\n')
    >>> write_line_index("memory://lineidx-doc/a.csv", "csv", header=True)
    'memory://lineidx-doc/.pipeline-index/a.csv.index'
    >>> build_line_index("memory://lineidx-doc/a.csv", "csv", header=True).tolist()
    [4, 12]
"""

from __future__ import annotations

import struct

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.index import index_path_of, make_index_folder

__all__ = ["MAGICS", "build_line_index", "row_ends", "write_line_index"]

#: The sidecar magic of each indexable format.
MAGICS = {"tfrecord": b"PLTFIDX1", "text": b"PLTXIDX1", "csv": b"PLCVIDX1"}
_HEAD = struct.Struct("<8sQQ")
_CHUNK = 16 << 20
_NEWLINE, _QUOTE = 10, 34


def row_ends(
    chunk: np.ndarray, quotes: bool = True, odd: int = 0
) -> tuple[np.ndarray, int]:
    """Positions of the record-ending newlines of the uint8 array ``chunk``
    and the quote parity after it.

    Args:
        chunk: the bytes, as a uint8 array.
        quotes: CSV rules (a newline inside double quotes ends no record);
            False: every newline ends a line.
        odd: 1 when ``chunk`` starts inside quotes.

    Example:
        >>> ends, odd = row_ends(np.frombuffer(b'a\\n"b\\nc"\\n"d', np.uint8))
        >>> ends.tolist(), odd
        ([1, 7], 1)
    """
    newlines = np.flatnonzero(chunk == _NEWLINE)
    if not quotes:
        return newlines, odd
    inside = (np.cumsum(chunk == _QUOTE) + odd) & 1
    return newlines[inside[newlines] == 0], int(inside[-1]) if len(chunk) else odd


def build_line_index(
    path: str, format: str = "text", header: bool = False, skip_lines: int = 0
) -> np.ndarray:
    """The byte offset where each line (``"text"``) or row (``"csv"``) starts;
    the first ``skip_lines`` lines (a preamble, before any header) are no
    records.

    Raises:
        InvalidArgumentError: an unknown format, or a compressed file.
        NotFoundError: the file does not exist.

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://lineidx-doc/b.txt") as f:
        ...     _ = f.write(b"one\\n\\nthree")
        >>> build_line_index("memory://lineidx-doc/b.txt").tolist()
        [0, 4, 5]
    """
    if format not in ("text", "csv"):
        raise InvalidArgumentError(
            f"`format` must be 'text' or 'csv'. Received: format={format!r}"
        )
    if fs.compression_of(path, "AUTO"):
        raise InvalidArgumentError(
            f"{path!r} is compressed: only uncompressed files can be indexed",
            path=path,
        )
    parts, base, odd = [np.zeros(1, np.int64)], 0, 0
    with fs.open_input(path) as f:
        while chunk := f.read(_CHUNK):
            ends, odd = row_ends(np.frombuffer(chunk, np.uint8), format == "csv", odd)
            parts.append(ends.astype(np.int64) + (base + 1))
            base += len(chunk)
        starts = np.concatenate(parts)
        if starts[-1] < base:  # a last record without its newline: kept unless
            f.seek(int(starts[-1]))  # it is empty once carriage returns go
            if f.read(base - int(starts[-1])).replace(b"\r", b""):
                starts = np.append(starts, base)
    starts = starts[:-1]
    if skip_lines:
        with fs.open_input(path) as f:
            after = sum(len(f.readline()) for _ in range(skip_lines))
        starts = starts[starts >= after]
    return starts[1:] if header and len(starts) else starts


def write_line_index(
    path: str,
    format: str = "text",
    header: bool = False,
    index_path: str | None = None,
    skip_lines: int = 0,
) -> str:
    """Build the line or row index of ``path`` and write it (atomically).

    Args:
        path: an uncompressed text or CSV file.
        format: ``"text"`` (records are lines) or ``"csv"`` (rows, quote-aware).
        header: the first row is a header, not a record.
        index_path: where to write (default `pipeline.io.index.index_path_of`:
            the hidden ``.pipeline-index`` folder beside ``path``).
        skip_lines: lines before the header that are no records (a
            preamble). Defaults to 0.

    Returns:
        The path of the sidecar written.

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://lineidx-doc/c.txt") as f:
        ...     _ = f.write(b"a\\nb\\n")
        >>> write_line_index("memory://lineidx-doc/c.txt", index_path="memory://lineidx-doc/c.i")
        'memory://lineidx-doc/c.i'
    """
    starts = build_line_index(path, format, header, skip_lines).astype("<u8")
    target = index_path or index_path_of(path)
    if index_path is None:
        make_index_folder(target)
    with fs.open_output(target) as out:
        out.write(_HEAD.pack(MAGICS[format], len(starts), fs.file_size(path)))
        out.write(starts.tobytes())
    return target
