"""``bucket_by_sequence_length``: ``group_by_window`` keyed by length bucket.

Bucket ``i`` holds the elements whose length ``L`` (from
``element_length_func``) has ``bucket_boundaries[i-1] <= L <
bucket_boundaries[i]`` (the first bucket is open below, the last above). Each
bucket's window of ``bucket_batch_sizes[i]`` elements is padded and batched
(``padded_batch``), or batched as it is with ``no_padding=True``.
``pad_to_bucket_boundary=True`` pads the unknown dimensions to the bucket's
boundary minus one; an element too long for the last boundary then raises
`InvalidArgumentError`.

Example:
    >>> bucket_of(4, [3, 7]), bucket_of(7, [3, 7]), bucket_of(0, [3, 7])
    (1, 2, 0)
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import call_fn
from pipeline.graph.grouping import int64_scalar
from pipeline.graph.structure import flatten, flatten_up_to, pack


def bucket_of(length: int, boundaries: Sequence[int]) -> int:
    """The bucket of ``length``: how many boundaries are <= it."""
    return bisect.bisect_right(list(boundaries), int(length))


def _padded_shapes(spec: Any, given: Any, filler: int | None) -> Any:
    """``given`` (or the spec's shapes) with unknown dims set to ``filler``."""
    nested = isinstance(spec, (tuple, dict))
    if given is None:
        leaves = [s.shape for s in flatten(spec)]
    else:
        leaves = flatten_up_to(spec, given) if nested else [given]
    out = []
    for shape in leaves:
        dims = () if shape is None else tuple(np.asarray(shape).reshape(-1).tolist())
        out.append(tuple(filler if d is None or d == -1 else d for d in dims))
    return pack(spec, out) if nested else out[0]


def bucket_by_sequence_length(
    dataset: Any,
    element_length_func: Callable[..., Any],
    bucket_boundaries: Sequence[int],
    bucket_batch_sizes: Sequence[int],
    padded_shapes: Any,
    padding_values: Any,
    pad_to_bucket_boundary: bool,
    no_padding: bool,
    drop_remainder: bool,
) -> Any:
    """The dataset ``Dataset.bucket_by_sequence_length`` returns."""
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(
            "`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
            f"`len(bucket_batch_sizes)={len(sizes)}` and "
            f"`len(bucket_boundaries)={len(boundaries)}`."
        )
    if boundaries != sorted(boundaries):
        raise ValueError(
            f"`bucket_boundaries` must be sorted. Received: {bucket_boundaries!r}"
        )

    def key(*elem: Any) -> np.int64:
        value = elem[0] if len(elem) == 1 else elem
        length = int64_scalar(call_fn(element_length_func, value), "length")
        return np.int64(bucket_of(int(length), boundaries))

    def window_size(bucket: Any) -> np.int64:
        return np.int64(sizes[int(bucket)])

    def batching(bucket: Any, window: Any) -> Any:
        size = sizes[int(bucket)]
        if no_padding:
            return window.batch(size, drop_remainder=drop_remainder)
        filler = None
        if pad_to_bucket_boundary:
            if int(bucket) >= len(boundaries):
                raise InvalidArgumentError(
                    "When pad_to_bucket_boundary=True, elements must have length "
                    "< max(bucket_boundaries)."
                )
            filler = boundaries[int(bucket)] - 1
        shapes = _padded_shapes(window.element_spec, padded_shapes, filler)
        return window.padded_batch(size, shapes, padding_values, drop_remainder)

    return dataset.group_by_window(key, batching, window_size_func=window_size)
