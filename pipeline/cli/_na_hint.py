"""A hint for CSV columns that are numbers but for one token (``NA``, ``?``).

``--na-value`` is never guessed: only the markers the user passes are
missing values. But a string column whose values are all numbers except one
repeated token is most likely a number column with a missing-value marker,
so ``pipeline schema`` says so and names the option.

Example:
    >>> from pipeline.io import fs
    >>> from pipeline.io.detect import detect
    >>> with fs.open_output("memory://na-hint-doc/p.csv") as f:
    ...     _ = f.write(b"species,mass\\nAdelie,3750\\nGentoo,NA\\n")
    >>> na_hint([detect("memory://na-hint-doc/p.csv")], ["species", "mass"])
    "hint: 'mass' holds numbers and 'NA': --na-value NA reads those fields as missing"
"""

from __future__ import annotations

import re
import shlex

from pipeline.cli import _read
from pipeline.io.detect import Detected

_NUMBER = re.compile(rb"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
_MAX_TOKEN_CHARS = 12
_SAMPLE_RECORDS = 4096


def _token(values) -> bytes | None:
    """The one non-numeric value of a column that also holds numbers."""
    others = {v for v in values if not _NUMBER.match(v)}
    if len(others) != 1 or len(others) == len(set(values)):
        return None
    (token,) = others
    return token if 0 < len(token.strip()) <= _MAX_TOKEN_CHARS else None


def na_hint(files: list[Detected], strings: list[str]) -> str | None:
    """The hint for the string features ``strings`` of the first CSV file read
    without ``--na-value`` (its first batch of records), or None.

    Args:
        files: the files read.
        strings: the names of the features inferred as strings.
    """
    csvs = [d for d in files if d.format in ("csv", "tsv") and not d.empty]
    if not csvs or csvs[0].na_values or not strings:
        return None
    batch = next(_read.iter_batches(csvs[0], limit=_SAMPLE_RECORDS), {})
    found: dict[bytes, list[str]] = {}
    for name in strings:
        col = batch.get(name)
        if col is not None and col.kind == "string":
            token = _token(col.values.tolist())
            if token is not None:
                found.setdefault(token, []).append(name)
    if not found:
        return None
    parts = [
        f"{', '.join(map(repr, names))} hold{'s' * (len(names) == 1)} numbers and "
        f"{token.decode('utf-8', 'replace')!r}"
        for token, names in found.items()
    ]
    texts = [t.decode("utf-8", "replace") for t in found]
    options = " ".join(f"--na-value {shlex.quote(t)}" for t in texts)
    return f"hint: {'; '.join(parts)}: {options} reads those fields as missing"
