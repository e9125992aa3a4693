"""Base classes of the feature columns, their configs, and the per-batch cache.

A column is plain, immutable data (its constructor arguments, as in
``tf.feature_column``), comparable and hashable, with ``get_config()`` /
``from_config()`` that round-trip through JSON. Subclasses set ``_FIELDS`` (the
argument names, in order) and implement:

* ``name`` and ``parse_example_spec``;
* dense columns (`DenseColumn`): ``variable_shape`` and ``_dense(cache)``, the
  float32 ``[batch, width]`` output;
* categorical columns (`CategoricalColumn`): ``num_buckets`` and
  ``_ids(cache)``, the per-row int64 ids (a ``Ragged``).

Example:
    >>> import pipeline as pl
    >>> col = pl.feature_column.numeric_column("x")
    >>> type(col).from_config(col.get_config()) == col
    True
"""

from __future__ import annotations

from typing import Any

from pipeline.feature_column._functions import deserialize_function, serialize_function
from pipeline.feature_column._inputs import Ragged, dense_input
from pipeline.nn import saving_registry

# Our own column classes by name (subclasses defined outside `pipeline` are
# not added: pass them to `deserialize_feature_column` in `custom_objects`).
_REGISTRY: dict[str, type[FeatureColumn]] = {}


class FeatureColumn:
    """Base of every column: fields, equality, hashing and config.

    Subclasses list their constructor arguments in ``_FIELDS``; fields holding
    columns are (de)serialized recursively; ``_FUNCTION_FIELDS`` hold callables.

    Example:
        >>> class Toy(FeatureColumn):
        ...     _FIELDS = ("key",)
        >>> Toy(key="a") == Toy(key="a"), Toy(key="a").key
        (True, 'a')
    """

    _FIELDS: tuple[str, ...] = ()
    _FUNCTION_FIELDS: tuple[str, ...] = ()

    def __init__(self, **fields: Any) -> None:
        for name in self._FIELDS:
            object.__setattr__(self, name, fields[name])

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith("pipeline."):
            _REGISTRY[cls.__name__] = cls

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._values() == other._values()

    def __hash__(self) -> int:
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((type(self).__name__, self._values()))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __repr__(self) -> str:
        args = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._FIELDS)
        return f"{type(self).__name__}({args})"

    def __lt__(self, other: object) -> bool:
        """Columns (and strings) sort by their text, as TF's do.

        Example:
            >>> Toy = type("Toy", (FeatureColumn,), {"_FIELDS": ("key",)})
            >>> sorted([Toy(key="b"), "0", Toy(key="a")])
            ['0', Toy(key='a'), Toy(key='b')]
        """
        return str(self) < str(other)

    def __gt__(self, other: object) -> bool:
        return str(self) > str(other)

    @property
    def name(self) -> str:
        """The column's name, TensorFlow's (DenseFeatures sorts by it)."""
        raise NotImplementedError

    @property
    def parents(self) -> list[Any]:
        """What the column is built on, as TF lists it: feature keys and columns.

        Example:
            >>> import pipeline as pl
            >>> fc = pl.feature_column
            >>> ids = fc.categorical_column_with_identity("ids", 3)
            >>> fc.weighted_categorical_column(ids, "w").parents == [ids, "w"]
            True
        """
        out: list[Any] = []
        for field in self._FIELDS:
            value = getattr(self, field)
            if field == "keys":
                out.extend(value)
            elif field in ("key", "weight_feature_key"):
                out.append(value)
            elif isinstance(value, FeatureColumn):
                out.append(value)
        return out

    def get_config(self) -> dict[str, Any]:
        """The fields as JSON-compatible data (nested columns as configs).

        Example:
            >>> import pipeline as pl
            >>> pl.feature_column.numeric_column("x").get_config()["shape"]
            (1,)
        """
        return {
            f: _to_config(getattr(self, f), f in self._FUNCTION_FIELDS)
            for f in self._FIELDS
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> FeatureColumn:
        """Rebuilds a column from ``get_config()``'s output.

        Example:
            >>> import pipeline as pl
            >>> c = pl.feature_column.numeric_column("x", shape=(2,))
            >>> type(c).from_config(c.get_config()).shape
            (2,)
        """
        fields = {}
        for f in cls._FIELDS:
            with saving_registry.at(f):
                if f not in config:
                    raise saving_registry.wrong_type(f"the field {f!r}", None)
                fields[f] = _from_config(config[f], f in cls._FUNCTION_FIELDS)
        return cls._from_fields(fields)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> FeatureColumn:
        return cls(**fields)


class DenseColumn(FeatureColumn):
    """A column with a float32 ``[batch, width]`` output (DenseFeatures input).

    Example:
        >>> import pipeline as pl
        >>> isinstance(pl.feature_column.numeric_column("x"), DenseColumn)
        True
    """

    @property
    def variable_shape(self) -> tuple[int, ...]:
        """The per-example output shape."""
        raise NotImplementedError

    @property
    def width(self) -> int:
        """The number of output columns."""
        n = 1
        for d in self.variable_shape:
            n *= d
        return n

    def _dense(self, cache: TransformCache) -> Any:
        raise NotImplementedError


class CategoricalColumn(FeatureColumn):
    """A column producing integer ids per row (indicator/embedding input).

    Example:
        >>> import pipeline as pl
        >>> col = pl.feature_column.categorical_column_with_identity("k", 3)
        >>> isinstance(col, CategoricalColumn)
        True
    """

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        raise NotImplementedError

    def _ids(self, cache: TransformCache) -> Ragged:
        raise NotImplementedError


class TransformCache:
    """One batch of features and the memoized outputs of the columns on it.

    Example:
        >>> cache = TransformCache({"x": [1.0, 2.0]})
        >>> cache.raw("x").shape
        (2, 1)
    """

    def __init__(self, features: dict[str, Any]) -> None:
        self.features = features
        self._raw: dict[str, Any] = {}
        self._ids: dict[FeatureColumn, Ragged] = {}

    def raw(self, key: str) -> Any:
        """The raw feature ``key`` (dense arrays at least 2-D)."""
        found = self._raw.get(key)
        if found is None:
            if key not in self.features:
                raise ValueError(
                    f"Feature {key} is not in features dictionary. "
                    f"Available features: {sorted(self.features)}"
                )
            found = self._raw[key] = dense_input(self.features[key], key)
        return found

    def memo(self, key: Any, compute: Any) -> Any:
        """``compute()`` once per batch under ``key``."""
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = compute()
        return found

    def ids(self, column: CategoricalColumn) -> Ragged:
        """``column._ids`` on this batch, computed once."""
        found = self._ids.get(column)
        if found is None:
            found = self._ids[column] = column._ids(self)
        return found


def serialize_feature_column(column: FeatureColumn) -> dict[str, Any]:
    """``{"class_name", "config"}`` of a column, for saving with a model.

    Example:
        >>> import pipeline as pl
        >>> col = pl.feature_column.numeric_column("x")
        >>> serialize_feature_column(col)["class_name"]
        'NumericColumn'
    """
    return {"class_name": type(column).__name__, "config": column.get_config()}


def deserialize_feature_column(
    config: dict[str, Any],
    custom_objects: dict[str, Any] | None = None,
    safe_mode: bool = True,
) -> FeatureColumn:
    """The column that `serialize_feature_column` described.

    Class and function names resolve only from our own columns, the caller's
    ``custom_objects`` and `pl.nn.saving_registry`; nothing named in the config
    is imported. Inside ``load_model`` its ``custom_objects`` and ``safe_mode``
    apply.

    Args:
        config: ``{"class_name", "config"}``.
        custom_objects: columns, normalizers and initializers by name.
            Defaults to none.
        safe_mode: refuse names of lambdas and nested functions. Defaults to True.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) a name found nowhere.
        ModelFormatError: (a ``ValueError``) a config of the wrong shape.

    Example:
        >>> import pipeline as pl
        >>> c = pl.feature_column.numeric_column("x")
        >>> deserialize_feature_column(serialize_feature_column(c)) == c
        True
    """
    if saving_registry.current() is None:
        with saving_registry.load_scope(custom_objects, safe_mode):
            return deserialize_feature_column(config)
    with saving_registry.at(*saving_registry.child_segment(config)):
        if not isinstance(config, dict):
            raise saving_registry.wrong_type("a feature column config (a dict)", config)
        name = config.get("class_name")
        with saving_registry.at("class_name"):
            cls = saving_registry.resolve("feature column", name, _REGISTRY)
        inner = config.get("config")
        with saving_registry.at("config"):
            if not isinstance(inner, dict):
                raise saving_registry.wrong_type(f"the config of {name!r}", inner)
            return saving_registry.built(
                f"feature column {name!r}", cls.from_config, inner
            )


def _to_config(value: Any, is_function: bool) -> Any:
    if is_function:
        return serialize_function(value)
    if isinstance(value, FeatureColumn):
        return serialize_feature_column(value)
    if isinstance(value, tuple):  # tuples stay tuples, as in TF's configs
        return tuple(_to_config(v, False) for v in value)
    if isinstance(value, list):
        return [_to_config(v, False) for v in value]
    if isinstance(value, bytes):
        return {"bytes": value.decode("latin-1")}
    if hasattr(value, "kind") and hasattr(value, "itemsize"):  # a numpy dtype
        return "string" if value.kind == "O" else value.name
    return value


def _from_config(value: Any, is_function: bool) -> Any:
    if is_function:
        return deserialize_function(value)
    if isinstance(value, dict) and "class_name" in value:
        return deserialize_feature_column(value)
    if isinstance(value, dict) and "bytes" in value:
        if not isinstance(value["bytes"], str):
            raise saving_registry.wrong_type("a latin-1 string", value["bytes"])
        return value["bytes"].encode("latin-1")
    if isinstance(value, list | tuple):
        out = []
        for i, v in enumerate(value):
            with saving_registry.at(f"[{i}]"):
                out.append(_from_config(v, False))
        return tuple(out)
    return value


def check_key(key: Any, what: str = "key") -> str:
    """TF's check that a feature key is a string.

    Example:
        >>> check_key("age")
        'age'
    """
    if not isinstance(key, str):
        raise ValueError(
            f"{what} must be a string. Got: type {type(key)}. Given key: {key}"
        )
    return key
