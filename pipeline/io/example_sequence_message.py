"""``tf.train.SequenceExample`` and its ``FeatureList(s)``, to build records.

As `pipeline.io.Example`, these hold values and serialize to TF's bytes
(deterministic map order); parse them with
:func:`~pipeline.io.parse_sequence_example`.

Example:
    >>> from pipeline.io.example_message import Feature, Features, Int64List
    >>> seq = SequenceExample(
    ...     feature_lists=FeatureLists(
    ...         {"a": FeatureList([Feature(int64_list=Int64List([1]))])}))
    >>> seq.SerializeToString().hex()
    '120e0a0c0a016112070a051a030a0101'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pipeline.io.example_message import Feature, Features
from pipeline.io.example_wire import (
    encode_feature,
    encode_features,
    key_bytes,
    key_order,
    length_field,
)

__all__ = ["FeatureList", "FeatureLists", "SequenceExample"]


class FeatureList:
    """``tf.train.FeatureList``: one `Feature` per time step.

    Example:
        >>> len(FeatureList([Feature(), Feature()]).feature)
        2
    """

    __slots__ = ("feature",)

    def __init__(self, feature: Iterable[Feature] | None = None) -> None:
        self.feature: list[Feature] = list(feature or [])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FeatureList) and self.feature == other.feature

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FeatureList(feature={self.feature!r})"


class FeatureLists:
    """``tf.train.FeatureLists``: ``feature_list`` maps names to `FeatureList`.

    Example:
        >>> FeatureLists({"a": FeatureList()}).feature_list["a"]
        FeatureList(feature=[])
    """

    __slots__ = ("feature_list",)

    def __init__(self, feature_list: Mapping[str, FeatureList] | None = None) -> None:
        self.feature_list: dict[str, FeatureList] = dict(feature_list or {})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FeatureLists) and self.feature_list == other.feature_list
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FeatureLists(feature_list={self.feature_list!r})"


class SequenceExample:
    """``tf.train.SequenceExample``: ``context`` features and ``feature_lists``.

    Args:
        context: a `Features`; None leaves the field unset.
        feature_lists: a `FeatureLists`; None leaves the field unset.

    Example:
        >>> SequenceExample().SerializeToString()
        b''
    """

    __slots__ = ("context", "feature_lists")

    def __init__(
        self,
        context: Features | None = None,
        feature_lists: FeatureLists | None = None,
    ) -> None:
        self.context = context
        self.feature_lists = feature_lists

    def SerializeToString(self, deterministic: bool = True) -> bytes:  # noqa: N802
        """The wire bytes (map entries in TF's deterministic order)."""
        out = b""
        if self.context is not None:
            out += length_field(1, encode_features(self.context))
        if self.feature_lists is not None:
            out += length_field(2, _encode_lists(self.feature_lists))
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SequenceExample) and (
            self.context,
            self.feature_lists,
        ) == (other.context, other.feature_lists)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"SequenceExample(context={self.context!r}, "
            f"feature_lists={self.feature_lists!r})"
        )


def _encode_lists(lists: FeatureLists) -> bytes:
    items = [(key_bytes(k), v) for k, v in lists.feature_list.items()]
    items.sort(key=lambda item: key_order(item[0]))
    entries = []
    for key, feature_list in items:
        body = b"".join(
            length_field(1, encode_feature(f)) for f in feature_list.feature
        )
        entries.append(length_field(1, length_field(1, key) + length_field(2, body)))
    return b"".join(entries)
