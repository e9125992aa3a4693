"""Keras 3's ``layers/merging/merging_test.py`` cases, ported
(run against both libraries).

Out of scope (not ported): test_sparse (sparse inputs). Not ported yet:
test_concatenate_with_mask_symbolic (a symbolic tensor's ``_keras_mask`` used as
a model output: symbolic mask propagation, outside the layers themselves). ``backend.
get_keras_mask(x)`` reads ``x._keras_mask`` (where both libraries keep it);
``backend.convert_to_tensor`` inputs are numpy arrays.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array


def np_dot(a, b, axes):
    if isinstance(axes, int):
        axes = (axes, axes)
    axes = [axis if axis < 0 else axis - 1 for axis in axes]
    res = np.stack([np.tensordot(a[i], b[i], axes) for i in range(a.shape[0])])
    return np.expand_dims(res, axis=1) if res.ndim == 1 else res


# name, np_op, init_kwargs, input_shape, expected_output_shape, skip_mask_test
CASES = [
    ("Add", np.add, {}, (2, 4, 5), (2, 4, 5), False),
    ("Subtract", np.subtract, {}, (2, 4, 5), (2, 4, 5), False),
    ("Minimum", np.minimum, {}, (2, 4, 5), (2, 4, 5), False),
    ("Maximum", np.maximum, {}, (2, 4, 5), (2, 4, 5), False),
    ("Multiply", np.multiply, {}, (2, 4, 5), (2, 4, 5), False),
    ("Average", lambda a, b: np.multiply(np.add(a, b), 0.5), {}, (2, 4, 5), (2, 4, 5),
     False),
    ("Concatenate", lambda a, b, **kw: np.concatenate((a, b), **kw), {"axis": -1},
     (2, 4, 5), (2, 4, 10), False),
    ("Dot", np_dot, {"axes": -1}, (2, 4), (2, 1), True),
    ("Dot", np_dot, {"axes": -1}, (2, 4, 5), (2, 4, 4), True),
]  # fmt: skip
IDS = ["add", "subtract", "minimum", "maximum", "multiply", "average", "concat",
       "dot_2d", "dot_3d"]  # fmt: skip
ARGS = ("name", "np_op", "init_kwargs", "input_shape", "expected_shape", "skip_mask")


def _masked(keras, x):
    return keras.layers.Masking()(np.asarray(x, "float32"))


@pytest.mark.parametrize(ARGS, CASES, ids=IDS)
def test_basic(keras, name, np_op, init_kwargs, input_shape, expected_shape, skip_mask):
    rng = np.random.default_rng(0)
    data = [rng.random(input_shape).astype("float32") for _ in range(2)]
    run_layer_test(
        keras, getattr(keras.layers, name), init_kwargs, input_data=data,
        expected_output_shape=expected_shape, expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0, expected_num_losses=0,
        supports_masking=True,
    )  # fmt: skip


def _model_result(keras, name, np_op, init_kwargs, input_shape, batch_size):
    rng = np.random.default_rng(1)
    x1, x2 = rng.random(input_shape), rng.random(input_shape)
    input_1 = keras.layers.Input(shape=input_shape[1:], batch_size=batch_size)
    input_2 = keras.layers.Input(shape=input_shape[1:], batch_size=batch_size)
    layer = getattr(keras.layers, name)(**init_kwargs)
    model = keras.Model([input_1, input_2], layer([input_1, input_2]))
    res = model([x1, x2])
    return layer, (input_1, input_2), (x1, x2), res, np_op(x1, x2, **init_kwargs)


@pytest.mark.parametrize(ARGS, CASES, ids=IDS)
def test_correctness_static(
    keras, name, np_op, init_kwargs, input_shape, expected_shape, skip_mask
):
    layer, inputs, xs, res, expected = _model_result(
        keras, name, np_op, init_kwargs, input_shape, input_shape[0]
    )
    assert tuple(to_array(res).shape) == expected_shape
    assert_close(res, expected, atol=1e-4, rtol=1e-4)
    assert layer.compute_mask(list(inputs), [None, None]) is None
    assert layer.compute_mask(list(xs), [None, None]) is None
    if not skip_mask:
        masks = [np.ones(input_shape[:-1], dtype=np.bool_) for _ in range(2)]
        assert np.all(to_array(layer.compute_mask(list(xs), masks)))


@pytest.mark.parametrize(ARGS, CASES, ids=IDS)
def test_correctness_dynamic(
    keras, name, np_op, init_kwargs, input_shape, expected_shape, skip_mask
):
    layer, inputs, xs, res, expected = _model_result(
        keras, name, np_op, init_kwargs, input_shape, None
    )
    assert tuple(to_array(res).shape) == expected_shape
    assert_close(res, expected, atol=1e-4, rtol=1e-4)
    assert layer.compute_mask(list(inputs), [None, None]) is None
    if not skip_mask:
        masks = [keras.Variable(x) for x in xs]
        assert np.all(to_array(layer.compute_mask(list(inputs), masks)))


@pytest.mark.parametrize(ARGS, [c for c in CASES if not c[-1]], ids=IDS[:7])
def test_errors(
    keras, name, np_op, init_kwargs, input_shape, expected_shape, skip_mask
):
    x1 = np.random.default_rng(2).random(input_shape)
    input_1 = keras.layers.Input(shape=input_shape[1:], batch_size=input_shape[0])
    input_2 = keras.layers.Input(shape=input_shape[1:], batch_size=input_shape[0])
    layer = getattr(keras.layers, name)(**init_kwargs)
    with pytest.raises(ValueError, match="`mask` should be a list."):
        layer.compute_mask([input_1, input_2], x1)
    with pytest.raises(ValueError, match="`inputs` should be a list."):
        layer.compute_mask(input_1, [None, None])
    with pytest.raises(ValueError, match=" should have the same length."):
        layer.compute_mask([input_1, input_2], [None])


def test_subtract_layer_inputs_length_errors(keras):
    inputs = [keras.layers.Input(shape=(4, 5)) for _ in range(3)]
    with pytest.raises(ValueError, match="layer should be called on exactly 2 inputs"):
        keras.layers.Subtract()(inputs)
    with pytest.raises(ValueError, match="layer should be called on exactly 2 inputs"):
        keras.layers.Subtract()(inputs[:1])


def test_dot_higher_dim(keras):
    a_shape, b_shape = (1, 3, 2), (1, 1, 2, 3)
    a = keras.layers.Input(batch_shape=a_shape)
    b = keras.layers.Input(batch_shape=b_shape)
    assert tuple(keras.layers.Dot(axes=(-2, -1))([a, b]).shape) == (1, 2, 1, 2)
    rng = np.random.default_rng(3)
    c = keras.layers.Dot(axes=(-2, -1))([rng.random(a_shape), rng.random(b_shape)])
    assert tuple(to_array(c).shape) == (1, 2, 1, 2)


_X1 = [[[0, 0], [1, 2], [0, 0], [3, 4]]]
_X2 = [[[0, 0], [0, 0], [1, 2], [3, 4]]]


@pytest.mark.parametrize(
    ("name", "x1", "x2", "one_masked", "both_masked"),
    [
        ("Add", _X1, _X2, [[[0, 0], [1, 2], [1, 2], [6, 8]]],
         [[[0, 0], [1, 2], [1, 2], [6, 8]]]),
        ("Subtract", _X1, _X2, [[[0, 0], [1, 2], [-1, -2], [0, 0]]],
         [[[0, 0], [1, 2], [-1, -2], [0, 0]]]),
        ("Average", _X1, _X2, [[[0, 0], [0.5, 1], [0.5, 1], [3, 4]]],
         [[[0, 0], [0.5, 1], [0.5, 1], [3, 4]]]),
        ("Multiply", _X1, _X2, [[[0, 0], [0, 0], [1, 2], [9, 16]]],
         [[[0, 0], [1, 2], [1, 2], [9, 16]]]),
        ("Maximum", [[[0, 0], [-1, -2], [0, 0], [-3, -4]]],
         [[[0, 0], [0, 0], [-1, -2], [-3, -4]]],
         [[[0, 0], [0, 0], [-1, -2], [-3, -4]]],
         [[[0, 0], [-1, -2], [-1, -2], [-3, -4]]]),
        ("Minimum", _X1, _X2, [[[0, 0], [0, 0], [1, 2], [3, 4]]],
         [[[0, 0], [1, 2], [1, 2], [3, 4]]]),
    ],
)  # fmt: skip
def test_merge_with_mask(keras, name, x1, x2, one_masked, both_masked):
    layer_cls = getattr(keras.layers, name)
    masked_1 = _masked(keras, x1)
    output = layer_cls()([masked_1, np.asarray(x2, "float32")])
    assert_close(output, one_masked)
    assert getattr(output, "_keras_mask", None) is None
    output = layer_cls()([masked_1, _masked(keras, x2)])
    assert_close(output, both_masked)
    assert to_array(output._keras_mask).tolist() == [[False, True, True, True]]


def test_concatenate_with_mask(keras):
    x1 = _masked(keras, _X1)
    x2 = np.asarray(_X2, "float32")
    output = keras.layers.Concatenate(axis=1)([x1, x2])
    assert_close(
        output, [[[0, 0], [1, 2], [0, 0], [3, 4], [0, 0], [0, 0], [1, 2], [3, 4]]]
    )
    assert to_array(output._keras_mask).astype(int).tolist() == [
        [0, 1, 0, 1, 1, 1, 1, 1]
    ]
    output = keras.layers.Concatenate(axis=2)([x1, x2])
    assert_close(output, [[[0, 0, 0, 0], [1, 2, 0, 0], [0, 0, 1, 2], [3, 4, 3, 4]]])
    assert to_array(output._keras_mask).astype(int).tolist() == [[1, 1, 1, 1]]


def test_concatenate_errors(keras):
    out = keras.layers.Concatenate(axis=-1)(
        [np.ones((1, 1, 1, 1, 5)), np.ones((1, 1, 1, 1, 4))]
    )
    assert tuple(to_array(out).shape) == (1, 1, 1, 1, 9)
    message = "requires inputs with matching shapes except for the concatenation axis"
    with pytest.raises(ValueError, match=message):
        keras.layers.Concatenate(axis=-1)(
            [np.ones((1, 2, 1, 1, 5)), np.ones((1, 1, 1, 1, 4))]
        )
    with pytest.raises(ValueError, match=message):
        keras.layers.Concatenate(axis=1)(
            [np.ones((1, 2, 1, 2, 1)), np.ones((1, 1, 1, 3, 1))]
        )
