"""bench_nn's issue-16 rows: the BLAS share of a step, and the busy-core passes."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import bench_nn, nn_share, summary


def test_matmul_epoch_runs_each_batch_shape_of_the_epoch():
    epoch = nn_share.MatmulEpoch([(784, 128), (128, 10)], rows=600, batch=256)
    assert epoch.batch_sizes == [256, 256, 88]
    assert epoch.products_per_batch == 5
    inputs, grads = epoch._arrays[88]
    assert [a.shape for a in inputs] == [(88, 784), (88, 128)]
    assert [g.shape for g in grads] == [(88, 128), (88, 10)]


def test_matmul_epoch_does_the_steps_products_and_no_other(monkeypatch):
    shapes = []

    class Spy(np.ndarray):
        def __matmul__(self, other):
            shapes.append((self.shape, np.shape(other)))
            return np.asarray(self) @ np.asarray(other)

    epoch = nn_share.MatmulEpoch([(6, 4), (4, 3)], rows=5, batch=5)
    epoch.kernels = [k.view(Spy) for k in epoch.kernels]
    epoch._arrays = {
        size: ([a.view(Spy) for a in ins], [g.view(Spy) for g in gs])
        for size, (ins, gs) in epoch._arrays.items()
    }
    epoch.run()
    assert shapes == [
        ((5, 6), (6, 4)),  # forward, layer 1
        ((5, 4), (4, 3)),  # forward, layer 2
        ((4, 5), (5, 3)),  # layer 2's kernel gradient
        ((5, 3), (3, 4)),  # layer 2's input gradient
        ((6, 5), (5, 4)),  # layer 1's kernel gradient (no input gradient)
    ]


def test_dense_kernel_shapes_follow_the_model():
    from pipeline import nn

    model = bench_nn.build(nn, "mlp")
    assert nn_share.dense_kernel_shapes(model) == [(784, 128), (128, 10)]


def test_busy_core_child_is_gone_after_the_block():
    with nn_share.busy_core() as child:
        assert child.poll() is None
    assert child.poll() is not None


def test_the_share_line_is_matmul_time_over_fit_time():
    by_side = {"ours": [100.0, 200.0, 300.0], "matmuls_alone": [400.0, 250.0, 400.0]}
    line = bench_nn._line({}, "mlp_blas_share", 1000, by_side)
    # rates are rows/s, so ours/alone = (rows/fit time)/(rows/GEMM time)
    assert line["blas_share_passes"] == [0.25, 0.8, 0.75]
    assert line["blas_share"] == 0.75
    rows = summary.summary_rows({"nn": [line]})
    share = next(r for r in rows if "BLAS share" in r.workload)
    assert share.goal == 0.7
    assert share.met is True  # the median pair, 0.75
    assert share.pair_ratios == pytest.approx((0.25, 0.8, 0.75))


def test_busy_row_and_the_wide_and_deep_goal():
    line = bench_nn._line(
        {},
        "wide_deep_busy",
        1000,
        {"ours": [50.0, 60.0], "keras3": [30.0, 20.0], "tf_keras": [10.0, 25.0]},
    )
    rows = summary.summary_rows({"nn": [line]})
    busy = next(r for r in rows if "spinning" in r.workload)
    assert busy.goal == 2.5
    assert busy.pair_ratios == pytest.approx((50 / 30, 60 / 25))
    assert busy.met is False


def test_warm_up_slice_keeps_the_partial_batch_shapes():
    for rows in (3000, 60000, 20000, 2048):
        part = bench_nn.warm_up_slice(bench_nn.make_data(rows), rows)
        n = len(part["x"])
        assert n % 256 == rows % 256 and n % 1024 == rows % 1024
        assert n <= max(rows, 2 * 1024 + 1023)
