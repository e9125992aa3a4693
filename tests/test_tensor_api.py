"""pipeline.tensor_api: TensorFlow's top-level tensor names, loaded lazily."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import pipeline as pl
from pipeline import tensor_api


def test_the_lazy_name_list_is_the_module_all():
    assert pl._TENSOR_API_NAMES == set(tensor_api.__all__)


def test_import_pipeline_does_not_load_the_nn_core():
    code = (
        "import sys, pipeline\n"
        "assert 'pipeline.tensor_api' not in sys.modules\n"
        "assert 'pipeline.nn' not in sys.modules\n"
        "pipeline.reduce_mean\n"
        "assert 'pipeline.tensor_api' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_seed_course_rmse_and_its_gradient():
    y_true = pl.constant([1.0, 2.0, 3.0])
    w = pl.Variable(2.0)
    with pl.GradientTape() as tape:
        y_pred = w * pl.constant([1.0, 2.0, 3.0])
        rmse = pl.sqrt(pl.reduce_mean(pl.square(y_pred - y_true)))
    # y_pred - y_true = (w - 1) * x, so rmse = |w - 1| * sqrt(mean(x^2))
    scale = np.sqrt(np.mean(np.square([1.0, 2.0, 3.0])))
    assert float(rmse) == pytest.approx(scale)
    assert float(tape.gradient(rmse, w)) == pytest.approx(scale)


def test_linear_regression_idiom_reshape_matmul_cast():
    x = pl.cast(pl.reshape(pl.constant([1, 2, 3, 4]), [2, 2]), pl.float32)
    w = pl.Variable([[1.0], [1.0]])
    with pl.GradientTape() as tape:
        loss = pl.reduce_sum(pl.matmul(x, w))
    assert float(loss) == 10.0
    assert np.asarray(tape.gradient(loss, w)).tolist() == [[4.0], [6.0]]


def test_tf_defaults_that_differ_from_numpy():
    # argmax defaults to axis 0 and int64; integer reduce_mean truncates
    assert pl.argmax([[1, 9], [7, 2]]).numpy().tolist() == [1, 0]
    assert pl.argmax([3, 1]).dtype == np.int64
    assert pl.reduce_mean(pl.constant([1, 2, 2])).numpy() == 1
    assert pl.reduce_mean(pl.constant([[1, 2], [3, 5]]), axis=1).numpy().tolist() == [
        1,
        4,
    ]
    assert pl.constant(1.5).dtype == np.float32
    assert pl.constant(1).dtype == np.int32
    assert pl.cast([-1.7, 1.7], pl.int32).numpy().tolist() == [-1, 1]


def test_reductions_take_a_list_of_axes_and_keepdims():
    x = pl.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    got = pl.reduce_sum(x, axis=[0, 2], keepdims=True)
    assert got.shape == (1, 3, 1)
    assert got.numpy().ravel().tolist() == [60.0, 92.0, 124.0]
    assert float(pl.reduce_max(x)) == 23.0


def test_matmul_transposes():
    a = pl.constant([[1.0, 2.0], [3.0, 4.0]])
    got = pl.matmul(a, a, transpose_a=True).numpy().tolist()
    assert got == [[10.0, 14.0], [14.0, 20.0]]


def test_unknown_top_level_name_still_raises():
    with pytest.raises(AttributeError, match="no_such_op"):
        pl.no_such_op  # noqa: B018
