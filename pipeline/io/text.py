"""Text lines and fixed-length records, read in big blocks and split vectorized.

Line rules are TensorFlow's (``TextLineDataset``): lines end with ``\\n``;
every ``\\r`` is dropped (TF's ReadLine skips them anywhere in the line); the
last line needs no ``\\n``, and a file ending in ``\\n`` has no trailing
empty line. Fixed-length records are ``FixedLengthRecordDataset``'s: skip
``header_bytes``, then records of ``record_bytes``, then ``footer_bytes``. A
body that is not a whole number of records is an error, as in TF: an
uncompressed file fails before any record (InvalidArgumentError), a
compressed one after its whole records (DataLossError).

Readers yield ``(items, position)`` blocks, where ``position`` is the
decompressed byte offset just after the block, so reading can resume there.

Example:
    >>> with fs.open_output("memory://text-doc/a.txt") as f:
    ...     _ = f.write(b"one\\r\\ntwo\\n\\nthree")
    >>> [line for lines, _ in read_lines("memory://text-doc/a.txt") for line in lines]
    [b'one', b'two', b'', b'three']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.io import fs
from pipeline.io.line_blocks import LineBlock, text_wanted

__all__ = ["read_fixed_length", "read_line_blocks", "read_lines", "split_lines"]

_DEFAULT_BUFFER_BYTES = 1 << 20
#: Lines per yielded block (the engine moves blocks of elements).
_BLOCK_LINES = 1024


def split_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """The complete lines of ``data`` and the unterminated rest.

    Example:
        >>> split_lines(b"a\\r\\nb\\rb\\nc")
        ([b'a', b'bb'], b'c')
    """
    lines = data.split(b"\n")
    rest = lines.pop()
    if b"\r" in data:
        lines = [_no_cr(line) for line in lines]
    return lines, rest


def _no_cr(line: bytes) -> bytes:
    """TF's ReadLine drops every carriage return, not only the one before LF."""
    return line.replace(b"\r", b"") if b"\r" in line else line


def _open_at(
    path: str, compression_type: str | None, buffer_size: int | None, offset: int
) -> IO[bytes]:
    stream = fs.open_input(path, compression_type, buffer_size)
    if offset:
        if not fs.compression_of(path, compression_type) and stream.seekable():
            stream.seek(offset)
        else:
            _skip(stream, offset)
    return stream


def _skip(stream: IO[bytes], count: int) -> int:
    """Read and drop ``count`` bytes; returns how many there were."""
    done = 0
    while done < count:
        got = len(stream.read(min(count - done, _DEFAULT_BUFFER_BYTES)))
        if not got:
            break
        done += got
    return done


def read_lines(
    path: str,
    compression_type: str | None = None,
    buffer_size: int | None = None,
    position: tuple[int, int] = (0, 0),
) -> Iterator[tuple[list[bytes], tuple[int, int]]]:
    """Blocks of lines of ``path``, resuming at ``position``.

    A position is ``(offset, lines)``: ``lines`` lines after the decompressed
    byte ``offset`` (where a line starts). ``(0, 0)`` is the start of the file.

    Yields:
        ``(lines, position_after)``: up to ``_BLOCK_LINES`` lines and the
        position just past the last one.

    Raises:
        NotFoundError: the file does not exist.
        DataLossError: a compressed stream is corrupt or cut short (after the
            lines before the damage were yielded).

    Example:
        >>> with fs.open_output("memory://text-doc/b.txt") as f:
        ...     _ = f.write(b"x\\ny\\nz")
        >>> list(read_lines("memory://text-doc/b.txt", position=(2, 1)))
        [([b'z'], (4, 1))]
    """
    base, skip = position
    chunk_bytes = max(int(buffer_size or 0), _DEFAULT_BUFFER_BYTES)
    with _open_at(path, compression_type, buffer_size, base) as stream:
        rest = b""
        while True:
            data = stream.read(chunk_bytes)
            if data:
                lines, new_rest = split_lines(rest + data if rest else data)
            elif _no_cr(rest):  # the last line needs no newline, but must not
                lines, new_rest = [_no_cr(rest)], b""  # be empty once CRs are gone
            else:
                return
            done = min(skip, len(lines))
            skip -= done
            for start in range(done, len(lines), _BLOCK_LINES):
                end = min(start + _BLOCK_LINES, len(lines))
                yield lines[start:end], (base, end)
            base += len(rest) + len(data) - len(new_rest)
            rest = new_rest


def read_line_blocks(
    path: str,
    compression_type: str | None = None,
    buffer_size: int | None = None,
    position: tuple[int, int] = (0, 0),
) -> Iterator[tuple[LineBlock | list[bytes], tuple[int, int]]]:
    """`read_lines`, each chunk's lines in one block: a `LineBlock` (lines
    split only when taken) for a chunk with no ``\\r`` read while
    `line_blocks.text_wanted`, else a list; the same lines and positions.

    Example:
        >>> with fs.open_output("memory://text-doc/d.txt") as f:
        ...     _ = f.write(b"x\\ny\\nz")
        >>> [(list(b), p) for b, p in read_line_blocks("memory://text-doc/d.txt")]
        [([b'x', b'y'], (0, 2)), ([b'z'], (4, 1))]
    """
    base, skip = position
    chunk_bytes = max(int(buffer_size or 0), _DEFAULT_BUFFER_BYTES)
    with _open_at(path, compression_type, buffer_size, base) as stream:
        rest = b""
        while True:
            data = stream.read(chunk_bytes)
            lines: LineBlock | list[bytes]
            if data:
                chunk = rest + data if rest else data
                if b"\r" in chunk or not text_wanted():
                    lines, new_rest = split_lines(chunk)
                else:
                    lines = LineBlock.of_chunk(chunk)
                    new_rest = lines.rest
            elif _no_cr(rest):
                lines, new_rest = [_no_cr(rest)], b""
            else:
                return
            done = min(skip, len(lines))
            skip -= done
            if done < len(lines):
                yield lines[done:], (base, len(lines))
            base += len(rest) + len(data) - len(new_rest)
            rest = new_rest


def read_fixed_length(
    path: str,
    record_bytes: int,
    header_bytes: int = 0,
    footer_bytes: int = 0,
    compression_type: str | None = None,
    buffer_size: int | None = None,
    offset: int = 0,
) -> Iterator[tuple[list[bytes], int]]:
    """Blocks of fixed-length records of ``path``, resuming at byte ``offset``.

    ``offset`` 0 means the start of the file (the header is skipped).

    Yields:
        ``(records, offset_after)``.

    Example:
        >>> with fs.open_output("memory://text-doc/c.bin") as f:
        ...     _ = f.write(b"HHabcdefFF")
        >>> list(read_fixed_length("memory://text-doc/c.bin", 3, 2, 2))
        [([b'abc', b'def'], 8)]
    """
    if record_bytes <= 0:
        raise InvalidArgumentError(
            f"`record_bytes` must be positive. Received: record_bytes={record_bytes}"
        )
    offset = max(offset, header_bytes)
    chunk = max(int(buffer_size or 0), _DEFAULT_BUFFER_BYTES)
    chunk -= chunk % record_bytes
    compressed = bool(fs.compression_of(path, compression_type))
    if not compressed:
        size = fs.file_size(path)
        # TF computes the body size in uint64: a file smaller than header +
        # footer wraps around, and passes the check when that is a multiple.
        body = (size - header_bytes - footer_bytes) % 2**64
        if body % record_bytes:
            raise InvalidArgumentError(
                _bad_body(path, header_bytes, footer_bytes, body, record_bytes),
                path=path,
            )
        if size < header_bytes:
            raise DataLossError(
                f"file {path!r} ({size} bytes) ends inside its {header_bytes}-byte "
                "header",
                path=path,
                offset=size,
            )
        if size < header_bytes + footer_bytes:
            return
    with _open_at(
        path, compression_type, buffer_size, 0 if compressed else offset
    ) as stream:
        if compressed and _skip(stream, offset) < offset:
            raise DataLossError(
                f"file {path!r} ends before byte {offset} (header of "
                f"{header_bytes} bytes)",
                path=path,
                offset=offset,
            )
        pending = b""
        while True:
            data = stream.read(max(chunk, record_bytes))
            pending = pending + data if pending else data
            count = max(0, (len(pending) - footer_bytes) // record_bytes)
            if count:
                cut = count * record_bytes
                body_bytes, pending = pending[:cut], pending[cut:]
                offset += cut
                records = [
                    body_bytes[i : i + record_bytes]
                    for i in range(0, cut, record_bytes)
                ]
                yield records, offset
            if not data:
                break
    if len(pending) != footer_bytes:
        body = offset - header_bytes + len(pending) - footer_bytes
        message = _bad_body(path, header_bytes, footer_bytes, body, record_bytes)
        raise DataLossError(message, path=path, offset=offset)


def _bad_body(path: str, header: int, footer: int, body: int, size: int) -> str:
    return (
        f"Excluding the header ({header} bytes) and footer ({footer} bytes), input "
        f'file "{path}" has body length {body} bytes, which is not an exact '
        f"multiple of the record length ({size} bytes)."
    )
