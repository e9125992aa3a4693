"""One local Ray cluster for the whole test session (Ray starts in seconds).

Started on first use by a Ray test and shut down (its worker processes
ended) when the session ends. Ray's worker processes get the stand-in
``tensorflow.train.Example`` of benchmarks/ray_peer.py so that Ray's own
``read_tfrecords`` runs for comparison without TensorFlow installed.
"""

from __future__ import annotations

import warnings

import pytest


@pytest.fixture(scope="session")
def ray_cluster():
    import ray
    from ray.data import DataContext

    from benchmarks.ray_peer import ray_init_args

    with warnings.catch_warnings():
        # Ray's own start-up: its DataContext warns about its own deprecated
        # defaults (`use_push_based_shuffle`, `use_polars`); none of ours.
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, module=r"ray\.data\.context"
        )
        # jax (when a test imported it) warns in its at-fork hook when Ray
        # launches its processes; they exec at once, so nothing is shared.
        warnings.filterwarnings(
            "ignore", message=r"os\.fork\(\) was called", category=RuntimeWarning
        )
        ray.init(**ray_init_args())
        context = DataContext.get_current()
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True
    yield ray
    ray.shutdown()
