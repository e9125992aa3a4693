"""Keras 3's optimizer argument checks (base_optimizer's constructor and the
learning-rate setter), stated from its documented behaviour rather than from a
test file, and validated against Keras like the ported cases."""

from __future__ import annotations

import pytest
from conformance_keras import to_array


def test_unknown_keyword_is_refused(keras):
    with pytest.raises(ValueError, match="Argument\\(s\\) not recognized"):
        keras.optimizers.Adam(learning_rate=0.1, beta_3=0.5)


def test_decay_is_ignored_with_a_warning(keras):
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        optimizer = keras.optimizers.SGD(learning_rate=0.1, decay=0.5)
    assert "decay" not in optimizer.get_config()


def test_global_clipnorm_and_clipvalue_together_are_refused(keras):
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue`"):
        keras.optimizers.SGD(global_clipnorm=1.0, clipvalue=0.5)


@pytest.mark.parametrize("steps", [1, -2])
def test_gradient_accumulation_needs_two_steps_or_more(keras, steps):
    with pytest.raises(ValueError, match="`gradient_accumulation_steps` must be"):
        keras.optimizers.SGD(gradient_accumulation_steps=steps)


@pytest.mark.parametrize("momentum", [-0.1, 1.5])
def test_ema_momentum_range(keras, momentum):
    with pytest.raises(ValueError, match="`ema_momentum` must be in the range"):
        keras.optimizers.SGD(use_ema=True, ema_momentum=momentum)
    keras.optimizers.SGD(use_ema=False, ema_momentum=momentum)  # unchecked


@pytest.mark.parametrize("frequency", [0.5, -1])
def test_ema_overwrite_frequency_is_a_positive_integer(keras, frequency):
    with pytest.raises(ValueError, match="`ema_overwrite_frequency` must be"):
        keras.optimizers.SGD(use_ema=True, ema_overwrite_frequency=frequency)


def test_learning_rate_of_the_wrong_type(keras):
    with pytest.raises(ValueError, match="Argument `learning_rate` should be float"):
        keras.optimizers.SGD(learning_rate="fast")


def test_rate_set_from_a_schedule_is_not_settable_to_a_float(keras):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    with pytest.raises(TypeError, match="its learning rate is not settable"):
        optimizer.learning_rate = 0.5


def test_float_rate_is_settable_and_read_back(keras):
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    optimizer.learning_rate = 0.25
    assert float(to_array(optimizer.learning_rate)) == 0.25
    assert float(to_array(optimizer.variables[1])) == 0.25
    assert optimizer.get_config()["learning_rate"] == 0.25
