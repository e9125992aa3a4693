"""Schema inference from records, and parse specs that drive the pipeline.

Records arrive as batches of columns: a `Column` holds one feature of a batch
as a flat value array plus one length per record (``-1`` when the record lacks
the feature), the way a ragged tensor does. `SchemaBuilder` folds batches into
a `Schema`: per feature its kind (``int64``, ``float``, ``string``), valency
(a fixed length n, or variable lengths min..max), presence (the share of
records that have it) and a few example values.

A schema saves as JSON (`Schema.to_json`); :func:`load_spec` reads it back as
the ``features`` argument of ``parse_example``, with the CSV
``record_defaults`` and column names as attributes.

Example:
    >>> import numpy as np
    >>> b = SchemaBuilder()
    >>> b.update({"x": Column("int64", np.array([1, 2, 3]), np.array([1, 2, -1]))})
    >>> f = b.finish().features["x"]
    >>> f.kind, f.min_length, f.max_length, f.presence
    ('int64', 1, 2, 0.6666666666666666)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.column import KINDS, Column, merge_kinds, shortest_floats
from pipeline.types import string

__all__ = [
    "KINDS",
    "Column",
    "FeatureSchema",
    "ParseSpec",
    "Schema",
    "SchemaBuilder",
    "load_spec",
    "merge_kinds",
]

_DTYPES = {"int64": np.dtype(np.int64), "float": np.dtype(np.float32), "string": string}
_MAX_EXAMPLES = 3


@dataclass
class FeatureSchema:
    """The inferred schema of one feature.

    Attributes:
        name: the feature name.
        kind: ``"int64"``, ``"float"`` or ``"string"``.
        present: records that have the feature.
        records: records seen.
        min_length: fewest values in a record that has it (for a feature
            list: in one time step).
        max_length: most values in a record that has it (for a feature list:
            in one time step).
        examples: a few values, as JSON-able Python values.
        sequence: a SequenceExample feature list (else a feature, or a
            SequenceExample's context feature).
        min_steps: for a feature list, fewest steps in a record that has it.
        max_steps: for a feature list, most steps in a record that has it.
        untyped: no record held a value list (every entry was an empty
            ``Feature{}``, TFX's missing value): ``kind`` is then ``"string"``,
            a stand-in; the spec's ``VarLenFeature`` of it parses such records.
    """

    name: str
    kind: str
    present: int = 0
    records: int = 0
    min_length: int = 0
    max_length: int = 0
    examples: list[Any] = field(default_factory=list)
    sequence: bool = False
    min_steps: int = 0
    max_steps: int = 0
    untyped: bool = False

    @property
    def note(self) -> str:
        """What to know about the kind, or ``""``."""
        if not self.untyped:
            return ""
        return (
            f"no value in any record (every {self.name!r} is an empty Feature{{}}): "
            f"kind {self.kind!r} is a stand-in, read as a VarLenFeature"
        )

    @property
    def presence(self) -> float:
        """The share of records that have the feature (0..1)."""
        return self.present / self.records if self.records else 0.0

    @property
    def fixed_length(self) -> int | None:
        """The length when every record has the feature with the same length
        (for a feature list: when every step has the same, nonzero length)."""
        if self.sequence:
            same = self.min_length == self.max_length and self.max_steps > 0
            return self.min_length if same and self.min_length > 0 else None
        if self.present == self.records and self.min_length == self.max_length:
            return self.min_length
        return None

    def shape(self) -> list[int] | None:
        """``[]`` for one value, ``[n]`` for n values, None when variable."""
        n = self.fixed_length
        if n is None:
            return None
        return [] if n == 1 else [n]


def _example_values(values: np.ndarray) -> list[Any]:
    """Python values of ``values``; a float32 (an Example's FloatList) as the
    float64 whose repr is its shortest text (6.45, not 6.449999809265137).

    Example:
        >>> _example_values(np.array([6.45, 0.1], dtype=np.float32))
        [6.45, 0.1]
    """
    return [v.item() if hasattr(v, "item") else v for v in shortest_floats(values)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass
class Schema:
    """Features in first-seen order, with how many records were read.

    Example:
        >>> s = Schema({"a": FeatureSchema("a", "string", 2, 2, 1, 1)}, 2, "csv")
        >>> Schema.from_json(s.to_json()).features["a"].fixed_length
        1
    """

    features: dict[str, FeatureSchema]
    records: int
    format: str = ""

    def to_json(self) -> str:
        """The schema as a JSON document that :func:`load_spec` reads."""
        feats: dict[str, dict] = {}
        for name, f in self.features.items():
            feats[name] = {
                "kind": f.kind,
                "shape": f.shape(),
                "min_length": f.min_length,
                "max_length": f.max_length,
                "presence": round(f.presence, 6),
                "present": f.present,
                "examples": [_jsonable(v) for v in f.examples],
            }
            if f.sequence:
                feats[name].update(
                    sequence=True, min_steps=f.min_steps, max_steps=f.max_steps
                )
            if f.untyped:
                feats[name].update(untyped=True, note=f.note)
        doc = {"format": self.format, "records": self.records, "features": feats}
        return json.dumps(doc, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Schema:
        """Parse a document written by :meth:`to_json`."""
        doc = json.loads(text)
        records = int(doc.get("records", 0))
        features = {}
        for name, f in doc["features"].items():
            if f.get("kind") not in KINDS:
                kind = f.get("kind")
                raise InvalidArgumentError(
                    f"feature {name!r}: kind must be one of {KINDS}, got {kind!r}"
                )
            present = int(f.get("present", round(f.get("presence", 1.0) * records)))
            features[name] = FeatureSchema(
                name, f["kind"], present, records,
                int(f.get("min_length", 1)), int(f.get("max_length", 1)),
                list(f.get("examples", [])), bool(f.get("sequence", False)),
                int(f.get("min_steps", 0)), int(f.get("max_steps", 0)),
                bool(f.get("untyped", False)),
            )  # fmt: skip
        return cls(features, records, doc.get("format", ""))


class SchemaBuilder:
    """Folds batches of `Column` values into a `Schema`.

    Example:
        >>> b = SchemaBuilder()
        >>> b.update({"s": Column("string", np.array([b"a"], object), np.array([1]))})
        >>> b.finish().features["s"].examples
        [b'a']
    """

    def __init__(self, format: str = "") -> None:
        self._features: dict[str, FeatureSchema] = {}
        self._records = 0
        self._format = format
        self._kinded: set[str] = set()  # features whose kind came from values

    @property
    def records(self) -> int:
        """Records folded in so far."""
        return self._records

    def update(self, batch: dict[str, Column]) -> None:
        """Fold in one batch (every column has the same number of records).

        Raises:
            InvalidArgumentError: a name was a feature list in one batch and
                a (context) feature in another.
        """
        n = max((c.num_records for c in batch.values()), default=0)
        for name, col in batch.items():
            f = self._features.get(name)
            if f is None:
                f = self._features[name] = FeatureSchema(
                    name, col.kind, sequence=col.sequence, min_steps=1 << 62
                )
                f.min_length = 1 << 62
            if f.sequence != col.sequence:
                raise InvalidArgumentError(
                    f"{name!r} is both a context feature and a feature list"
                )
            f.untyped |= col.untyped
            self._fold(f, col)
        self._records += n

    def _fold(self, f: FeatureSchema, col: Column) -> None:
        if col.sequence:
            steps = col.steps[col.steps >= 0]  # type: ignore[index]
            if len(steps):
                f.min_steps = min(f.min_steps, int(steps.min()))
                f.max_steps = max(f.max_steps, int(steps.max()))
            f.present += len(steps)
            lengths = col.lengths
        else:
            lengths = col.lengths[col.lengths >= 0]
            f.present += len(lengths)
        if len(lengths) == 0:
            return
        if not col.untyped:  # the kind comes from the batches with lists
            first = f.name not in self._kinded
            f.kind = merge_kinds(None if first else f.kind, col.kind)
            self._kinded.add(f.name)
        f.min_length = min(f.min_length, int(lengths.min()))
        f.max_length = max(f.max_length, int(lengths.max()))
        need = _MAX_EXAMPLES - len(f.examples)
        if need > 0:
            f.examples.extend(_example_values(col.values[:need]))

    def finish(self) -> Schema:
        """The schema of every batch folded in."""
        for f in self._features.values():
            f.records = self._records
            if not f.present:
                f.min_steps = f.max_steps = 0
            if f.min_length > f.max_length:  # no values seen
                f.min_length = f.max_length = 0
            f.untyped = f.untyped and f.name not in self._kinded
            if f.untyped or f.name not in self._kinded:
                f.kind = "string"
        return Schema(dict(self._features), self._records, self._format)


class ParseSpec(dict):
    """The ``features`` argument of ``parse_example``, with CSV settings attached.

    A dict from feature name to ``FixedLenFeature`` (the feature is in every
    record with the same length) or ``VarLenFeature``. For a schema of
    SequenceExamples the dict holds the context features only (the context
    of a SequenceExample reads as an Example's features), and
    ``parse_single_sequence_example(serialized, spec.context_features,
    spec.sequence_features)`` parses the whole record.

    Attributes:
        record_defaults: one entry per column for ``decode_csv``/``CsvDataset``:
            an empty array (a required column of that dtype) when every record
            has the value, else a one-element array holding the default (0, 0.0
            or b"").
        column_names: the feature names in column order.
        schema: the `Schema` the spec was made from.
        context_features: the (context) features, as in the dict.
        sequence_features: the feature lists: ``FixedLenSequenceFeature``
            when every step holds the same number of values (with
            ``allow_missing`` when some records lack the list), else
            ``VarLenFeature``; empty for Examples, CSV and Parquet.
    """

    record_defaults: list[np.ndarray]
    context_features: dict
    sequence_features: dict
    column_names: list[str]
    schema: Schema


def _record_default(f: FeatureSchema) -> np.ndarray:
    dtype = _DTYPES[f.kind]
    if f.present == f.records and f.records:
        return np.array([], dtype=dtype)
    return np.array([b"" if f.kind == "string" else 0], dtype=dtype)


def _sequence_feature(f: FeatureSchema):
    from pipeline.io.example_spec import FixedLenSequenceFeature, VarLenFeature

    shape, dtype = f.shape(), _DTYPES[f.kind]
    if shape is None:
        return VarLenFeature(dtype)
    missing = f.present < f.records
    return FixedLenSequenceFeature(shape, dtype, allow_missing=missing)


def spec_from_schema(schema: Schema) -> ParseSpec:
    """Build a `ParseSpec` from a `Schema` (see :func:`load_spec`)."""
    from pipeline.io.example import FixedLenFeature, VarLenFeature

    spec = ParseSpec()
    spec.sequence_features = {}
    for name, f in schema.features.items():
        shape = f.shape()
        dtype = _DTYPES[f.kind]
        if f.sequence:
            spec.sequence_features[name] = _sequence_feature(f)
        elif shape is None:
            spec[name] = VarLenFeature(dtype)
        else:
            spec[name] = FixedLenFeature(shape, dtype)
    context = [f for f in schema.features.values() if not f.sequence]
    spec.context_features = dict(spec)
    spec.record_defaults = [_record_default(f) for f in context]
    spec.column_names = [f.name for f in context]
    spec.schema = schema
    return spec


def load_spec(path: str) -> ParseSpec:
    """Read a schema written by ``pipeline schema --json`` as a parse spec.

    Args:
        path: local path or fsspec URL of the JSON document.

    Returns:
        A `ParseSpec`: pass it as ``features`` to ``parse_example``, or its
        ``record_defaults`` to ``decode_csv``.

    Raises:
        NotFoundError: the file does not exist.
        InvalidArgumentError: the document is not a schema.

    Example:
        >>> s = Schema({"n": FeatureSchema("n", "int64", 4, 4, 1, 1)}, 4)
        >>> with fs.open_output("memory://spec-doc/s.json") as f:
        ...     _ = f.write(s.to_json().encode())
        >>> spec = load_spec("memory://spec-doc/s.json")
        >>> spec["n"].dtype, spec.record_defaults[0].dtype
        (dtype('int64'), dtype('int64'))
    """
    with fs.open_input(path) as f:
        text = f.read().decode("utf-8", "replace")
    try:
        schema = Schema.from_json(text)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise InvalidArgumentError(
            f"not a schema document: {path!r} ({e})", path=path
        ) from e
    return spec_from_schema(schema)
