"""``at(dataset, index)``: one element by its position (``tf.data.experimental.at``).

As in tf.data, only pipelines whose stages can address an element by index
are accepted: sources of known size, ``map``, ``batch``, ``unbatch`` of a
static batch size, ``take``, ``skip`` and the like. Another stage (``filter``,
``flat_map``, a generator ...) raises `UnimplementedError`; an infinite
dataset, or an ``unbatch`` whose batch size is unknown, `FailedPreconditionError`;
an index outside the dataset, `OutOfRangeError`. The element is found by
reading up to it.

Example:
    >>> from pipeline.data.dataset import Dataset
    >>> int(at(Dataset.range(10).map(lambda x: x * 3), 4))
    12
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import (
    FailedPreconditionError,
    OutOfRangeError,
    UnimplementedError,
)
from pipeline.graph.base import INFINITE, Node
from pipeline.graph.batch_specs import static_rows
from pipeline.graph.batching import UnbatchNode

__all__ = ["at"]

#: Stages that address an element by index (tf.data's random-access ops).
RANDOM_ACCESS_OPS = frozenset(
    {
        "range",
        "from_tensor_slices",
        "from_tensors",
        "from_list",
        "window_content",
        "batch",
        "map",
        "unbatch",
        "take",
        "skip",
        "prefetch",
        "cache",
        "shuffle",
        "global_shuffle",
        "concatenate",
        "zip",
        "repeat",
        "enumerate",
        "assert_cardinality",
    }
)


def at(dataset: Any, index: int) -> Any:
    """The element of ``dataset`` at position ``index``.

    Example:
        >>> from pipeline.data.dataset import Dataset
        >>> at(Dataset.from_tensor_slices([1, 2, 3, 4]).batch(2), 1).tolist()
        [3, 4]
    """
    _check_random_access(dataset._node)
    n = dataset.cardinality()
    if n == INFINITE:
        raise FailedPreconditionError(
            "`at` needs a dataset of finite size; this one is infinite."
        )
    index = int(index)
    if index < 0 or (n >= 0 and index >= n):
        raise OutOfRangeError(
            f"Index {index} is out of range for a dataset of {n} elements."
        )
    for element in dataset.skip(index).take(1):
        return element
    raise OutOfRangeError(f"Index {index} is out of range for the dataset.")


def _check_random_access(node: Node) -> None:
    if node.op not in RANDOM_ACCESS_OPS:
        raise UnimplementedError(
            f"`at` does not support the `{node.op}` stage of the dataset: it "
            "cannot address an element by index."
        )
    if isinstance(node, UnbatchNode) and static_rows(node.parents[0]) is None:
        raise FailedPreconditionError(
            "`at` needs `unbatch` to have a known batch size (batch with "
            "drop_remainder=True before it)."
        )
    for parent in node.parents:
        _check_random_access(parent)
