"""`Column`: one feature of a batch of records, as a ragged column; feature kinds.

Example:
    >>> c = Column("int64", np.array([1, 2, 3]), np.array([1, 2, -1]))
    >>> c.num_records, merge_kinds("int64", "float")
    (3, 'float')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["KINDS", "Column", "merge_kinds", "shortest_floats"]

#: Feature kinds, from the narrowest to the widest.
KINDS = ("int64", "float", "string")


@dataclass
class Column:
    """One feature of a batch of records, as a ragged column.

    Attributes:
        kind: ``"int64"``, ``"float"`` or ``"string"``.
        values: the values of every record that has the feature, concatenated
            (int64, floating, or an object array of bytes).
        lengths: int64 array, one entry per record: the number of values, or
            ``-1`` when the record lacks the feature.
        invalid: how many values did not convert to ``kind`` (they count as
            missing).
        scalar: every record holds at most one value by construction (a CSV
            field, a Parquet scalar column), not a list.
        steps: None, or for a SequenceExample feature list one entry per
            record: its number of time steps, or ``-1`` when the record lacks
            the list. ``lengths`` then has one entry per step (the values of
            that step), not per record.
        untyped: no record of the batch set a list for the feature (TFX's
            empty ``Feature{}`` in every record that names it): ``kind`` is a
            stand-in that says nothing about the data, and builders take the
            kind from other batches.

    Example:
        >>> c = Column("float", np.array([0.5]), np.array([-1, 1]))
        >>> c.num_records, c.present.tolist()
        (2, [False, True])
        >>> steps = np.array([2, -1])
        >>> s = Column("int64", np.array([1, 2, 3]), np.array([2, 1]), steps=steps)
        >>> s.num_records, s.present.tolist(), s.sequence
        (2, [True, False], True)
    """

    kind: str
    values: np.ndarray
    lengths: np.ndarray
    invalid: int = 0
    scalar: bool = False
    steps: np.ndarray | None = None
    untyped: bool = False

    @property
    def sequence(self) -> bool:
        """Whether this is a feature list (values per time step)."""
        return self.steps is not None

    @property
    def num_records(self) -> int:
        """The number of records in the batch."""
        return len(self.lengths if self.steps is None else self.steps)

    @property
    def present(self) -> np.ndarray:
        """Boolean mask of the records that have the feature."""
        return (self.lengths if self.steps is None else self.steps) >= 0


def merge_kinds(a: str | None, b: str) -> str:
    """The narrowest kind that holds values of kinds ``a`` and ``b``.

    Example:
        >>> merge_kinds("int64", "float"), merge_kinds(None, "string")
        ('float', 'string')
    """
    if a is None:
        return b
    return KINDS[max(KINDS.index(a), KINDS.index(b))]


def shortest_floats(values: np.ndarray) -> np.ndarray:
    """Floating values as float64 numbers whose Python ``repr`` is each
    value's shortest text that reads back to it AT ITS OWN PRECISION.

    A float32 (an Example's FloatList) 6.45 is 6.449999809265137 as a float64;
    here it becomes the float64 nearest to 6.45, so ``repr`` and ``json``
    show ``6.45``, which reads back as the same float32. float64 values (their
    ``repr`` is already their shortest text), wider floats and non-floating
    arrays are returned as they are. NaN and infinities stay as they are.

    Args:
        values: a numpy array of any dtype.

    Returns:
        ``values``, or for a float dtype narrower than float64 a float64 array.

    Example:
        >>> x = np.array([6.45, 1e-7, np.nan], dtype=np.float32)
        >>> x.tolist()[:2]
        [6.449999809265137, 1.0000000116860974e-07]
        >>> shortest_floats(x).tolist()
        [6.45, 1e-07, nan]
    """
    if values.dtype.kind != "f" or values.dtype.itemsize >= 8:
        return values
    # numpy writes each float32 (float16) as its shortest round-trip text
    return values.astype(str).astype(np.float64)
