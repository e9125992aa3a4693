"""``get_config``/``from_config`` of functional models: layers plus their call graph.

A config lists every layer (inputs first) with its ``inbound_nodes``: the calls
made inside this model, each with its arguments, where a symbolic tensor is
``{"__keras_tensor__": [layer_name, node_index, tensor_index]}``.

Example:
    >>> encode_tensors([1, {"a": None}])
    [1, {'a': None}]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import layers as layers_module
from pipeline.nn.layers._symbolic import KerasTensor, flatten

_KT = "__keras_tensor__"


def _node_positions(model: Any) -> dict[int, tuple[str, int]]:
    per_layer: dict[str, int] = {}
    positions: dict[int, tuple[str, int]] = {}
    for node in model._input_nodes() + model._nodes:
        index = per_layer.get(node.layer.name, 0)
        per_layer[node.layer.name] = index + 1
        positions[id(node)] = (node.layer.name, index)
    return positions


def encode_tensors(
    structure: Any, positions: dict[int, tuple[str, int]] | None = None
) -> Any:
    """``structure`` with every symbolic tensor replaced by its history triple.

    Example:
        >>> encode_tensors((1, 2))
        [1, 2]
    """

    def leaf(x: Any) -> Any:
        if isinstance(x, KerasTensor):
            name, index = (positions or {})[id(x.node)]
            return {_KT: [name, index, x.index]}
        return x

    if isinstance(structure, dict) and _KT not in structure:
        return {k: encode_tensors(v, positions) for k, v in structure.items()}
    if isinstance(structure, list | tuple):
        return [encode_tensors(v, positions) for v in structure]
    return leaf(structure)


def functional_config(model: Any) -> dict[str, Any]:
    """The config of a functional model.

    Example:
        >>> from pipeline.nn import Model, layers
        >>> x = layers.Input((2,), name="x")
        >>> cfg = functional_config(Model(x, layers.Dense(1, name="d")(x)))
        >>> [layer["name"] for layer in cfg["layers"]], cfg["output_layers"]
        (['x', 'd'], {'__keras_tensor__': ['d', 0, 0]})
    """
    positions = _node_positions(model)
    entries = []
    for layer in model.layers:
        nodes = [n for n in model._nodes if n.layer is layer]
        entries.append(
            {
                **layers_module.serialize(layer),
                "name": layer.name,
                "inbound_nodes": [
                    {
                        "args": encode_tensors(n.inputs, positions),
                        "kwargs": {
                            k: v for k, v in n.kwargs.items() if k != "training"
                        },
                    }
                    for n in nodes
                ],
            }
        )
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": entries,
        "input_layers": encode_tensors(model._inputs_struct, positions),
        "output_layers": encode_tensors(model._outputs_struct, positions),
    }


def _decode(structure: Any, created: dict[tuple[str, int], list[Any]]) -> Any:
    if isinstance(structure, dict) and _KT in structure:
        name, node_index, tensor_index = structure[_KT]
        return created[(name, node_index)][tensor_index]
    if isinstance(structure, dict):
        return {k: _decode(v, created) for k, v in structure.items()}
    if isinstance(structure, list):
        return [_decode(v, created) for v in structure]
    return structure


def _ready(structure: Any, created: dict[tuple[str, int], list[Any]]) -> bool:
    if isinstance(structure, dict) and _KT in structure:
        name, node_index, _ = structure[_KT]
        return (name, node_index) in created
    items = structure.values() if isinstance(structure, dict) else structure
    if isinstance(structure, dict | list):
        return all(_ready(v, created) for v in items)
    return True


def functional_from_config(
    cls: type, config: dict[str, Any], custom_objects: Any = None
) -> Any:
    """Rebuilds a functional model (fresh weights) from :func:`functional_config`.

    Example:
        >>> from pipeline.nn import Model, layers
        >>> x = layers.Input((2,))
        >>> m = Model(x, layers.Dense(3)(x))
        >>> functional_from_config(Model, m.get_config()).output_shape
        (None, 3)
    """
    created: dict[tuple[str, int], list[Any]] = {}
    pending = []
    for entry in config["layers"]:
        layer = layers_module.deserialize(entry, custom_objects)
        if isinstance(layer, layers_module.InputLayer):
            created[(layer.name, 0)] = [layer.output]
        pending.append((layer, list(entry["inbound_nodes"]), 0))
    while any(nodes for _, nodes, _ in pending):
        progressed = False
        for i, (layer, nodes, done) in enumerate(pending):
            while nodes and _ready(nodes[0]["args"], created):
                node = nodes.pop(0)
                out = layer(_decode(node["args"], created), **node["kwargs"])
                created[(layer.name, done)] = flatten(out)
                done += 1
                progressed = True
            pending[i] = (layer, nodes, done)
        if not progressed:
            raise ValueError("The functional config has a cycle or missing layers.")
    inputs = _decode(config["input_layers"], created)
    outputs = _decode(config["output_layers"], created)
    return cls(inputs, outputs, name=config.get("name"))
