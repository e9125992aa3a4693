"""TF's core top-level tensor names (``tf.reduce_mean`` ...) as ported code uses them.

The values are those TensorFlow's math-op tests state for these inputs; run
with ``--api=tensorflow`` they check the translation.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import numpy_dtype, to_numpy


def test_rmse_spelled_as_the_course_writes_it(api):
    y_true = api.constant([1.0, 2.0, 3.0])
    y_pred = api.constant([2.0, 2.0, 5.0])
    rmse = api.sqrt(api.reduce_mean(api.square(y_pred - y_true)))
    assert to_numpy(rmse) == pytest.approx(np.sqrt(5.0 / 3.0))


@pytest.mark.parametrize(
    ("name", "axis", "keepdims", "expected"),
    [
        ("reduce_sum", None, False, 21),
        ("reduce_sum", 0, False, [5, 7, 9]),
        ("reduce_sum", 1, True, [[6], [15]]),
        ("reduce_sum", [0, 1], False, 21),
        ("reduce_mean", None, False, 3),
        ("reduce_mean", 1, False, [2, 5]),
        ("reduce_max", 0, False, [4, 5, 6]),
        ("reduce_min", -1, False, [1, 4]),
    ],
)
def test_integer_reductions(api, name, axis, keepdims, expected):
    x = api.constant([[1, 2, 3], [4, 5, 6]])
    got = getattr(api, name)(x, axis=axis, keepdims=keepdims)
    assert to_numpy(got).tolist() == expected
    assert numpy_dtype(got.dtype) == np.int32


def test_float_mean_is_exact(api):
    got = api.reduce_mean(api.constant([[1.0, 2.0], [3.0, 5.0]]), axis=0)
    assert to_numpy(got).tolist() == [2.0, 3.5]


def test_gradient_tape_of_a_variable(api):
    w = api.Variable(3.0)
    with api.GradientTape() as tape:
        loss = api.square(w) * 2.0
    assert float(to_numpy(tape.gradient(loss, w))) == 12.0


def test_matmul_reshape_cast(api):
    a = api.cast(api.reshape(api.constant([1, 2, 3, 4, 5, 6]), [2, 3]), api.float32)
    b = api.reshape(api.constant([1.0, 0.0, 1.0]), [3, 1])
    assert to_numpy(api.matmul(a, b)).tolist() == [[4.0], [10.0]]
    assert to_numpy(api.matmul(a, a, transpose_b=True)).tolist() == [
        [14.0, 32.0],
        [32.0, 77.0],
    ]


def test_constant_dtypes(api):
    assert numpy_dtype(api.constant(1).dtype) == np.int32
    assert numpy_dtype(api.constant(1.0).dtype) == np.float32
    assert numpy_dtype(api.constant([1, 2], dtype=api.int64).dtype) == np.int64
    assert to_numpy(api.constant(0.5, shape=[2, 2])).tolist() == [[0.5, 0.5]] * 2


def test_cast_truncates_toward_zero(api):
    got = api.cast(api.constant([-1.7, -0.2, 0.9, 2.5]), api.int32)
    assert to_numpy(got).tolist() == [-1, 0, 0, 2]


def test_argmax_defaults_to_axis_zero_int64(api):
    got = api.argmax(api.constant([[1, 9, 3], [7, 2, 8]]))
    assert to_numpy(got).tolist() == [1, 0, 1]
    assert numpy_dtype(got.dtype) == np.int64


def test_shape_concat_stack_where(api):
    x = api.zeros([2, 3])
    assert to_numpy(api.shape(x)).tolist() == [2, 3]
    assert to_numpy(api.concat([[1, 2], [3]], axis=0)).tolist() == [1, 2, 3]
    assert to_numpy(api.stack([[1, 2], [3, 4]], axis=1)).tolist() == [[1, 3], [2, 4]]
    assert to_numpy(api.where([True, False, True])).tolist() == [[0], [2]]
    assert to_numpy(api.where([True, False], [1, 2], [3, 4])).tolist() == [1, 4]


def test_fingerprint_default_values(api):
    # fingerprint_op_test.py: a row's fingerprint changes with its content
    data = np.expand_dims(np.arange(10), axis=0)
    fingerprint0 = to_numpy(api.fingerprint(data))
    fingerprint1 = to_numpy(api.fingerprint(data[:, 1:]))
    assert fingerprint0.ndim == 2
    assert fingerprint0.shape == fingerprint1.shape == (1, 8)
    assert (fingerprint0 != fingerprint1).any()


def test_fingerprint_empty(api):
    assert to_numpy(api.fingerprint(np.zeros(0))).shape == (0, 8)


def test_fingerprint_values(api):
    # the same bytes as TF for numbers, strings and rows of strings
    numbers = to_numpy(api.fingerprint(np.arange(10).reshape(1, 10)))
    assert numbers.tolist() == [[54, 187, 147, 162, 180, 40, 37, 24]]
    words = np.array([[b"abc", b"de"], [b"x", b"y"]], dtype=object)
    assert to_numpy(api.fingerprint(words))[0].tolist() == [
        233, 237, 232, 132, 79, 140, 59, 169,
    ]  # fmt: skip
    single = to_numpy(api.fingerprint(np.array([b"abc"], dtype=object)))
    assert single.tolist() == [[105, 243, 231, 116, 160, 179, 165, 36]]
