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

import json
from typing import Any

from pipeline.nn.layers import _symbolic
from pipeline.nn.layers._symbolic import KerasTensor, Node, flatten, map_structure
from pipeline.nn.layers._symbolic_ops import TensorOp
from pipeline.nn.layers.base import Layer
from pipeline.nn.layers.core import Dense
from pipeline.nn.layers.input_layer import InputLayer
from pipeline.nn.layers.reshaping import Flatten
from pipeline.nn.models import functional_inputs
from pipeline.nn.models.functional_graph import clone_from, graph_nodes
from pipeline.nn.models.graph_config import functional_config, functional_from_config
from pipeline.nn.models.training import Trainer
from pipeline.nn.tensor import Tensor

_DIRECT_TYPES = (Dense, Flatten)


def _direct(layer: Layer, inputs: Any) -> bool:
    """Whether ``layer.call(inputs)`` is all that ``layer(inputs, training=...)``
    would do, inside a model's call: a built ``Dense`` or ``Flatten`` (their
    ``call`` takes neither ``training`` nor ``mask``) without an activity
    regularizer or weights waiting to be set, on a float tensor of at most 32
    bits (``Layer.__call__`` converts nothing then) without a mask (nothing to
    pass on). It skips the name scope, the mask and the conversion bookkeeping
    of ``Layer.__call__``, a sizeable share of a small model's training step.

    Example:
        >>> from pipeline.nn import layers
        >>> _direct(layers.Dense(2), Tensor([[1.0]]))  # not built yet
        False
    """
    return (
        type(layer) in _DIRECT_TYPES
        and type(inputs) is Tensor
        and layer.built
        and inputs._keras_mask is None
        and inputs.dtype.kind == "f"
        and inputs.dtype.itemsize <= 4
        and layer.activity_regularizer is None
        and layer._pending_weights is None
    )


def _node_arguments(node: Node, values: dict[int, Any]) -> tuple[Any, list[Any]]:
    """A node's inputs and extra positional arguments, symbolic tensors
    replaced by their values (a single input or a list of them without
    walking the structure)."""
    inputs = node.inputs
    if isinstance(inputs, KerasTensor):
        args: Any = values[id(inputs)]
    elif type(inputs) is list and all(type(t) is KerasTensor for t in inputs):
        args = [values[id(t)] for t in inputs]
    else:
        args = map_structure(
            lambda t: values[id(t)] if isinstance(t, KerasTensor) else t, inputs
        )
    if not node.args:
        return args, []
    more = map_structure(
        lambda t: values[id(t)] if isinstance(t, KerasTensor) else t, list(node.args)
    )
    return args, more


class Model(Trainer, Layer):
    """A functional model ``Model(inputs, outputs)``, or a base for subclassing.

    Args:
        inputs: an ``Input`` tensor, or a list or dict of them.
        outputs: a symbolic tensor, or a list or dict of them.
        name: optional name.

    Subclasses may instead define layers in ``__init__`` and override
    ``call(inputs, training=None)``.

    Inputs may also be intermediate tensors of another graph (Keras's
    functional slicing); they get ``InputLayer``s of their own. Python
    operators on symbolic tensors (``x + y``, ``x[:, 1:]``) are graph
    operations: listed by ``operations`` and saved, not in ``layers``.

    Raises:
        ValueError: when an input or output is not a symbolic tensor, or an
            output is not connected to ``inputs``.

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
        functional_inputs.check_endpoints(inputs, outputs)
        inputs, outputs = clone_from(inputs, outputs)
        self.__dict__.pop("_derived_input_spec", None)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        nodes = graph_nodes(self.inputs, outputs)
        self._nodes = [n for n in nodes if not isinstance(n.layer, InputLayer)]
        self._input_node_list = [n for n in nodes if isinstance(n.layer, InputLayer)]
        operations: list[Layer] = []
        for node in nodes:
            if all(node.layer is not known for known in operations):
                operations.append(node.layer)
        self._graph_layers = operations
        self.built = True

    @property
    def input(self) -> Any:
        """The ``inputs`` structure given to the constructor (Keras's ``input``)."""
        self._require_graph("input")
        return self._inputs_struct

    @property
    def output(self) -> Any:
        """The ``outputs`` structure given to the constructor."""
        self._require_graph("output")
        return self._outputs_struct

    def _require_graph(self, what: str) -> None:
        if not getattr(self, "_functional", False) and "_inputs_struct" not in vars(
            self
        ):
            raise AttributeError(
                f"Model {self.name!r} has no defined {what} (it was never called "
                "on symbolic inputs)."
            )

    @property
    def layers(self) -> list[Layer]:
        """The layers, in graph order (input layers first; operators excluded)."""
        if self._functional:
            graph = list(getattr(self, "_graph_layers", []))
            return [layer for layer in graph if not isinstance(layer, TensorOp)]
        return list(self._sublayers())

    @layers.setter
    def layers(self, value: Any) -> None:
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. "
            "Please use another name."
        )

    @property
    def input_spec(self) -> Any:
        """The specs inputs are checked against: set by hand, or one per
        ``Input`` (Keras's derived specs)."""
        manual = self.__dict__.get("_manual_input_spec")
        if manual is not None:
            return manual
        if "_derived_input_spec" not in self.__dict__:
            derived = functional_inputs.derived_input_spec(self)
            self.__dict__["_derived_input_spec"] = derived
        return self.__dict__["_derived_input_spec"]

    @input_spec.setter
    def input_spec(self, value: Any) -> None:
        self.__dict__["_manual_input_spec"] = value

    @property
    def operations(self) -> list[Layer]:
        """Every graph operation: layers and operator nodes (``x + y``)."""
        return list(getattr(self, "_graph_layers", []))

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by name or index.

        Raises:
            ValueError: when both or neither are given, or none matches.

        Example:
            >>> from pipeline.nn import layers
            >>> x = layers.Input((1,))
            >>> Model(x, layers.Dense(1, name="out")(x)).get_layer("out").name
            'out'
        """
        if index is not None and name is not None:
            raise ValueError(
                "Provide only a layer name or a layer index. Received: "
                f"index={index}, name={name}."
            )
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model "
                    f"only has {len(self.layers)} layers."
                )
            return self.layers[index]
        if name is None:
            raise ValueError(
                "Provide either a layer name or layer index at `get_layer`."
            )
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

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "_functional", False) and not _symbolic.in_symbolic_run():
            functional_inputs.check_input_spec(self, inputs)
        return Layer.__call__(self, inputs, *args, **kwargs)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not self._functional:
            raise NotImplementedError("Subclasses of Model must implement `call`.")
        values: dict[int, Any] = {}
        quiet = _symbolic.in_symbolic_run()
        fed = functional_inputs.standardize_inputs(self, inputs, quiet=quiet)
        for tensor, value in zip(self.inputs, fed, strict=True):
            values[id(tensor)] = value
        for node in self._nodes:

            def value(t: Any) -> Any:
                return values[id(t)] if isinstance(t, KerasTensor) else t

            args = map_structure(value, node.inputs)
            more = map_structure(value, list(node.args))
            kwargs = dict(node.kwargs)
            if training is not None:  # Keras: the call's mode overrides the node's
                kwargs["training"] = training
            if not more and not node.kwargs and _direct(node.layer, args):
                result = node.layer.call(args)
            else:
                result = node.layer(args, *more, **kwargs)
            for tensor, value in zip(
                flatten(node.outputs), flatten(result), strict=True
            ):
                values[id(tensor)] = value
        return map_structure(lambda t: values[id(t)], self._outputs_struct)

    def _input_nodes(self) -> list[Node]:
        return list(self._input_node_list)

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

    def to_json(self, **kwargs: Any) -> str:
        """The model's class name and config as a JSON string.

        Example:
            >>> from pipeline.nn import layers
            >>> x = layers.Input((1,))
            >>> Model(x, x * 2).to_json().startswith('{"class_name": "Functional"')
            True
        """
        from pipeline.nn import layers as layers_module  # noqa: PLC0415

        entry = layers_module.serialize(self)
        if type(self) is Model:
            entry["class_name"] = "Functional"
        return json.dumps(entry, default=_json_default, **kwargs)

    def get_config(self) -> dict[str, Any]:
        if not self._functional:
            return Layer.get_config(self)
        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Model:
        """A functional model from its graph config, or a subclassed model from
        its constructor arguments (Keras's rule: a config with ``layers``,
        ``input_layers`` and ``output_layers`` is a graph).

        Example:
            >>> Model.from_config({"name": "plain"}).name
            'plain'
        """
        graph_keys = ("layers", "input_layers", "output_layers")
        if isinstance(config, dict) and not any(k in config for k in graph_keys):
            return cls(**config)
        return functional_from_config(cls, config, custom_objects)


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"Cannot serialize {value!r} to JSON.")
