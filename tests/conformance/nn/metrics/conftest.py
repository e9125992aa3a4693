"""Shared checks for the ported metric cases."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest


def _round_trip(keras, instance, custom_objects=None):
    """Keras's class-serialization check, in our words: ``get_config`` ->
    ``from_config`` and ``serialize`` -> JSON -> ``deserialize`` both give an
    object of the same class with the same config (as JSON)."""
    cls = type(instance)
    config_json = json.dumps(instance.get_config(), sort_keys=True)
    revived = cls.from_config(instance.get_config())
    assert json.dumps(revived.get_config(), sort_keys=True) == config_json
    text = json.dumps(keras.metrics.serialize(instance))
    revived = keras.metrics.deserialize(json.loads(text), custom_objects=custom_objects)
    assert type(revived) is cls
    assert json.dumps(revived.get_config(), sort_keys=True) == config_json
    return revived


@pytest.fixture
def cases():
    """The shared checks."""
    return SimpleNamespace(round_trip=_round_trip)
