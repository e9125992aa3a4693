"""Keras 3's layer-call cases (keras/src/layers/layer_test.py): how ``training``
reaches nested layers, how masks travel, and how losses reset per call."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close, to_array


def _tensor(keras, value):
    return keras.ops.convert_to_tensor(np.asarray(value, dtype="float32"))


def _masked(keras, value, mask):
    tensor = _tensor(keras, value)
    tensor._keras_mask = _tensor(keras, mask)
    return tensor


def _training_layer(keras, explicit=None):
    class TrainingLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dp = keras.layers.Dropout(0.9)

        def call(self, x, training=False):
            if explicit is None:
                return self.dp(x)
            return self.dp(x, training=explicit)

    return TrainingLayer()


def test_training_reaches_a_nested_dropout(keras):
    layer = _training_layer(keras)
    x = np.ones((4, 4))
    assert float(to_array(keras.ops.min(layer(x)))) == 1.0
    assert float(to_array(keras.ops.min(layer(x, training=True)))) == 0.0


def test_training_reaches_two_levels_down(keras):
    inner = _training_layer(keras)

    class Wrapped(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dp = inner

        def call(self, x, training=False):
            return self.dp(x)

    layer = Wrapped()
    x = np.ones((4, 4))
    assert float(to_array(keras.ops.min(layer(x)))) == 1.0
    assert float(to_array(keras.ops.min(layer(x, training=True)))) == 0.0


def test_an_explicit_inner_training_value_wins(keras):
    layer = _training_layer(keras, explicit=True)
    y = layer(np.ones((4, 4)), training=False)
    assert float(to_array(keras.ops.min(y))) == 0.0


def test_a_failed_call_leaves_no_training_behind(keras):
    class BadLayer(keras.layers.Layer):
        def call(self, x, training=False):
            raise RuntimeError("oops!")

    x = np.ones((4, 4))
    with pytest.raises(RuntimeError, match="oops"):
        BadLayer()(x, training=True)
    y = _training_layer(keras)(x)
    assert float(to_array(keras.ops.min(y))) == 1.0


def test_training_given_to_a_layer_whose_call_lacks_it(keras):
    class NoTrainingSpecified(keras.layers.Layer):
        def build(self, input_shape):
            self.activation = keras.layers.Activation("linear")

        def call(self, inputs):
            return self.activation(inputs)

    x = np.random.default_rng(0).uniform(size=(1, 10, 10, 3)).astype("float32")
    assert_close(NoTrainingSpecified()(x, training=True), x)


def test_subclassed_model_trains_its_dropout(keras):
    # The case: 0 of 2,000 values were dropped.
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.drop = keras.layers.Dropout(0.5, seed=1)

        def call(self, x):
            return self.drop(x)

    out = to_array(Net()(np.ones((2, 1000), "float32"), training=True))
    dropped = int((out == 0).sum())
    assert 800 < dropped < 1200
    assert_close(out[out != 0], 2.0)


def test_subclassed_model_trains_its_batch_normalization(keras):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.bn = keras.layers.BatchNormalization()

        def call(self, x):
            return self.bn(x)

    net = Net()
    x = np.array([[0.0], [2.0], [4.0]], "float32")
    assert_close(net(x), x / np.sqrt(1.0 + 1e-3), atol=1e-5)
    out = to_array(net(x, training=True))
    assert_close(out, (x - 2.0) / np.sqrt(8.0 / 3.0 + 1e-3), atol=1e-5)
    assert_close(net.bn.moving_mean, [0.02], atol=1e-6)


def _masked_layer_class(keras, check):
    class Masked(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x, mask=None):
            check(x, mask)
            return x

    return Masked


def test_a_mask_on_the_input_reaches_call(keras):
    seen = []
    layer = _masked_layer_class(keras, lambda x, mask: seen.append(mask))()
    layer(_masked(keras, np.ones((4, 4)), np.ones((4,))))
    layer(_tensor(keras, np.ones((4, 4))), mask=_tensor(keras, np.ones((4,))))
    assert len(seen) == 2 and all(m is not None for m in seen)


def test_nested_inputs_give_a_list_of_masks(keras):
    seen = []
    layer = _masked_layer_class(keras, lambda x, mask: seen.append((x, mask)))()
    x1 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    x2 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    layer([x1, x2])
    layer(
        [_tensor(keras, np.ones((4, 4))), _tensor(keras, np.ones((4, 4)))],
        mask=[_tensor(keras, np.ones((4,))), _tensor(keras, np.ones((4,)))],
    )
    for x, mask in seen:
        assert isinstance(x, list) and len(x) == 2
        assert isinstance(mask, list) and len(mask) == 2


def test_each_positional_input_gets_its_own_mask_argument(keras):
    seen = []

    class Positional(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x1, x2, x1_mask=None, x2_mask=None):
            seen.append((x1_mask, x2_mask))
            return x1 + x2

    layer = Positional()
    x1 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    x2 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    layer(x1, x2)
    layer(x1=x1, x2=x2)
    assert len(seen) == 2
    assert all(m1 is not None and m2 is not None for m1, m2 in seen)


def test_nested_positional_inputs_get_tuples_of_masks(keras):
    seen = []

    class Nested(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x1, x2, x1_mask=None, x2_mask=None):
            seen.append((type(x1), x1_mask, x2_mask))
            return x1[0] + x1[1] + x2

    layer = Nested()
    x1_1 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    x1_2 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    x2 = _masked(keras, np.ones((4, 4)), np.ones((4,)))
    layer((x1_1, x1_2), x2)
    layer(x1=(x1_1, x1_2), x2=x2)
    for kind, m1, m2 in seen:
        assert kind is tuple and isinstance(m1, tuple) and m2 is not None


def test_the_input_mask_is_kept_when_call_unsets_it(keras):
    def unset(x, mask):
        assert mask is not None
        x._keras_mask = None

    layer = _masked_layer_class(keras, unset)()
    y = layer(_masked(keras, np.ones((4, 4)), np.ones((4,))))
    assert_close(y._keras_mask, np.ones((4,)))


def test_an_explicit_mask_is_passed_on_to_the_output(keras):
    used = []
    layer = _masked_layer_class(keras, lambda x, mask: used.append(mask is not None))()
    x = _tensor(keras, np.ones((4, 4)))
    assert getattr(x, "_keras_mask", None) is None
    explicit = keras.ops.convert_to_tensor(np.array([True, True, False, False]))
    y = layer(x, mask=explicit)
    assert used == [True]
    assert to_array(y._keras_mask).tolist() == [True, True, False, False]


def test_masked_positions_do_not_count_in_the_loss(keras):
    model = keras.Sequential(
        [keras.layers.Embedding(2, 2, mask_zero=True, embeddings_initializer="ones")]
    )
    model.compile(loss="mse")
    targets = np.array([[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [1.0, 1.0]]])
    loss = model.evaluate(np.array([[1, 0, 0, 1]]), targets, verbose=0)
    assert_close(loss, 0.0)


def _identity_layer(keras, **kwargs):
    class Identity(keras.layers.Layer):
        def call(self, x):
            return x

    return Identity(**kwargs)


def test_activity_penalty_resets_on_each_call(keras):
    layer = _identity_layer(keras, activity_regularizer="l1")
    layer(np.ones((1,)))
    assert len(layer.losses) == 1
    assert_close(layer.losses[0], 0.01)
    layer(np.ones((1,)))
    assert len(layer.losses) == 1
    assert_close(layer.losses[0], 0.01)


def test_activity_penalty_is_not_computed_on_symbolic_inputs(keras):
    layer = _identity_layer(keras, activity_regularizer="l1")
    layer(keras.Input(batch_shape=(2, 2)))
    assert len(layer.losses) == 0


@pytest.mark.parametrize("batch_size", [0, 1, 5, 10])
def test_activity_penalty_is_per_sample(keras, batch_size):
    layer = _identity_layer(keras, activity_regularizer="l2")
    layer(np.ones((batch_size, 5), "float32") * 2.0)
    assert len(layer.losses) == 1
    assert_close(layer.losses[0], 0.0 if batch_size == 0 else 0.2, atol=1e-6)


def test_added_losses_reset_per_call_and_reach_enclosing_models(keras):
    class LossLayer(keras.layers.Layer):
        def call(self, x):
            self.add_loss(keras.ops.sum(x))
            return x

    layer = LossLayer()
    layer(np.ones((1,)))
    layer(np.ones((1,)))
    assert len(layer.losses) == 1
    assert_close(layer.losses[0], 1.0)
    model = keras.Sequential([layer])
    model(np.ones((1,)))
    assert len(model.losses) == 1
    assert_close(model.losses[0], 1.0)
    outer = keras.Sequential([model])
    outer(np.ones((1,)))
    assert len(outer.losses) == 1
    assert_close(outer.losses[0], 1.0)
