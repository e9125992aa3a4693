"""Helpers of the ported Keras 3 loss cases (tests/conformance/nn/losses)."""

from __future__ import annotations

import json

import pytest


def _json(config):
    return json.dumps(config, sort_keys=True, default=str)


@pytest.fixture
def check_serialization(keras):
    """Keras's ``run_class_serialization_test``: the config survives
    ``from_config`` and ``losses.serialize``/``deserialize``; returns the copy."""

    def check(instance):
        config = instance.get_config()
        revived = type(instance).from_config(config)
        assert _json(revived.get_config()) == _json(config)
        assert set(dir(revived)) == set(dir(instance))
        stored = json.loads(json.dumps(keras.losses.serialize(instance)))
        revived = keras.losses.deserialize(stored)
        assert type(revived) is type(instance)
        assert _json(revived.get_config()) == _json(config)
        return revived

    return check
