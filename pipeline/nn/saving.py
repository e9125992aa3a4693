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

from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.nn import layers as layers_module
from pipeline.nn import losses as losses_module

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


def _npz_arrays(data: bytes, path: str, member: str) -> list[np.ndarray]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return [npz[str(i)] for i in range(len(npz.files))]
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as e:
        raise DataLossError(
            f"corrupt model file: cannot read {member!r} in {path!r} ({e})",
            path=path,
        ) from e


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
    keep = isinstance(metrics, list | tuple) and all(
        isinstance(m, str) for m in metrics
    )
    return {
        "optimizer": optimizers.serialize(model.optimizer),
        "loss": loss,
        "loss_weights": config["loss_weights"],
        "metrics": list(metrics) if keep else None,
    }


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
    if model.optimizer is not None:
        store: dict[str, Any] = {}
        model.optimizer.save_own_variables(store)
        payload["optimizer.npz"] = _npz_bytes(
            [store[str(i)] for i in range(len(store))]
        )
    _atomic_write(path, payload, overwrite)


def _read_archive(path: str) -> dict[str, bytes]:
    if not os.path.exists(path):
        raise NotFoundError(f"No model file at {path!r}.", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise DataLossError(
            f"{path!r} is not a model file written by `model.save` "
            f"(expected a zip archive: {e})",
            path=path,
        ) from e
    try:
        meta = msgspec.json.decode(members["metadata.json"])
    except (KeyError, msgspec.DecodeError) as e:
        raise InvalidArgumentError(
            f"{path!r} is not a model file written by `model.save` "
            "(no readable metadata.json).",
            path=path,
        ) from e
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise InvalidArgumentError(
            f"{path!r} has format {meta!r}, expected {_FORMAT!r}.", path=path
        )
    return members


def load_model(
    filepath: Any, custom_objects: dict[str, Any] | None = None, compile: bool = True
) -> Any:  # noqa: A002
    """Reads a model written by ``model.save``: config, weights, optimizer state.

    Args:
        filepath: the file.
        custom_objects: classes and functions by name (custom layers, losses).
        compile: re-compile with the saved optimizer (state included) and loss.

    Raises:
        NotFoundError: no such file.
        DataLossError: a corrupt or truncated archive.
        InvalidArgumentError: a file that is not a saved model.

    Example:
        >>> callable(load_model)
        True
    """
    path = os.fspath(filepath)
    members = _read_archive(path)
    config = msgspec.json.decode(members["config.json"])
    model = layers_module.deserialize(config, custom_objects)
    model.set_weights(
        _npz_arrays(members["model.weights.npz"], path, "model.weights.npz")
    )
    compile_config = config.get("compile_config")
    if compile and compile_config:
        _recompile(model, compile_config, custom_objects)
        if "optimizer.npz" in members:
            state = _npz_arrays(members["optimizer.npz"], path, "optimizer.npz")
            model.optimizer.build(model.trainable_weights)
            model.optimizer.load_own_variables({str(i): a for i, a in enumerate(state)})
    return model


def _recompile(model: Any, config: dict[str, Any], custom_objects: Any) -> None:
    lookup = custom_objects or {}

    def loss_of(item: Any) -> Any:
        return lookup.get(item, item) if isinstance(item, str) else item

    loss = config["loss"]
    if isinstance(loss, dict) and "class_name" not in loss:
        loss = {k: loss_of(v) for k, v in loss.items()}
    elif isinstance(loss, list):
        loss = [loss_of(v) for v in loss]
    else:
        loss = loss_of(loss)
    model.compile(
        optimizer=config["optimizer"],
        loss=loss,
        loss_weights=config["loss_weights"],
        metrics=config["metrics"],
    )


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

    Example:
        >>> callable(load_weights)
        True
    """
    path = os.fspath(filepath)
    members = _read_archive(path)
    model.set_weights(
        _npz_arrays(members["model.weights.npz"], path, "model.weights.npz")
    )
