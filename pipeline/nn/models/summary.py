"""``Model.summary()``: Keras 3's table of layers, output shapes and parameters.

The columns are Keras's: ``Layer (type)``, ``Output Shape``, ``Param #`` and,
for a functional model that is not a plain chain, ``Connected to``. Shapes
come from the layers' symbolic calls, so a built model shows real shapes; a
layer never called shows ``?`` and ``0 (unbuilt)`` as in Keras.

Example:
    >>> from pipeline.nn import Sequential, layers
    >>> model = Sequential([layers.Input((3,)), layers.Dense(2, name="d")], name="s")
    >>> print_summary(model, 60, None)  # doctest: +ELLIPSIS
    Model: "s"
    ...
    │ d (Dense)                │ (None, 2)       │            8 │
    ...
     Total params: 8 (32.00 B)
     Trainable params: 8 (32.00 B)
     Non-trainable params: 0 (0.00 B)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.nn.layers._symbolic import flatten


def _shape_text(layer: Any) -> str:
    nodes = getattr(layer, "_inbound_nodes", [])
    if nodes:
        shapes = [t.shape for t in flatten(nodes[-1].outputs)]
    elif getattr(layer, "_output_shape", None) is not None:
        shapes = list(layer._output_shape)
    elif layer.__dict__.get("_build_input_shape") is not None:
        shapes = _built_shapes(layer)
        if shapes is None:
            return "?"
    else:
        return "?"
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _built_shapes(layer: Any) -> list[Any] | None:
    """The output shapes for the shape the layer was built with (Keras shows
    these for the layers of a subclassed model), or None if unknown."""
    try:
        shape = layer.compute_output_shape(layer.__dict__["_build_input_shape"])
    except Exception:  # noqa: BLE001  (a layer that cannot infer shows "?")
        return None
    if isinstance(shape, list) and shape and not isinstance(shape[0], int | None):
        return list(shape)
    return [shape]


def _count(weights: list[Any]) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= d
        total += n
    return total


def _size(weights: list[Any]) -> str:
    nbytes = float(sum(_count([w]) * w.dtype.itemsize for w in weights))
    for unit in ("B", "KB", "MB", "GB"):
        if nbytes < 1024 or unit == "GB":
            return f"{nbytes:.2f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.2f} GB"  # pragma: no cover


def _params(layer: Any) -> str:
    count = layer.count_params()
    if not layer.built and count == 0:
        return "0 (unbuilt)"
    return str(count)


def _chain_like(model: Any) -> bool:
    """Whether the graph is a plain chain (no ``Connected to`` column)."""
    if not getattr(model, "_functional", False):
        return True
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return False
    previous = model.inputs[0]
    for node in model._nodes:
        parents = node.parents()
        if len(parents) != 1 or parents[0] is not previous:
            return False
        outputs = flatten(node.outputs)
        if len(outputs) != 1:
            return False
        previous = outputs[0]
    return True


def _connections(model: Any, layer: Any) -> str:
    nodes = [n for n in model._nodes if n.layer is layer]
    if not nodes:
        return "-"
    names = []
    for parent in nodes[0].parents():
        producer = parent.node.layer
        index = max(0, _node_index(producer, parent.node))
        names.append(f"{producer.name}[{index}][{parent.index}]")
    return ", ".join(names) or "-"


def _node_index(layer: Any, node: Any) -> int:
    for i, known in enumerate(layer._inbound_nodes):
        if known is node:
            return i
    return -1


def _rows(model: Any, chain: bool) -> list[list[str]]:
    layers = model.operations if getattr(model, "_functional", False) else model.layers
    rows = []
    for layer in layers:
        row = [
            f"{layer.name} ({_type_name(layer)})",
            _shape_text(layer),
            _params(layer),
        ]
        if not chain:
            row.append(_connections(model, layer))
        rows.append(row)
    return rows


def _type_name(layer: Any) -> str:
    op = getattr(layer, "op", None)
    if type(layer).__name__ == "TensorOp" and isinstance(op, str):
        return "GetItem" if op == "getitem" else op.title().replace("_", "")
    return type(layer).__name__


def _table(headers: list[str], rows: list[list[str]], line_length: int) -> list[str]:
    fractions = (0.45, 0.3, 0.25) if len(headers) == 3 else (0.3, 0.25, 0.15, 0.3)
    widths = [max(int(line_length * f) - 3, 6) for f in fractions]

    def line(cells: list[str], left: str, mid: str, right: str) -> str:
        parts = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = cell[:width]
            parts.append(f" {text.rjust(width) if i == 2 else text.ljust(width)} ")
        return left + mid.join(parts) + right

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    out = [rule("┏", "━", "┳", "┓"), line(headers, "┃", "┃", "┃")]
    out.append(rule("┡", "━", "╇", "┩"))
    for i, row in enumerate(rows):
        if i:
            out.append(rule("├", "─", "┼", "┤"))
        out.append(line(row, "│", "│", "│"))
    out.append(rule("└", "─", "┴", "┘"))
    return out


def print_summary(
    model: Any,
    line_length: int | None = None,
    print_fn: Callable[..., Any] | None = None,
) -> None:
    """Prints (or passes to ``print_fn``, line by line) the summary of ``model``.

    Args:
        model: a built or unbuilt model.
        line_length: the table's total width. Defaults to 80 (98 with the
            ``Connected to`` column).
        print_fn: called with each line; defaults to ``print``.

    Example:
        >>> from pipeline.nn import Sequential, layers
        >>> lines = []
        >>> print_summary(Sequential([layers.Dense(1)]), print_fn=lines.append)
        >>> lines[-3]
        ' Total params: 0 (0.00 B)'
    """
    emit = print_fn or print
    chain = _chain_like(model)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if not chain:
        headers.append("Connected to")
    width = line_length or (80 if chain else 98)
    emit(f'Model: "{model.name}"')
    for text in _table(headers, _rows(model, chain), width):
        emit(text)
    weights = model.weights
    trainable = model.trainable_weights
    rest = [w for w in weights if all(w is not t for t in trainable)]
    emit(f" Total params: {_count(weights)} ({_size(weights)})")
    emit(f" Trainable params: {_count(trainable)} ({_size(trainable)})")
    emit(f" Non-trainable params: {_count(rest)} ({_size(rest)})")
