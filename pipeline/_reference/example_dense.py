"""tf.train.Example dense outputs in plain Python: the spec of
``_ext/example_dense.pyx``.

`fill_dense` checks and fills several FixedLenFeatures of a batch at once,
from the ``(kind, count, start, stop)`` locations of
``example.index_features``.

Example:
    >>> from pipeline._reference.example import index_features
    >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
    >>> index = index_features([rec], [b"a"])[:4]
    >>> out = np.zeros(1, np.int64)
    >>> fill_dense([rec], *index, [0], [3], [1], [out], [None]), out.tolist()
    ((0, -1, -1), [1])
"""

from __future__ import annotations

import numpy as np

from pipeline._reference.example import KIND_FLOAT, KIND_INT64, KIND_NONE, _decode

#: ``fill_dense`` statuses: a present list of the wrong type or length, or a
#: missing feature without a default, at ``(feature, row)``.
DENSE_OK = 0
DENSE_WRONG_KIND = 1
DENSE_WRONG_COUNT = 2
DENSE_MISSING = 3


def _check_dense(kind, count, expected: int, size: int, has_default: bool):
    first_missing = -1
    for b, (k, n) in enumerate(zip(kind.tolist(), count.tolist())):
        if k == KIND_NONE:
            first_missing = b if first_missing < 0 else first_missing
        elif k != expected:
            return DENSE_WRONG_KIND, b
        elif n != size:
            return DENSE_WRONG_COUNT, b
    if first_missing >= 0 and not has_default:
        return DENSE_MISSING, first_missing
    return DENSE_OK, -1


def fill_dense(
    records, kind, count, start, stop, features, expected, sizes, outs, defaults
) -> tuple[int, int, int]:
    """Check and fill the dense outputs of several FixedLenFeatures at once.

    For each ``j``, feature row ``f = features[j]`` of the ``index_features``
    arrays fills the flat array ``outs[j]`` (``len(records) * sizes[j]``
    values of kind ``expected[j]``); a missing record takes ``defaults[j]``
    (flat, ``sizes[j]`` values), and without a default (None) is an error.

    Returns ``(status, j, row)``: a ``DENSE_*`` code, the spec position and
    the record of the first error (``(DENSE_OK, -1, -1)`` when all is well).

    Example:
        >>> from pipeline._reference.example import index_features
        >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
        >>> index = index_features([rec, b""], [b"a"])[:4]
        >>> out = np.zeros(2, np.int64)
        >>> default = np.array([-1], np.int64)
        >>> fill_dense([rec, b""], *index, [0], [KIND_INT64], [1], [out], [default])
        (0, -1, -1)
        >>> out.tolist()
        [1, -1]
    """
    batch = len(records)
    for j, f in enumerate(features):
        size, default, out = int(sizes[j]), defaults[j], outs[j]
        status, row = _check_dense(
            kind[f], count[f], expected[j], size, default is not None
        )
        if status != DENSE_OK:
            return status, j, row
        wanted = {KIND_INT64: np.int64, KIND_FLOAT: np.float32}.get(expected[j], object)
        if len(out) != batch * size or out.dtype != wanted:
            raise ValueError("out does not fit the batch")
        present = np.flatnonzero(kind[f] != KIND_NONE)
        for b in np.flatnonzero(kind[f] == KIND_NONE).tolist():
            out[b * size : (b + 1) * size] = default
        counts = np.full(present.size, size, dtype=np.int64)
        _decode(records, present, start[f][present], stop[f][present],
                present * size, counts, out, expected[j])  # fmt: skip
    return DENSE_OK, -1, -1
