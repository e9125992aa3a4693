"""Options.merge follows tf.data.Options: what the other sets wins, even a default."""

from __future__ import annotations

import pipeline as pl
from pipeline.executor.options import Options


def test_a_field_set_back_to_its_default_still_overrides():
    assert Options(optimize=False).merge(Options(optimize=True)).optimize is True
    later = Options()
    later.deterministic = None
    later.final_prefetch = True
    merged = Options(deterministic=False, final_prefetch=False).merge(later)
    assert merged.deterministic is None
    assert merged.final_prefetch is True


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


def test_the_experimental_alias_counts_as_set():
    other = Options()
    other.experimental_deterministic = True
    assert Options(deterministic=False).merge(other).deterministic is True
