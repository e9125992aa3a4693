"""The functional ``Model``: a graph of layer calls from ``Input``s to outputs.

Several inputs and outputs (lists or dicts), shared layers, models used as
layers and non-linear topologies (residual, wide-and-deep) all replay the
recorded :class:`~pipeline.nn.layers._symbolic.Node` graph in order.

Example:
    >>> import numpy as np
    >>> from pipeline.nn import layers
    >>> x = layers.Input((3,))
    >>> h = layers.Dense(4, activation="relu")(x)
    >>> model = Model(x, layers.Add()([layers.Dense(1)(h), layers.Dense(1)(x)]))
    >>> model.predict(np.ones((2, 3), np.float32), verbose=0).shape
    (2, 1)
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers._symbolic import KerasTensor, Node, flatten, map_structure
from pipeline.nn.layers.base import Layer
from pipeline.nn.layers.input_layer import InputLayer
from pipeline.nn.models.graph_config import functional_config, functional_from_config
from pipeline.nn.models.training import Trainer


def _topological_nodes(outputs: list[KerasTensor]) -> list[Node]:
    order: list[Node] = []
    seen: set[int] = set()

    def visit(tensor: KerasTensor) -> None:
        node = tensor.node
        if node is None:
            raise ValueError(f"{tensor!r} was not produced by a layer call or Input.")
        if id(node) in seen:
            return
        for parent in node.parents():
            visit(parent)
        seen.add(id(node))
        order.append(node)

    for out in outputs:
        visit(out)
    return order


class Model(Trainer, Layer):
    """A functional model ``Model(inputs, outputs)``, or a base for subclassing.

    Args:
        inputs: an ``Input`` tensor, or a list or dict of them.
        outputs: a symbolic tensor, or a list or dict of them.
        name: optional name.

    Subclasses may instead define layers in ``__init__`` and override
    ``call(inputs, training=None)``.

    Raises:
        ValueError: when an output depends on an ``Input`` not in ``inputs``.

    Example:
        >>> import numpy as np
        >>> from pipeline.nn import layers
        >>> a, b = layers.Input((2,), name="a"), layers.Input((3,), name="b")
        >>> out = layers.Dense(1)(layers.Concatenate()([a, b]))
        >>> m = Model({"a": a, "b": b}, out)
        >>> m({"a": np.ones((1, 2)), "b": np.ones((1, 3))}).shape
        (1, 1)
    """

    def __init__(
        self,
        inputs: Any = None,
        outputs: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        trainable = kwargs.pop("trainable", True)
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        Trainer.__init__(self)
        self._functional = inputs is not None
        if self._functional:
            self._build_graph(inputs, outputs)

    def _build_graph(self, inputs: Any, outputs: Any) -> None:
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        nodes = _topological_nodes(self.outputs)
        fed = {id(t) for t in self.inputs}
        for node in nodes:
            if isinstance(node.layer, InputLayer) and id(node.outputs) not in fed:
                raise ValueError(
                    f"Graph disconnected: cannot obtain a value for input "
                    f"{node.layer.name!r}; pass it in `inputs`."
                )
        self._nodes = [n for n in nodes if not isinstance(n.layer, InputLayer)]
        self._graph_layers: list[Layer] = []
        for node in nodes:
            if all(node.layer is not known for known in self._graph_layers):
                self._graph_layers.append(node.layer)
        self.built = True

    @property
    def layers(self) -> list[Layer]:
        """The layers, in graph order (input layers first)."""
        return (
            list(getattr(self, "_graph_layers", []))
            if self._functional
            else [v for v in self._sublayers()]
        )

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by name or index.

        Raises:
            ValueError: when none matches.

        Example:
            >>> from pipeline.nn import layers
            >>> x = layers.Input((1,))
            >>> Model(x, layers.Dense(1, name="out")(x)).get_layer("out").name
            'out'
        """
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: "
            f"{[layer.name for layer in self.layers]}."
        )

    def _sublayers(self) -> list[Layer]:
        if getattr(self, "_functional", False):
            return list(self._graph_layers)
        return Layer._sublayers(self)

    def _feed(self, inputs: Any) -> list[Any]:
        if isinstance(inputs, dict):
            if isinstance(self._inputs_struct, dict):
                return [inputs[k] for k in sorted(self._inputs_struct)]
            return [inputs[t.name] for t in self.inputs]
        if isinstance(inputs, list | tuple) and len(self.inputs) > 1:
            return list(inputs)
        if len(self.inputs) != 1:
            raise ValueError(
                f"Model {self.name!r} expects {len(self.inputs)} inputs, "
                f"but it received 1 input tensor."
            )
        return [inputs]

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not self._functional:
            raise NotImplementedError("Subclasses of Model must implement `call`.")
        values: dict[int, Any] = {}
        for tensor, value in zip(self.inputs, self._feed(inputs), strict=True):
            values[id(tensor)] = value
        for node in self._nodes:
            args = map_structure(
                lambda t: values[id(t)] if isinstance(t, KerasTensor) else t,
                node.inputs,
            )
            kwargs = dict(node.kwargs)
            if training is not None:
                kwargs.setdefault("training", training)
            result = node.layer(args, **kwargs)
            for tensor, value in zip(
                flatten(node.outputs), flatten(result), strict=True
            ):
                values[id(tensor)] = value
        return map_structure(lambda t: values[id(t)], self._outputs_struct)

    def _input_nodes(self) -> list[Node]:
        return [
            layer._inbound_nodes[0]
            for layer in self._graph_layers
            if isinstance(layer, InputLayer)
        ]

    @property
    def output_shape(self) -> Any:
        """The output shape (a list of shapes for several outputs)."""
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_shape(self) -> Any:
        """The input shape (a list of shapes for several inputs)."""
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_names(self) -> list[str]:
        """Names of the outputs (the producing layers' names, or the dict keys)."""
        if isinstance(getattr(self, "_outputs_struct", None), dict):
            return sorted(self._outputs_struct)
        return [t.node.layer.name for t in getattr(self, "outputs", [])]

    def get_config(self) -> dict[str, Any]:
        if not self._functional:
            return Layer.get_config(self)
        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Model:
        return functional_from_config(cls, config, custom_objects)
