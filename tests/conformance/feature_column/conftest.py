"""The ``fcx`` fixture: run feature columns the same way on pipeline and on TF.

TensorFlow 2.21 keeps the ``DenseFeatures`` layer in tf_keras, but its
feature-column linear model only as ``tf.compat.v1.feature_column.linear_model``
(graph mode; ``tf_keras.experimental.LinearModel`` is a plain dense layer that
takes no columns), and shared embeddings only in graph mode. ``fcx`` hides
those differences: features are passed as a function that builds them, so that
TF can build them inside its graph.
"""

from __future__ import annotations

import importlib
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conformance_support import dense_features, is_tensorflow, numpy_dtype, to_numpy


class FeatureColumnRunner:
    """Builds inputs and runs DenseFeatures / LinearModel on either library."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.fc = api.feature_column
        self.is_tf = is_tensorflow(api)

    def sparse(self, indices: Any, values: Any, dense_shape: Any, dtype: Any = None):
        """A SparseTensor of ``api`` (values as ``dtype`` if given)."""
        if dtype is not None:
            values = np.asarray(values, dtype=dtype)
        return self.api.SparseTensor(
            indices=indices, values=values, dense_shape=dense_shape
        )

    def dense_layer(self, columns: Any) -> Any:
        """A DenseFeatures layer of ``api`` over ``columns``."""
        return dense_features(self.api)(columns)

    def dense(self, columns: Any, features: dict[str, Any]) -> np.ndarray:
        """DenseFeatures(columns)(features) as numpy (eager)."""
        return np.asarray(to_numpy(self.dense_layer(columns)(features)))

    def dense_graph(
        self, make_columns: Callable[[], Any], make_features: Callable[[], Any]
    ) -> np.ndarray:
        """DenseFeatures output, in a TF graph (shared embeddings need one)."""
        if not self.is_tf:
            return self.dense(make_columns(), make_features())
        tf = self.api
        with tf.Graph().as_default():
            out = dense_features(tf)(make_columns())(make_features())
            with tf.compat.v1.Session() as sess:
                sess.run(tf.compat.v1.global_variables_initializer())
                sess.run(tf.compat.v1.tables_initializer())
                return np.asarray(sess.run(out))

    def in_graph(self, fn: Callable[[], Any]) -> Any:
        """``fn()``, inside a TF graph for TF (shared embeddings are graph-only)."""
        if not self.is_tf:
            return fn()
        with self.api.Graph().as_default():
            return fn()

    def linear(
        self,
        columns: Any,
        make_features: Callable[[], dict[str, Any]],
        weights: dict[str, Any] | None = None,
        bias: Any = None,
        **kwargs: Any,
    ) -> np.ndarray:
        """The linear model's predictions with the given weights (by column name).

        ``weights`` maps a column name to its ``[rows, units]`` weight; columns
        not named keep their zero start, as does the bias unless given.
        """
        weights = dict(weights or {})
        if bias is not None:
            weights["bias"] = bias
        if self.is_tf:
            return self._tf_linear(columns, make_features, weights, kwargs)
        model = self.fc.LinearModel(columns, **kwargs)
        model.build()
        by_name = {w.name: w for w in model.weights}
        for name, value in weights.items():
            target = "bias_weights" if name == "bias" else f"{name}/weights"
            by_name[target].assign(np.asarray(value, np.float32))
        return np.asarray(to_numpy(model(make_features())))

    def linear_weight_names(
        self, columns: Any, make_features: Callable, trainable_only: bool = False, **kw
    ) -> list:
        """The linear model's (trainable) weight names, without scope and ``:0``."""
        if self.is_tf:
            tf = self.api
            with tf.Graph().as_default():
                tf.compat.v1.feature_column.linear_model(make_features(), columns, **kw)
                found = (
                    tf.compat.v1.trainable_variables()
                    if trainable_only
                    else tf.compat.v1.global_variables()
                )
                names = [v.name for v in found]
            return sorted(n[len("linear_model/") : -len(":0")] for n in names)
        model = self.fc.LinearModel(columns, **kw)
        model.build()
        found = model.trainable_weights if trainable_only else model.weights
        return sorted(w.name for w in found)

    def _tf_linear(self, columns, make_features, weights, kwargs) -> np.ndarray:
        tf = self.api
        with tf.Graph().as_default():
            out = tf.compat.v1.feature_column.linear_model(
                make_features(), columns, **kwargs
            )
            found = {v.name: v for v in tf.compat.v1.global_variables()}
            with tf.compat.v1.Session() as sess:
                sess.run(tf.compat.v1.global_variables_initializer())
                sess.run(tf.compat.v1.tables_initializer())
                for name, value in weights.items():
                    key = "bias_weights" if name == "bias" else f"{name}/weights"
                    var = found[f"linear_model/{key}:0"]
                    sess.run(var.assign(np.asarray(value, np.float32)))
                return np.asarray(sess.run(out))

    def parse(self, columns: Any, examples: list[dict[str, Any]]) -> dict[str, Any]:
        """``parse_example`` of encoded Examples with the columns' spec, as numpy."""
        spec = self.fc.make_parse_example_spec(columns)
        serialized = [encode_example(e) for e in examples]
        return to_numpy(self.api.io.parse_example(serialized, spec))

    def spec(self, spec: dict[str, Any]) -> dict[str, tuple]:
        """A parse spec as ``{key: (kind, shape, numpy dtype, default)}``."""
        return spec_summary(spec)


def spec_summary(spec: dict[str, Any]) -> dict[str, tuple]:
    """A parse spec as ``{key: (kind, shape, numpy dtype, default)}`` of plain data."""
    out = {}
    for key, feature in spec.items():
        kind = type(feature).__name__
        shape = getattr(feature, "shape", None)
        shape = None if shape is None else tuple(int(d) for d in shape)
        default = getattr(feature, "default_value", None)
        out[key] = (kind, shape, numpy_dtype(feature.dtype), default)
    return out


def _varint(n: int) -> bytes:
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _feature(values: list[Any]) -> bytes:
    first = values[0] if values else 0.0
    if isinstance(first, (bytes, str)):
        items = b"".join(
            _field(1, v.encode() if isinstance(v, str) else v) for v in values
        )
        return _field(1, items)
    if isinstance(first, float):
        return _field(2, _field(1, struct.pack(f"<{len(values)}f", *values)))
    return _field(3, _field(1, b"".join(_varint(int(v)) for v in values)))


def encode_example(features: dict[str, list[Any]]) -> bytes:
    """A serialized ``tf.train.Example`` (bytes, float or int64 lists by value type)."""
    entries = b"".join(
        _field(1, _field(1, key.encode()) + _field(2, _feature(values)))
        for key, values in features.items()
    )
    return _field(1, entries)


@pytest.fixture
def fcx(api):
    """A `FeatureColumnRunner` for the ``api`` under test."""
    if is_tensorflow(api):
        importlib.import_module("tf_keras")
    return FeatureColumnRunner(api)
