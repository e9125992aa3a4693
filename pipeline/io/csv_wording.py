"""CsvDataset's wording of CSV faults (TF's two CSV ops word them differently).

`decode_csv` says "Expect 2 fields but have 4 in record 0"; TF's CsvDataset
says "Expect 2 fields but have more in record". `dataset_error` turns the one
into the other and keeps our file, line, record and column after it.

Example:
    >>> from pipeline.io.csv_spec import csv_error
    >>> e = csv_error("Field 1 is required but missing in record 3!", record=3,
    ...               path="a", line=4)
    >>> print(dataset_error(e, False))
    Field 1 is required but missing in record! (file 'a', line 4, record 3)
"""

from __future__ import annotations

import re

from pipeline.errors import InvalidArgumentError

__all__ = ["dataset_error"]

_COUNT = re.compile(rb"^Expect (\d+) fields but have (\d+) in record")
_RECORD_NUMBER = re.compile(r"( in record) \d+")


def dataset_error(err: InvalidArgumentError, cut_off: bool) -> InvalidArgumentError:
    """``err`` of `decode_csv` in CsvDataset's words (TF's two ops word the
    same faults differently), keeping its file, line and column.

    Example:
        >>> from pipeline.io.csv_spec import csv_error
        >>> e = csv_error("Expect 2 fields but have 4 in record 0", record=0)
        >>> str(dataset_error(e, False))
        'Expect 2 fields but have more in record'
    """
    text = err.message.partition(" (file ")[0]
    if cut_off:
        text = "Reached end of file without closing quoted field in record"
    counts = _COUNT.match(text.encode())
    if counts and int(counts[2]) > int(counts[1]):
        text = f"Expect {int(counts[1])} fields but have more in record"
    text = _RECORD_NUMBER.sub(r"\1", text)
    text = text.replace("quotes/CRLFs inside", "quotes inside")
    where = [f"file {err.path!r}"] if err.path is not None else []
    for key in ("line", "record", "column"):
        value = getattr(err, "record_index" if key == "record" else key)
        if value is not None and where:
            where.append(f"{key} {value}")
    if where:
        text = f"{text} ({', '.join(where)})"
    out = InvalidArgumentError(text, **_where_of(err))
    out.__cause__ = err.__cause__
    return out


def _where_of(err: InvalidArgumentError) -> dict:
    keys = ("path", "offset", "record_index", "line", "column")
    return {k: getattr(err, k) for k in keys if getattr(err, k) is not None}
