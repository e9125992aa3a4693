"""Saving and loading whole models: one zip file, no pickle, written atomically.

The archive holds ``metadata.json`` (format name and version), ``config.json``
(the model config and its compile arguments, JSON via msgspec),
``model.weights.npz`` (``get_weights()`` in order) and, once compiled,
``optimizer.npz`` (the optimizer state, so training resumes exactly). It is
written under a temporary name in the same folder and renamed into place.

Example:
    >>> import os, tempfile
    >>> from pipeline.nn import Sequential, layers
    >>> model = Sequential([layers.Input((2,)), layers.Dense(1)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> model.save(path)
    >>> [w.shape for w in load_model(path).get_weights()]
    [(2, 1), (1,)]
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from pipeline.errors import InvalidArgumentError, ModelFormatError
from pipeline.nn import layers as layers_module
from pipeline.nn import losses as losses_module
from pipeline.nn import saving_registry
from pipeline.nn.layers.preprocessing import assets as assets_module
from pipeline.nn.saving_archive import ModelArchive

_FORMAT = "pipeline.nn.model"
_VERSION = 1


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, np.generic | np.ndarray):
        return obj.tolist()
    if isinstance(obj, tuple):
        return list(obj)
    raise TypeError(f"cannot write {type(obj).__name__} in a model config")


def _json(obj: Any) -> bytes:
    return msgspec.json.encode(obj, enc_hook=_enc_hook)


def _npz_bytes(arrays: list[Any]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{str(i): np.asarray(a) for i, a in enumerate(arrays)})
    return buffer.getvalue()


def _atomic_write(path: str, payload: dict[str, bytes], overwrite: bool) -> None:
    target = Path(path)
    if target.exists() and not overwrite:
        raise InvalidArgumentError(
            f"{path!r} exists and `overwrite` is False.", path=path
        )
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name, data in payload.items():
                archive.writestr(name, data)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _name_or_none(item: Any) -> Any:
    if isinstance(item, str) or item is None:
        return item
    return losses_module.serialize(item) or getattr(item, "__name__", None)


def _compile_config(model: Any) -> Any:
    config = getattr(model, "_compile_config", None)
    if config is None or model.optimizer is None:
        return None
    from pipeline.nn import optimizers  # noqa: PLC0415  (written separately)

    loss = config["loss"]
    loss = (
        {k: _name_or_none(v) for k, v in loss.items()}
        if isinstance(loss, dict)
        else (
            [_name_or_none(v) for v in loss]
            if isinstance(loss, list | tuple)
            else _name_or_none(loss)
        )
    )
    metrics = config["metrics"]
    if isinstance(metrics, list | tuple):  # names and Metric objects (as configs)
        metrics = [_metric_spec(m) for m in metrics]
    keep = isinstance(metrics, list) and all(m is not None for m in metrics)
    return {
        "optimizer": optimizers.serialize(model.optimizer),
        "loss": loss,
        "loss_weights": config["loss_weights"],
        "metrics": metrics if keep else None,
    }


def _metric_spec(item: Any) -> Any:
    """A compile metric as saved: its name, or a ``Metric``'s config (None for
    anything else, e.g. a plain function)."""
    if isinstance(item, str):
        return item
    from pipeline.nn import metrics as metrics_module  # noqa: PLC0415

    if isinstance(item, metrics_module.Metric):
        return metrics_module.serialize(item)
    return None


def save_model(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """Writes ``model`` to ``filepath`` (see the module docstring).

    Example:
        >>> callable(save_model)
        True
    """
    path = os.fspath(filepath)
    config = {
        "class_name": type(model).__name__,
        "config": model.get_config(),
        "compile_config": _compile_config(model),
    }
    payload = {
        "metadata.json": _json({"format": _FORMAT, "version": _VERSION}),
        "config.json": _json(config),
        "model.weights.npz": _npz_bytes(model.get_weights()),
    }
    assets = assets_module.model_assets(model)  # vocabularies, as JSON data
    if assets:
        payload["assets.json"] = _json(assets)
    if model.optimizer is not None:
        store: dict[str, Any] = {}
        model.optimizer.save_own_variables(store)
        payload["optimizer.npz"] = _npz_bytes(
            [store[str(i)] for i in range(len(store))]
        )
    _atomic_write(path, payload, overwrite)


def _check_metadata(archive: ModelArchive) -> None:
    path = archive.path
    if not archive.has("metadata.json"):
        raise ModelFormatError(
            f"{path!r} is not a model file written by `model.save` "
            "(no metadata.json member).",
            path=path,
            member="metadata.json",
        )
    meta = archive.json("metadata.json")
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        shown = meta.get("format") if isinstance(meta, dict) else meta
        raise ModelFormatError(
            f"{path!r} is not a model file written by `model.save`: format "
            f"{shown!r} in member 'metadata.json', expected {_FORMAT!r}.",
            path=path,
            member="metadata.json",
        )


def load_model(
    filepath: Any,
    custom_objects: dict[str, Any] | None = None,
    safe_mode: bool = True,
    compile: bool = True,  # noqa: A002
) -> Any:
    """Reads a model written by ``model.save``: config, weights, optimizer state.

    Every class and function the config names (layers, activations,
    initializers, regularizers, feature columns and their normalizers, the
    optimizer, its schedule, losses, metrics) resolves only from the project's
    registry, names registered with
    `pl.nn.saving_registry.register_serializable`, and ``custom_objects``. No
    module named in the file is ever imported and the format never stores
    code (no pickle, no bytecode).

    ``safe_mode=False`` relaxes one check only: a saved name that denotes a
    lambda or a nested function (``<lambda>``, ``<locals>``) may then be
    supplied through ``custom_objects``; with ``safe_mode=True`` such a name is
    refused even if ``custom_objects`` has it. Nothing else changes: still no
    import, no code from the file.

    Only the members needed are read, each under a size cap checked before
    and while inflating; arrays must have the shapes the model expects. JSON
    members may nest at most 100 levels, and while the model is built from
    the config its weights (in all) and symbolic inputs (each) may not exceed
    16 elements per byte of the stored weights member plus 4M, so a small
    file cannot make loading allocate gigabytes.

    A model saved after ``compile`` and before its first training step
    reloads with its optimizer not built yet; it builds on the first step,
    as the original would.

    Args:
        filepath: the file.
        custom_objects: classes and functions by name (custom layers, losses,
            activations, column normalizers). Defaults to none.
        safe_mode: refuse names of lambdas and nested functions. Defaults to True.
        compile: re-compile with the saved optimizer (state included) and loss.
            Defaults to True.

    Raises:
        NotFoundError: no such file.
        DataLossError: a corrupt or truncated archive or member.
        ModelFormatError: (an ``InvalidArgumentError``) not a saved model, a
            missing or oversized member, a zip feature ``save`` never writes
            (another compression method, encryption), bad or too deeply
            nested JSON, a config value of the wrong type or one model code
            cannot build (the original error is its ``__cause__``), arrays
            beyond the budget above, optimizer state of neither layout; the
            message names the file, member and config path.
        UnregisteredObjectError: (a ``ModelFormatError``) the config names a
            class or function found in neither the registry nor
            ``custom_objects``.

    Example:
        >>> import os, tempfile
        >>> from pipeline.nn import Sequential, layers
        >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
        >>> Sequential([layers.Input((2,)), layers.Dense(1, "elu")]).save(path)
        >>> load_model(path, safe_mode=True).layers[-1].activation.__name__
        'elu'
    """
    path = os.fspath(filepath)
    with ModelArchive(path) as archive:
        _check_metadata(archive)
        config = archive.json("config.json")
        budget = _element_budget(archive.stored_bound("model.weights.npz"))
        with saving_registry.load_scope(custom_objects, safe_mode, path, budget):
            if not isinstance(config, dict):
                raise saving_registry.wrong_type("a model config (a dict)", config)
            model = saving_registry.built(
                "the model", layers_module.deserialize, config, custom_objects
            )
            weights = archive.arrays("model.weights.npz", _shapes(model))
            saving_registry.built("the model's weights", model.set_weights, weights)
            if archive.has("assets.json"):
                assets_module.restore_assets(model, archive.json("assets.json"), path)
            compile_config = config.get("compile_config")
            if compile and compile_config is not None:
                with saving_registry.at("compile_config"):
                    _recompile(model, compile_config)
                _load_optimizer_state(model, archive)
    return model


def _element_budget(weight_bytes: int) -> int:
    """Array elements a model whose weights take ``weight_bytes`` may allocate
    while it is built: its weights (2 bytes each at least) and stand-in inputs,
    generously, plus 4M for models with few weights."""
    return 16 * weight_bytes + (4 << 20)


def _shapes(model: Any) -> list[tuple[int, ...]] | None:
    # A model built on its first call (dict inputs into feature columns) has
    # no weights yet: its arrays are then capped by their stored size instead.
    weights = model.get_weights()
    if not weights and not model.built:
        return None
    return [tuple(w.shape) for w in weights]


def _load_optimizer_state(model: Any, archive: ModelArchive) -> None:
    """Restores ``optimizer.npz``: the state of the optimizer built on the
    model's weights, or of one not built yet (saved after ``compile`` and
    before any step; it then builds on its first step, as the original would)."""
    if not archive.has("optimizer.npz"):
        return
    from pipeline.nn import optimizers  # noqa: PLC0415  (written separately)

    optimizer = model.optimizer
    if optimizer is None:
        raise ModelFormatError(
            f"{archive.path!r} holds optimizer state (member 'optimizer.npz') but "
            "its compile_config names no optimizer.",
            path=archive.path,
            member="optimizer.npz",
        )
    unbuilt = _state_shapes(optimizer)
    probe = optimizers.get(optimizers.serialize(optimizer))
    probe.build(model.trainable_weights)
    built = _state_shapes(probe)
    state = archive.arrays("optimizer.npz", built, also=unbuilt)
    if len(state) == len(built) and len(built) != len(unbuilt):
        optimizer.build(model.trainable_weights)
    saving_registry.built(
        "the optimizer state (member 'optimizer.npz')",
        optimizer.load_own_variables,
        {str(i): a for i, a in enumerate(state)},
    )


def _state_shapes(optimizer: Any) -> list[tuple[int, ...]]:
    store: dict[str, Any] = {}
    optimizer.save_own_variables(store)
    return [tuple(np.shape(store[str(i)])) for i in range(len(store))]


def _recompile(model: Any, config: Any) -> None:
    from pipeline.nn import metrics as metrics_module  # noqa: PLC0415
    from pipeline.nn import optimizers  # noqa: PLC0415

    if not isinstance(config, dict):
        raise saving_registry.wrong_type("a compile config (a dict)", config)
    with saving_registry.at("optimizer"):
        optimizer = _checked(optimizers.get, config.get("optimizer"), "optimizer")
    loss = config.get("loss")
    if isinstance(loss, dict) and "class_name" in loss:  # one loss object
        with saving_registry.at("loss"):
            loss = _checked(losses_module.get, loss, "loss")
    for key, item in _items(loss, "loss"):
        with saving_registry.at("loss", *key):
            _checked(losses_module.get, item, "loss")
    metrics = config.get("metrics")
    for key, item in _items(metrics, "metrics"):
        with saving_registry.at("metrics", *key):
            _checked(metrics_module.get, item, "metric")
    weights = config.get("loss_weights")
    if weights is not None and not isinstance(weights, dict | list | int | float):
        with saving_registry.at("loss_weights"):
            raise saving_registry.wrong_type("numbers", weights)
    saving_registry.built(
        "the compile arguments",
        model.compile,
        optimizer=optimizer,
        loss=loss,
        loss_weights=weights,
        metrics=metrics,
    )


def _items(value: Any, what: str) -> list[tuple[tuple[str, ...], Any]]:
    if value is None:
        return []
    if isinstance(value, dict) and "class_name" not in value:
        return [((str(k),), v) for k, v in value.items() if v is not None]
    if isinstance(value, list):
        return [((f"[{i}]",), v) for i, v in enumerate(value) if v is not None]
    if what == "metrics":
        with saving_registry.at(what):
            raise saving_registry.wrong_type("a list of metric names", value)
    return [((), value)]


def _checked(getter: Any, value: Any, what: str) -> Any:
    return saving_registry.built(what, getter, value)


def save_weights(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """Writes only the weights (``.npz`` inside the same zip layout).

    Example:
        >>> callable(save_weights)
        True
    """
    payload = {
        "metadata.json": _json({"format": _FORMAT, "version": _VERSION}),
        "model.weights.npz": _npz_bytes(model.get_weights()),
    }
    _atomic_write(os.fspath(filepath), payload, overwrite)


def load_weights(model: Any, filepath: Any) -> None:
    """Sets ``model``'s weights from a file written by ``save_weights`` or ``save``.

    Only ``metadata.json`` and ``model.weights.npz`` are read, under size caps
    from ``model``'s own weight shapes.

    Example:
        >>> callable(load_weights)
        True
    """
    path = os.fspath(filepath)
    with ModelArchive(path) as archive:
        _check_metadata(archive)
        model.set_weights(archive.arrays("model.weights.npz", _shapes(model)))
