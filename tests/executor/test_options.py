"""Options.merge follows tf.data.Options: what the other sets wins, even a default."""

from __future__ import annotations

import pytest

import pipeline as pl
from pipeline.executor.options import Options


def test_a_field_set_back_to_its_default_still_overrides():
    assert Options(optimize=False).merge(Options(optimize=True)).optimize is True
    later = Options()
    later.deterministic = True
    later.final_prefetch = True
    merged = Options(deterministic=False, final_prefetch=False).merge(later)
    assert merged.deterministic is True
    assert merged.final_prefetch is True


def test_none_means_unset_as_in_tf():
    later = Options(deterministic=None)
    assert Options(deterministic=False).merge(later).deterministic is False


def test_fields_never_set_keep_the_first_options():
    merged = Options(seed=3, num_threads=1).merge(Options(optimize=False))
    assert (merged.seed, merged.num_threads, merged.optimize) == (3, 1, False)


def test_with_options_chains_merge_and_leave_inputs_alone():
    first = Options(map_fusion=False)
    ds = pl.data.Dataset.range(3).with_options(first)
    ds = ds.with_options(Options(map_fusion=True, seed=9))
    assert ds.options().map_fusion is True
    assert ds.options().seed == 9
    assert first.map_fusion is False


def test_tf_groups_are_the_flat_options():
    opts = Options()
    opts.experimental_optimization.apply_default_optimizations = False
    opts.threading.private_threadpool_size = 3
    opts.autotune.ram_budget = 1024
    assert (opts.optimize, opts.num_threads, opts.memory_budget_bytes) == (
        False,
        3,
        1024,
    )
    assert Options(map_fusion=False).experimental_optimization.map_fusion is False
    assert Options().memory_budget_bytes == 512 * 2**20


def test_options_of_a_dataset_are_frozen_and_unknown_names_raise():
    frozen = pl.data.Dataset.range(1).options()
    with pytest.raises(ValueError, match="with_options"):
        frozen.seed = 1
    with pytest.raises(ValueError):
        frozen.experimental_optimization.map_fusion = False
    with pytest.raises(AttributeError, match="no such option"):
        Options().not_an_option = 1
    with pytest.raises(AttributeError, match="map_fusionn"):
        Options().experimental_optimization.map_fusionn = 1


def test_options_pickle_and_copy_keep_what_was_set():
    import copy
    import pickle

    opts = Options(seed=4)
    opts.threading.private_threadpool_size = 2
    for other in (pickle.loads(pickle.dumps(opts)), copy.deepcopy(opts)):
        assert other == opts
        assert other.merge(Options()).seed == 4


def test_the_experimental_alias_counts_as_set():
    other = Options()
    other.experimental_deterministic = True
    assert Options(deterministic=False).merge(other).deterministic is True
