"""GradientTape semantics: watching, persistence, structures, unconnected sources."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.errors import FailedPreconditionError
from pipeline.nn import ops


def test_variables_are_watched_automatically_constants_are_not():
    w, c = nn.Variable(3.0), nn.constant(2.0)
    with nn.GradientTape() as tape:
        y = w * c
    gw, gc = tape.gradient(y, [w, c])
    assert float(gw) == 2.0 and gc is None


def test_watch_accessed_variables_false_and_non_trainable():
    w = nn.Variable(3.0)
    frozen = nn.Variable(1.0, trainable=False)
    with nn.GradientTape(watch_accessed_variables=False) as tape:
        y = w * w
    assert tape.gradient(y, w) is None
    with nn.GradientTape() as tape:
        y = frozen * w
    assert tape.gradient(y, frozen) is None


def test_non_persistent_tape_is_single_use_persistent_is_not():
    w = nn.Variable(2.0)
    with nn.GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(FailedPreconditionError, match="persistent"):
        tape.gradient(y, w)
    with nn.GradientTape(persistent=True) as tape:
        y = w * w
        z = y * w
    assert float(tape.gradient(y, w)) == 4.0
    assert float(tape.gradient(z, w)) == 12.0


def test_list_targets_sum_and_nested_sources_keep_structure():
    a, b = nn.Variable([1.0, 2.0]), nn.Variable(3.0)
    with nn.GradientTape() as tape:
        y1 = ops.sum(a * b)
        y2 = b * b
    grads = tape.gradient([y1, y2], {"a": a, "pair": (b,)})
    assert grads["a"].numpy().tolist() == [3.0, 3.0]
    assert float(grads["pair"][0]) == 3.0 + 6.0


def test_gradient_has_source_shape_and_float32():
    w = nn.Variable(np.ones((3, 1), np.float32))
    with nn.GradientTape() as tape:
        y = ops.matmul(np.ones((5, 3), np.float32), w)
    g = tape.gradient(y, w)
    assert g.shape == (3, 1) and g.dtype == np.float32
    assert np.asarray(g).tolist() == [[5.0], [5.0], [5.0]]


def test_nested_tapes_give_second_derivative():
    x = nn.Variable(3.0)
    with nn.GradientTape() as outer:
        with nn.GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert float(dy) == 27.0  # 3x² at 3
    assert d2y is not None and float(d2y) == 18.0  # 6x at 3


def test_no_recording_outside_a_tape():
    w = nn.Variable(1.0)
    y = w * 2.0
    with nn.GradientTape() as tape:
        z = y + 1.0
    assert tape.gradient(z, w) is None


def test_variable_assign_and_dtype():
    v = nn.Variable(np.zeros((2,), np.float32), name="v")
    v.assign_add([1.0, 2.0]).assign_sub([0.5, 0.5])
    assert v.numpy().tolist() == [0.5, 1.5]
    assert v.dtype == np.float32 and v.name == "v" and v.shape == (2,)
    assert np.asarray(v + 1).tolist() == [1.5, 2.5]


def test_a_list_of_sources_gives_a_new_list_in_their_order():
    from pipeline.nn import GradientTape, Variable, ops

    a, b, c = Variable(2.0), Variable(5.0), Variable(1.0)
    sources = [b, c, a]
    with GradientTape() as tape:
        y = ops.add(ops.multiply(a, 3.0), ops.multiply(b, b))
    grads = tape.gradient(y, sources)
    assert type(grads) is list and grads is not sources
    assert [None if g is None else float(g) for g in grads] == [10.0, None, 3.0]
    assert sources == [b, c, a]


def test_the_callers_output_gradients_are_only_read():
    from pipeline.nn import GradientTape, Variable, ops

    x = Variable(np.array([1.0, 2.0], np.float32))
    upstream = np.array([3.0, 4.0], np.float32)
    with GradientTape() as tape:
        y = ops.multiply(x, x)
    grad = tape.gradient(y, x, output_gradients=upstream)
    assert grad.numpy().tolist() == [6.0, 16.0]
    assert upstream.tolist() == [3.0, 4.0]
