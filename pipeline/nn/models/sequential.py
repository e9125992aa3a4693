"""``Sequential``: a plain stack of layers, each feeding the next.

Example:
    >>> import numpy as np
    >>> from pipeline.nn import layers
    >>> model = Sequential([layers.Input((3,)), layers.Dense(2)])
    >>> model(np.ones((4, 3), np.float32)).shape
    (4, 2)
"""

from __future__ import annotations

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
        self._layers: list[Layer] = []
        self._input_layer: InputLayer | None = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_build_from_input()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Appends a layer (or sets the input with an ``Input`` tensor).

        Example:
            >>> from pipeline.nn import layers
            >>> m = Sequential(); m.add(layers.Input((2,))); m.add(layers.Dense(1))
            >>> m.output_shape
            (None, 1)
        """
        if isinstance(layer, KerasTensor):
            layer = layer.node.layer
        if isinstance(layer, InputLayer):
            if self._layers or self._input_layer is not None:
                raise ValueError(
                    "An Input can only be the first entry of a Sequential."
                )
            self._input_layer = layer
        elif isinstance(layer, Layer):
            self._layers.append(layer)
        else:
            raise ValueError(
                f"Only layers can be added to a Sequential. Received: {layer!r}"
            )
        self.built = False
        if rebuild:
            self._maybe_build_from_input()

    def pop(self) -> Layer:
        """Removes and returns the last layer.

        Example:
            >>> from pipeline.nn import layers
            >>> Sequential([layers.Dense(1, name="last")]).pop().name
            'last'
        """
        layer = self._layers.pop()
        self.built = False
        self._maybe_build_from_input()
        return layer

    def _maybe_build_from_input(self) -> None:
        shape = None
        if self._input_layer is not None:
            shape = self._input_layer.batch_shape
        elif self._layers and self._layers[0]._input_shape_arg is not None:
            shape = (None, *tuple(self._layers[0]._input_shape_arg))
        if shape is not None and self._layers:
            self.build(shape)

    @property
    def layers(self) -> list[Layer]:
        """The layers (without the input layer)."""
        return list(self._layers)

    def _sublayers(self) -> list[Layer]:
        return list(self._layers)

    def build(self, input_shape: Any = None) -> None:
        """Builds every layer for ``input_shape`` (with the batch axis)."""
        if self._input_layer is None or self._input_layer.batch_shape != tuple(
            input_shape
        ):
            self._input_layer = InputLayer(batch_shape=tuple(input_shape))
        tensor: Any = self._input_layer.output
        for layer in self._layers:
            tensor = layer(tensor)
        self._functional = True
        self._build_graph(self._input_layer.output, tensor)
        self._functional = False
        self.built = True

    def _maybe_build(self, inputs: Any) -> None:
        if self.built:
            return
        if hasattr(inputs, "shape"):
            self.build((None, *tuple(inputs.shape[1:])))
            return
        # Structured inputs (a dict of feature columns into DenseFeatures, say)
        # have no single shape: each layer builds on its first real call.
        shapes: list[Any] = [None]
        out = inputs
        for layer in self._layers:
            out = layer(out)
            shapes.append((None, *tuple(out.shape[1:])))
        self._layer_input_shapes = shapes[:-1]
        self.built = True

    def _build_layers(self, shapes: list[Any]) -> None:
        """Builds each layer for its recorded input shape (after ``from_config``)."""
        for layer, shape in zip(self._layers, shapes):
            layer.build(None if shape is None else tuple(shape))
            layer.built = True
        self._layer_input_shapes = shapes
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Any:
        out = inputs
        for layer in self._layers:
            out = layer(out, training=training)
        return out

    def get_config(self) -> dict[str, Any]:
        entries = []
        if self._input_layer is not None:
            entries.append(layers_module.serialize(self._input_layer))
        entries += [layers_module.serialize(layer) for layer in self._layers]
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
