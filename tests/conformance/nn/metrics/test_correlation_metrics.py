"""Keras 3's correlation-metric cases (metrics/correlation_metrics_test.py),
ported. Pearson's expected values come from numpy's ``corrcoef`` (Keras's test
uses scipy's ``pearsonr``; both give the sample correlation)."""

from __future__ import annotations

import numpy as np
from conformance_keras import assert_close

Y_TRUE = np.array(
    [[0, 1, 0.5], [1, 1, 0.2], [1, 1, 0.1], [0.1, 0.7, 0.0]], dtype="float32"
)
Y_PRED = np.array(
    [[0.1, 0.9, 0.5], [1, 0.9, 0.2], [0.2, 0.8, 0], [0.3, 0.3, 0.9]], dtype="float32"
)
CCC = np.array([0.97560976, 0.98765432, 0.46511628, -0.46376812])
PCC = np.array([np.corrcoef(t, p)[0, 1] for t, p in zip(Y_TRUE, Y_PRED, strict=True)])


def test_pearson_function(keras):
    result = keras.metrics.pearson_correlation(Y_TRUE, Y_PRED, axis=-1)
    assert_close(result, PCC, atol=1e-6, rtol=1e-6)


def test_concordance_function(keras):
    result = keras.metrics.concordance_correlation(Y_TRUE, Y_PRED, axis=-1)
    assert_close(result, CCC, atol=1e-6, rtol=1e-6)


def test_pearson_class(keras):
    m = keras.metrics.PearsonCorrelation(axis=-1, dtype="float32")
    m.update_state(Y_TRUE[:2], Y_PRED[:2])
    assert_close(m.result(), np.mean(PCC[:2]), atol=1e-6, rtol=1e-6)
    m.update_state(Y_TRUE[2:], Y_PRED[2:])
    assert_close(m.result(), np.mean(PCC), atol=1e-6, rtol=1e-6)


def test_concordance_class(keras):
    m = keras.metrics.ConcordanceCorrelation(axis=-1, dtype="float32")
    m.update_state(Y_TRUE[:2], Y_PRED[:2])
    assert_close(m.result(), np.mean(CCC[:2]), atol=1e-6, rtol=1e-6)
    m.update_state(Y_TRUE[2:], Y_PRED[2:])
    assert_close(m.result(), np.mean(CCC), atol=1e-6, rtol=1e-6)


def test_pearson_config(keras):
    config = keras.metrics.PearsonCorrelation(axis=-1, dtype="float16").get_config()
    assert config["axis"] == -1
    assert config["dtype"] == "float16"
    assert config["name"] == "pearson_correlation"


def test_concordance_config(keras):
    config = keras.metrics.ConcordanceCorrelation(axis=-1, dtype="float32").get_config()
    assert config["axis"] == -1
    assert config["dtype"] == "float32"
    assert config["name"] == "concordance_correlation"
