"""The losses added for issue 14: names, serialization, gradients, training
and saving, and the Loss reduction rules beyond Keras's own cases."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers, losses

NEW_CLASSES = {
    "MeanAbsolutePercentageError": {},
    "MeanSquaredLogarithmicError": {},
    "CosineSimilarity": {"axis": -1},
    "LogCosh": {},
    "KLDivergence": {},
    "Poisson": {},
    "Hinge": {},
    "SquaredHinge": {},
    "CategoricalHinge": {},
    "BinaryFocalCrossentropy": {"apply_class_balancing": True, "alpha": 0.3},
    "CategoricalFocalCrossentropy": {"gamma": 1.5},
    "Dice": {"axis": (1,)},
    "Tversky": {"alpha": 0.3, "beta": 0.7, "axis": (1,)},
    "Circle": {"gamma": 8.0, "margin": 0.3},
    "CategoricalGeneralizedCrossEntropy": {"q": 0.7},
    "CTC": {},
}
FUNCTION_NAMES = {
    "mean_absolute_percentage_error": ["mape", "MAPE"],
    "mean_squared_logarithmic_error": ["msle", "MSLE"],
    "kl_divergence": ["kld", "KLD"],
    "binary_crossentropy": ["bce", "BCE"],
    "mean_squared_error": ["mse", "MSE"],
    "mean_absolute_error": ["mae", "MAE"],
    "cosine_similarity": [],
    "log_cosh": [],
    "poisson": [],
    "hinge": [],
    "squared_hinge": [],
    "categorical_hinge": [],
    "binary_focal_crossentropy": [],
    "categorical_focal_crossentropy": [],
    "dice": [],
    "tversky": [],
    "circle": [],
    "categorical_generalized_cross_entropy": [],
    "ctc": [],
}


@pytest.mark.parametrize("name", list(FUNCTION_NAMES))
def test_functions_resolve_by_name_and_alias(name):
    fn = getattr(losses, name)
    assert losses.get(name) is fn
    for alias in FUNCTION_NAMES[name]:
        assert losses.get(alias) is fn
        assert getattr(losses, alias) is fn
    assert losses.serialize(fn) == name
    assert losses.deserialize(name) is fn
    keras_form = {"module": "keras.losses", "class_name": "function", "config": name}
    assert losses.deserialize(keras_form) is fn


@pytest.mark.parametrize("cls_name", list(NEW_CLASSES))
def test_classes_resolve_and_round_trip(cls_name):
    cls = getattr(losses, cls_name)
    assert isinstance(losses.get(cls_name), cls)
    assert isinstance(losses.get(cls), cls)
    loss = cls(name="custom", reduction="sum", **NEW_CLASSES[cls_name])
    stored = losses.serialize(loss)
    assert stored["class_name"] == cls_name
    revived = losses.get(stored)
    assert type(revived) is cls and revived.get_config() == loss.get_config()
    y_true, y_pred = _inputs(cls_name)
    np.testing.assert_allclose(revived(y_true, y_pred), loss(y_true, y_pred), rtol=1e-6)


def test_keyword_arguments_keras_leaves_out_of_the_config_survive_serialize():
    cosine = losses.get(losses.serialize(losses.CosineSimilarity(axis=0)))
    assert cosine._fn_kwargs["axis"] == 0
    huber = losses.get(losses.serialize(losses.Huber(delta=0.25)))
    assert huber._fn_kwargs["delta"] == 0.25


def test_unknown_names_raise_value_error():
    with pytest.raises(ValueError, match="Could not interpret loss identifier 'typo'"):
        losses.get("typo")
    with pytest.raises(ValueError, match="typo"):
        losses.deserialize({"class_name": "typo", "config": {}})


def _inputs(cls_name):
    rng = np.random.default_rng(7)
    y_pred = rng.uniform(0.05, 0.95, size=(4, 3)).astype(np.float32)
    if cls_name in ("Hinge", "SquaredHinge"):
        return rng.choice([-1.0, 1.0], size=(4, 3)), y_pred
    if cls_name == "CTC":  # labels 1..2 (0 pads), logits of 4 steps
        return np.array([[1, 2], [2, 0]]), rng.normal(size=(2, 4, 3)).astype(np.float32)
    if cls_name in ("Circle", "CategoricalGeneralizedCrossEntropy"):
        return np.array([0, 1, 0, 2]), y_pred
    if cls_name == "MeanAbsolutePercentageError":
        return rng.uniform(0.5, 1.5, size=(4, 3)), y_pred
    if cls_name in ("CategoricalHinge", "CategoricalFocalCrossentropy", "KLDivergence"):
        return np.eye(3)[[0, 2, 1, 1]], y_pred
    return (rng.uniform(size=(4, 3)) > 0.5).astype(np.float32), y_pred


@pytest.mark.parametrize("cls_name", list(NEW_CLASSES))
def test_gradients_match_finite_differences(cls_name):
    loss = getattr(losses, cls_name)(**NEW_CLASSES[cls_name])
    y_true, y_pred = _inputs(cls_name)
    x = nn.constant(y_pred.astype(np.float64))
    as64 = getattr(losses, cls_name)(dtype="float64", **NEW_CLASSES[cls_name])
    with nn.GradientTape() as tape:
        tape.watch(x)
        value = as64(y_true, x)
    grad = tape.gradient(value, x).numpy()
    step, numeric = 1e-6, np.zeros_like(y_pred, dtype=np.float64)
    for index in np.ndindex(*y_pred.shape):
        hi, lo = y_pred.astype(np.float64), y_pred.astype(np.float64)
        hi[index] += step
        lo[index] -= step
        numeric[index] = (float(as64(y_true, hi)) - float(as64(y_true, lo))) / (
            2 * step
        )
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)
    assert np.isfinite(float(loss(y_true, y_pred)))


@pytest.mark.parametrize(
    "loss, activation",
    [("mape", "linear"), ("msle", "relu"), ("kld", "softmax"), ("poisson", "softplus"),
     ("log_cosh", "linear"), ("cosine_similarity", "linear"), ("hinge", "tanh"),
     ("squared_hinge", "tanh"), ("categorical_hinge", "linear"),
     ("binary_focal_crossentropy", "sigmoid"),
     ("categorical_focal_crossentropy", "softmax"),
     ("Dice", "sigmoid"), ("Tversky", "sigmoid")],
)  # fmt: skip
def test_compile_by_name_trains(loss, activation):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(32, 4)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 32)]
    y = y + 1.0 if loss == "mape" else y  # targets away from 0 (MAPE divides by them)
    model = nn.Sequential([layers.Input((4,)), layers.Dense(3, activation=activation)])
    rate = 0.001 if loss == "mape" else 0.1  # MAPE's gradients are 100x larger
    model.compile(optimizer=nn.optimizers.SGD(rate), loss=loss)
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0).history["loss"]
    assert all(np.isfinite(history))
    assert model.evaluate(x, y, verbose=0) < before


def test_saved_model_keeps_a_new_loss_object(tmp_path):
    model = nn.Sequential([layers.Input((2,)), layers.Dense(2, activation="sigmoid")])
    model.compile(optimizer="sgd", loss=losses.Tversky(alpha=0.1, beta=0.9, axis=(1,)))
    x = np.ones((4, 2), np.float32)
    model.fit(x, x, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = nn.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        loaded.evaluate(x, x, verbose=0), model.evaluate(x, x, verbose=0), rtol=1e-6
    )


def test_loss_dtype_is_read_only_and_float64_computes_in_float64():
    loss = losses.MeanSquaredError(dtype="float64")
    assert loss.dtype == "float64"
    assert loss([[1.0]], [[0.5]]).dtype == np.float64
    with pytest.raises(AttributeError):
        loss.dtype = "float32"
    with pytest.raises(ValueError, match="dtype"):
        losses.MeanSquaredError(dtype="int32")


def test_weight_of_the_batch_axis_broadcasts_over_trailing_axes():
    # Keras cannot broadcast a (2,) weight against (2, 3) values; we read it
    # from the batch axis, as this project did before.
    loss = losses.LossFunctionWrapper(lambda t, p: (t - p) ** 2, reduction="sum")
    value = loss(np.zeros((2, 3)), np.ones((2, 3)), sample_weight=[1.0, 0.0])
    assert float(value) == 3.0


def test_everything_ignored_keeps_gradient_at_zero_not_nan():
    loss = losses.SparseCategoricalCrossentropy(ignore_class=1)
    x = nn.constant(np.full((2, 2), 0.5, np.float32))
    with nn.GradientTape() as tape:
        tape.watch(x)
        value = loss([1, 1], x)
    assert float(value) == 0.0
    assert tape.gradient(value, x).numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_mask_of_a_masking_layer_reaches_the_loss_in_evaluate():
    # Timesteps of all zeros are masked: outputs 2, 4, 4 are kept (Keras: 12.0).
    x = np.zeros((2, 3, 2), np.float32)
    x[0, 0], x[1, :2] = 1.0, 2.0
    y = np.zeros((2, 3, 1), np.float32)
    model = nn.Sequential(
        [
            layers.Input((3, 2)),
            layers.Masking(0.0),
            layers.Dense(1, kernel_initializer="ones"),
        ]
    )
    model.compile(loss="mse")
    assert model.evaluate(x, y, verbose=0) == pytest.approx((4 + 16 + 16) / 3)
    assert float(losses.MeanSquaredError()(y, model(x))) == pytest.approx(12.0)


def test_default_name_is_keras_auto_name():
    class CTCLossExample(losses.Loss):
        def call(self, y_true, y_pred):
            return y_pred

    first, second = CTCLossExample(), CTCLossExample()
    assert first.name == "ctc_loss_example"  # Keras's snake case
    assert second.name == "ctc_loss_example_1"  # then a counter
