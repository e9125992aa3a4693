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
from pipeline.nn import saving_registry
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


def _history(structure: dict[str, Any]) -> tuple[str, int, int]:
    """The ``[layer_name, node_index, tensor_index]`` triple, checked."""
    triple = structure[_KT]
    ok = (
        isinstance(triple, list)
        and len(triple) == 3
        and isinstance(triple[0], str)
        and all(type(i) is int and i >= 0 for i in triple[1:])
    )
    if not ok:
        with saving_registry.at(_KT):
            raise saving_registry.wrong_type(
                "[layer_name, node_index, tensor_index]", triple
            )
    return triple[0], triple[1], triple[2]


def _decode(structure: Any, created: dict[tuple[str, int], list[Any]]) -> Any:
    if isinstance(structure, dict) and _KT in structure:
        name, node_index, tensor_index = _history(structure)
        outputs = created.get((name, node_index), [])
        if tensor_index >= len(outputs):
            with saving_registry.at(_KT):
                raise saving_registry.wrong_type(
                    "a tensor made by a layer call of this model", structure[_KT]
                )
        return outputs[tensor_index]
    if isinstance(structure, dict):
        return {k: _decode(v, created) for k, v in structure.items()}
    if isinstance(structure, list):
        return [_decode(v, created) for v in structure]
    return structure


def _ready(structure: Any, created: dict[tuple[str, int], list[Any]]) -> bool:
    if isinstance(structure, dict) and _KT in structure:
        name, node_index, _ = _history(structure)
        return (name, node_index) in created
    items = structure.values() if isinstance(structure, dict) else structure
    if isinstance(structure, dict | list):
        return all(_ready(v, created) for v in items)
    return True


def _listed(config: dict[str, Any], key: str, what: str) -> list[Any]:
    value = config.get(key)
    if not isinstance(value, list):
        with saving_registry.at(key):
            raise saving_registry.wrong_type(what, value)
    return value


def _node_list(entry: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """The ``inbound_nodes`` of layer entry ``index``: dicts of args and kwargs."""
    with saving_registry.at(f"layers[{index}]"):
        nodes = _listed(entry, "inbound_nodes", "a list of layer calls")
        for j, node in enumerate(nodes):
            kwargs = node.get("kwargs") if isinstance(node, dict) else None
            with saving_registry.at("inbound_nodes", f"[{j}]"):
                if not isinstance(kwargs, dict) or "args" not in node:
                    raise saving_registry.wrong_type(
                        "a layer call (a dict of 'args' and 'kwargs')", node
                    )
                _ready(node["args"], {})  # checks every tensor triple
    return list(nodes)


def _call(layer: Any, node: dict[str, Any], created: dict[Any, list[Any]]) -> Any:
    """Calls ``layer`` on a saved node; inside ``load_model`` an error of the
    layer on saved arguments of the wrong shape names the config path."""
    args = _decode(node["args"], created)
    return saving_registry.built(
        f"a call of layer {layer.name!r}", lambda: layer(args, **node["kwargs"])
    )


def _endpoints(config: dict[str, Any], key: str, created: Any) -> Any:
    with saving_registry.at(key):
        structure = _decode(config.get(key), created)
        leaves = flatten(structure)
        if not leaves or not all(isinstance(t, KerasTensor) for t in leaves):
            raise saving_registry.wrong_type(
                "symbolic tensors of this model", config.get(key)
            )
    return structure


def functional_from_config(
    cls: type, config: dict[str, Any], custom_objects: Any = None
) -> Any:
    """Rebuilds a functional model (fresh weights) from :func:`functional_config`.

    Inside ``load_model`` a config of the wrong shape raises `ModelFormatError`
    naming the config path (``config.layers[1].inbound_nodes[0]``).

    Example:
        >>> from pipeline.nn import Model, layers
        >>> x = layers.Input((2,))
        >>> m = Model(x, layers.Dense(3)(x))
        >>> functional_from_config(Model, m.get_config()).output_shape
        (None, 3)
    """
    created: dict[tuple[str, int], list[Any]] = {}
    pending = []
    entries = _listed(config, "layers", "a list of layer configs")
    for i, entry in enumerate(entries):
        layer = layers_module.deserialize(entry, custom_objects)
        if isinstance(layer, layers_module.InputLayer):
            created[(layer.name, 0)] = [layer.output]
        pending.append((layer, _node_list(entry, i), 0, i))
    while any(nodes for _, nodes, _, _ in pending):
        progressed = False
        for k, (layer, nodes, done, i) in enumerate(pending):
            while nodes and _ready(nodes[0]["args"], created):
                with saving_registry.at(f"layers[{i}]", "inbound_nodes", f"[{done}]"):
                    out = _call(layer, nodes.pop(0), created)
                created[(layer.name, done)] = flatten(out)
                done += 1
                progressed = True
            pending[k] = (layer, nodes, done, i)
        if not progressed:
            raise ValueError("The functional config has a cycle or missing layers.")
    inputs = _endpoints(config, "input_layers", created)
    outputs = _endpoints(config, "output_layers", created)
    return cls(inputs, outputs, name=config.get("name"))
