"""TensorFlow's forms of the feature-column workloads (``bench_feature_columns``).

Every runner returns ``(rows, checksum)``: the rows that went through
``DenseFeatures`` and the float64 sum of every output value, so each form's
output can be checked against ours. The in-graph forms run the whole pass as
one ``tf.function`` (TF's best form: no Python per batch), around
``Dataset.reduce`` (`_reduced`) or a loop over a lasting iterator
(`_looped`); the per-call form calls a ``tf.function`` once per batch from Python
and takes each output as a numpy array, as ours gives it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf
import tf_keras

from benchmarks.taxi_data import COLUMNS, LABEL
from benchmarks.taxi_features import BATCH, FEATURES, build_columns, csv_defaults

Runner = Callable[[], tuple[int, float]]
_AUTOTUNE = tf.data.AUTOTUNE


def dense_features(example: dict[str, Any]) -> Any:
    """tf_keras ``DenseFeatures`` on the taxi set, built on ``example``."""
    layer = tf_keras.layers.DenseFeatures(build_columns(tf.feature_column))
    layer(example)  # creates the tables eagerly, outside any graph
    return layer


def _step(acc: Any, out: Any) -> Any:
    rows = acc[0] + tf.shape(out, out_type=tf.int64)[0]
    return rows, acc[1] + tf.reduce_sum(tf.cast(out, tf.float64))


def _init() -> Any:
    return tf.constant(0, tf.int64), tf.constant(0.0, tf.float64)


def _numbers(graph: Callable[[], Any]) -> Runner:
    def run() -> tuple[int, float]:
        rows, total = graph()
        return int(rows), float(total)

    return run


def _reduced(ds: tf.data.Dataset) -> Runner:
    """One graph per pass: ``ds`` (of dense outputs) reduced to rows and sum.

    Every pass makes a new iterator, so it pays TF's per-iterator setup (the
    dataset functions instantiated again, ~0.1 s for the taxi set's layer).
    """
    return _numbers(tf.function(lambda: ds.reduce(_init(), _step)))


def _looped(ds: tf.data.Dataset, steps: int) -> Runner:
    """One graph per pass pulling ``steps`` outputs from one lasting iterator.

    The iterator over ``ds.repeat()`` is made once, so its setup is paid in
    the untimed first pass only; every pass reads exactly one epoch of ``ds``.
    ``ds`` must be sequential: the options here keep tf.data from adding
    threads (parallel map, prefetch), so no work runs ahead between passes.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    options.experimental_optimization.inject_prefetch = False
    options.experimental_optimization.map_parallelization = False
    iterator = iter(ds.repeat().with_options(options))

    @tf.function
    def graph() -> Any:
        acc = _init()
        for _ in tf.range(steps):
            acc = _step(acc, next(iterator))
        return acc

    return _numbers(graph)


def layer_forms(batches: list[dict[str, np.ndarray]]) -> dict[str, Runner]:
    """TF's forms over the same parsed batches: in-graph (two ways), per call."""
    layer = dense_features(batches[0])
    stacked = {k: np.stack([b[k] for b in batches]) for k in batches[0]}
    source = tf.data.Dataset.from_tensor_slices(stacked)  # the same batches
    tf_batches = [{k: tf.constant(v) for k, v in b.items()} for b in batches]
    call = tf.function(lambda feats: layer(feats))

    def per_call() -> tuple[int, float]:
        rows, total = 0, 0.0
        for batch in tf_batches:
            out = call(batch).numpy()
            rows += out.shape[0]
            total += float(out.sum(dtype=np.float64))
        return rows, total

    return {
        "graph_reduce": _reduced(source.map(layer)),
        "graph_reduce_parallel_map": _reduced(
            source.map(layer, num_parallel_calls=_AUTOTUNE)
        ),
        "graph_loop": _looped(source.map(layer), len(batches)),
        "per_call": per_call,
    }


def layer_outputs(batches: list[dict[str, np.ndarray]]) -> list[np.ndarray]:
    """TF's output of every batch, for the value-by-value check."""
    layer = dense_features(batches[0])
    return [layer({k: tf.constant(v) for k, v in b.items()}).numpy() for b in batches]


def _features(cols: dict[str, Any]) -> dict[str, Any]:
    return {name: cols[name] for name in FEATURES}


def _csv_layer(path: str, defaults: list[Any]) -> Any:
    """The layer, built on the first batch of ``path``."""
    first = tf.data.experimental.make_csv_dataset(
        [path], BATCH, column_defaults=defaults, num_epochs=1, shuffle=False
    )
    return dense_features(_features(next(iter(first))))


def e2e_forms(files: list[str]) -> dict[str, Runner]:
    """CSV shards -> DenseFeatures, each pass one graph (`_reduced`).

    Each pass makes its iterator, as ours makes its pipeline every pass.
    ``make_csv_dataset`` (its own parallel reads and parse); ``CsvDataset`` ->
    batch(256) -> map(DenseFeatures); TF's fastest CSV idiom,
    ``TextLineDataset.skip(1)`` -> batch(256) -> map(decode_csv +
    DenseFeatures). Every map runs with ``AUTOTUNE``; every form reads every
    row of every shard once, so the rows are those of ours (in another order
    where ``make_csv_dataset`` reads shards in parallel).
    """
    defaults = csv_defaults(tf)
    names = list(COLUMNS)
    layer = _csv_layer(files[0], defaults)
    made = tf.data.experimental.make_csv_dataset(
        files, BATCH, column_defaults=defaults, label_name=LABEL, num_epochs=1,
        shuffle=False, num_parallel_reads=os.cpu_count(), sloppy=False,
    )  # fmt: skip
    records = tf.data.experimental.CsvDataset(files, defaults, header=True)
    lines = tf.data.Dataset.from_tensor_slices(files).flat_map(
        lambda f: tf.data.TextLineDataset(f).skip(1)
    )

    def parse(line: Any) -> Any:
        return layer(_features(dict(zip(names, tf.io.decode_csv(line, defaults)))))

    return {
        "make_csv_dataset": _reduced(
            made.map(lambda f, y: layer(f), num_parallel_calls=_AUTOTUNE)
        ),
        "csv_dataset": _reduced(
            records.batch(BATCH).map(
                lambda *c: layer(_features(dict(zip(names, c)))),
                num_parallel_calls=_AUTOTUNE,
            )
        ),
        "decode_csv": _reduced(
            lines.batch(BATCH).map(parse, num_parallel_calls=_AUTOTUNE)
        ),
    }
