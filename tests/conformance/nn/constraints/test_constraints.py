"""Keras 3's constraints_test.py cases, in our words (tests/conformance/nn)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _sample() -> np.ndarray:
    rng = np.random.RandomState(3537)
    values = rng.random_sample((100, 100)) * 100.0 - 50.0
    values[0, 0] = 0.0
    return values


def test_max_norm_rescales_columns_above_the_bound(keras):
    columns = np.array([[0, 0, 0], [1.0, 0, 0], [3, 0, 0], [3, 3, 3]]).T
    third = 2.0 / np.sqrt(3)
    want = np.array([[0, 0, 0], [1.0, 0, 0], [2.0, 0, 0], [third, third, third]]).T
    assert_close(keras.constraints.MaxNorm(2.0)(columns), want, atol=1e-6)


def test_non_neg_leaves_no_negative(keras):
    out = to_array(keras.constraints.NonNeg()(_sample()))
    assert (out.min(axis=1) >= 0.0).all()


def test_unit_norm_gives_unit_columns(keras):
    out = to_array(keras.constraints.UnitNorm()(_sample()))
    assert_close(np.sqrt(np.square(out).sum(axis=0)), np.ones(100))


def test_min_max_norm_keeps_norms_in_bounds(keras):
    out = to_array(
        keras.constraints.MinMaxNorm(min_value=0.2, max_value=0.5)(_sample())
    )
    norms = np.sqrt(np.square(out).sum(axis=0))
    assert np.all(norms >= 0.2)
    assert np.all(norms <= 0.5 + 1e-6)


def test_get_by_name_none_and_typo(keras):
    assert isinstance(keras.constraints.get("unit_norm"), keras.constraints.UnitNorm)
    assert keras.constraints.get(None) is None
    with pytest.raises(ValueError, match="constraint identifier"):
        keras.constraints.get("typo")


def test_base_constraint_is_identity(keras):
    x = np.array([1.0, 2.0, 3.0])
    assert_close(keras.constraints.Constraint()(x), x)


def test_base_constraint_config_is_empty(keras):
    assert keras.constraints.Constraint().get_config() == {}


def test_base_constraint_from_config(keras):
    c = keras.constraints.Constraint
    assert isinstance(c.from_config(c().get_config()), c)


def test_max_norm_config_round_trip(keras):
    original = keras.constraints.MaxNorm(max_value=3.0, axis=1)
    config = original.get_config()
    assert config == {"max_value": 3.0, "axis": 1}
    restored = keras.constraints.MaxNorm.from_config(config)
    assert (restored.max_value, restored.axis) == (original.max_value, original.axis)
    x = _sample()
    assert_close(restored(x), to_array(original(x)))


def test_unit_norm_config_round_trip(keras):
    original = keras.constraints.UnitNorm(axis=1)
    config = original.get_config()
    assert config == {"axis": 1}
    restored = keras.constraints.UnitNorm.from_config(config)
    assert restored.axis == original.axis
    x = _sample()
    assert_close(restored(x), to_array(original(x)))


def test_min_max_norm_config_round_trip(keras):
    original = keras.constraints.MinMaxNorm(
        min_value=0.5, max_value=2.0, rate=0.7, axis=1
    )
    config = original.get_config()
    assert config == {"min_value": 0.5, "max_value": 2.0, "rate": 0.7, "axis": 1}
    restored = keras.constraints.MinMaxNorm.from_config(config)
    for name in ("min_value", "max_value", "rate", "axis"):
        assert getattr(restored, name) == getattr(original, name)
    x = _sample()
    assert_close(restored(x), to_array(original(x)))


def test_non_neg_config_is_empty(keras):
    assert keras.constraints.NonNeg().get_config() == {}


def test_non_neg_from_config(keras):
    c = keras.constraints.NonNeg
    assert isinstance(c.from_config(c().get_config()), c)


def test_non_neg_round_trip_same_output(keras):
    original = keras.constraints.NonNeg()
    restored = keras.constraints.NonNeg.from_config(original.get_config())
    x = _sample()
    assert_close(restored(x), to_array(original(x)))


def test_non_neg_zeroes_negatives(keras):
    assert_close(keras.constraints.NonNeg()(np.full((5, 5), -3.0)), np.zeros((5, 5)))


def test_non_neg_keeps_positives(keras):
    assert_close(keras.constraints.NonNeg()(np.full((5, 5), 3.0)), np.full((5, 5), 3.0))


def test_non_neg_all_zeros(keras):
    assert_close(keras.constraints.NonNeg()(np.zeros((5, 5))), np.zeros((5, 5)))


def test_serialize_deserialize_round_trip(keras):
    original = keras.constraints.MinMaxNorm(min_value=0.1, max_value=3.0, axis=1)
    restored = keras.constraints.deserialize(keras.constraints.serialize(original))
    assert isinstance(restored, keras.constraints.MinMaxNorm)
    assert restored.get_config() == original.get_config()


def test_get_from_config_dict_and_class(keras):
    got = keras.constraints.get({"class_name": "MaxNorm", "config": {"max_value": 4.0}})
    assert isinstance(got, keras.constraints.MaxNorm)
    assert got.max_value == 4.0
    assert isinstance(
        keras.constraints.get(keras.constraints.NonNeg), keras.constraints.NonNeg
    )
