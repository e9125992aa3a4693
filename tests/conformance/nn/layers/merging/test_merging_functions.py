"""The functional forms of Keras's merge layers (``keras.layers.add`` and the
others the merge layers' modules export), with the values of merging_test's
cases (run against both libraries)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array

_A = np.array([[1.0, 4.0]], "float32")
_B = np.array([[3.0, 2.0]], "float32")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("add", [[4.0, 6.0]]),
        ("subtract", [[-2.0, 2.0]]),
        ("multiply", [[3.0, 8.0]]),
        ("average", [[2.0, 3.0]]),
        ("maximum", [[3.0, 4.0]]),
        ("minimum", [[1.0, 2.0]]),
        ("concatenate", [[1.0, 4.0, 3.0, 2.0]]),
        ("dot", [[11.0]]),
    ],
)
def test_functional_merge_eager(keras, name, expected):
    assert_close(getattr(keras.layers, name)([_A, _B]), expected)


def test_functional_merge_in_a_model(keras):
    a, b = keras.Input((2,)), keras.Input((2,))
    out = keras.layers.concatenate(
        [keras.layers.add([a, b]), keras.layers.dot([a, b], axes=1)]
    )
    assert tuple(out.shape) == (None, 3)
    model = keras.Model([a, b], out)
    assert to_array(model([_A, _B])).tolist() == [[4.0, 6.0, 11.0]]


def test_functional_merge_passes_layer_kwargs(keras):
    a, b = keras.Input((2,)), keras.Input((2,))
    model = keras.Model([a, b], keras.layers.add([a, b], name="summed"))
    assert model.layers[-1].name == "summed"
