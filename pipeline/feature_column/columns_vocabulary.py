"""Vocabulary columns: ``categorical_column_with_vocabulary_list`` and ``_file``.

Ids are positions in the vocabulary; out-of-vocabulary values get
``default_value`` or, with ``num_oov_buckets = k``, ``len(vocab) +
Fingerprint64(s) % k``. Lookups run in the compiled ``feature_ops`` tables.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> color = fc.categorical_column_with_vocabulary_list("color", ["red", "blue"])
    >>> feats = {"color": np.array([[b"blue"], [b""], [b"green"]], dtype=object)}
    >>> fc.transform_dense(fc.indicator_column(color), feats).tolist()
    [[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.feature_column._base import CategoricalColumn, TransformCache, check_key
from pipeline.feature_column._inputs import Ragged, as_dtype
from pipeline.feature_column.columns_categorical import (
    _TABLES,
    _lookup,
    _table,
    _var_len_spec,
    input_ids,
)
from pipeline.feature_column.vocabulary import (
    check_file_format,
    load_vocabulary,
    vocabulary_file_size,
)

__all__ = [
    "VocabularyFileCategoricalColumn",
    "VocabularyListCategoricalColumn",
    "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list",
]


class VocabularyListCategoricalColumn(CategoricalColumn):
    """In-memory vocabulary; see `categorical_column_with_vocabulary_list`.

    Example:
        >>> categorical_column_with_vocabulary_list("k", ["a"]).num_buckets
        1
    """

    _FIELDS = ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return self.key

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return len(self.vocabulary_list) + self.num_oov_buckets

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: VarLenFeature(dtype)}``."""
        return _var_len_spec(self.key, self.dtype)

    def _values(self) -> tuple[Any, ...]:
        return (
            self.key,
            self.vocabulary_list,
            self.dtype.str,
            self.default_value,
            self.num_oov_buckets,
        )

    def vocab_table(self) -> Any:
        """The lookup table of the vocabulary (built once, then shared)."""
        table = _TABLES.get(self)
        if table is None:
            kind = "string" if self.dtype == object else "int"
            table = _TABLES[self] = _table(kind, self.vocabulary_list)
        return table

    def _ids(self, cache: TransformCache) -> Ragged:
        return _lookup(
            self.vocab_table(),
            input_ids(cache, self.key, self.dtype == object),
            self.default_value,
            self.num_oov_buckets,
        )

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return categorical_column_with_vocabulary_list(**fields)


def _check_oov(num_oov_buckets: int, default_value: Any, unset: Any) -> None:
    if num_oov_buckets < 0:
        raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets}.")
    if num_oov_buckets and default_value != unset:
        raise ValueError(
            f"Can't specify both num_oov_buckets and default_value. "
            f"num_oov_buckets: {num_oov_buckets}, default_value: {default_value}"
        )


def _vocab_dtype(vocab: Sequence[Any], dtype: Any, key: str) -> np.dtype:
    """The column dtype, with TF's checks in TF's order."""
    text = all(isinstance(v, (str, bytes)) for v in vocab)
    ints = all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in vocab
    )
    if not text and not ints:
        raise ValueError(
            f"vocabulary dtype must be string or integer (all strings or all "
            f"integers). vocabulary_list: {vocab}, column_name: {key}"
        )
    if dtype is None:
        return np.dtype(object) if text else np.dtype(np.int64)
    dtype = as_dtype(dtype)
    if (dtype.kind in "iu") == text:
        kind = "string" if text else "integer"
        raise ValueError(
            f"dtype {dtype} and vocabulary dtype {kind} do not match, column_name: "
            f"{key}"
        )
    if dtype.kind not in "Oiu":
        raise ValueError(
            f"column_name: {key} dtype must be string or integer. dtype: {dtype}"
        )
    return dtype


def categorical_column_with_vocabulary_list(
    key: str,
    vocabulary_list: Sequence[Any],
    dtype: Any = None,
    default_value: int = -1,
    num_oov_buckets: int = 0,
) -> VocabularyListCategoricalColumn:
    """Ids by position in an in-memory vocabulary.

    An out-of-vocabulary value gets ``default_value`` (-1: no id), or with
    ``num_oov_buckets = k > 0`` the id ``len(vocabulary) + Fingerprint64(s) % k``
    (``s`` the string, or the decimal text of an integer).

    Args:
        key: the feature name.
        vocabulary_list: unique strings or integers.
        dtype: string or integer dtype; inferred from the vocabulary if None.
        default_value: the OOV id when ``num_oov_buckets`` is 0. Defaults to -1.
        num_oov_buckets: OOV hash buckets. Defaults to 0.

    Returns:
        A `VocabularyListCategoricalColumn`.

    Raises:
        ValueError: empty or duplicate vocabulary, a dtype mismatch, both OOV
            options, or negative ``num_oov_buckets``.

    Example:
        >>> col = categorical_column_with_vocabulary_list("c", [10, 20], None, 0)
        >>> col.num_buckets, col.dtype
        (2, dtype('int64'))
    """
    check_key(key)
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(
            f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}"
        )
    vocab = tuple(
        vocabulary_list.tolist()
        if isinstance(vocabulary_list, np.ndarray)
        else vocabulary_list
    )
    if len(set(vocab)) != len(vocab):
        raise ValueError(
            f"Duplicate keys in vocabulary_list {list(vocab)}, column_name: {key}"
        )
    dtype = _vocab_dtype(vocab, dtype, key)
    if dtype.kind != "O":
        vocab = tuple(int(v) for v in vocab)
    _check_oov(num_oov_buckets, default_value, -1)
    return VocabularyListCategoricalColumn(
        key=key,
        vocabulary_list=vocab,
        dtype=dtype,
        default_value=int(default_value),
        num_oov_buckets=int(num_oov_buckets),
    )


class VocabularyFileCategoricalColumn(CategoricalColumn):
    """Vocabulary from a file; see `categorical_column_with_vocabulary_file`.

    Example:
        >>> VocabularyFileCategoricalColumn.__name__
        'VocabularyFileCategoricalColumn'
    """

    _FIELDS = (
        "key",
        "vocabulary_file",
        "vocabulary_size",
        "num_oov_buckets",
        "dtype",
        "default_value",
        "file_format",
    )

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return self.key

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return self.vocabulary_size + self.num_oov_buckets

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: VarLenFeature(dtype)}``."""
        return _var_len_spec(self.key, self.dtype)

    def _values(self) -> tuple[Any, ...]:
        return (
            self.key,
            self.vocabulary_file,
            self.vocabulary_size,
            self.num_oov_buckets,
            self.dtype.str,
            self.default_value,
            self.file_format,
        )

    def vocab_table(self) -> Any:
        """The lookup table of the vocabulary file (read once, then shared)."""
        table = _TABLES.get(self)
        if table is None:
            string = self.dtype == object
            entries = load_vocabulary(
                self.vocabulary_file, self.vocabulary_size, string, self.file_format
            )
            table = _TABLES[self] = _table("string" if string else "int", entries)
        return table

    def _ids(self, cache: TransformCache) -> Ragged:
        default = -1 if self.default_value is None else self.default_value
        ids = input_ids(cache, self.key, self.dtype == object)
        return _lookup(self.vocab_table(), ids, default, self.num_oov_buckets)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CategoricalColumn:
        """Inverse of `get_config` (a config saved before ``file_format`` loads)."""
        return super().from_config({"file_format": None, **config})

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        if fields.get("default_value") == -1:  # the stored form of "none given"
            fields = {**fields, "default_value": None}
        return categorical_column_with_vocabulary_file(**fields)


def categorical_column_with_vocabulary_file(
    key: str,
    vocabulary_file: str,
    vocabulary_size: int | None = None,
    dtype: Any = "string",
    default_value: int | None = None,
    num_oov_buckets: int = 0,
    file_format: str | None = None,
) -> VocabularyFileCategoricalColumn:
    """Ids by line number in a vocabulary file (one entry per line).

    A final ``\\r`` on a line is stripped; other whitespace is kept. The file
    is read (through ``pipeline.io.fs``, so any fsspec URL works) the first
    time the column transforms a batch; a duplicate entry then raises
    ``FailedPreconditionError`` and an empty line ``InvalidArgumentError``.

    Args:
        key: the feature name.
        vocabulary_file: path or URL of the file.
        vocabulary_size: keep the first n lines; None counts the file's lines.
        dtype: string (default) or an integer dtype (lines parsed as int64).
        default_value: the OOV id; None means -1 (no id), stored as -1 as TF.
        num_oov_buckets: OOV hash buckets, as in the list version. Defaults to 0.
        file_format: None or ``"text"`` for one entry a line, or
            ``"tfrecord_gzip"`` for one entry a record of a GZIP TFRecord file
            (too few records then raise FailedPreconditionError, as in TF).
            None means ``"tfrecord_gzip"`` for a name ending in
            ``tfrecord.gz``, as in TF.

    Returns:
        A `VocabularyFileCategoricalColumn`.

    Raises:
        ValueError: no file, a missing file when counting, a size < 1, bad
            dtype, both OOV options, or an unknown ``file_format``.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp(), "v.txt")
        >>> _ = path.write_text("a\\nb\\n")
        >>> categorical_column_with_vocabulary_file("k", path).vocabulary_size
        2
    """
    check_key(key)
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if file_format is None and str(vocabulary_file).endswith("tfrecord.gz"):
        file_format = "tfrecord_gzip"  # as TF infers it
    check_file_format(file_format)
    if vocabulary_size is None:
        vocabulary_size = vocabulary_file_size(vocabulary_file, key, file_format)
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    _check_oov(num_oov_buckets, default_value, None)
    dtype = as_dtype(dtype)
    if dtype.kind not in "Oiu":
        raise ValueError(
            f"column_name: {key} dtype must be string or integer. dtype: {dtype}"
        )
    return VocabularyFileCategoricalColumn(
        key=key,
        vocabulary_file=str(vocabulary_file),
        vocabulary_size=int(vocabulary_size),
        num_oov_buckets=int(num_oov_buckets),
        dtype=dtype,
        default_value=-1 if default_value is None else default_value,
        file_format=file_format,
    )
