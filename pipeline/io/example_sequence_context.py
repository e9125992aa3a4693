"""An empty ``Feature{}`` in a SequenceExample's context, as TensorFlow reads it.

``parse_example`` reads a map entry whose Feature sets no list (how TFX
writes a missing value) as a missing feature: a `FixedLenFeature` takes its
default. TensorFlow's SequenceExample parser does not: in the context such
an entry is a list of no values, so a `FixedLenFeature` refuses it, default
or not ("Unexpected number of elements in example ..."; a single record
without a default: "Inconsistent max number of elements for feature ...").
`VarLenFeature` and `RaggedFeature` read it as no values either way.

Example:
    >>> rec = bytes.fromhex("0a070a050a01631200")  # context {"c": Feature{}}
    >>> spec = {"c": FixedLenFeature([], "int64", default_value=0)}
    >>> empty_context_error([rec], spec, ["r0"], single=False).message
    'Unexpected number of elements in example r0'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_spec import FixedLenFeature

__all__ = ["empty_context_error"]


def empty_context_error(
    records: list[bytes], context: Mapping, names: list[str], single: bool
) -> InvalidArgumentError | None:
    """TensorFlow's error for the first record whose context holds an empty
    ``Feature{}`` under a `FixedLenFeature` key, or None when none does.

    Args:
        records: the serialized SequenceExamples (their field 1, the context,
            is laid out as an Example's features).
        context: the context specs.
        names: the record names for messages.
        single: parsing one record (``parse_single_sequence_example``), whose
            message differs when the spec has no default.
    """
    keys = [k for k, spec in context.items() if isinstance(spec, FixedLenFeature)]
    if not keys or not records:
        return None
    kernel = _kernels.load("example")
    wanted = [k.encode("utf-8", "surrogateescape") for k in keys]
    kind, _, start, _, status, _, _ = kernel.index_features(records, wanted)
    if status != kernel.STATUS_OK:
        return None  # malformed: the parse itself says where
    empty = (kind == 0) & (start > 0)
    if not empty.any():
        return None
    b = int(np.flatnonzero(empty.any(axis=0))[0])
    key = keys[int(np.flatnonzero(empty[:, b])[0])]
    spec = context[key]
    if single and spec.default_value is None:
        size = int(np.prod(spec.shape, dtype=np.int64))
        return InvalidArgumentError(
            f"Inconsistent max number of elements for feature {key}: expected "
            f"{size}, but found 0",
            record_index=b,
            feature=key,
        )
    return InvalidArgumentError(
        f"Unexpected number of elements in example {names[b]}",
        record_index=b,
        feature=key,
    )
