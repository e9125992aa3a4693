"""``decode_json_example``: Examples in protobuf's JSON form to wire bytes.

The JSON form is ``{"features": {"feature": {key: {"floatList": {"value":
[...]}}}}}`` (``bytesList`` values are base64; ``int64List`` values numbers
or strings; snake_case field names are accepted too).

Example:
    >>> out = decode_json_example('{"features": {"feature": {"a": '
    ...                           '{"int64List": {"value": ["1"]}}}}}')
    >>> out.hex()
    '0a0c0a0a0a016112051a030a0101'
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_message import (
    BytesList,
    Example,
    Feature,
    Features,
    FloatList,
    Int64List,
)
from pipeline.io.example_wire import encode_example

__all__ = ["decode_json_example"]

_LISTS = {
    "bytesList": ("bytes_list", BytesList),
    "bytes_list": ("bytes_list", BytesList),
    "floatList": ("float_list", FloatList),
    "float_list": ("float_list", FloatList),
    "int64List": ("int64_list", Int64List),
    "int64_list": ("int64_list", Int64List),
}
_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class _Bad(Exception):
    pass


def _fields(obj: Any, allowed: tuple[str, ...], where: str) -> dict:
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise _Bad(f"{where} must be an object, got {type(obj).__name__}")
    for key in obj:
        if key not in allowed:
            raise _Bad(f"no such field: {key!r}")
    return obj


def _value(kind: str, item: Any) -> Any:
    if kind == "bytes_list":
        if not isinstance(item, str):
            raise _Bad(f"bytes value must be a base64 string, got {item!r}")
        try:
            return base64.b64decode(item, validate=False)
        except binascii.Error as err:
            raise _Bad(f"invalid base64 {item!r}") from err
    if kind == "float_list":
        if isinstance(item, str) and item in _FLOATS:
            return _FLOATS[item]
        if isinstance(item, bool) or not isinstance(item, (int, float, str)):
            raise _Bad(f"float value expected, got {item!r}")
        return float(item)
    if isinstance(item, bool) or not isinstance(item, (int, str)):
        raise _Bad(f"int64 value expected, got {item!r}")
    try:
        return int(item)
    except ValueError as err:
        raise _Bad(f"int64 value expected, got {item!r}") from err


def _feature(obj: Any) -> Feature:
    fields = _fields(obj, tuple(_LISTS), "Feature")
    if len(fields) > 1:
        raise _Bad("a Feature sets more than one of bytesList/floatList/int64List")
    for name, body in fields.items():
        kind, cls = _LISTS[name]
        values = _fields(body, ("value",), name).get("value", [])
        if not isinstance(values, list):
            raise _Bad(f"{name}.value must be an array")
        return Feature(**{kind: cls([_value(kind, v) for v in values])})
    return Feature()


def _example(text: str) -> bytes:
    obj = json.loads(text)
    top = _fields(obj, ("features",), "Example")
    if "features" not in top:
        return encode_example(Example())
    feats = _fields(top["features"], ("feature",), "Features").get("feature", {})
    feats = _fields(feats, tuple(feats or ()), "feature map")
    return encode_example(
        Example(Features({key: _feature(value) for key, value in feats.items()}))
    )


def decode_json_example(json_examples: Any, name: str | None = None) -> Any:
    """Serialized Examples from their JSON form, as ``tf.io.decode_json_example``.

    Args:
        json_examples: a JSON string (str or bytes) or an array (any shape) of them.
        name: accepted for TF compatibility; unused.

    Returns:
        ``bytes`` for a single input, else an object array of ``bytes`` of the
        same shape.

    Raises:
        InvalidArgumentError: text that is not JSON, or JSON that is not an
            Example (an unknown field, a value of the wrong type); the message
            names the element.
    """
    texts = np.asarray(json_examples, dtype=object)
    out = np.empty(texts.shape, dtype=object)
    for index, text in np.ndenumerate(texts):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        try:
            out[index] = _example(str(text))
        except (ValueError, _Bad) as err:
            raise InvalidArgumentError(
                f"Error while parsing JSON: element {list(index)}: {err}"
            ) from err
    return out.item() if out.ndim == 0 else out
