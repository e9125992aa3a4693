"""Layer state that is data but not weights (vocabularies), in the model archive.

A layer with ``get_assets()``/``set_assets(data)`` (the lookup layers) hands
JSON data to ``model.save``, which stores it as the ``assets.json`` member
keyed by the layer's path of names; ``load_model`` gives it back. Only data
travels: lists of strings, numbers and None.

Example:
    >>> from pipeline.nn import layers
    >>> layer = layers.StringLookup(name="words"); layer.adapt(["a"])
    >>> collect_assets([layer])
    {'words': {'vocabulary': ['a'], 'idf_weights': None}}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.errors import ModelFormatError


def _walk(layers: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for layer in layers:
        path = f"{prefix}{layer.name}"
        yield path, layer
        children = getattr(layer, "layers", None)
        if isinstance(children, list):
            yield from _walk(children, path + "/")


def _layers_of(model: Any) -> list[Any]:
    children = getattr(model, "layers", None)
    return list(children) if isinstance(children, list) else [model]


def collect_assets(layers: Any) -> dict[str, Any]:
    """``{layer path: assets}`` of every layer (nested models included) that has some.

    Example:
        >>> collect_assets([])
        {}
    """
    out = {}
    for path, layer in _walk(layers):
        getter = getattr(layer, "get_assets", None)
        data = getter() if callable(getter) else None
        if data is not None:
            out[path] = data
    return out


def model_assets(model: Any) -> dict[str, Any]:
    """:func:`collect_assets` of a model's layers.

    Example:
        >>> model_assets(type("M", (), {"layers": []})())
        {}
    """
    return collect_assets(_layers_of(model))


def restore_assets(model: Any, assets: Any, path: str = "") -> None:
    """Gives each layer of ``model`` the assets stored under its path.

    Raises:
        ModelFormatError: ``assets`` is not a dict, names no layer of the
            model, or holds data a layer refuses (the message names the file).

    Example:
        >>> restore_assets(type("M", (), {"layers": []})(), {})
    """
    if not isinstance(assets, dict):
        raise ModelFormatError(
            f"{path!r}: member 'assets.json' is not a JSON object.",
            path=path,
            member="assets.json",
        )
    layers = dict(_walk(_layers_of(model)))
    for key, data in assets.items():
        layer = layers.get(key)
        if layer is None or not callable(getattr(layer, "set_assets", None)):
            raise ModelFormatError(
                f"{path!r}: member 'assets.json' names {key!r}, which is not a "
                "layer of the model that keeps assets.",
                path=path,
                member="assets.json",
            )
        try:
            layer.set_assets(data)
        except (ValueError, TypeError) as e:
            raise ModelFormatError(
                f"{path!r}: member 'assets.json', layer {key!r}: {e}",
                path=path,
                member="assets.json",
            ) from e
