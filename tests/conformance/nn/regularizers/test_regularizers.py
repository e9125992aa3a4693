"""Keras 3's regularizers_test.py cases, in our words (tests/conformance/nn).

Keras checks ``validate_float_arg`` directly (a private helper); here the
same inputs go through the public constructors that call it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _weights(seed=0, value=None):
    if value is None:
        value = np.random.RandomState(seed).random_sample((4, 4)).astype(np.float32)
    return value


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("L1", {"l1": 0.1}),
        ("L2", {"l2": 0.1}),
        ("L1L2", {"l1": 0.1, "l2": 0.2}),
        ("OrthogonalRegularizer", {"factor": 0.1, "mode": "rows"}),
    ],
)
def test_config_round_trip(keras, name, kwargs):
    cls = getattr(keras.regularizers, name)
    reg = cls(**kwargs)
    config = reg.get_config()
    assert cls.from_config(config).get_config() == config
    again = keras.regularizers.deserialize(keras.regularizers.serialize(reg))
    assert type(again) is cls
    assert again.get_config() == config


def test_l1(keras):
    value = _weights(1)
    assert_close(
        keras.regularizers.L1(0.1)(keras.Variable(value)), 0.1 * np.abs(value).sum()
    )


def test_l2(keras):
    value = _weights(2)
    out = keras.regularizers.L2(0.1)(keras.Variable(value))
    assert_close(out, 0.1 * np.square(value).sum())


def test_l1_l2(keras):
    value = _weights(3)
    out = keras.regularizers.L1L2(l1=0.1, l2=0.2)(keras.Variable(value))
    assert_close(out, 0.1 * np.abs(value).sum() + 0.2 * np.square(value).sum())


def test_orthogonal_regularizer_rows(keras):
    value = _weights(4)
    out = keras.regularizers.OrthogonalRegularizer(factor=0.1, mode="rows")(
        keras.Variable(value)
    )
    unit = value / np.linalg.norm(value, axis=1, keepdims=True)
    off = np.abs(unit @ unit.T * (1.0 - np.eye(4))).sum()
    assert_close(out, 0.1 * 0.5 * off / (4.0 * 3.0 / 2.0))


def test_orthogonal_regularizer_columns(keras):
    value = _weights(5)
    reg = keras.regularizers.OrthogonalRegularizer(factor=0.2, mode="columns")
    unit = value / np.linalg.norm(value, axis=0, keepdims=True)
    off = np.abs(unit.T @ unit * (1.0 - np.eye(4))).sum()
    assert_close(reg(keras.Variable(value)), 0.2 * 0.5 * off / 6.0)


def test_get_method(keras):
    reg = keras.regularizers
    assert isinstance(reg.get("l1l2"), reg.L1L2)
    assert isinstance(reg.get("l1"), reg.L1)
    assert isinstance(reg.get("l2"), reg.L2)
    assert isinstance(reg.get("orthogonal_regularizer"), reg.OrthogonalRegularizer)
    assert reg.get(None) is None
    with pytest.raises(ValueError, match="regularizer identifier"):
        reg.get("typo")


def test_l1l2_get_config(keras):
    reg = keras.regularizers.L1L2(l1=0.01, l2=0.02)
    config = reg.get_config()
    assert_close(config["l1"], 0.01)
    assert_close(config["l2"], 0.02)
    restored = keras.regularizers.L1L2.from_config(config)
    assert restored.get_config() == config
    assert_close(restored.l1, 0.01)
    assert_close(restored.l2, 0.02)


def test_orthogonal_regularizer_mode_validation(keras):
    want = (
        'Invalid value for argument `mode`. Expected one of {"rows", '
        '"columns"}. Received: mode=invalid_mode'
    )
    with pytest.raises(ValueError) as caught:
        keras.regularizers.OrthogonalRegularizer(factor=0.01, mode="invalid_mode")
    assert str(caught.value) == want


def test_orthogonal_regularizer_rank_validation(keras):
    value = np.random.RandomState(6).random_sample((4, 4, 4)).astype(np.float32)
    with pytest.raises(ValueError) as caught:
        keras.regularizers.OrthogonalRegularizer(factor=0.1)(keras.Variable(value))
    assert str(caught.value) == (
        "Inputs to OrthogonalRegularizer must have rank 2. "
        f"Received: inputs.shape={(4, 4, 4)}"
    )


def test_orthogonal_regularizer_get_config(keras):
    reg = keras.regularizers.OrthogonalRegularizer(factor=0.01, mode="columns")
    config = reg.get_config()
    np.testing.assert_almost_equal(config["factor"], 0.01, decimal=7)
    assert config["mode"] == "columns"
    again = keras.regularizers.OrthogonalRegularizer.from_config(config).get_config()
    np.testing.assert_almost_equal(again["factor"], 0.01, decimal=7)
    assert again["mode"] == "columns"


@pytest.mark.parametrize(
    "make, value, want",
    [
        (lambda r: r.L1(0.1), np.zeros((4, 4), np.float32), 0.0),
        (lambda r: r.L1(0.0), None, 0.0),
        (lambda r: r.L2(0.1), np.zeros((4, 4), np.float32), 0.0),
        (lambda r: r.L2(0.0), None, 0.0),
        (lambda r: r.L1L2(l1=0.0, l2=0.0), None, 0.0),
        (lambda r: r.L1L2(l1=0.1, l2=0.2), np.zeros((4, 4), np.float32), 0.0),
    ],
)
def test_zero_penalties(keras, make, value, want):
    assert_close(make(keras.regularizers)(keras.Variable(_weights(7, value))), want)


def test_l1_ignores_sign(keras):
    reg = keras.regularizers.L1(0.1)
    pos = reg(keras.Variable(np.ones((4, 4), np.float32)))
    neg = reg(keras.Variable(-np.ones((4, 4), np.float32)))
    assert_close(pos, to_array(neg))


@pytest.mark.parametrize("scale, l2_larger", [(10.0, True), (0.1, False)])
def test_l2_versus_l1(keras, scale, l2_larger):
    x = keras.Variable(np.ones((4, 4), np.float32) * scale)
    l1 = float(to_array(keras.regularizers.L1(1.0)(x)))
    l2 = float(to_array(keras.regularizers.L2(1.0)(x)))
    assert (l2 > l1) is l2_larger


def test_l1l2_with_one_part_matches_l1_or_l2(keras):
    x = keras.Variable(_weights(8))
    r = keras.regularizers
    assert_close(r.L1L2(l1=0.1, l2=0.0)(x), to_array(r.L1(0.1)(x)))
    assert_close(r.L1L2(l1=0.0, l2=0.1)(x), to_array(r.L2(0.1)(x)))


# ---- validate_float_arg's cases, through the constructors ------------------


@pytest.mark.parametrize("value", [1, 1.0, 0, 0.0, 1e-10, 1e6])
def test_valid_factors_become_floats(keras, value):
    reg = keras.regularizers.L2(value)
    assert isinstance(reg.l2, float)
    assert math.isclose(reg.l2, float(value), rel_tol=1e-7)
    factor = keras.regularizers.OrthogonalRegularizer(factor=value).get_config()[
        "factor"
    ]
    assert math.isclose(factor, float(value), rel_tol=1e-7)


@pytest.mark.parametrize(
    "value",
    ["not_a_number", float("nan"), float("inf"), -float("inf"), -1, -0.001, [0.1]],
)
def test_invalid_factors_are_rejected(keras, value):
    with pytest.raises(ValueError, match="expected a non-negative float"):
        keras.regularizers.L1(value)


def test_none_factor_is_rejected_where_there_is_no_default(keras):
    with pytest.raises(ValueError, match="expected a non-negative float"):
        keras.regularizers.OrthogonalRegularizer(factor=None)


def test_none_means_the_default_for_l1_and_l2(keras):
    assert math.isclose(keras.regularizers.L1(None).l1, 0.01, rel_tol=1e-7)
    assert math.isclose(keras.regularizers.L2(None).l2, 0.01, rel_tol=1e-7)
