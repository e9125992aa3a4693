"""A Sequential model that starts with DenseFeatures trains, saves and reloads.

The reload runs in a fresh process that never imports pipeline.feature_column
itself: the saved config alone must bring the columns back.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np

import pipeline as pl

fc = pl.feature_column
_FEATURES = {
    "sq_footage": np.array([[1000.0], [2000.0], [1500.0]], np.float32),
    "type": np.array([[b"house"], [b"apt"], [b"house"]], dtype=object),
}


def _model():
    columns = [
        fc.numeric_column("sq_footage"),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_list("type", ["house", "apt"])
        ),
    ]
    return pl.nn.Sequential([fc.DenseFeatures(columns), pl.nn.layers.Dense(1)])


def test_sequential_builds_from_dict_inputs_and_trains():
    model = _model()
    model.compile("sgd", "mse")
    history = model.fit(_FEATURES, np.ones((3, 1), np.float32), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(_FEATURES, verbose=0).shape == (3, 1)


def test_saved_model_reloads_in_a_fresh_process(tmp_path):
    model = _model()
    model.compile("adam", "mse")
    model.fit(_FEATURES, np.ones((3, 1), np.float32), epochs=1, verbose=0)
    path = tmp_path / "model.zip"
    model.save(path)
    expected = model.predict(_FEATURES, verbose=0)
    code = (
        "import sys, numpy as np, pipeline as pl\n"
        "m = pl.nn.load_model(sys.argv[1])\n"
        "x = {'sq_footage': np.array([[1000.0], [2000.0], [1500.0]], np.float32),\n"
        "     'type': np.array([[b'house'], [b'apt'], [b'house']], dtype=object)}\n"
        "np.save(sys.argv[2], m.predict(x, verbose=0))\n"
    )
    out = tmp_path / "pred.npy"
    subprocess.run([sys.executable, "-c", code, str(path), str(out)], check=True)
    np.testing.assert_array_equal(np.load(out), expected)
