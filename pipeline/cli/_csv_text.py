"""CSV text of typed Arrow columns, for ``pipeline convert --to csv``.

A float is written as the shortest text that reads back as the same value at
its own precision (float64: ``0.23``; float32: ``6.45``), and always looks
like a float (``2.0``, not ``2``), so that pandas, pyarrow and ``pipeline``
read the column back as floats with the same values. Strings are quoted
(``""`` doubles a quote inside); a missing value is an empty field.

Example:
    >>> import pyarrow as pa
    >>> b = pa.record_batch({"x": pa.array([0.23, 2.0, None]), "s": ["a,b", "c", None]})
    >>> csv_lines(b).decode().splitlines()
    ['0.23,"a,b"', '2.0,"c"', ',']
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["csv_lines", "field_text"]

# Arrow's shortest text of a float drops ".0" from whole numbers ("2", "-0").
_WHOLE = r"^-?\d+$"


def field_text(arr: pa.Array) -> pa.Array:
    """Each value of ``arr`` as a CSV field (a string array with no nulls).

    Example:
        >>> import numpy as np
        >>> field_text(pa.array(np.array([6.45, -0.0, 1e20], np.float32))).to_pylist()
        ['6.45', '-0.0', '1e+20']
        >>> print(*field_text(pa.array(['say "hi"', None])).to_pylist(), sep="|")
        "say ""hi""\"|
    """
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        inner = pc.replace_substring(arr, '"', '""')
        text = pc.binary_join_element_wise('"', inner, '"', "")
    elif pa.types.is_floating(t):
        text = pc.cast(arr, pa.string())
        whole = pc.match_substring_regex(text, _WHOLE)
        text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
    else:
        text = pc.cast(arr, pa.string())
    return pc.fill_null(text, "")


def csv_lines(batch: pa.RecordBatch) -> bytes:
    """The records of ``batch`` as comma-separated lines, each ending in ``\\n``.

    Example:
        >>> csv_lines(pa.record_batch({"a": [1, None], "b": [3, 4]}))
        b'1,3\\n,4\\n'
    """
    if batch.num_rows == 0:
        return b""
    fields = [field_text(col) for col in batch.columns]
    if not fields:
        return b"\n" * batch.num_rows
    lines = pc.binary_join_element_wise(*fields, ",").cast(pa.binary())
    offsets = pa.array([0, len(lines)], pa.int32())
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, lines), b"\n")
    return joined[0].as_py() + b"\n"
