"""Shared checks for the ported optimizer and schedule cases."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from conformance_keras import assert_close, to_array


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
    if serialize is None:  # no module-level (de)serializer knows the class
        revived = cls.from_config(json.loads(json.dumps(instance.get_config())))
    else:
        revived = deserialize(json.loads(json.dumps(serialize(instance))))
    assert type(revived) is cls
    assert json.dumps(revived.get_config(), sort_keys=True) == config_json
    assert set(dir(revived)) - {"__annotations__"} == names - {"__annotations__"}
    return revived


@pytest.fixture
def serialization_round_trip():
    """``check(instance, serialize, deserialize)``: Keras's round-trip checks."""
    return _round_trip


def _weight_decay_case(keras, optimizer_cls):
    """Keras's shared weight-decay case: three steps of zero gradients decay
    ``var1`` thrice; a variable excluded by name or by identity keeps 2.0."""
    grads = np.zeros((), "float32")
    var1, var3 = keras.Variable(2.0), keras.Variable(2.0)
    var2 = keras.Variable(2.0, name="exclude")
    optimizer_1 = optimizer_cls(learning_rate=1.0, weight_decay=0.004)
    optimizer_1.apply_gradients(zip([grads], [var1]))
    optimizer_2 = optimizer_cls(learning_rate=1.0, weight_decay=0.004)
    optimizer_2.exclude_from_weight_decay(var_names=["exclude"])
    optimizer_2.apply_gradients(zip([grads, grads], [var1, var2]))
    optimizer_3 = optimizer_cls(learning_rate=1.0, weight_decay=0.004)
    optimizer_3.exclude_from_weight_decay(var_list=[var3])
    optimizer_3.apply_gradients(zip([grads, grads], [var1, var3]))
    np.testing.assert_almost_equal(to_array(var1), 1.9760959, decimal=6)
    np.testing.assert_almost_equal(to_array(var2), 2.0, decimal=6)
    np.testing.assert_almost_equal(to_array(var3), 2.0, decimal=6)


def _golden_case(keras, optimizer, golden, dtype="float64"):
    """Keras's golden trajectory: one step of 0.01 everywhere, then steps of
    0.1, 0.2, ..., 1.0; ``golden[i]`` is the variable before step i + 2."""
    x = keras.Variable(np.ones([10], dtype=dtype))
    grads = np.linspace(0.1, 1.0, 10).astype("float32")
    first_grads = np.full((10,), 0.01, dtype="float32")
    optimizer.apply_gradients(zip([first_grads], [x]))
    for row in np.asarray(golden):
        assert_close(x, row, atol=5e-4, rtol=5e-4)
        optimizer.apply_gradients(zip([grads], [x]))


def _clip_cases(optimizer_cls):
    """Keras's clipnorm=1 and clipvalue=1 cases on the gradient [100, 100]."""
    grad = [np.array([100.0, 100.0])]
    clipped = optimizer_cls(clipnorm=1)._clip_gradients(grad)
    assert_close(clipped[0], [2**0.5 / 2, 2**0.5 / 2])
    clipped = optimizer_cls(clipvalue=1)._clip_gradients(grad)
    assert_close(clipped[0], [1.0, 1.0])


def _single_step_case(keras, optimizer, expected, build=False):
    """One step of the gradient [1, 6, 7, 2] on the variable [1, 2, 3, 4]."""
    grads = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    variable = keras.Variable([1.0, 2.0, 3.0, 4.0])
    if build:
        optimizer.build([variable])
    optimizer.apply_gradients(zip([grads], [variable]))
    assert_close(variable, expected, atol=1e-4, rtol=1e-4)
    return variable


@pytest.fixture
def cases():
    """Keras's per-optimizer cases, shared by the ported optimizer files."""
    return SimpleNamespace(
        round_trip=_round_trip,
        weight_decay=_weight_decay_case,
        golden=_golden_case,
        clip=_clip_cases,
        single_step=_single_step_case,
    )


@pytest.fixture(autouse=True)
def _fresh_optimizer_names(request):
    """Keras's ``clear_session`` restarts optimizer auto-naming between cases;
    for ``pipeline.nn`` the same is clearing the optimizers' name counters."""
    if request.config.getoption("--api") != "tensorflow":
        from pipeline.nn.optimizers import _stepping  # noqa: PLC0415

        _stepping._NAME_COUNTS.clear()
    yield


@pytest.fixture
def indexed_slices(keras):
    """``make(values, indices, dense_shape)``: a sparse gradient of the library
    under test (``tf.IndexedSlices`` for Keras on TensorFlow)."""
    if getattr(keras, "__name__", "") == "keras":
        import tensorflow as tf  # noqa: PLC0415

        return tf.IndexedSlices
    return keras.IndexedSlices
