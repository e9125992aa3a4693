"""Gradient accumulation, EMA of variables and loss scaling, with Keras 3's rules.

Every expected number is derived by hand in the comments (plain SGD, or Adam's
first step, where ``|Δw| = lr`` up to epsilon). The same cases were cross-checked
against Keras 3.15 / TF 2.21 when this was written, to 6 decimals.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers, optimizers, schedules
from pipeline.nn.tensor import IndexedSlices, Variable


def _steps(opt, w, grads):
    out = []
    for g in grads:
        opt.apply_gradients([(np.array([g], np.float32), w)])
        out.append(float(np.asarray(w.numpy())[0]))
    return out


def _w(value=0.0):
    return Variable(np.array([value], np.float32), name="w")


# ----------------------------------------------------------- accumulation


def test_accumulation_applies_the_mean_every_n_steps():
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=2)
    w = _w()
    # steps 1-2: mean(1, 3) = 2; steps 3-4: mean(2, 2) = 2
    assert _steps(opt, w, [1.0, 3.0, 2.0, 2.0]) == [0.0, -2.0, -2.0, -4.0]
    assert int(opt.iterations) == 2  # applied updates
    assert int(opt.variables[0]) == 4  # every step
    assert [v.name.split("/")[-1] for v in opt.variables[2:]] == [
        "w_gradient_accumulator"
    ]


def test_accumulated_update_counts_updates_for_adam_bias_correction():
    # Adam's first update (t = 1) moves by lr·ĝ/|ĝ| = lr (epsilon aside); were t
    # the raw step count 2, it would move by about 0.744·lr.
    opt = optimizers.Adam(0.1, gradient_accumulation_steps=2)
    w = _w()
    moved = _steps(opt, w, [0.5, 0.5])
    assert moved[0] == 0.0
    assert moved[1] == pytest.approx(-0.1, rel=1e-4)


def test_schedules_see_every_step_under_accumulation():
    # The update happens at raw step 1, where the rate is already 0.5.
    rate = schedules.PiecewiseConstantDecay([0], [1.0, 0.5])
    opt = optimizers.SGD(rate, gradient_accumulation_steps=2)
    w = _w()
    assert _steps(opt, w, [1.0, 3.0]) == [0.0, -1.0]


def test_accumulation_clips_the_mean_and_densifies_row_slices():
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=2, clipvalue=1.5)
    table = Variable(np.zeros((3, 1), np.float32), name="table")
    for rows in ([0, 0], [2, 0]):
        g = IndexedSlices(np.ones((2, 1), np.float32), np.array(rows), (3, 1))
        opt.apply_gradients([(g, table)])
    # row 0 got 1+1+1 = 3 -> mean 1.5; row 2 got 1 -> mean 0.5
    np.testing.assert_allclose(table.numpy().ravel(), [-1.5, 0.0, -0.5])


# -------------------------------------------------------------------- EMA


def test_ema_starts_at_the_value_then_decays():
    opt = optimizers.SGD(0.5, use_ema=True, ema_momentum=0.5)
    w = _w(1.0)
    # w: 0.5, 0.0, -0.5; average: 0.5 (first step), 0.25, -0.125
    assert _steps(opt, w, [1.0, 1.0, 1.0]) == [0.5, 0.0, -0.5]
    opt.finalize_variable_values([w])
    assert float(w.numpy()[0]) == -0.125
    assert [v.name.split("/")[-1] for v in opt.variables[2:]] == ["w_average"]


def test_ema_overwrite_frequency():
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    w = _w()
    # w +1 each step, set to the average after steps 2 and 4:
    # w 1, 2 -> avg 1.5 (w = 1.5), w 2.5 -> avg 2, w 3.5 -> avg 2.75 (w = 2.75)
    assert _steps(opt, w, [-1.0] * 4) == [1.0, 1.5, 2.5, 2.75]


def test_ema_under_accumulation_starts_over_the_first_n_steps():
    # iterations (updates) stays 0 for the first 2 steps, so the momentum is 0
    # there: the average equals w until the first update has been counted.
    opt = optimizers.SGD(
        1.0, gradient_accumulation_steps=2, use_ema=True, ema_momentum=0.5
    )
    w = _w()
    # w: 0, 2, 2, 6; updates counted before each EMA step: 0, 0, 1, 1
    # average: 0 (m=0), 2 (m=0), 0.5·2 + 0.5·2 = 2, 0.5·2 + 0.5·6 = 4
    _steps(opt, w, [-2.0, -2.0, -4.0, -4.0])
    assert float(opt._averages[0].value[0]) == 4.0


def _model():
    model = nn.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.set_weights([np.ones((2, 1), np.float32), np.zeros(1, np.float32)])
    return model


def test_fit_finalizes_ema_before_on_train_end():
    seen = []

    class Record(nn.callbacks.Callback):
        def on_train_end(self, logs=None):
            seen.append([w.copy() for w in self.model.get_weights()])

    model = _model()
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.9)
    model.compile(optimizer=opt, loss="mse")
    x = np.arange(16, dtype=np.float32).reshape(8, 2) / 10
    model.fit(x, x[:, :1], batch_size=2, epochs=2, verbose=0, callbacks=[Record()])
    averages = [a.numpy() for a in opt._averages]
    for got, want in zip(model.get_weights(), averages, strict=True):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(seen[0], averages, strict=True):
        np.testing.assert_array_equal(got, want)


# ------------------------------------------------------------ loss scaling


def test_loss_scale_factor_divides_gradients_back():
    opt = optimizers.SGD(1.0, loss_scale_factor=4.0)
    assert float(opt.scale_loss(np.float32(0.5))) == 2.0
    w = _w()
    assert _steps(opt, w, [8.0]) == [-2.0]


def test_fit_with_loss_scaling_matches_unscaled_training():
    # A power-of-two factor scales and unscales exactly.
    x = np.arange(16, dtype=np.float32).reshape(8, 2) / 10
    runs = []
    for factor in (None, 1024.0):
        model = _model()
        model.compile(
            optimizer=optimizers.Adam(0.1, loss_scale_factor=factor), loss="mse"
        )
        history = model.fit(
            x, x[:, :1], batch_size=4, epochs=3, verbose=0, shuffle=False
        )
        runs.append((history.history["loss"], model.get_weights()))
    assert runs[0][0] == runs[1][0]  # the logged loss is unscaled
    for a, b in zip(runs[0][1], runs[1][1], strict=True):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------- checks and state


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"gradient_accumulation_steps": 1}, "gradient_accumulation_steps"),
        ({"use_ema": True, "ema_momentum": 1.5}, "ema_momentum"),
        ({"use_ema": True, "ema_overwrite_frequency": 2.5}, "ema_overwrite"),
    ],
)
def test_invalid_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.SGD(**kwargs)


def test_saved_model_resumes_with_ema_and_accumulation(tmp_path):
    x = np.arange(24, dtype=np.float32).reshape(12, 2) / 10
    model = _model()
    model.compile(
        optimizer=optimizers.Adam(
            0.05, use_ema=True, ema_overwrite_frequency=3, gradient_accumulation_steps=2
        ),
        loss="mse",
    )
    model.fit(x, x[:, :1], batch_size=4, epochs=1, verbose=0, shuffle=False)
    model.save(tmp_path / "m.keras")
    loaded = nn.load_model(tmp_path / "m.keras")
    config = loaded.optimizer.get_config()
    assert config["use_ema"] and config["gradient_accumulation_steps"] == 2
    a = model.fit(x, x[:, :1], batch_size=4, epochs=2, verbose=0, shuffle=False)
    b = loaded.fit(x, x[:, :1], batch_size=4, epochs=2, verbose=0, shuffle=False)
    assert a.history == b.history
    for wa, wb in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
