"""Pure-Python twin of ``_ext/csv_lines.pyx``: where a chunk's lines end.

Example:
    >>> line_ends(b"ab\\n\\nc\\n").tolist()
    [2, 3, 5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["line_ends"]


def line_ends(buf: Any) -> np.ndarray:
    """The offsets of every ``\\n`` in ``buf``, in order (an int64 array).

    Example:
        >>> line_ends(b"no newline").tolist()
        []
    """
    data = bytes(memoryview(buf))
    return np.array([i for i, byte in enumerate(data) if byte == 10], dtype=np.int64)
