"""``Model.summary()``: a Keras-style table of layers, shapes and parameters.

Example:
    >>> from pipeline.nn import Sequential, layers
    >>> model = Sequential([layers.Input((3,)), layers.Dense(2, name="d")])
    >>> print_summary(model, 60, None)  # doctest: +ELLIPSIS
    Model: "sequential..."
    ...
    Total params: 8
    Trainable params: 8
    Non-trainable params: 0
    ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _shape_text(layer: Any) -> str:
    shapes = getattr(layer, "_output_shape", None)
    if shapes is None:
        batch = getattr(layer, "batch_shape", None)
        return str(batch) if batch is not None else "?"
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _count(weights: list[Any]) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= d
        total += n
    return total


def print_summary(
    model: Any, line_length: int = 80, print_fn: Callable[[str], Any] | None = None
) -> None:
    """Prints (or passes to ``print_fn``) the summary table of ``model``.

    Example:
        >>> callable(print_summary)
        True
    """
    emit = print_fn or print
    widths = [int(line_length * f) for f in (0.45, 0.3)]
    widths.append(line_length - sum(widths))

    def row(cells: list[str]) -> str:
        return "".join(c[: w - 1].ljust(w) for c, w in zip(cells, widths, strict=True))

    emit(f'Model: "{model.name}"')
    emit("=" * line_length)
    emit(row(["Layer (type)", "Output Shape", "Param #"]))
    emit("=" * line_length)
    for layer in model.layers:
        emit(
            row(
                [
                    f"{layer.name} ({type(layer).__name__})",
                    _shape_text(layer),
                    str(layer.count_params()),
                ]
            )
        )
    emit("=" * line_length)
    trainable = _count(model.trainable_weights)
    total = _count(model.weights)
    emit(f"Total params: {total}")
    emit(f"Trainable params: {trainable}")
    emit(f"Non-trainable params: {total - trainable}")
    emit("_" * line_length)
