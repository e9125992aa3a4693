"""Statistics of SequenceExample feature lists (values of every step)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.io.schema import Column
from pipeline.io.stats import StatsBuilder


def test_feature_list_figures_cover_every_step():
    b = StatsBuilder()
    steps = np.array([3, -1, 0, 1])  # record 1 lacks the list, record 2 has no step
    lengths = np.array([2, 0, 1, 3])  # values of each of the 4 steps
    col = Column("int64", np.array([1, 2, 3, 4, 5, 0]), lengths, steps=steps)
    b.update({"t": col, "id": Column("int64", np.arange(4), np.ones(4, np.int64))})
    s = b.finish()["t"]
    assert s.sequence and (s.records, s.present, s.missing) == (4, 3, 1)
    assert (s.min_steps, s.max_steps, s.mean_steps) == (0, 3, pytest.approx(4 / 3))
    assert (s.min_length, s.max_length, s.mean_length) == (0, 3, 1.5)
    assert s.numbers.count == 6 and s.numbers.max == 5 and s.numbers.min == 0
    doc = s.to_dict()
    assert doc["sequence"] is True and doc["max_steps"] == 3
    plain = b.finish()["id"].to_dict()
    assert plain["sequence"] is False and "max_steps" not in plain


def test_a_list_seen_only_without_steps_has_zero_lengths():
    b = StatsBuilder()
    col = Column(
        "string", np.array([], object), np.array([], np.int64), steps=np.array([0, -1])
    )
    b.update({"t": col})
    s = b.finish()["t"]
    assert (s.present, s.min_steps, s.max_steps, s.min_length, s.mean_length) == (
        1,
        0,
        0,
        0,
        0.0,
    )
