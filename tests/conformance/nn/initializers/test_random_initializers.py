"""Keras 3's random_initializers_test.py cases, in our words.

Out of scope (listed in the report): seeds given as ``SeedGenerator`` objects
(``keras.random`` is not part of pl.nn), the private ``compute_fans`` helper
(its cases are checked here through ``VarianceScaling(input_axes=...)``), and
the ``MultiHeadAttention`` kernel case (no such layer in pl.nn).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _round_trips(keras, initializer):
    cls = type(initializer)
    config = initializer.get_config()
    assert cls.from_config(config).get_config() == config
    again = keras.initializers.deserialize(keras.initializers.serialize(initializer))
    assert type(again) is cls
    assert again.get_config() == config


def test_random_normal(keras):
    init = keras.initializers.RandomNormal(mean=0.0, stddev=1.0, seed=1234)
    values = init(shape=(25, 20))
    assert (init.mean, init.stddev, init.seed) == (0.0, 1.0, 1234)
    assert tuple(values.shape) == (25, 20)
    assert abs(np.std(to_array(values)) - 1.0) <= 0.1
    _round_trips(keras, init)


def test_random_normal_fixed_seed_repeats(keras):
    init = keras.initializers.RandomNormal(mean=0.0, stddev=1.0, seed=1337)
    assert_close(init(shape=(25, 20)), to_array(init(shape=(25, 20))))


def test_random_normal_unseeded_clone_differs(keras):
    init = keras.initializers.RandomNormal(mean=0.0, stddev=1.0, seed=None)
    values = to_array(init(shape=(25, 20)))
    clone = keras.initializers.RandomNormal.from_config(init.get_config())
    assert not np.allclose(values, to_array(clone(shape=(25, 20))))


def test_random_normal_seeded_clone_repeats(keras):
    init = keras.initializers.RandomNormal(mean=0.0, stddev=1.0, seed=1337)
    values = init(shape=(25, 20))
    clone = keras.initializers.RandomNormal.from_config(init.get_config())
    assert_close(clone(shape=(25, 20)), to_array(values))


def test_random_uniform(keras):
    init = keras.initializers.RandomUniform(minval=-1.0, maxval=1.0, seed=1234)
    values = init(shape=(5, 5))
    assert (init.minval, init.maxval, init.seed) == (-1.0, 1.0, 1234)
    assert tuple(values.shape) == (5, 5)
    values = to_array(values)
    assert values.min() >= -1.0
    assert values.max() < 1.0
    _round_trips(keras, init)


@pytest.mark.parametrize("mode, fan", [("fan_in", 25), ("fan_out", 20)])
def test_variance_scaling(keras, mode, fan):
    init = keras.initializers.VarianceScaling(scale=2.0, seed=1234, mode=mode)
    values = init(shape=(25, 20))
    assert (init.scale, init.seed) == (2.0, 1234)
    assert tuple(values.shape) == (25, 20)
    assert abs(np.std(to_array(values)) - np.sqrt(2.0 / fan)) <= 0.1
    _round_trips(keras, init)


def test_orthogonal(keras):
    init = keras.initializers.Orthogonal(gain=2.0, seed=1234)
    values = init(shape=(5, 5))
    assert (init.seed, init.gain) == (1234, 2.0)
    assert tuple(values.shape) == (5, 5)
    array = to_array(values)
    for column in array.T:
        np.testing.assert_almost_equal(np.linalg.norm(column), 2.0, decimal=3)
    for i in range(5):
        for j in range(i + 1, 5):
            np.testing.assert_almost_equal(
                np.dot(array[:, i], array[:, j]), 0.0, decimal=3
            )
    _round_trips(keras, init)
    assert isinstance(
        keras.initializers.get("OrthogonalInitializer"), keras.initializers.Orthogonal
    )


def test_get_method(keras):
    assert isinstance(
        keras.initializers.get("glorot_normal"), keras.initializers.GlorotNormal
    )
    assert keras.initializers.get(None) is None
    with pytest.raises(ValueError, match="initializer identifier"):
        keras.initializers.get("typo")


def test_get_method_with_an_array(keras):
    value = np.random.RandomState(9).uniform(size=(5, 5)).astype("float32")
    init = keras.initializers.get(value)
    assert_close(init(shape=(5, 5)), value)
    with pytest.raises(ValueError, match=r"Expected `shape` to be"):
        init(shape=(10, 10))


def test_variance_scaling_rejects_a_negative_scale(keras):
    with pytest.raises(ValueError, match="Argument `scale` must be positive float."):
        keras.initializers.VarianceScaling(scale=-1.0, seed=1234, mode="fan_in")


def test_variance_scaling_rejects_an_unknown_mode(keras):
    with pytest.raises(ValueError, match="Invalid `mode` argument:"):
        keras.initializers.VarianceScaling(scale=2.0, seed=1234, mode="invalid_mode")


def test_variance_scaling_rejects_an_unknown_distribution(keras):
    with pytest.raises(ValueError, match="Invalid `distribution` argument:"):
        keras.initializers.VarianceScaling(
            scale=2.0, seed=1234, mode="fan_in", distribution="invalid_dist"
        )


@pytest.mark.parametrize(
    "input_axes, output_axes, mode, fan",
    [([0], [1, 2], "fan_in", 512), ([0], [1, 2], "fan_out", 512),
     ([0, 1], [2], "fan_in", 512 * 8), ([0, 1], [2], "fan_out", 64)],
)  # fmt: skip
def test_variance_scaling_fans_from_axes(keras, input_axes, output_axes, mode, fan):
    # compute_fans' cases, seen through the variance they give.
    init = keras.initializers.VarianceScaling(
        scale=1.0, mode=mode, distribution="untruncated_normal", seed=3,
        input_axes=input_axes, output_axes=output_axes,
    )  # fmt: skip
    values = to_array(init(shape=(512, 8, 64)))
    assert abs(np.std(values) / np.sqrt(1.0 / fan) - 1.0) < 0.05


def test_variance_scaling_with_axes(keras):
    init = keras.initializers.VarianceScaling(
        scale=2.0, seed=1234, mode="fan_in", input_axes=[0], output_axes=[1, 2]
    )
    values = init(shape=(32, 4, 16))
    assert tuple(values.shape) == (32, 4, 16)
    assert abs(np.std(to_array(values)) - np.sqrt(2.0 / 32)) <= 0.1
    plain = keras.initializers.VarianceScaling(scale=2.0, seed=1234, mode="fan_in")
    assert abs(np.std(to_array(plain(shape=(32, 4, 16)))) - np.sqrt(2.0 / 128)) <= 0.1


def test_variance_scaling_with_axes_round_trips(keras):
    init = keras.initializers.VarianceScaling(input_axes=[0], output_axes=[1, 2])
    _round_trips(keras, init)
    config = init.get_config()
    assert (config["input_axes"], config["output_axes"]) == ([0], [1, 2])
