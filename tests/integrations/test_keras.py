"""`Dataset.to_keras`: Keras 3 fit/evaluate/predict on the JAX and torch backends.

Keras reads KERAS_BACKEND when it is first imported, so each backend runs in
its own process: the script fits the same model twice from the same initial
weights, once on numpy arrays (``shuffle=False``) and once on ``to_keras()``,
and prints both runs' figures as JSON for the test to compare.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

_SCRIPT = textwrap.dedent(
    """
    import json
    import keras
    import numpy as np
    import pipeline as pl

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], "float32") + 0.3)[:, None]
    sw = rng.uniform(0.5, 2.0, size=64).astype("float32")
    xv, yv = x[:16] * 0.5, y[:16] * 0.5

    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, "relu"),
                              keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse", metrics=["mae"])
    init = model.get_weights()
    Ds = pl.data.Dataset
    out = {"backend": keras.backend.backend()}

    def run(name, *args, **kwargs):
        model.set_weights(init)
        h = model.fit(*args, verbose=0, **kwargs)
        out[name] = {k: [float(v) for v in vs] for k, vs in h.history.items()}

    run("np", x, y, batch_size=16, epochs=3, shuffle=False,
        validation_data=(xv, yv))
    train = Ds.from_tensor_slices((x, y)).batch(16)
    val = Ds.from_tensor_slices((xv, yv)).batch(16)
    run("pl", train.to_keras(), epochs=3, validation_data=val.to_keras())
    out["np_eval"] = model.evaluate(x, y, batch_size=16, verbose=0)
    out["pl_eval"] = model.evaluate(train.to_keras(), verbose=0)
    out["np_pred"] = model.predict(x, batch_size=16, verbose=0).ravel().tolist()
    only_x = Ds.from_tensor_slices(x).batch(16)
    out["pl_pred"] = model.predict(only_x.to_keras(), verbose=0).ravel().tolist()
    out["pl_pred_xy"] = model.predict(train.to_keras(), verbose=0).ravel().tolist()

    run("np_sw", x, y, sample_weight=sw, batch_size=16, epochs=2, shuffle=False)
    weighted = Ds.from_tensor_slices((x, y, sw)).batch(16)
    run("pl_sw", weighted.to_keras(), epochs=2)

    # steps_per_epoch=2 over 4 batches: epoch 2 goes on with batches 2 and 3
    model.set_weights(init)
    h1 = model.fit(x[:32], y[:32], batch_size=16, epochs=1, shuffle=False, verbose=0)
    h2 = model.fit(x[32:], y[32:], batch_size=16, epochs=1, shuffle=False, verbose=0)
    out["np_steps"] = h1.history["loss"] + h2.history["loss"]
    run("pl_steps", train.to_keras(), epochs=2, steps_per_epoch=2)

    # unknown cardinality: counted once; dict inputs reach a functional model
    inp = keras.Input((4,), name="feats")
    keras.utils.set_random_seed(2)
    fmodel = keras.Model({"feats": inp}, keras.layers.Dense(1)(inp))
    fmodel.compile(keras.optimizers.SGD(0.05), "mse")
    finit = fmodel.get_weights()
    h = fmodel.fit({"feats": x}, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    out["np_dict"] = h.history["loss"]
    fmodel.set_weights(finit)
    kept = Ds.from_tensor_slices(({"feats": x}, y)).filter(lambda f, t: True)
    keras_ds = kept.batch(16).to_keras()
    out["pl_dict_batches"] = keras_ds.num_batches
    out["pl_dict"] = fmodel.fit(keras_ds, epochs=2, verbose=0).history["loss"]
    print("RESULT " + json.dumps(out))
    """
)


def _run_backend(backend: str) -> dict:
    env = dict(os.environ, KERAS_BACKEND=backend, JAX_PLATFORMS="cpu")
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        capture_output=True, text=True, timeout=240, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    line = [s for s in done.stdout.splitlines() if s.startswith("RESULT ")][-1]
    return json.loads(line.removeprefix("RESULT "))


def _close(a, b) -> None:
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_fit_evaluate_predict_match_numpy_arrays(backend):
    out = _run_backend(backend)
    assert out["backend"] == backend
    assert len(out["pl"]["loss"]) == 3
    for key in ("loss", "mae", "val_loss", "val_mae"):
        _close(out["pl"][key], out["np"][key])
    assert out["pl"]["loss"][2] < out["pl"]["loss"][0]  # it trains
    _close(out["pl_eval"], out["np_eval"])
    _close(out["pl_pred"], out["np_pred"])
    _close(out["pl_pred_xy"], out["np_pred"])
    assert len(out["pl_pred"]) == 64
    _close(out["pl_sw"]["loss"], out["np_sw"]["loss"])
    assert not np.allclose(out["pl_sw"]["loss"], out["np"]["loss"][:2])
    _close(out["pl_steps"]["loss"], out["np_steps"])
    assert out["pl_dict_batches"] == 4
    _close(out["pl_dict"], out["np_dict"])


# The pass logic, without keras (it is imported by to_keras only).


def test_passes_restart_after_num_batches_and_close_their_threads(no_thread_leak):
    import pipeline as pl
    from pipeline.integrations.keras import _count, _Passes

    ds = pl.data.Dataset.range(5).batch(2)
    passes = _Passes(ds, _count(ds, None))
    got = [passes.next().tolist() for _ in range(6)]
    assert got == [[0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]
    assert passes.it is None  # the pass ended: its iterator is closed


def test_unknown_cardinality_is_counted_and_endless_passes_cycle():
    import pipeline as pl
    from pipeline.integrations.keras import _count, _Passes

    ds = pl.data.Dataset.range(7).filter(lambda v: v % 2 == 0).batch(3)
    assert ds.cardinality() == -2
    assert _count(ds, None) == 2
    assert _count(ds, -1) is None
    assert _count(pl.data.Dataset.range(3).repeat(), None) is None
    passes = _Passes(ds, None)
    got = [passes.next().tolist() for _ in range(3)]
    passes.close()
    assert got == [[0, 2, 4], [6], [0, 2, 4]]


@pytest.mark.parametrize("bad", [0, -3, 2.0, True])
def test_bad_num_batches_is_rejected(bad):
    import pipeline as pl
    from pipeline.errors import InvalidArgumentError
    from pipeline.integrations.keras import _count

    with pytest.raises(InvalidArgumentError, match="`num_batches` must be"):
        _count(pl.data.Dataset.range(3), bad)


def test_a_wrong_num_batches_fails_at_the_end_of_the_data():
    import pipeline as pl
    from pipeline.errors import OutOfRangeError
    from pipeline.integrations.keras import _Passes

    passes = _Passes(pl.data.Dataset.range(3).batch(2), 3)
    passes.next(), passes.next()
    with pytest.raises(OutOfRangeError, match="ended after 2 batches.*is 3"):
        passes.next()
    with pytest.raises(OutOfRangeError, match="no elements"):
        _Passes(pl.data.Dataset.range(0), None).next()
