"""Optimizers with Keras 3's update rules, defaults and configs.

The training loop calls ``optimizer.apply(grads, model.trainable_variables)`` once
per batch; ``compile(optimizer="adam")`` resolves names with :func:`get`.

Example:
    >>> get("adam").get_config()["learning_rate"]
    0.0010000000474974513
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import saving_registry
from pipeline.nn.optimizers import schedules
from pipeline.nn.optimizers.adafactor import Adafactor
from pipeline.nn.optimizers.adagrad import Adadelta, Adagrad
from pipeline.nn.optimizers.adam import Adam, AdamW
from pipeline.nn.optimizers.adamax import Adamax
from pipeline.nn.optimizers.base import Optimizer
from pipeline.nn.optimizers.ftrl import Ftrl
from pipeline.nn.optimizers.lamb import Lamb
from pipeline.nn.optimizers.lion import Lion
from pipeline.nn.optimizers.muon import Muon
from pipeline.nn.optimizers.nadam import Nadam
from pipeline.nn.optimizers.rmsprop import RMSprop
from pipeline.nn.optimizers.sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "Muon",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]

_CLASSES: dict[str, type[Optimizer]] = {
    c.__name__.lower(): c
    for c in (
        SGD,
        Adam,
        AdamW,
        Adagrad,
        Adadelta,
        RMSprop,
        Ftrl,
        Adamax,
        Nadam,
        Lion,
        Lamb,
        Adafactor,
        Muon,
    )
}
_BY_NAME: dict[str, type[Optimizer]] = {c.__name__: c for c in _CLASSES.values()}


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """``{"class_name", "config"}`` of an optimizer, as Keras writes it.

    Example:
        >>> serialize(SGD())["class_name"]
        'SGD'
    """
    return {
        "module": "keras.optimizers",
        "class_name": type(optimizer).__name__,
        "config": optimizer.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict[str, Any]) -> Optimizer:
    """The optimizer described by ``serialize``'s output.

    Example:
        >>> deserialize(serialize(Adam(0.5))).get_config()["learning_rate"]
        0.5
    """
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        name = config["class_name"]
        known = _CLASSES.get(name.lower())
        config = {**config, "class_name": known.__name__ if known else name}
    return saving_registry.build("optimizer", config, _BY_NAME)


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from a name ("adam", "SGD", ...), a config dict or an instance.

    Args:
        identifier: a case-insensitive class name, ``serialize``'s output, or an
            ``Optimizer`` (returned as is).

    Returns:
        The optimizer; names give one with Keras's defaults.

    Raises:
        ValueError: if ``identifier`` names no optimizer.

    Example:
        >>> type(get("rmsprop")).__name__
        'RMSprop'
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier  # None stays None, as keras.optimizers.get(None)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.lower() in _CLASSES:
        return _CLASSES[identifier.lower()]()
    found = saving_registry.resolve("optimizer", identifier, {})
    return found() if isinstance(found, type) else found
