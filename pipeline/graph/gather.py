"""``batch`` over (shuffled) tensor slices, gathered column by column.

The optimizer rewrites ``from_tensor_slices(v) [-> shuffle] -> batch(n)`` so
that the shuffle (if any) runs over row indices (``range(len(v))``, the same
draws, so the same order) and each batch is one fancy-index gather per column
instead of ``n`` per-row slices stacked again.

Example:
    >>> import numpy as np
    >>> from pipeline.graph.base import IterContext
    >>> from pipeline.graph.sources import RangeNode, TensorSlicesNode
    >>> src = TensorSlicesNode((), {"a": np.arange(5)})
    >>> node = SliceBatchNode((RangeNode((), 0, 5, 1),), 2, source=src)
    >>> [b["a"].tolist() for b in IterContext().build(node)]
    [[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.batch_cutting import gather, keeps_batch
from pipeline.graph.batching import BatchNode, _batch_spec
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import TensorSlicesNode
from pipeline.graph.structure import flatten, pack


@dataclasses.dataclass(frozen=True, eq=False)
class SliceBatchNode(BatchNode):
    """``batch`` of the rows of ``source`` whose indices the parent yields."""

    source: TensorSlicesNode | None = dataclasses.field(default=None, repr=False)
    op = "gather_batch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return SliceBatchIterator(ctx.build(self.parents[0]), self)

    def compute_spec(self) -> Any:
        size = self.batch_size if self.drop_remainder else None
        return _batch_spec(self.source.element_spec(), size)


class SliceBatchIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, node: SliceBatchNode) -> None:
        super().__init__(parent)
        self.parent, self.size, self.drop = parent, node.batch_size, node.drop_remainder
        self.template = node.source.value
        self.leaves = flatten(self.template)

    def __next__(self) -> Any:
        rows = gather(self.parent.next_many, self.size)
        if rows and isinstance(rows[-1], ElementFailure):  # not from slices; kept safe
            return rows[-1]
        if not keeps_batch(len(rows), self.size, self.drop):
            raise StopIteration
        idx = np.array(rows, dtype=np.intp)
        out = [leaf[idx] for leaf in self.leaves]
        return (
            pack(self.template, out)
            if len(out) > 1 or _nested(self.template)
            else out[0]
        )

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state()}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])


def _nested(value: Any) -> bool:
    return isinstance(value, (tuple, dict))


def gather_rewrite(node: Node) -> Node:
    """The rewrite itself (a no-op for other patterns).

    Example:
        >>> from pipeline.graph.sources import TensorSlicesNode
        >>> src = TensorSlicesNode((), np.arange(4))
        >>> gather_rewrite(BatchNode((src,), 2)).op
        'gather_batch'
    """
    from pipeline.graph.shuffling import ShuffleNode
    from pipeline.graph.sources import RangeNode

    if type(node) is not BatchNode:
        return node
    inner = node.parents[0]
    shuffle = None
    if type(inner) is ShuffleNode:
        shuffle, inner = inner, inner.parents[0]
    if type(inner) is not TensorSlicesNode:
        return node
    indices: Node = RangeNode((), 0, inner.cardinality(), 1)
    if shuffle is not None:
        indices = shuffle.replace(parents=(indices,))
    return SliceBatchNode(
        (indices,), node.batch_size, node.drop_remainder, source=inner
    )
