"""shuffle's seeds: one order without reshuffling, a run seed decides it."""

from __future__ import annotations

import pipeline as pl
from pipeline.executor.options import Options

D = pl.data.Dataset


def _order(ds):
    return [int(x) for x in ds]


def test_unseeded_no_reshuffle_keeps_one_order_across_iterators_and_epochs():
    ds = D.range(50).shuffle(50, reshuffle_each_iteration=False)
    first = _order(ds)
    assert sorted(first) == list(range(50)) and first != list(range(50))
    assert _order(ds) == first
    assert _order(ds.repeat(3)) == first * 3


def test_unseeded_no_reshuffle_draws_a_new_order_per_shuffle_call():
    base = D.range(50)
    orders = {
        tuple(_order(base.shuffle(50, reshuffle_each_iteration=False)))
        for _ in range(5)
    }
    assert len(orders) == 5


def test_a_run_seed_decides_an_unseeded_shuffle():
    opts = Options(seed=7)
    a = D.range(50).shuffle(50, reshuffle_each_iteration=False).with_options(opts)
    b = D.range(50).shuffle(50, reshuffle_each_iteration=False).with_options(opts)
    assert _order(a) == _order(b)


def test_unseeded_reshuffle_changes_between_epochs():
    ds = D.range(50).shuffle(50).repeat(2)
    got = _order(ds)
    assert got[:50] != got[50:] and sorted(got[:50]) == sorted(got[50:])
