"""A saved model keeps its compiled Metric objects (as configs), as Keras."""

from __future__ import annotations

import numpy as np

from pipeline.nn import Sequential, layers, metrics, models


def test_metric_objects_survive_save_and_load(tmp_path):
    model = Sequential([layers.Input((3,)), layers.Dense(2)])
    model.compile(
        optimizer="sgd", loss="mse", metrics=[metrics.AUC(name="auc_x"), "mae"]
    )
    x = np.linspace(0, 1, 12, dtype="float32").reshape(4, 3)
    y = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], "float32")
    model.fit(x, y, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    reloaded = models.load_model(path)
    logs = reloaded.evaluate(x, y, return_dict=True, verbose=0)
    assert sorted(logs) == ["auc_x", "loss", "mae"]
    expected = model.evaluate(x, y, return_dict=True, verbose=0)
    for key, value in expected.items():
        np.testing.assert_allclose(logs[key], value, rtol=1e-6)
