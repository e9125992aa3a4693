"""The graph of a functional model: its nodes in order, from inputs to outputs.

A model may start from intermediate tensors (``Model(x2, outputs)``, Keras's
functional slicing): those get fresh ``InputLayer``s and the calls after them
are re-recorded on the new tensors, so the model is a graph of its own.

Example:
    >>> from pipeline.nn import layers
    >>> x = layers.Input((2,))
    >>> [n.layer is x.node.layer for n in graph_nodes([x], x)]
    [True]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers._symbolic import KerasTensor, Node, flatten, map_structure
from pipeline.nn.layers.input_layer import InputLayer
from pipeline.nn.models.functional_inputs import paths_of


def _is_input(tensor: KerasTensor) -> bool:
    return tensor.node is not None and isinstance(tensor.node.layer, InputLayer)


class GraphWalk:
    """Collects, depth first from the tensors it is asked to reach, the calls
    between ``inputs`` and them: each node after the nodes it reads (Keras's
    layer order).

    Example:
        >>> from pipeline.nn import layers
        >>> x = layers.Input((2,))
        >>> walk = GraphWalk([x]); walk.reach(x), len(walk.order)
        (True, 1)
    """

    def __init__(self, inputs: list[KerasTensor]) -> None:
        self.inputs = list(inputs)
        self.fed = {id(t) for t in inputs}
        self.order: list[Node] = []
        self.seen: set[int] = set()

    def reach(self, tensor: KerasTensor) -> bool:
        """Adds the calls ``tensor`` needs; False when it needs an unfed input."""
        if id(tensor) in self.fed:
            self._add(tensor.node)
            return True
        node = tensor.node
        if node is None or isinstance(node.layer, InputLayer):
            return False
        if id(node) in self.seen:
            return True
        if not all([self.reach(p) for p in node.parents()]):
            return False
        self._add(node)
        return True

    def _add(self, node: Any) -> None:
        if id(node) not in self.seen:
            self.seen.add(id(node))
            self.order.append(node)

    def nodes(self) -> list[Node]:
        """The order, with unused inputs' nodes after the last input reached."""
        unused = [t.node for t in self.inputs if id(t.node) not in self.seen]
        last = max(
            (i for i, n in enumerate(self.order) if id(n.outputs) in self.fed),
            default=-1,
        )
        return self.order[: last + 1] + unused + self.order[last + 1 :]


def graph_nodes(inputs: list[KerasTensor], outputs_struct: Any) -> list[Node]:
    """The model's nodes in Keras's order, with Keras's error naming an output
    that the inputs do not reach.

    Raises:
        ValueError: "Output with path `...` is not connected to `inputs`".

    Example:
        >>> graph_nodes([], [])
        []
    """
    walk = GraphWalk(inputs)
    outputs = flatten(outputs_struct)
    for tensor, path in zip(outputs, paths_of(outputs_struct), strict=True):
        if not walk.reach(tensor):
            raise ValueError(f"Output with path `{path}` is not connected to `inputs`")
    return walk.nodes()


def clone_from(inputs: Any, outputs: Any) -> tuple[Any, Any]:
    """Gives tensors of ``inputs`` that are not ``Input``s fresh ``InputLayer``s
    and re-records the calls between them and ``outputs`` on those.

    Example:
        >>> from pipeline.nn import layers
        >>> x = layers.Input((2,))
        >>> clone_from(x, x) == (x, x)
        True
    """
    flat = flatten(inputs)
    if all(_is_input(t) for t in flat):
        return inputs, outputs
    mapping: dict[int, KerasTensor] = {}
    for t in flat:
        if _is_input(t):
            mapping[id(t)] = t
        else:
            layer = InputLayer(batch_shape=t.shape, dtype=t.dtype)
            mapping[id(t)] = layer._inbound_nodes[0].outputs
    walk = GraphWalk(flat)
    for out in flatten(outputs):
        walk.reach(out)
    for node in walk.order:
        if id(node.outputs) in walk.fed:
            continue
        _replay(node, mapping)
    swap = lambda t: mapping.get(id(t), t)  # noqa: E731
    return map_structure(swap, inputs), map_structure(swap, outputs)


def _replay(node: Node, mapping: dict[int, KerasTensor]) -> None:
    def new_tensor(t: KerasTensor) -> KerasTensor:
        clone = KerasTensor(t.shape, t.dtype, name=t.name)
        mapping[id(t)] = clone
        return clone

    def swap(x: Any) -> Any:
        return mapping.get(id(x), x) if isinstance(x, KerasTensor) else x

    args = map_structure(swap, node.inputs)
    more = tuple(map_structure(swap, list(node.args)))
    outputs = map_structure(new_tensor, node.outputs)
    Node(node.layer, args, dict(node.kwargs), outputs, more)
