"""Float precision in ``pipeline convert``: each column keeps its own.

A float column keeps the precision it was read with: CSV text parses to
float64, a Parquet column keeps float32 or float64, an Example's FloatList is
float32. Only a target that holds float32 alone (tf.train.Example's FloatList,
or a Parquet column whose every input is float32) narrows wider values, and
`FloatLoss` counts the values that the cast changes, per feature, for one
warning each.

Example:
    >>> import numpy as np
    >>> loss = FloatLoss()
    >>> to_float(np.array([0.5, 0.1, 2.0]), np.float32, "x", loss).dtype
    dtype('float32')
    >>> loss.warnings("float32")
    ["feature 'x': 1 of 3 values lost precision as float32, e.g. 0.1 -> 0.10000000149011612"]
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipeline.io import fs
from pipeline.io.detect import Detected
from pipeline.io.schema import Schema

__all__ = ["FloatLoss", "float_dtypes", "to_float"]

_FLOAT32 = np.dtype(np.float32)
_FLOAT64 = np.dtype(np.float64)


@dataclass
class _Lost:
    changed: int = 0
    total: int = 0
    example: str = ""


class FloatLoss:
    """Per feature: how many values a float32 cast changed, and one example."""

    def __init__(self) -> None:
        self._lost: dict[str, _Lost] = {}

    def note(self, name: str, before: np.ndarray, after: np.ndarray) -> None:
        """Count the values of ``before`` that ``after`` (its cast) changed.

        A NaN stays a NaN; an overflow to infinity counts as changed.
        """
        wide = after.astype(np.float64)
        with np.errstate(invalid="ignore"):
            same = (wide == before) | (np.isnan(wide) & np.isnan(before))
        lost = self._lost.setdefault(name, _Lost())
        lost.total += len(before)
        changed = np.flatnonzero(~same)
        if len(changed) and not lost.changed:
            i = changed[0]
            lost.example = f"{before[i].item()!r} -> {wide[i].item()!r}"
        lost.changed += len(changed)

    def warnings(self, target: str) -> list[str]:
        """One line per feature with a changed value, in the order first seen.

        Args:
            target: what the values were written as, for the message.
        """
        return [
            f"feature {name!r}: {lost.changed} of {lost.total} values lost "
            f"precision as {target}, e.g. {lost.example}"
            for name, lost in self._lost.items()
            if lost.changed
        ]


def to_float(
    values: np.ndarray, dtype: type | np.dtype, name: str, loss: FloatLoss | None
) -> np.ndarray:
    """``values`` as floats of ``dtype``; a narrowing cast is noted in ``loss``.

    Example:
        >>> to_float(np.array([1, 2]), np.float64, "x", None).tolist()
        [1.0, 2.0]
    """
    dtype = np.dtype(dtype)
    if values.dtype == dtype:
        return values
    with np.errstate(over="ignore"):
        out = values.astype(dtype)
    narrowing = dtype == _FLOAT32 and values.dtype != np.float16
    if narrowing and loss is not None:
        loss.note(name, values, out)
    return out


def _leaf(t: pa.DataType) -> pa.DataType:
    while pa.types.is_dictionary(t) or hasattr(t, "value_type"):
        t = t.value_type
    return t


def _parquet_dtypes(d: Detected, names: Iterable[str]) -> dict[str, np.dtype]:
    import pyarrow.parquet as pq

    with fs.open_input(d.path) as f:
        local = d.path.removeprefix("file://")
        schema = pq.read_schema(local if "://" not in local else f)
    out = {}
    for name in names:
        if name in schema.names:
            t = _leaf(schema.field(name).type)
            narrow = pa.types.is_floating(t) and t.bit_width < 64
            out[name] = _FLOAT32 if narrow else _FLOAT64
    return out


def float_dtypes(files: list[Detected], schema: Schema) -> dict[str, np.dtype]:
    """The dtype of each float feature in a Parquet output: float32 when every
    input holds it as float32 (Examples, float32 Parquet columns), else float64
    (CSV text, float64 or integer Parquet columns).

    Example:
        >>> from pipeline.io.schema import FeatureSchema
        >>> s = Schema({"x": FeatureSchema("x", "float", 1, 1, 1, 1)}, 1)
        >>> float_dtypes([Detected("a.csv", "csv", "")], s)
        {'x': dtype('float64')}
        >>> float_dtypes([Detected("a.tfrecord", "tfrecord", "")], s)
        {'x': dtype('float32')}
    """
    names = [n for n, f in schema.features.items() if f.kind == "float"]
    votes: dict[str, set[np.dtype]] = {n: set() for n in names}
    for d in files:
        if d.empty or d.format == "text":
            continue
        if d.format == "parquet":
            found = _parquet_dtypes(d, names)
        elif d.format in ("csv", "tsv"):
            found = dict.fromkeys(names, _FLOAT64)
        else:
            found = dict.fromkeys(names, _FLOAT32)
        for name, dtype in found.items():
            votes[name].add(dtype)
    return {n: _FLOAT32 if v == {_FLOAT32} else _FLOAT64 for n, v in votes.items()}
