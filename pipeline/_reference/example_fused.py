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
            ``KIND_INT64`` 3 of the ``example`` kernel).
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
            if kind not in (1, 2, 3) or size < 0:
                raise ValueError(f"bad feature spec at position {f}")
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
            for kind, size in zip(self.expected, self.sizes)
        ]
        *index, status, bad, offset = example.index_features(records, self.keys)
        if status != example.STATUS_OK:
            return DENSE_MALFORMED, -1, bad, offset, outs
        status, f, row = example_dense.fill_dense(
            records, *index, list(range(len(self.keys))), self.expected,
            self.sizes, outs, self.defaults,
        )  # fmt: skip
        return status, f, row, -1, outs
