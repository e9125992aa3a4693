"""Shared checks for the ported optimizer and schedule cases."""

from __future__ import annotations

import json

import pytest


def _round_trip(instance, serialize, deserialize):
    """Keras's class-serialization check, in our words: ``get_config`` ->
    ``from_config`` and ``serialize`` -> JSON -> ``deserialize`` both give an
    object with the same config (as JSON) and the same attribute names."""
    cls = type(instance)
    config_json = json.dumps(instance.get_config(), sort_keys=True)
    names = set(dir(instance))
    revived = cls.from_config(instance.get_config())
    assert json.dumps(revived.get_config(), sort_keys=True) == config_json
    assert set(dir(revived)) == names
    text = json.dumps(serialize(instance))
    revived = deserialize(json.loads(text))
    assert type(revived) is cls
    assert json.dumps(revived.get_config(), sort_keys=True) == config_json
    assert set(dir(revived)) - {"__annotations__"} == names - {"__annotations__"}
    return revived


@pytest.fixture
def serialization_round_trip():
    """``check(instance, serialize, deserialize)``: Keras's round-trip checks."""
    return _round_trip
