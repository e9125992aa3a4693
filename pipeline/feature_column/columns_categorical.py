"""Vocabulary, identity and hashed categorical columns, as in ``tf.feature_column``.

Each maps a feature to int64 ids per row. Dense inputs drop ``""`` (strings) and
``-1`` (integers) as missing; SparseTensor and ragged inputs are used as they are.

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

from pipeline import _kernels
from pipeline.feature_column._base import CategoricalColumn, TransformCache, check_key
from pipeline.feature_column._inputs import Ragged, as_dtype, is_string_dtype, to_ragged
from pipeline.feature_column.vocabulary import load_vocabulary, vocabulary_file_size

__all__ = [
    "HashedCategoricalColumn",
    "IdentityCategoricalColumn",
    "VocabularyFileCategoricalColumn",
    "VocabularyListCategoricalColumn",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list",
]

_TABLES: dict[Any, Any] = {}


def _var_len_spec(key: str, dtype: np.dtype) -> dict[str, Any]:
    from pipeline.io import VarLenFeature

    return {key: VarLenFeature(dtype)}


def input_ids(cache: TransformCache, key: str, string_column: bool) -> Ragged:
    """The raw feature ``key`` as ragged values, its dtype checked for the column.

    Raises:
        ValueError: strings fed to an integer column or the reverse.
    """
    ragged = to_ragged(cache.raw(key), missing=True)
    values = ragged.values
    is_text = is_string_dtype(values.dtype) and (
        values.dtype != object
        or values.size == 0
        or isinstance(values[0], (bytes, str))
    )
    if string_column != is_text and values.size:
        want = "string" if string_column else "integer"
        raise ValueError(
            f"Column dtype and SparseTensors dtype must be compatible. key: {key}, "
            f"column dtype: {want}, tensor dtype: {values.dtype}"
        )
    if not string_column:
        if values.dtype.kind not in "iub":
            raise ValueError(
                f"Invalid input, not integer. key: {key} dtype: {values.dtype}"
            )
        ragged = ragged.with_values(values.astype(np.int64, copy=False))
    return ragged


def _lookup(table: Any, ragged: Ragged, default_value: int, oov: int) -> Ragged:
    return ragged.with_values(table.lookup(ragged.values, default_value, oov))


def _table(kind: str, entries: Sequence[Any]) -> Any:
    ops = _kernels.load("feature_ops")
    return ops.StringVocab(list(entries)) if kind == "string" else ops.IntVocab(entries)


class VocabularyListCategoricalColumn(CategoricalColumn):
    """In-memory vocabulary; see `categorical_column_with_vocabulary_list`."""

    _FIELDS = ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets")

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
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

    def _ids(self, cache: TransformCache) -> Ragged:
        string = self.dtype == object
        table = _TABLES.get(self)
        if table is None:
            table = _TABLES[self] = _table(
                "string" if string else "int", self.vocabulary_list
            )
        return _lookup(
            table,
            input_ids(cache, self.key, string),
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
    text = all(isinstance(v, (str, bytes)) for v in vocab)
    ints = all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in vocab
    )
    if not text and not ints:
        raise ValueError(
            f"vocabulary_list must be all strings or all integers: {vocab}"
        )
    if dtype is None:
        return np.dtype(object) if text else np.dtype(np.int64)
    dtype = as_dtype(dtype)
    if dtype.kind not in "Oiu":
        raise ValueError(f"dtype {dtype} must be string or integer. key: {key}")
    if (dtype.kind == "O") != text:
        raise ValueError(
            f"dtype {dtype} is not compatible with vocabulary_list {list(vocab)}. "
            f"key: {key}"
        )
    return np.dtype(object) if text else np.dtype(np.int64)


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
    """Vocabulary from a file; see `categorical_column_with_vocabulary_file`."""

    _FIELDS = (
        "key",
        "vocabulary_file",
        "vocabulary_size",
        "num_oov_buckets",
        "dtype",
        "default_value",
    )

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
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
        )

    def _ids(self, cache: TransformCache) -> Ragged:
        string = self.dtype == object
        table = _TABLES.get(self)
        if table is None:
            entries = load_vocabulary(
                self.vocabulary_file, self.vocabulary_size, string
            )
            table = _TABLES[self] = _table("string" if string else "int", entries)
        default = -1 if self.default_value is None else self.default_value
        return _lookup(
            table, input_ids(cache, self.key, string), default, self.num_oov_buckets
        )

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return categorical_column_with_vocabulary_file(**fields)


def categorical_column_with_vocabulary_file(
    key: str,
    vocabulary_file: str,
    vocabulary_size: int | None = None,
    dtype: Any = "string",
    default_value: int | None = None,
    num_oov_buckets: int = 0,
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
        default_value: the OOV id; None means -1 (no id).
        num_oov_buckets: OOV hash buckets, as in the list version. Defaults to 0.

    Returns:
        A `VocabularyFileCategoricalColumn`.

    Raises:
        ValueError: no file, a missing file when counting, a size < 1, bad
            dtype, or both OOV options.

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
    if vocabulary_size is None:
        vocabulary_size = vocabulary_file_size(vocabulary_file, key)
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    _check_oov(num_oov_buckets, default_value, None)
    dtype = as_dtype(dtype)
    if dtype.kind not in "Oiu":
        raise ValueError(f"dtype {dtype} must be string or integer. key: {key}")
    dtype = np.dtype(object) if dtype.kind == "O" else np.dtype(np.int64)
    return VocabularyFileCategoricalColumn(
        key=key,
        vocabulary_file=str(vocabulary_file),
        vocabulary_size=int(vocabulary_size),
        num_oov_buckets=int(num_oov_buckets),
        dtype=dtype,
        default_value=default_value,
    )


class IdentityCategoricalColumn(CategoricalColumn):
    """Integer ids used as they are; see `categorical_column_with_identity`."""

    _FIELDS = ("key", "number_buckets", "default_value")

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
        return self.number_buckets

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: VarLenFeature(int64)}``."""
        return _var_len_spec(self.key, np.dtype(np.int64))

    def _ids(self, cache: TransformCache) -> Ragged:
        ragged = input_ids(cache, self.key, string_column=False)
        if self.default_value is None:
            return ragged
        v = ragged.values
        ok = (v >= 0) & (v < self.number_buckets)
        return ragged.with_values(np.where(ok, v, np.int64(self.default_value)))

    def get_config(self) -> dict[str, Any]:
        """``{"key", "num_buckets", "default_value"}``."""
        return {
            "key": self.key,
            "num_buckets": self.number_buckets,
            "default_value": self.default_value,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CategoricalColumn:
        """Inverse of `get_config`."""
        return categorical_column_with_identity(**config)


def categorical_column_with_identity(
    key: str, num_buckets: int, default_value: int | None = None
) -> IdentityCategoricalColumn:
    """Integer features used as ids directly (``[0, num_buckets)``).

    With ``default_value``, ids outside the range become it; without, they pass
    through: an indicator drops them, an embedding lookup fails.

    Args:
        key: the feature name.
        num_buckets: the id range, >= 1.
        default_value: the replacement of out-of-range ids; None keeps them.

    Returns:
        An `IdentityCategoricalColumn`.

    Raises:
        ValueError: ``num_buckets < 1`` or a default outside the range.

    Example:
        >>> categorical_column_with_identity("hour", 24).num_buckets
        24
    """
    check_key(key)
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), "
            f"column_name {key}"
        )
    return IdentityCategoricalColumn(
        key=key, number_buckets=int(num_buckets), default_value=default_value
    )


class HashedCategoricalColumn(CategoricalColumn):
    """Hash-bucketed ids; see `categorical_column_with_hash_bucket`."""

    _FIELDS = ("key", "hash_bucket_size", "dtype")

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: VarLenFeature(dtype)}``."""
        return _var_len_spec(self.key, self.dtype)

    def _values(self) -> tuple[Any, ...]:
        return (self.key, self.hash_bucket_size, self.dtype.str)

    def _ids(self, cache: TransformCache) -> Ragged:
        string = self.dtype == object
        ragged = input_ids(cache, self.key, string)
        farm = _kernels.load("farmhash")
        v = ragged.values
        fps = farm.fingerprint64_objects(v) if string else farm.fingerprint64_int64(v)
        ids = (fps % np.uint64(self.hash_bucket_size)).astype(np.int64)
        return ragged.with_values(ids)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return categorical_column_with_hash_bucket(**fields)


def categorical_column_with_hash_bucket(
    key: str, hash_bucket_size: int, dtype: Any = "string"
) -> HashedCategoricalColumn:
    """Ids by hashing: ``Fingerprint64(s) % hash_bucket_size``.

    Integers are hashed as their decimal strings, as TensorFlow does.

    Args:
        key: the feature name.
        hash_bucket_size: the number of buckets, > 1 is useful, >= 1 required.
        dtype: string (default) or an integer dtype.

    Returns:
        A `HashedCategoricalColumn`.

    Raises:
        ValueError: ``hash_bucket_size < 1`` or a non string/integer dtype.

    Example:
        >>> categorical_column_with_hash_bucket("vendor", 1000).num_buckets
        1000
    """
    check_key(key)
    if hash_bucket_size is None or hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: "
            f"{hash_bucket_size}, key: {key}"
        )
    dtype = as_dtype(dtype)
    if dtype.kind not in "Oiu":
        raise ValueError(
            f"dtype must be string or integer. dtype: {dtype}, column_name: {key}"
        )
    dtype = np.dtype(object) if dtype.kind == "O" else np.dtype(np.int64)
    return HashedCategoricalColumn(
        key=key, hash_bucket_size=int(hash_bucket_size), dtype=dtype
    )
