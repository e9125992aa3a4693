"""Helpers of the ported Keras 3 loss cases (tests/conformance/nn/losses)."""

from __future__ import annotations

import json

import pytest

from tests.conformance_keras import is_keras


def _json(config):
    return json.dumps(config, sort_keys=True, default=str)


@pytest.fixture
def check_serialization(keras):
    """Keras's ``run_class_serialization_test``: the config survives
    ``from_config`` and a serialize/deserialize round trip; returns the copy."""

    # Keras's test goes through its generic (de)serializer; ours through losses.
    saving = keras.saving if is_keras(keras) else None
    save = saving.serialize_keras_object if saving else keras.losses.serialize
    load = saving.deserialize_keras_object if saving else keras.losses.deserialize

    def check(instance):
        config = instance.get_config()
        revived = type(instance).from_config(config)
        assert _json(revived.get_config()) == _json(config)
        assert set(dir(revived)) == set(dir(instance))
        stored = json.loads(json.dumps(save(instance)))
        revived = load(stored)
        assert type(revived) is type(instance)
        assert _json(revived.get_config()) == _json(config)
        return revived

    return check
