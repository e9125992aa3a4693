"""``get_config``/``from_config`` of functional models: layers plus their call graph.

A config lists every layer (inputs first) with its ``inbound_nodes``: the calls
made inside this model, each with its arguments, where a symbolic tensor is
``{"__keras_tensor__": [layer_name, node_index, tensor_index]}``.

Example:
    >>> encode_tensors([1, {"a": None}])
    [1, {'a': None}]
"""

from __future__ import annotations

import warnings
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
        >>> encode_tensors([1, 2])
        [1, 2]
    """

    def leaf(x: Any) -> Any:
        if isinstance(x, KerasTensor):
            name, index = (positions or {})[id(x.node)]
            return {_KT: [name, index, x.index]}
        return x

    if isinstance(structure, dict) and _KT not in structure:
        return {k: encode_tensors(v, positions) for k, v in structure.items()}
    if isinstance(structure, tuple):
        return tuple(encode_tensors(v, positions) for v in structure)
    if isinstance(structure, list):
        return [encode_tensors(v, positions) for v in structure]
    return leaf(structure)


def _encode_node(node: Any, positions: dict[int, tuple[str, int]]) -> dict[str, Any]:
    encoded = {
        "args": encode_tensors(node.inputs, positions),
        "kwargs": {k: v for k, v in node.kwargs.items() if k != "training"},
    }
    if node.args:
        encoded["more_args"] = encode_tensors(list(node.args), positions)
    return encoded


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
    for layer in model.operations:
        nodes = [n for n in model._nodes if n.layer is layer]
        entries.append(
            {
                **layers_module.serialize(layer),
                "name": layer.name,
                "inbound_nodes": [_encode_node(n, positions) for n in nodes],
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
    if isinstance(structure, tuple):
        return tuple(_decode(v, created) for v in structure)
    if isinstance(structure, list):
        return [_decode(v, created) for v in structure]
    return structure


def _ready(structure: Any, created: dict[tuple[str, int], list[Any]]) -> bool:
    if isinstance(structure, dict) and _KT in structure:
        name, node_index, _ = _history(structure)
        return (name, node_index) in created
    items = structure.values() if isinstance(structure, dict) else structure
    if isinstance(structure, dict | list | tuple):
        return all(_ready(v, created) for v in items)
    return True


def _node_args(node: dict[str, Any]) -> list[Any]:
    """Every argument of a saved call: the inputs, then further positionals."""
    return [node.get("args"), *node.get("more_args", [])]


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
                more = node.get("more_args", [])
                if not isinstance(more, list):
                    raise saving_registry.wrong_type("a list of call arguments", more)
                _ready(_node_args(node), {})  # checks every tensor triple
    return list(nodes)


def _call(layer: Any, node: dict[str, Any], created: dict[Any, list[Any]]) -> Any:
    """Calls ``layer`` on a saved node; inside ``load_model`` an error of the
    layer on saved arguments of the wrong shape names the config path."""
    args = _decode(node["args"], created)
    more = _decode(node.get("more_args", []), created)
    return saving_registry.built(
        f"a call of layer {layer.name!r}", lambda: layer(args, *more, **node["kwargs"])
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
    config = upgrade_legacy(config)
    created: dict[tuple[str, int], list[Any]] = {}
    pending = []
    entries = _listed(config, "layers", "a list of layer configs")
    for i, entry in enumerate(entries):
        layer = layers_module.deserialize(entry, custom_objects)
        if isinstance(layer, layers_module.InputLayer):
            created[(layer.name, 0)] = [layer.output]
        pending.append((layer, _node_list(entry, i), 0, i))
    _check_references(entries)
    _replay_calls(pending, created)
    inputs = _endpoints(config, "input_layers", created)
    outputs = _endpoints(config, "output_layers", created)
    with warnings.catch_warnings():
        # The dict-key-versus-input-name advice was given when it was built.
        warnings.filterwarnings("ignore", "When providing `inputs` as a dict")
        return cls(
            inputs,
            outputs,
            name=config.get("name"),
            trainable=config.get("trainable", True),
            **_extra_arguments(config),
        )


def _replay_calls(
    pending: list[Any], created: dict[tuple[str, int], list[Any]]
) -> None:
    """Makes every saved call once its arguments exist, in any order that works."""
    while any(nodes for _, nodes, _, _ in pending):
        progressed = False
        for k, (layer, nodes, done, i) in enumerate(pending):
            while nodes and _ready(_node_args(nodes[0]), created):
                with saving_registry.at(f"layers[{i}]", "inbound_nodes", f"[{done}]"):
                    out = _call(layer, nodes.pop(0), created)
                created[(layer.name, done)] = flatten(out)
                done += 1
                progressed = True
            pending[k] = (layer, nodes, done, i)
        if not progressed:
            raise ValueError(
                "Invalid Functional model configuration. The graph of the "
                "Functional model either has loops or disconnected nodes."
            )


_GRAPH_KEYS = ("name", "trainable", "layers", "input_layers", "output_layers")


def _extra_arguments(config: dict[str, Any]) -> dict[str, Any]:
    """Keys a subclass's ``get_config`` added (``param=3``): constructor kwargs."""
    return {
        k: v for k, v in config.items() if isinstance(k, str) and k not in _GRAPH_KEYS
    }


def _referenced(structure: Any) -> list[str]:
    if isinstance(structure, dict) and _KT in structure:
        return [_history(structure)[0]]
    items = structure.values() if isinstance(structure, dict) else structure
    if isinstance(structure, dict | list | tuple):
        return [name for v in items for name in _referenced(v)]
    return []


def _check_references(entries: list[Any]) -> None:
    names = {e.get("name") or e.get("config", {}).get("name") for e in entries
             if isinstance(e, dict)}  # fmt: skip
    for entry in entries:
        for node in entry.get("inbound_nodes", []) if isinstance(entry, dict) else []:
            args = _node_args(node) if isinstance(node, dict) else None
            for name in _referenced(args):
                if name not in names:
                    raise ValueError(
                        f"Invalid Functional model configuration. Missing node: {name}"
                    )


def _legacy_tensor(entry: Any) -> Any:
    return {_KT: [entry[0], entry[1], entry[2]]}


def _is_triple(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 3
        and isinstance(value[0], str)
        and all(type(i) is int for i in value[1:3])
    )


def _legacy_node(node: Any) -> Any:
    if not isinstance(node, list) or not all(_is_triple(e) for e in node):
        return node
    args = [_legacy_tensor(e) for e in node]
    kwargs = node[0][3] if len(node[0]) > 3 and isinstance(node[0][3], dict) else {}
    return {"args": args[0] if len(args) == 1 else args, "kwargs": kwargs}


def _legacy_endpoints(value: Any) -> Any:
    if _is_triple(value):
        return _legacy_tensor(value)
    if isinstance(value, list) and value and all(_is_triple(v) for v in value):
        tensors = [_legacy_tensor(v) for v in value]
        return tensors[0] if len(tensors) == 1 else tensors
    return value


def upgrade_legacy(config: dict[str, Any]) -> dict[str, Any]:
    """Keras 2's config form (``[[name, node, tensor, kwargs]]`` node lists,
    ``batch_input_shape``) rewritten in ours; other configs are returned as is.

    Example:
        >>> upgrade_legacy({"input_layers": [["x", 0, 0]]})["input_layers"]
        {'__keras_tensor__': ['x', 0, 0]}
    """
    if not isinstance(config, dict):
        return config
    out = dict(config)
    for key in ("input_layers", "output_layers"):
        if key in out:
            out[key] = _legacy_endpoints(out[key])
    if isinstance(out.get("layers"), list):
        out["layers"] = [_legacy_layer(e) for e in out["layers"]]
    return out


def _legacy_layer(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    entry = dict(entry)
    if isinstance(entry.get("inbound_nodes"), list):
        entry["inbound_nodes"] = [_legacy_node(n) for n in entry["inbound_nodes"]]
    inner = entry.get("config")
    if isinstance(inner, dict) and "batch_input_shape" in inner:
        inner = dict(inner)
        inner["batch_shape"] = inner.pop("batch_input_shape")
        entry["config"] = inner
    return entry
