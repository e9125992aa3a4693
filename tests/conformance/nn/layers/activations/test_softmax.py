"""Keras 3's layers/activations/softmax_test.py cases, in our words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array

_ROWS = np.array([[1.0, 2.0, 1.0], [1.0, 2.0, 1.0]])
_ROW_SOFTMAX = [[0.21194157, 0.5761169, 0.21194157]] * 2


def test_softmax_basics(keras):
    run_layer_test(
        keras, keras.layers.Softmax, {}, input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4), supports_masking=True,
        run_training_check=True,
    )  # fmt: skip
    assert keras.layers.Softmax().built


def test_softmax_values(keras):
    assert_close(keras.layers.Softmax()(_ROWS), _ROW_SOFTMAX)


def test_softmax_values_with_mask_over_two_axes(keras):
    mask = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    out = keras.layers.Softmax(axis=(1, 0))(_ROWS, mask=mask)
    assert_close(out, [[0.21194154, 0.0, 0.21194154], [0.0, 0.57611686, 0.0]])


def test_softmax_values_with_axis(keras):
    assert_close(keras.layers.Softmax(axis=1)(_ROWS), _ROW_SOFTMAX)


def test_masked_entries_are_zero_even_in_a_fully_masked_row(keras):
    x = np.array(
        [[1.0, 2.0, 5.0, 1.0], [1.0, 1.0, 1.0, 1.0], [3.0, 1.0, 2.0, 4.0]], np.float32
    )
    mask = np.array([[True, True, False, False], [False] * 4, [True] * 4], dtype=bool)
    want = [
        [0.268941, 0.731059, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
        [0.236883, 0.032059, 0.087144, 0.643914],
    ]
    assert_close(keras.layers.Softmax()(x, mask=mask), want)


@pytest.mark.parametrize(
    "mask", [np.array([[1.0, 0.0, 1.0]]), np.array([1.0, 0.0, 1.0])]
)
def test_mask_broadcasts(keras, mask):
    x = np.array([[1.0, 2.0, 1.0], [3.0, 4.0, 5.0]])
    out = to_array(keras.layers.Softmax(axis=-1)(x, mask=mask))
    assert_close(out[:, 1], [0.0, 0.0])


def test_mask_larger_than_inputs_is_rejected(keras):
    mask = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match="broadcastable"):
        keras.layers.Softmax()(np.array([[1.0, 2.0, 1.0]]), mask=mask)


def test_mask_with_more_dimensions_is_rejected(keras):
    mask = np.array([[[1.0, 0.0, 1.0]]])
    with pytest.raises(ValueError, match="must not have more dimensions"):
        keras.layers.Softmax()(np.array([[1.0, 2.0, 1.0]]), mask=mask)


def test_softmax_on_a_symbolic_input(keras):
    inputs = keras.Input(shape=(3, 4), batch_size=2)
    assert tuple(keras.layers.Softmax()(inputs).shape) == (2, 3, 4)
