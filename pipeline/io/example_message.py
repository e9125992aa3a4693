"""The ``tf.train.Example`` message: build, serialize and read back, no protobuf.

``SerializeToString`` always writes TensorFlow's deterministic bytes (those of
``SerializeToString(deterministic=True)`` in TF 2.21 with the upb backend):
map entries in bytewise-ascending key order, except that when one key is a
prefix of another the longer key comes first (``"ab"`` before ``"a"``, ``""``
last). Empty lists that are set are written (``1a 00``); a `Feature` with no
list is an empty message.

Example:
    >>> ex = Example.from_dict({"a": np.array([1], np.int64)})
    >>> ex.SerializeToString().hex()
    '0a0c0a0a0a016112051a030a0101'
    >>> Example.FromString(ex.SerializeToString()) == ex
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError

__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "Features",
    "FloatList",
    "Int64List",
    "serialize_example",
]

_KINDS = ("bytes_list", "float_list", "int64_list")


class _List:
    """A repeated-value list message; subclasses set how values are stored."""

    __slots__ = ("value",)

    def __init__(self, value: Iterable[Any] = ()) -> None:
        self.value = self._convert(value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def _key(self) -> Any:
        return list(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(value={list(self.value)!r})"


class BytesList(_List):
    """``tf.train.BytesList``: ``value`` is a list of bytes (str is UTF-8 encoded).

    Example:
        >>> BytesList(value=["é", b"x"]).value
        [b'\\xc3\\xa9', b'x']
    """

    @staticmethod
    def _convert(value: Iterable[Any]) -> list[bytes]:
        return [v.encode() if isinstance(v, str) else bytes(v) for v in value]


class FloatList(_List):
    """``tf.train.FloatList``: ``value`` is a float32 array.

    Example:
        >>> FloatList(value=[0.5]).value.tolist()
        [0.5]
    """

    @staticmethod
    def _convert(value: Iterable[Any]) -> np.ndarray:
        with np.errstate(over="ignore"):  # as TF: too large becomes inf
            return np.asarray(list(value) if not hasattr(value, "__array__") else value,
                              dtype=np.float32).reshape(-1)  # fmt: skip

    def _key(self) -> Any:
        return self.value.tobytes()


class Int64List(_List):
    """``tf.train.Int64List``: ``value`` is an int64 array.

    Example:
        >>> Int64List(value=[-1, 2]).value.tolist()
        [-1, 2]
    """

    @staticmethod
    def _convert(value: Iterable[Any]) -> np.ndarray:
        return np.asarray(list(value) if not hasattr(value, "__array__") else value,
                          dtype=np.int64).reshape(-1)  # fmt: skip

    def _key(self) -> Any:
        return self.value.tolist()


class Feature:
    """``tf.train.Feature``: at most one of ``bytes_list``, ``float_list``,
    ``int64_list`` (the oneof ``kind``).

    Example:
        >>> Feature(int64_list=Int64List([3])).WhichOneof("kind")
        'int64_list'
        >>> Feature().WhichOneof("kind") is None
        True
    """

    __slots__ = ("_kind", "_list")

    def __init__(
        self,
        bytes_list: BytesList | None = None,
        float_list: FloatList | None = None,
        int64_list: Int64List | None = None,
    ) -> None:
        given = [(k, v) for k, v in zip(_KINDS, (bytes_list, float_list, int64_list))
                 if v is not None]  # fmt: skip
        if len(given) > 1:
            raise InvalidArgumentError("a Feature holds at most one list")
        self._kind, self._list = given[0] if given else (None, None)

    def WhichOneof(self, name: str) -> str | None:  # noqa: N802 - protobuf's name
        """The name of the list that is set, or None."""
        return self._kind

    def _get(self, kind: str) -> Any:
        if self._kind == kind:
            return self._list
        return {"bytes_list": BytesList, "float_list": FloatList,
                "int64_list": Int64List}[kind]()  # fmt: skip

    bytes_list = property(lambda self: self._get("bytes_list"))
    float_list = property(lambda self: self._get("float_list"))
    int64_list = property(lambda self: self._get("int64_list"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Feature) and (self._kind, self._list) == (
            other._kind,
            other._list,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Feature({self._kind}={self._list!r})" if self._kind else "Feature()"


class Features:
    """``tf.train.Features``: ``feature`` maps names to `Feature`.

    Example:
        >>> Features(feature={"x": Feature()}).feature["x"]
        Feature()
    """

    __slots__ = ("feature",)

    def __init__(self, feature: Mapping[str, Feature] | None = None) -> None:
        self.feature: dict[str, Feature] = dict(feature or {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Features) and self.feature == other.feature

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Features(feature={self.feature!r})"


class Example:
    """``tf.train.Example``; serializes byte-identically to TF (deterministic).

    Args:
        features: a `Features`; None leaves the field unset (zero bytes).

    Example:
        >>> Example().SerializeToString(), Example(Features()).SerializeToString()
        (b'', b'\\n\\x00')
    """

    __slots__ = ("_features",)

    def __init__(self, features: Features | None = None) -> None:
        self._features = features

    @property
    def features(self) -> Features:
        """The `Features` (an empty one, not stored, when unset)."""
        return self._features if self._features is not None else Features()

    def HasField(self, name: str) -> bool:  # noqa: N802 - protobuf's name
        """Whether ``features`` is set."""
        return name == "features" and self._features is not None

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Example:
        """An Example from a dict of arrays (see :func:`serialize_example`)."""
        return cls(Features({k: _to_feature(k, v) for k, v in values.items()}))

    def SerializeToString(self, deterministic: bool = True) -> bytes:  # noqa: N802
        """The wire bytes (always in TF's deterministic order)."""
        from pipeline.io.example_wire import encode_example

        return encode_example(self)

    @classmethod
    def FromString(cls, data: bytes) -> Example:  # noqa: N802 - protobuf's name
        """Parse wire bytes; raises `InvalidArgumentError` when malformed."""
        from pipeline.io.example_wire import decode_example

        return decode_example(bytes(data))

    def ParseFromString(self, data: bytes) -> int:  # noqa: N802 - protobuf's name
        """Replace this message by the parsed ``data``; returns its length."""
        self._features = Example.FromString(data)._features
        return len(data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Example) and self._features == other._features

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Example(features={self._features!r})"


def _to_feature(key: str, value: Any) -> Feature:
    if value is None:
        return Feature()
    if isinstance(value, Feature):
        return value
    if isinstance(value, (bytes, str)):
        return Feature(bytes_list=BytesList([value]))
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind in "OSU":
        return Feature(bytes_list=BytesList(arr.reshape(-1).tolist()))
    if kind == "f":
        return Feature(float_list=FloatList(arr))
    if kind in "iub":
        return Feature(int64_list=Int64List(arr))
    raise InvalidArgumentError(
        f"Feature {key!r}: cannot serialize values of dtype {arr.dtype}"
    )


def serialize_example(features: Mapping[str, Any]) -> bytes:
    """Serialize a dict as a ``tf.train.Example``, byte-identical to TF.

    Args:
        features: maps names to int arrays (Int64List), float arrays
            (FloatList, as float32), object arrays of bytes or str (BytesList),
            a `Feature`, or None (a Feature with no list).

    Returns:
        The serialized Example.

    Example:
        >>> serialize_example({"x": None}).hex()
        '0a070a050a01781200'
    """
    from pipeline.io.example_wire import encode_dict

    return encode_dict(features, _to_feature)
