"""``fit``'s step plan (pipeline/nn/models/step_plan.py) for Dense chains.

Each planned model is trained twice from the same weights, once with the plan
and once with it off (``step_plan.disabled``): the history (loss and metrics)
and the weights after several epochs must be equal bit for bit, and the plan
must have run (its steps are counted). Every case outside the plan must take
the general path (no planned step) and still train.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import nn
from pipeline.errors import InvalidArgumentError
from pipeline.nn import constraints, layers, losses, optimizers, regularizers
from pipeline.nn.models import step_plan


@pytest.fixture
def planned(monkeypatch):
    """Counts the steps the plan runs."""
    counts = {"steps": 0}
    original = step_plan.StepPlan.step

    def counting(self, *args):
        counts["steps"] += 1
        return original(self, *args)

    monkeypatch.setattr(step_plan.StepPlan, "step", counting)
    return counts


def _data(rows=90, features=12, classes=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, features)).astype(np.float32)
    return x, rng.integers(0, classes, rows)


def _seed_mlp():
    return nn.Sequential(
        [
            layers.Input((12,)),
            layers.Flatten(),
            layers.Dense(16, activation="relu"),
            layers.Dense(5, activation="softmax"),
        ]
    )


def _functional_logits():
    inputs = layers.Input((12,))
    h = layers.Dense(16, activation="relu")(inputs)
    h = layers.Dense(8, use_bias=False)(h)
    return nn.Model(inputs, layers.Dense(5)(h))


def _twin_fits(make, compile_kwargs, x, y, **fit_kwargs):
    """(history, weights) with the plan on, then off, from the same weights."""
    results, start = [], None
    for on in (True, False):
        model = make()
        start = start or [w.numpy().copy() for w in model.weights]
        model.set_weights(start)
        # an optimizer instance is made afresh for each fit (its state is per fit)
        model.compile(
            **{
                k: v() if isinstance(v, types.FunctionType) else v
                for k, v in compile_kwargs.items()
            }
        )
        args = {**dict(batch_size=16, epochs=3, verbose=0, shuffle=False), **fit_kwargs}
        if on:
            history = model.fit(x, y, **args)
        else:
            with step_plan.disabled():
                history = model.fit(x, y, **args)
        results.append((history.history, [w.numpy() for w in model.weights]))
    return results


def _assert_same(results):
    (h_on, w_on), (h_off, w_off) = results
    assert h_on == h_off
    for a, b in zip(w_on, w_off, strict=True):
        np.testing.assert_array_equal(a, b)


SCCE = "sparse_categorical_crossentropy"
_LOGITS = losses.SparseCategoricalCrossentropy(from_logits=True)


@pytest.mark.parametrize(
    ("make", "loss", "labels_column"),
    [
        (_seed_mlp, SCCE, False),
        (_seed_mlp, losses.SparseCategoricalCrossentropy(), True),
        (
            _functional_logits,
            losses.SparseCategoricalCrossentropy(from_logits=True),
            False,
        ),
    ],
)
def test_planned_fit_is_bit_identical_to_the_general_path(
    planned, make, loss, labels_column
):
    x, y = _data()
    if labels_column:
        y = y.reshape(-1, 1)
    kwargs = dict(optimizer="adam", loss=loss, metrics=["accuracy"])
    results = _twin_fits(make, kwargs, x, y)
    _assert_same(results)
    # 6 batches x 3 epochs; the first step builds the loss and optimizer
    assert planned["steps"] == 17
    assert set(results[0][0]) == {"loss", "accuracy"}


def test_a_ragged_last_batch_and_sgd_momentum_stay_identical(planned):
    x, y = _data(rows=90)
    kwargs = dict(optimizer=lambda: optimizers.SGD(0.05, momentum=0.9), loss=SCCE)
    _assert_same(_twin_fits(_seed_mlp, kwargs, x, y))
    assert planned["steps"] == 17


def test_gradient_clipping_is_the_optimizer_s_own_and_stays_identical(planned):
    x, y = _data()
    kwargs = dict(optimizer=lambda: optimizers.Adam(clipnorm=0.01), loss=SCCE)
    _assert_same(_twin_fits(_seed_mlp, kwargs, x, y))
    assert planned["steps"] == 17


def test_the_switch_turns_the_plan_off(planned):
    x, y = _data()
    model = _seed_mlp()
    model.compile(optimizer="adam", loss=SCCE)
    with step_plan.disabled():
        model.fit(x, y, batch_size=16, epochs=2, verbose=0)
        assert step_plan.build(model) is None
    assert planned["steps"] == 0
    assert step_plan.build(model) is not None


def _wide_and_deep():
    inputs = layers.Input((12,))
    deep = layers.Dense(16, activation="relu")(inputs)
    deep = layers.Flatten()(layers.Dense(8, activation="relu")(deep))
    out = layers.Add()([layers.Dense(1)(inputs), layers.Dense(1)(deep)])
    return nn.Model(inputs, out)


def _hidden_softmax():
    return nn.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(8, activation="softmax"),
            layers.Dense(5, activation="softmax"),
        ]  # fmt: skip
    )


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_wide_and_deep_with_mse_is_bit_identical(planned, optimizer):
    x, _ = _data()
    y = (x[:, :1] * x[:, 1:2] + 0.1 * x[:, 2:3]).astype(np.float32)
    kwargs = dict(optimizer=optimizer, loss="mse", metrics=["mae"])
    results = _twin_fits(_wide_and_deep, kwargs, x, y)
    _assert_same(results)
    assert planned["steps"] == 17


def test_branches_joined_by_add_with_logits_are_bit_identical(planned):
    def make():
        inputs = layers.Input((12,))
        out = layers.Add()(
            [layers.Dense(5)(inputs), layers.Dense(5, use_bias=False)(inputs)]
        )
        return nn.Model(inputs, out)

    x, y = _data()
    _assert_same(_twin_fits(make, dict(optimizer="adam", loss=_LOGITS), x, y))
    assert planned["steps"] == 17


def _with_dropout():
    return nn.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.0),
            layers.Dense(5, activation="softmax"),
        ]  # fmt: skip
    )


def _regularized():
    return nn.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(
                5, activation="softmax", kernel_regularizer=regularizers.L2(0.01)
            ),
        ]  # fmt: skip
    )


def _constrained():
    return nn.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(
                5, activation="softmax", kernel_constraint=constraints.NonNeg()
            ),
        ]  # fmt: skip
    )


def _tanh_hidden():
    return nn.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(8, activation="tanh"),
            layers.Dense(5, activation="softmax"),
        ]  # fmt: skip
    )


def _shared_value():
    inputs = layers.Input((12,))
    h = layers.Dense(5, activation="relu")(inputs)
    return nn.Model(inputs, layers.Add()([layers.Dense(5)(h), h]))


def _shared_layer():
    inputs = layers.Input((12,))
    dense = layers.Dense(12, activation="relu")
    return nn.Model(inputs, layers.Dense(5)(dense(dense(inputs))))


def _two_outputs():
    inputs = layers.Input((12,))
    return nn.Model(inputs, [layers.Dense(5)(inputs), layers.Dense(5)(inputs)])


class _OwnStep(nn.Sequential):
    def train_step(self, data):
        return super().train_step(data)


def _own_step():
    return _OwnStep([layers.Input((12,)), layers.Dense(5, activation="softmax")])


EXCLUDED = {
    "dropout layer": (_with_dropout, SCCE, {}),
    "kernel regularizer": (_regularized, SCCE, {}),
    "kernel constraint": (_constrained, SCCE, {}),
    "tanh hidden activation": (_tanh_hidden, SCCE, {}),
    "a value feeding two nodes": (_shared_value, _LOGITS, {}),
    "a layer called twice": (_shared_layer, _LOGITS, {}),
    "custom train_step": (_own_step, SCCE, {}),
    "mae loss": (_wide_and_deep, "mae", {}),
    "hidden softmax": (_hidden_softmax, SCCE, {}),
    "softmax output with mse": (_seed_mlp, "mse", {}),
    "ignore_class": (
        _seed_mlp,
        losses.SparseCategoricalCrossentropy(ignore_class=0),
        {},
    ),
    "probabilities without softmax": (_functional_logits, SCCE, {}),
    "loss weights": (_seed_mlp, SCCE, {"loss_weights": 2.0}),
    "loss scaling": (
        _seed_mlp,
        SCCE,
        {"optimizer": optimizers.Adam(loss_scale_factor=4.0)},
    ),
}


@pytest.mark.parametrize("case", sorted(EXCLUDED))
def test_models_outside_the_plan_take_the_general_path(planned, case):
    make, loss, extra = EXCLUDED[case]
    x, y = _data()
    model = make()
    if loss in ("mse", "mae"):
        y = np.eye(5, dtype=np.float32)[y][:, : model.outputs[0].shape[-1]]
    model.compile(**{"optimizer": "adam", "loss": loss, **extra})
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert planned["steps"] == 0
    assert np.isfinite(history.history["loss"]).all()


@pytest.mark.parametrize("case", ["sample_weight", "class_weight", "float64 x"])
def test_batches_outside_the_plan_take_the_general_path(planned, case):
    x, y = _data()
    fit = dict(batch_size=16, epochs=1, verbose=0, shuffle=False)
    if case == "sample_weight":
        fit["sample_weight"] = np.linspace(0.5, 1.5, len(y))
    elif case == "class_weight":
        fit["class_weight"] = {k: 1.0 + k for k in range(5)}
    elif case == "float64 x":
        x = x.astype(np.float64)
    results = _twin_fits(_seed_mlp, dict(optimizer="adam", loss=SCCE), x, y, **fit)
    _assert_same(results)
    assert planned["steps"] == 0


def test_float_labels_are_read_as_the_loss_reads_them(planned):
    x, y = _data()
    y = y + 0.75  # float32, then int64: the class ids again
    results = _twin_fits(_seed_mlp, dict(optimizer="adam", loss=SCCE), x, y)
    _assert_same(results)
    assert planned["steps"] == 17


def test_out_of_range_labels_raise_the_general_path_s_error(planned):
    x, y = _data()
    model = _seed_mlp()
    model.compile(optimizer="adam", loss=SCCE)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    y[40] = 7
    with pytest.raises(InvalidArgumentError, match="label value of 7"):
        model.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)


def test_no_gradient_flows_to_values_computed_from_the_input_alone():
    # the general path's tape tracks no such value: a Flatten of the input must
    # not cost the plan an input-gradient product
    x, y = _data()
    model = _seed_mlp()
    model.compile(optimizer="adam", loss=SCCE)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    plan = step_plan.build(model)
    assert [type(layer).__name__ for layer, _, _ in plan.ops] == [
        "Flatten",
        "Dense",
        "Dense",
    ]
    assert plan.tracked == {2, 3}


class _Shrink(nn.callbacks.Callback):
    """Halves the first kernel after every batch (weights changed outside the step)."""

    def on_train_batch_end(self, batch, logs=None):
        kernel = self.model.layers[-2].kernel
        kernel.assign(kernel.numpy() * np.float32(0.5))


def test_weights_changed_by_a_callback_are_read_at_every_step(planned):
    x, y = _data()
    results = _twin_fits(
        _seed_mlp, dict(optimizer="adam", loss=SCCE), x, y, callbacks=[_Shrink()]
    )
    _assert_same(results)
    assert planned["steps"] == 17


def test_a_sequential_without_an_input_layer_stays_identical(planned):
    def make():
        model = nn.Sequential(
            [layers.Dense(8, activation="relu"), layers.Dense(5, activation="softmax")]
        )
        model.build((None, 12))
        return model

    x, y = _data()
    kwargs = dict(optimizer="adam", loss=SCCE, metrics=["accuracy"])
    _assert_same(_twin_fits(make, kwargs, x, y))
    assert planned["steps"] == 17


def test_the_environment_switch_turns_the_plan_off(planned, monkeypatch):
    x, y = _data()
    model = _seed_mlp()
    model.compile(optimizer="adam", loss=SCCE)
    monkeypatch.setenv("PIPELINE_STEP_PLAN", "off")
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert planned["steps"] == 0
    monkeypatch.setenv("PIPELINE_STEP_PLAN", "on")
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert planned["steps"] == 6


def test_fortran_ordered_batches_stay_identical(planned):
    x, y = _data()
    x = np.asfortranarray(x)
    results = _twin_fits(_seed_mlp, dict(optimizer="adam", loss=SCCE), x, y)
    _assert_same(results)
    assert planned["steps"] == 17


def test_a_flatten_output_takes_the_general_path(planned):
    inputs = layers.Input((12,))
    model = nn.Model(inputs, layers.Flatten()(layers.Dense(5)(inputs)))
    model.compile(optimizer="adam", loss=_LOGITS)
    x, y = _data()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert planned["steps"] == 0


@settings(max_examples=12)
@given(
    widths=st.lists(st.integers(1, 9), min_size=0, max_size=2),
    relu=st.lists(st.booleans(), min_size=2, max_size=2),
    classes=st.integers(2, 6),
    rows=st.integers(1, 40),
    batch=st.integers(1, 16),
    softmax=st.booleans(),
)
def test_random_dense_stacks_train_bit_identically(
    widths, relu, classes, rows, batch, softmax
):
    def make():
        stack = [layers.Input((7,))]
        for width, on in zip(widths, relu, strict=False):
            stack.append(layers.Dense(width, activation="relu" if on else None))
        stack.append(layers.Dense(classes, activation="softmax" if softmax else None))
        return nn.Sequential(stack)

    # two epochs: at least one step after the first, so the plan runs
    x, y = _data(rows=rows, features=7, classes=classes, seed=rows)
    loss = SCCE if softmax else _LOGITS
    results = _twin_fits(
        make, dict(optimizer="adam", loss=loss, metrics=["accuracy"]), x, y,
        batch_size=batch, epochs=2,
    )  # fmt: skip
    _assert_same(results)
