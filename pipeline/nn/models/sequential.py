"""``Sequential``: a plain stack of layers, each feeding the next.

Example:
    >>> import numpy as np
    >>> from pipeline.nn import layers
    >>> model = Sequential([layers.Input((3,)), layers.Dense(2)])
    >>> model(np.ones((4, 3), np.float32)).shape
    (4, 2)
"""

from __future__ import annotations

import inspect
from typing import Any

from pipeline.nn import layers as layers_module
from pipeline.nn.layers._symbolic import KerasTensor
from pipeline.nn.layers.base import Layer
from pipeline.nn.layers.input_layer import InputLayer
from pipeline.nn.models.functional import Model


class Sequential(Model):
    """A linear stack of layers (Keras 3's ``Sequential``).

    Args:
        layers: optional list of layers; may start with ``Input(shape)`` (or
            an ``InputLayer``), or the first layer may carry ``input_shape=``.
        trainable: whether the weights are trained. Defaults to True.
        name: optional name.

    Example:
        >>> from pipeline.nn import layers
        >>> m = Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
        >>> m.output_shape, len(m.layers)
        ((None, 1), 2)
    """

    def __init__(
        self,
        layers: list[Any] | None = None,
        trainable: bool = True,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable)
        self._stack: list[Layer] = []
        self._graph: Model | None = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        if self._stack:
            self._maybe_rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Appends a layer (or sets the input with an ``Input`` tensor).

        Raises:
            ValueError: for a non-layer, a duplicate layer name, or a second
                input.

        Example:
            >>> from pipeline.nn import layers
            >>> m = Sequential(); m.add(layers.Input((2,))); m.add(layers.Dense(1))
            >>> m.output_shape
            (None, 1)
        """
        if not self._stack and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(InputLayer(shape=tuple(layer._input_shape_arg)), rebuild=False)
        if isinstance(layer, KerasTensor) and isinstance(
            getattr(layer.node, "layer", None), InputLayer
        ):
            layer = layer.node.layer
        _check_addable(self, layer)
        self._stack.append(layer)
        self.__dict__["_sublayer_cache"] = None
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built, self._graph = False, None

    def pop(self, rebuild: bool = True) -> Layer:
        """Removes and returns the last layer.

        Example:
            >>> from pipeline.nn import layers
            >>> Sequential([layers.Dense(1, name="last")]).pop().name
            'last'
        """
        layer = self._stack.pop()
        self.__dict__["_sublayer_cache"] = None
        self.built, self._graph = False, None
        if rebuild and self._stack:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built, self._graph = False, None
        first = self._stack[0]
        if isinstance(first, InputLayer) and len(self._stack) > 1:
            self.build(first.batch_shape)
        elif isinstance(first, Model) and getattr(first, "_functional", False):
            self.build(first.input_shape)
        elif isinstance(first, Sequential) and first._graph is not None:
            self.build(first.input_shape)

    @property
    def layers(self) -> list[Layer]:
        """The layers (without the input layer)."""
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[1:]
        return list(self._stack)

    @layers.setter
    def layers(self, value: Any) -> None:
        raise AttributeError(
            "`Sequential.layers` attribute is reserved and should not be used. "
            "Use `add()` and `pop()` to change the layers in this model."
        )

    def _sublayers(self) -> list[Layer]:
        return self.layers

    def build(self, input_shape: Any = None) -> None:
        """Builds every layer for ``input_shape`` (with the batch axis).

        Raises:
            ValueError: for an empty model, a shape other than the ``Input``'s,
                or a layer whose ``call`` takes several required arguments.
        """
        if not self._stack:
            raise ValueError(
                f"Sequential model {self.name} cannot be built because it has no "
                "layers. Call `model.add(layer)`."
            )
        shape = tuple(input_shape)
        if isinstance(self._stack[0], InputLayer):
            if tuple(self._stack[0].batch_shape) != shape:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured "
                    f"to use input shape {self._stack[0].batch_shape}. You cannot "
                    f"build it with input_shape {shape}"
                )
        else:
            self._stack.insert(0, InputLayer(batch_shape=shape))
        tensor: Any = self._stack[0].output
        for layer in self.layers:
            _check_single_input(layer)
            tensor = layer(tensor)
        self._graph = Model(self._stack[0].output, tensor, name=f"{self.name}_graph")
        self.built = True

    def _maybe_build(self, inputs: Any, args: tuple = (), kwargs: Any = None) -> None:
        if self.built:
            return
        if not self._stack:
            self.build(None)
        if hasattr(inputs, "shape") and not isinstance(inputs, dict):
            self.build((None, *tuple(inputs.shape[1:])))
            return
        # Structured inputs (dicts, lists) have no single shape: each layer
        # builds on its first real call.
        self.built = True

    def _build_layers(self, shapes: list[Any]) -> None:
        """Builds each layer for its recorded input shape (after ``from_config``)."""
        for layer, shape in zip(self.layers, shapes):
            layer.build(None if shape is None else tuple(shape))
            layer.built = True
        self._layer_input_shapes = shapes
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Any:
        if self._graph is not None:
            return self._graph.call(inputs, training=training)
        out = inputs
        shapes: list[Any] = []
        for layer in self.layers:
            shapes.append(_shape_or_none(out))
            out = layer(out, training=training)
        if getattr(self, "_layer_input_shapes", None) is None:
            self._layer_input_shapes = shapes
        return out

    def _require_graph(self, what: str) -> Model:
        if self._graph is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {what} yet."
            )
        return self._graph

    @property
    def input(self) -> Any:
        """The input tensor (once built)."""
        return self._require_graph("input").input

    @property
    def output(self) -> Any:
        """The output tensor (once built)."""
        return self._require_graph("output").output

    @property
    def inputs(self) -> list[Any]:  # type: ignore[override]
        """The input tensors (once built)."""
        return self._require_graph("inputs").inputs

    @property
    def outputs(self) -> list[Any]:  # type: ignore[override]
        """The output tensors (once built)."""
        return self._require_graph("outputs").outputs

    @property
    def input_shape(self) -> Any:
        """The input shape, batch axis included (once built)."""
        return self._require_graph("input shape").input_shape

    @property
    def output_shape(self) -> Any:
        """The output shape, batch axis included (once built)."""
        return self._require_graph("output shape").output_shape

    @property
    def operations(self) -> list[Layer]:
        """The layers, the input layer first (once built)."""
        return list(self._stack)

    @property
    def output_names(self) -> list[str]:
        """The last layer's name."""
        return [self._stack[-1].name] if self._stack else []

    def get_config(self) -> dict[str, Any]:
        entries = [layers_module.serialize(layer) for layer in self._stack]
        config = {"name": self.name, "trainable": self.trainable, "layers": entries}
        shapes = getattr(self, "_layer_input_shapes", None)
        if shapes is not None and self.built:
            config["layer_input_shapes"] = [
                None if s is None else list(s) for s in shapes
            ]
        return config

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None
    ) -> Sequential:
        built = [layers_module.deserialize(e, custom_objects) for e in config["layers"]]
        model = cls(
            built, trainable=config.get("trainable", True), name=config.get("name")
        )
        if config.get("layer_input_shapes") and not model.built:
            model._build_layers(config["layer_input_shapes"])
        return model


def _check_addable(model: Sequential, layer: Any) -> None:
    if not isinstance(layer, Layer):
        raise ValueError(
            "Only instances of `keras.Layer` can be added to a Sequential model. "
            f"Received: {layer!r} (of type {type(layer)})"
        )
    if any(known.name == layer.name for known in model._stack):
        raise ValueError(
            "All layers added to a Sequential model should have unique names. "
            f"Name '{layer.name}' is already the name of a layer in this model. "
            "Update the `name` argument to pass a unique name."
        )
    if model._stack and isinstance(layer, InputLayer):
        first = model._stack[0]
        shape = getattr(first, "batch_shape", None)
        raise ValueError(
            f"Sequential model '{model.name}' has already been configured to use "
            f"input shape {shape}. You cannot add a different Input layer to it."
        )


def _check_single_input(layer: Layer) -> None:
    params = inspect.signature(layer.call).parameters.values()
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p.name for p in params if p.kind in kinds and p.default is p.empty]
    if len(required) > 1:
        raise ValueError(
            "Layers added to a Sequential model can only have a single required "
            "positional argument, the input tensor. Layer "
            f"{type(layer).__name__} has multiple required positional arguments: "
            f"{required}"
        )


def _shape_or_none(value: Any) -> Any:
    shape = getattr(value, "shape", None)
    return None if shape is None or isinstance(value, dict) else (None, *shape[1:])
