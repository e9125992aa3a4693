"""Format and compression sniffing, by content first and by extension second.

:func:`detect` looks at the first bytes of a file and says what it holds:

* compression: ``"GZIP"`` (magic ``1f 8b``), ``"ZLIB"`` (a valid zlib header
  that inflates), or ``""``; the extension (``.gz``, ``.zz``, ``.zlib``)
  decides only when the file is too short to tell;
* format, one of `FORMATS`: ``"parquet"`` (magic ``PAR1``), ``"tfrecord"``
  (a TFRecord whose first record is a ``tf.train.Example`` or a
  ``tf.train.SequenceExample``), ``"tfrecord-raw"``
  (any other TFRecord: the first header's length CRC matches), ``"csv"`` /
  ``"tsv"`` (lines that split into the same number of fields, two or more,
  with ``,``, tab, ``;`` or ``|``; a header row is sniffed), or ``"text"``
  (any other UTF-8 text).

A UTF-8 byte order mark is not part of the first line. CSV options that
change what is sniffed (a given delimiter, preamble lines to skip, the
markers of missing values) are passed to :func:`detect` and kept in the
`Detected`, so that every reader of the file applies them.

Example:
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://detect-doc/a.csv.gz", "GZIP") as f:
    ...     _ = f.write(b"x,y\\n1,2\\n3,4\\n")
    >>> d = detect("memory://detect-doc/a.csv.gz")
    >>> d.format, d.compression, d.delimiter, d.header
    ('csv', 'GZIP', ',', True)
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, replace

from pipeline import _kernels
from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.io import fs
from pipeline.io.csv_sniff import MOST_ROWS, best_delimiter, sniff_csv

__all__ = ["FORMATS", "Detected", "detect", "sniff_csv"]

#: The formats :func:`detect` knows, as ``--format`` spells them.
FORMATS = ("csv", "tsv", "tfrecord", "tfrecord-raw", "parquet", "text")

_SAMPLE_BYTES = 64 * 1024
_SNIFF_LINES = 50
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".tfrecord": "tfrecord",
    ".tfrecords": "tfrecord",
    ".tfrec": "tfrecord",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "text",
    ".text": "text",
}


@dataclass(frozen=True)
class Detected:
    """What a file holds.

    Attributes:
        path: the file.
        format: one of `FORMATS`.
        compression: ``""``, ``"GZIP"`` or ``"ZLIB"``.
        delimiter: the field delimiter (``csv``/``tsv`` only, else None).
        header: whether the first row names the columns (``csv``/``tsv``).
        empty: the (decompressed) file has no bytes at all.
        skip_rows: ``csv``/``tsv``: lines before the header (or first row)
            that are not data.
        na_values: ``csv``/``tsv``: fields that mean a missing value.
        columns: the columns (features) to read, in this order; None for all.
    """

    path: str
    format: str
    compression: str
    delimiter: str | None = None
    header: bool | None = None
    empty: bool = False
    skip_rows: int = 0
    na_values: tuple[str, ...] = ()
    columns: tuple[str, ...] | None = None


def _extension_hints(path: str) -> tuple[str | None, str]:
    """(format, compression) that the file name suggests."""
    name = path.rsplit("/", 1)[-1].lower()
    compression = fs.compression_of(name, "AUTO")
    if compression:
        name = name.rsplit(".", 1)[0]
    fmt = None
    for suffix, kind in _EXTENSIONS.items():
        if name.endswith(suffix) or f"{suffix}-" in name:
            fmt = kind
    return fmt, compression


def _sniff_compression(head: bytes, hinted: str) -> str:
    if head[:2] == b"\x1f\x8b":
        return "GZIP"
    if len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0:
        try:
            zlib.decompressobj().decompress(head, 64)
            return "ZLIB"
        except zlib.error:
            pass
    return hinted if len(head) < 2 else ""


def _read_sample(path: str, compression: str) -> bytes:
    """Up to 64 KiB of decompressed bytes; a damaged stream gives what it can."""
    parts: list[bytes] = []
    got = 0
    with fs.open_input(path, compression) as f:
        while got < _SAMPLE_BYTES:
            try:
                chunk = f.read(4096)
            except DataLossError:
                break
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
    return b"".join(parts)


def _is_tfrecord(sample: bytes) -> bool:
    if len(sample) < 12:
        return False
    crc = _kernels.load("crc32c").masked_crc32c(sample[:8])
    return struct.unpack_from("<I", sample, 8)[0] == crc


def _first_record(sample: bytes) -> bytes | None:
    (length,) = struct.unpack_from("<Q", sample, 0)
    if 12 + length > len(sample):
        return None
    return sample[12 : 12 + length]


def _looks_like_example(record: bytes | None) -> bool:
    """Whether a TFRecord payload is a ``tf.train.Example`` (field 1, bytes)
    or a ``SequenceExample`` (field 1 context and/or field 2 feature_lists)."""
    if record is None:
        return True  # too long to sample; TFRecord files almost always hold Examples
    if not record:
        return True
    if record[0] not in (0x0A, 0x12):  # field 1 or 2 (feature_lists), a message
        return False
    from pipeline.io.example_wire import decode_example

    try:
        decode_example(record)
    except InvalidArgumentError:
        return False
    return True


def _text_lines(sample: bytes, complete: bool, skip_rows: int = 0) -> list[str] | None:
    """The sample's lines as text, without a byte order mark and the first
    ``skip_rows`` lines; None when it is not UTF-8 text."""
    if b"\x00" in sample:
        return None
    if not complete:
        cut = sample.rfind(b"\n")
        sample = sample[: cut + 1] if cut >= 0 else sample
    try:
        text = sample.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    if skip_rows:
        text = "\n".join(text.split("\n")[skip_rows:])
    return text.splitlines()[:_SNIFF_LINES]


def _detect_text(sample: bytes, complete: bool, found: Detected, hint: str | None):
    lines = _text_lines(sample, complete, found.skip_rows)
    if lines is None:
        raise InvalidArgumentError(
            f"cannot detect the format of {found.path!r}: not Parquet, TFRecord or "
            "UTF-8 text (pass --format)",
            path=found.path,
        )
    if hint == "text":
        return "text", None, None
    forced = found.delimiter or ("\t" if hint == "tsv" else None)
    sniffed = sniff_csv(lines, forced, found.na_values)
    if sniffed is None and hint == "csv":  # CSV: the best delimiter, or one column
        sniffed = best_delimiter(lines, MOST_ROWS, found.na_values)
        sniffed = sniffed or sniff_csv(lines, ",", found.na_values)
    if sniffed is None and hint in ("csv", "tsv"):  # no line (past --skip-rows)
        sniffed = (forced or ",", True)
    if sniffed is None:
        return "text", None, None
    delim, header = sniffed
    return ("tsv" if delim == "\t" else "csv"), delim, header


def _check_options(delimiter: str | None, skip_rows: int) -> None:
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InvalidArgumentError(
            "`delimiter` must be one character, not a quote or a newline. "
            f"Received: delimiter={delimiter!r}"
        )
    if skip_rows < 0:
        raise InvalidArgumentError(
            f"`skip_rows` must be >= 0. Received: skip_rows={skip_rows}"
        )


def detect(
    path: str,
    format: str | None = None,
    *,
    delimiter: str | None = None,
    skip_rows: int = 0,
    na_values: tuple[str, ...] = (),
) -> Detected:
    """Detect the format and compression of one file.

    Args:
        path: local path or fsspec URL.
        format: one of `FORMATS` to skip format sniffing (compression, the CSV
            delimiter and header are still sniffed); None (the default) sniffs.
        delimiter: the CSV field delimiter, one character; text content is
            then CSV (TSV for a tab) unless ``format`` says otherwise. None
            (the default) sniffs it.
        skip_rows: CSV lines to leave out before the header (a preamble);
            they are not sniffed. Defaults to 0.
        na_values: CSV fields that mean a missing value; kept in the result
            for the readers, and ignored when sniffing the header. Defaults
            to none. Either one given makes a ``.txt`` file's content decide
            between CSV and text, as for a file of no known extension.

    Returns:
        A `Detected`.

    Raises:
        NotFoundError: the file does not exist.
        InvalidArgumentError: ``format``, ``delimiter`` or ``skip_rows`` is
            invalid, or the content matches no format (binary data that is
            neither Parquet nor TFRecord).

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://detect-doc/b.bin") as w:
        ...     w.write(b"not an example")
        >>> detect("memory://detect-doc/b.bin").format
        'tfrecord-raw'
        >>> with fs.open_output("memory://detect-doc/c.txt") as f:
        ...     _ = f.write(b"# units: mm\\na b\\n1 2\\n")
        >>> d = detect("memory://detect-doc/c.txt", delimiter=" ", skip_rows=1)
        >>> d.format, d.delimiter, d.header
        ('csv', ' ', True)
    """
    if format is not None and format not in FORMATS:
        raise InvalidArgumentError(
            f"`format` must be one of {', '.join(FORMATS)}. Received: format={format!r}"
        )
    _check_options(delimiter, skip_rows)
    hint, hinted_compression = _extension_hints(path)
    if delimiter and format is None:
        hint = "tsv" if delimiter == "\t" else "csv"
    elif format is None and hint == "text" and (skip_rows or na_values):
        hint = None  # CSV options on a .txt file: its content decides
    with fs.open_input(path) as raw:
        head = raw.read(64)
    compression = _sniff_compression(head, hinted_compression)
    options = {"skip_rows": skip_rows, "na_values": tuple(na_values)}
    if head[:4] == b"PAR1" or format == "parquet":
        return Detected(path, "parquet", "", **options)  # type: ignore[arg-type]
    sample = _read_sample(path, compression)
    found = Detected(path, format or hint or "text", compression, delimiter,
                     empty=not sample, **options)  # type: ignore[arg-type]  # fmt: skip
    if not sample:
        return _with_csv_defaults(found)
    complete = len(sample) < _SAMPLE_BYTES
    if format in (None, "tfrecord", "tfrecord-raw") and _is_tfrecord(sample):
        example = _looks_like_example(_first_record(sample))
        fmt = format or ("tfrecord" if example else "tfrecord-raw")
        return replace(found, format=fmt, delimiter=None)
    if format in ("tfrecord", "tfrecord-raw"):
        return replace(found, delimiter=None)
    fmt, delim, header = _detect_text(sample, complete, found, format or hint)
    return replace(found, format=fmt, delimiter=delim, header=header)


def _with_csv_defaults(found: Detected) -> Detected:
    if found.format == "csv":
        return replace(found, delimiter=found.delimiter or ",", header=True)
    if found.format == "tsv":
        return replace(found, delimiter=found.delimiter or "\t", header=True)
    return replace(found, delimiter=None)
