"""The feature lists of serialized SequenceExamples, read by the Example kernel.

``SequenceExample{1: Features context, 2: FeatureLists}``; ``FeatureLists{1:
map entry {1: key, 2: FeatureList}}``; ``FeatureList{1: repeated Feature}``.
The kernel's ``index_feature_lists`` finds each wanted FeatureList in each
record, ``index_steps`` locates its Features (the time steps), and the
``decode_*`` kernels copy the values of every step of the batch at once.

Example:
    >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # {"a": [[1]]}
    >>> lists = FeatureLists([rec], ["in1"], ["a"])
    >>> steps, values, splits = lists.read("a", np.dtype(np.int64))
    >>> steps.splits.tolist(), values.tolist(), splits.tolist()
    ([0, 1], [1], [0, 1])
"""

from __future__ import annotations

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_spec import tf_dtype_name

__all__ = ["FeatureLists", "Steps"]

_KINDS = {"string": 1, "float": 2, "int64": 3}


class Steps:
    """The steps of one feature list across a batch.

    Record ``b`` owns steps ``splits[b]:splits[b + 1]``; ``present[b]`` says
    whether record ``b`` has the feature list at all.
    """

    def __init__(self, splits: np.ndarray, present: np.ndarray) -> None:
        self.splits = splits
        self.present = present.astype(bool)
        self.count = int(splits[-1])

    def locate(self, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(record, step within it)`` of batch steps ``steps``."""
        b = np.searchsorted(self.splits, steps, side="right") - 1
        return b, steps - self.splits[b]

    def max_steps(self) -> int:
        """The most steps any record has."""
        return int(np.diff(self.splits).max(initial=0))


class FeatureLists:
    """The wanted feature lists of a batch of SequenceExamples, located once.

    Raises:
        InvalidArgumentError: a record that is not a valid SequenceExample
            (TF's message, naming the record).
    """

    def __init__(self, records: list, names: list[str], keys: list[str]) -> None:
        self.kernel = _kernels.load("example")
        self.records, self.names = records, names
        self.column = {key: f for f, key in enumerate(keys)}
        located = self.kernel.index_feature_lists(records, [k.encode() for k in keys])
        self._check(located[3:])
        self.present, self.start, self.stop = located[:3]

    def _check(self, status: tuple) -> None:
        if status[0] != self.kernel.STATUS_OK:
            raise InvalidArgumentError(
                "Invalid protocol message input, example id: "
                f"{self.names[status[1]]} (byte {status[2]})",
                record_index=status[1],
                offset=status[2],
            )

    def read(self, key: str, dtype: np.dtype) -> tuple[Steps, np.ndarray, np.ndarray]:
        """``(steps, flat values, per-step value splits)`` of feature list ``key``.

        Raises:
            InvalidArgumentError: a malformed step, or a step whose list type
                is not ``dtype`` (TF's "Feature list: key, Index: t" message).
        """
        f = self.column[key]
        splits, kind, count, start, stop, *status = self.kernel.index_steps(
            self.records, self.start[f], self.stop[f]
        )
        self._check(tuple(status))
        steps = Steps(splits, self.present[f])
        self._check_kinds(steps, kind, key, dtype)
        counts = np.where(kind != 0, count, 0)
        value_splits = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        values = np.empty(int(value_splits[-1]), dtype=dtype)
        rows = np.flatnonzero(counts)
        if rows.size:
            owner = np.repeat(np.arange(len(self.records)), np.diff(splits))[rows]
            args = (start[rows], stop[rows], value_splits[rows], counts[rows], values)
            self._decoder(dtype)(self.records, owner, *args)
        return steps, values, value_splits

    def _check_kinds(self, steps: Steps, kind, key: str, dtype: np.dtype) -> None:
        name = tf_dtype_name(dtype)
        wrong = np.flatnonzero((kind != 0) & (kind != _KINDS[name]))
        if wrong.size:
            rec, step = steps.locate(wrong[:1])
            b, t = int(rec[0]), int(step[0])
            raise InvalidArgumentError(
                f"Name: {self.names[b]}, Feature list: {key}, Index: {t}.  Data "
                f"types don't match. Expected type: {name}",
                record_index=b,
                feature=key,
            )

    def _decoder(self, dtype: np.dtype):
        if dtype.kind == "O":
            return self.kernel.decode_bytes
        if dtype == np.int64:
            return self.kernel.decode_int64
        return self.kernel.decode_float32
