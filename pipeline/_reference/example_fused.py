"""tf.train.Example to dense columns in plain Python: the spec of
``_ext/example_fused.pyx``.

`DenseParser.parse` gives what ``example.index_features`` followed by
``example_dense.fill_dense`` give, in one call: a malformed record first,
then the first feature (spec order) with a present list of the wrong kind or
count, or a missing value without a default.

Example:
    >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
    >>> parser = DenseParser([b"a"], [3], [1], [np.array([-1])])
    >>> status, f, row, offset, outs = parser.parse([rec, b""])
    >>> status, outs[0].tolist()
    (0, [1, -1])
"""

from __future__ import annotations

import numpy as np

from pipeline._reference import example, example_dense

#: ``expected`` of a feature only located (see `DenseParser`).
LOCATE = 0
#: ``parse`` statuses, as ``example_dense.DENSE_*``, and a malformed record.
DENSE_OK = example_dense.DENSE_OK
DENSE_WRONG_KIND = example_dense.DENSE_WRONG_KIND
DENSE_WRONG_COUNT = example_dense.DENSE_WRONG_COUNT
DENSE_MISSING = example_dense.DENSE_MISSING
DENSE_MALFORMED = 4

_DTYPES = {example.KIND_BYTES: object, example.KIND_FLOAT: np.float32}


class DenseParser:
    """FixedLenFeatures digested once; :meth:`parse` fills their columns.

    Args:
        keys: the feature keys (``bytes``), one per output column.
        expected: each key's list kind (``KIND_BYTES`` 1, ``KIND_FLOAT`` 2,
            ``KIND_INT64`` 3 of the ``example`` kernel), or ``LOCATE`` (0): a
            key only located, its output ``[4, batch]`` int64 rows ``(kind,
            count, start, stop)`` as ``example.index_features`` gives them
            (its size and default are ignored).
        sizes: the number of values per record of each key.
        defaults: each key's flat default (``sizes[f]`` values of the
            column's dtype), or None where a missing value is an error.
    """

    def __init__(self, keys, expected, sizes, defaults) -> None:
        if not len(expected) == len(sizes) == len(defaults) == len(keys):
            raise ValueError("keys, expected, sizes and defaults differ in length")
        self.keys = [bytes(k) for k in keys]
        self.expected, self.sizes = list(expected), [int(n) for n in sizes]
        self.defaults = []
        for f, (kind, size, default) in enumerate(zip(expected, sizes, defaults)):
            if kind not in (LOCATE, 1, 2, 3) or size < 0:
                raise ValueError(f"bad feature spec at position {f}")
            if kind == LOCATE:
                default = None
            if default is not None:
                default = np.asarray(default, _DTYPES.get(kind, np.int64)).reshape(-1)
                if default.shape[0] != size:
                    raise ValueError("default does not fit the feature")
            self.defaults.append(default)

    def parse(self, records) -> tuple:
        """Fill the columns of ``records`` (a list of ``bytes``).

        Returns:
            ``(status, f, row, offset, outs)``: a ``DENSE_*`` code; for a
            malformed record ``row`` is the record and ``offset`` the byte
            (``f`` -1), otherwise ``f`` is the first key in spec order with
            an error and ``row`` its record. ``outs`` are the flat columns
            (``len(records) * sizes[f]`` values each), complete only when
            the status is ``DENSE_OK``.
        """
        batch = len(records)
        outs = [
            np.empty(batch * size, _DTYPES.get(kind, np.int64))
            if kind != LOCATE
            else np.empty((4, batch), np.int64)
            for kind, size in zip(self.expected, self.sizes)
        ]
        *index, status, bad, offset = example.index_features(records, self.keys)
        if status != example.STATUS_OK:
            return DENSE_MALFORMED, -1, bad, offset, outs
        dense = [f for f, kind in enumerate(self.expected) if kind != LOCATE]
        for f in set(range(len(outs))) - set(dense):
            outs[f][...] = [rows[f] for rows in index]
        status, j, row = example_dense.fill_dense(
            records, *index, dense, [self.expected[f] for f in dense],
            [self.sizes[f] for f in dense], [outs[f] for f in dense],
            [self.defaults[f] for f in dense],
        )  # fmt: skip
        return status, dense[j] if j >= 0 else -1, row, -1, outs
