"""Keras 3's sparse-gradient cases (optimizers/optimizer_sparse_test.py), ported.

``test_sparse_correctness``: a sparse gradient (rows 0, 2 and 4 of a (5, 3, 2)
variable) must move the variable exactly as the same gradient made dense.
Left out: ``test_sparse_gradients``, which patches TensorFlow's variable class
to see which writes stay sparse (backend internals), and the
LossScaleOptimizer row (mixed precision).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close

CASES = {
    "adadelta": ("Adadelta", {}),
    "adafactor": ("Adafactor", {"clip_threshold": 0.5}),
    "adagrad": ("Adagrad", {}),
    "adam": ("Adam", {}),
    "adam_amsgrad": ("Adam", {"amsgrad": True}),
    "adamw": ("AdamW", {}),
    "adamw_amsgrad": ("AdamW", {"amsgrad": True}),
    "adamax": ("Adamax", {}),
    "lion": ("Lion", {}),
    "nadam": ("Nadam", {}),
    "ftrl": ("Ftrl", {}),
    "rmsprop": ("RMSprop", {}),
    "rmsprop_momentum": ("RMSprop", {"momentum": 0.05}),
    "rmsprop_momentum_centered": ("RMSprop", {"momentum": 0.05, "centered": True}),
    "sgd": ("SGD", {}),
    "sgd_momentum": ("SGD", {"momentum": 0.05}),
    "sgd_momentum_nesterov": ("SGD", {"momentum": 0.05, "nesterov": True}),
}


def _scatter_update_optimizer(keras):
    """Keras's test optimizer that writes the gradient into a slot and into
    the variable with ``self.assign`` (so a sparse gradient writes its rows)."""

    class ScatterUpdateOptimizer(keras.optimizers.Optimizer):
        def __init__(self):
            super().__init__(learning_rate=0.001)

        def build(self, variables):
            if self.built:
                return
            super().build(variables)
            self.momentums = [
                self.add_variable_from_reference(v, name="momentum") for v in variables
            ]

        def update_step(self, grad, variable, learning_rate):
            momentum = self.momentums[self._get_variable_index(variable)]
            self.assign(momentum, grad)
            self.assign(variable, grad)

    return ScatterUpdateOptimizer()


def _make(keras, case):
    class_name, kwargs = CASES[case]
    return getattr(keras.optimizers, class_name)(**kwargs)


@pytest.mark.parametrize("case", list(CASES))
def test_sparse_correctness(keras, indexed_slices, case):
    optimizer_sparse, optimizer_dense = _make(keras, case), _make(keras, case)
    var_sparse = keras.Variable(np.ones((5, 3, 2), "float32"))
    var_dense = keras.Variable(np.ones((5, 3, 2), "float32"))
    indices = np.array([0, 2, 4])
    for i in range(5):
        values = np.ones((3, 3, 2), "float32") * (10.0 - i)
        grad_sparse = indexed_slices(values, indices, np.array([5, 3, 2]))
        grad_dense = np.zeros((5, 3, 2), "float32")
        grad_dense[indices] = values
        optimizer_sparse.apply([grad_sparse], [var_sparse])
        optimizer_dense.apply([grad_dense], [var_dense])
        assert_close(var_sparse, var_dense.numpy())


def test_sparse_assign_writes_only_the_gradient_rows(keras, indexed_slices):
    # Keras's "scatter_update" row: ``self.assign(variable, sparse_gradient)``
    # overwrites rows 0, 2 and 4 and leaves rows 1 and 3 as they were (Keras's
    # own case compares it with a gradient that stays sparse on TensorFlow).
    optimizer = _scatter_update_optimizer(keras)
    variable = keras.Variable(np.ones((5, 3, 2), "float32"))
    indices = np.array([0, 2, 4])
    for i in range(5):
        values = np.ones((3, 3, 2), "float32") * (10.0 - i)
        optimizer.apply(
            [indexed_slices(values, indices, np.array([5, 3, 2]))], [variable]
        )
        expected = np.ones((5, 3, 2), "float32")
        expected[indices] = 10.0 - i
        assert_close(variable, expected)
        assert_close(optimizer.momentums[0], np.where(expected == 1.0, 0.0, expected))
