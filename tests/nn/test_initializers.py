"""Initializers added for issue 14: Orthogonal, Identity, VarianceScaling's axes
and checks, Keras's alias names."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import initializers


@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (2, 3, 4), (3, 3, 2, 5)])
def test_orthogonal_is_orthonormal_on_the_smaller_side(shape):
    q = initializers.Orthogonal(gain=1.5, seed=7)(shape).numpy()
    assert q.shape == shape and q.dtype == np.float32
    flat = q.reshape(-1, shape[-1])
    small = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(small, 1.5**2 * np.eye(small.shape[0]), atol=1e-5)


def test_orthogonal_seed_repeats_and_rank_one_is_rejected():
    a = initializers.Orthogonal(seed=3)((4, 4)).numpy()
    np.testing.assert_array_equal(a, initializers.Orthogonal(seed=3)((4, 4)).numpy())
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal()((4,))


def test_identity_on_a_non_square_matrix_and_dtype():
    out = initializers.Identity(gain=0.5)((2, 3), dtype="float64").numpy()
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[0.5, 0, 0], [0, 0.5, 0]])


def test_variance_scaling_normal_means_truncated_and_axes_need_both_lists():
    vs = initializers.VarianceScaling(distribution="Normal")
    assert vs.distribution == "truncated_normal"
    # Only input_axes given: the default fans apply (fan_in of (4, 5) is 4).
    one_sided = initializers.VarianceScaling(
        scale=4.0, distribution="untruncated_normal", seed=1, input_axes=[1]
    )
    values = one_sided((4, 5000)).numpy()
    assert abs(values.std() - 1.0) < 0.05


def test_compute_fans_by_hand():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((3, 5)) == (3, 5)
    assert initializers.compute_fans((2, 2, 3, 5)) == (12, 20)
    assert initializers.compute_fans((512, 8, 64), [0], [1, 2]) == (512, 512)


@pytest.mark.parametrize(
    "alias, cls",
    [("orthogonal", "Orthogonal"), ("identity", "Identity"), ("zeros", "Zeros"),
     ("glorot_uniform", "GlorotUniform"), ("OrthogonalInitializer", "Orthogonal")],
)  # fmt: skip
def test_keras_alias_names(alias, cls):
    assert getattr(initializers, alias) is getattr(initializers, cls)
    assert type(initializers.get(alias)) is getattr(initializers, cls)


def test_get_instantiates_a_class_and_deserialize_round_trips():
    assert isinstance(
        initializers.get(initializers.Orthogonal), initializers.Orthogonal
    )
    init = initializers.VarianceScaling(2.0, "fan_out", "uniform", 5, [0], [1])
    again = initializers.deserialize(initializers.serialize(init))
    assert again.get_config() == init.get_config()
    np.testing.assert_array_equal(again((3, 4)).numpy(), init((3, 4)).numpy())
