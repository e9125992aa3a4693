"""Cases of tensorflow/python/data/experimental/kernel_tests/ignore_errors_test.py
(``tf.data.experimental.ignore_errors``).

``check_numerics`` is TF's op; ours is a function raising InvalidArgumentError
on NaN or infinity. Not ported: the ``read_file`` case (``tf.io.read_file``)
and the stderr capture of ``log_warning``.
"""

from __future__ import annotations

import os

import numpy as np
from conformance_support import assert_produces, is_tensorflow


def _check_numerics(api, x, message):
    if is_tensorflow(api):
        return api.debugging.check_numerics(x, message)
    if not np.all(np.isfinite(x)):
        raise api.errors.InvalidArgumentError(f"{message}: Tensor had NaN values")
    return x


COMPONENTS = np.array([1.0, 2.0, 3.0, np.nan, 5.0], dtype=np.float32)


def test_map_ignore_error(api):
    ds = (
        api.data.Dataset.from_tensor_slices(COMPONENTS)
        .map(lambda x: _check_numerics(api, x, "message"))
        .apply(api.data.experimental.ignore_errors())
    )
    assert_produces(ds, [1.0, 2.0, 3.0, 5.0])


def test_ignore_error_with_log_warning(api):
    ds = (
        api.data.Dataset.from_tensor_slices(COMPONENTS)
        .map(lambda x: _check_numerics(api, x, "message"))
        .apply(api.data.experimental.ignore_errors(log_warning=True))
    )
    assert_produces(ds, [1.0, 2.0, 3.0, 5.0])


def test_parallel_map_ignore_error(api):
    ds = (
        api.data.Dataset.from_tensor_slices(COMPONENTS)
        .map(lambda x: _check_numerics(api, x, "message"), num_parallel_calls=2)
        .prefetch(2)
        .apply(api.data.experimental.ignore_errors())
    )
    assert_produces(ds, [1.0, 2.0, 3.0, 5.0])


def test_tfrecord_dataset_ignore_error(api, tmp_path):
    filenames = []
    for i in range(5):
        path = os.path.join(tmp_path, f"tf_record.{i}.txt")
        filenames.append(path)
        with api.io.TFRecordWriter(path) as writer:
            for _ in range(10):
                writer.write(b"record")
        with open(path, "a") as f:
            f.write("corrupted data")
    ds = api.data.TFRecordDataset(filenames).apply(
        api.data.experimental.ignore_errors()
    )
    assert_produces(ds, [b"record"] * 50)


def test_zip_ignore_error(api):
    a = api.data.Dataset.from_tensor_slices([1.0, 2.0, 0.0, 4.0])
    b = a.map(lambda x: _check_numerics(api, 1.0 / x, "error"))
    ds = api.data.Dataset.zip((b, a)).apply(api.data.experimental.ignore_errors())
    assert_produces(ds, [(1.0, 1.0), (0.5, 2.0), (0.25, 4.0)])
