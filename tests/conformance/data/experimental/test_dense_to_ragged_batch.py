"""Cases of tensorflow/python/data/experimental/kernel_tests/
dense_to_ragged_batch_test.py (``tf.data.experimental.dense_to_ragged_batch``).

Ported: the dense inputs (scalars, vectors, matrices, a 5-d tensor, a tuple).
Not ported: ragged and sparse inputs (covered by ragged_batch_test.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import elements, fill, is_tensorflow, to_numpy


def _scalars(api, n):
    return api.data.Dataset.from_tensor_slices(np.arange(n))


def _mapped(shape_of):
    return lambda api, n: _scalars(api, n).map(lambda x: fill(api, shape_of(x), x))


def _tuple(api, n):
    def transform(x):
        if is_tensorflow(api):
            return (x, api.range(x), api.fill([x, 2], x))
        return (x, np.arange(x), np.full([int(x), 2], x))

    return _scalars(api, n).map(transform)


MAKERS = {
    "scalar": _scalars,
    "vector": _mapped(lambda x: [x]),
    "matrix1": _mapped(lambda x: [x, 2]),
    "matrix2": _mapped(lambda x: [2, x]),
    "fully_defined": _mapped(lambda x: [2, 3]),
    "5d": _mapped(lambda x: [2, x, 3, 2 * x, 4]),
    "tuple": _tuple,
}


def _lists(value):
    value = to_numpy(value)
    if isinstance(value, tuple):
        return tuple(_lists(v) for v in value)
    return value.tolist() if hasattr(value, "tolist") else value


@pytest.mark.parametrize("drop_remainder", [True, False])
@pytest.mark.parametrize("nrows", [0, 20, 23])
@pytest.mark.parametrize("kind", list(MAKERS))
def test_basic(api, kind, nrows, drop_remainder):
    ds = MAKERS[kind](api, nrows)
    rows = [_lists(e) for e in elements(ds)]
    batched = ds.apply(api.data.experimental.dense_to_ragged_batch(4, drop_remainder))
    got = [_lists(b) for b in elements(batched)]
    expected = []
    for start in range(0, nrows, 4):
        chunk = rows[start : start + 4]
        if len(chunk) < 4 and drop_remainder:
            break
        if chunk and isinstance(chunk[0], tuple):
            expected.append(tuple(list(parts) for parts in zip(*chunk)))
        else:
            expected.append(chunk)
    assert got == expected
