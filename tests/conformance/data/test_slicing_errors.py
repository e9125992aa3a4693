"""take, skip, shard and repeat around an element that fails.

Not in TF's test files: the expected outcomes are what TF 2.21 gives (these
cases run against it). The input is ``[1, <error>, 3, 4]``: a ``map`` with
``debugging.check_numerics`` over ``[1, nan, 3, 4]``, so the second
element raises ``InvalidArgumentError`` and iteration goes on after it.

TF's rules, which these pin: an error is not counted as an element; an
error met while ``skip``/``shard`` skip forgets what that call skipped (the
next call skips again); ``skip(-1)`` reads nothing; a forever ``repeat``
whose first epoch gives only errors ends.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import outcomes


def _failing(api):
    values = np.array([1.0, np.nan, 3.0, 4.0], np.float32)
    check = api.debugging.check_numerics
    ds = api.data.Dataset.from_tensor_slices(values)
    return ds.map(lambda x: check(x, "bad"))


def _outcomes(api, ds):
    return outcomes(ds, api.errors.InvalidArgumentError)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, [1.0, "error", 3.0, 4.0, "end"]),
        (1, ["error", 3.0, 4.0, "end"]),
        (2, ["error", "end"]),
        (3, ["error", "end"]),
        (-1, ["end"]),
    ],
)
def test_skip_over_an_error(api, count, expected):
    assert _outcomes(api, _failing(api).skip(count)) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, ["end"]),
        (1, [1.0, "end"]),
        (2, [1.0, "error", 3.0, "end"]),
        (-1, [1.0, "error", 3.0, 4.0, "end"]),
    ],
)
def test_take_does_not_count_an_error(api, count, expected):
    assert _outcomes(api, _failing(api).take(count)) == expected


@pytest.mark.parametrize(
    ("num_shards", "index", "expected"),
    [
        (2, 0, [1.0, "error", 4.0, "end"]),
        (2, 1, ["error", 3.0, "end"]),
        (3, 2, ["error", "end"]),
    ],
)
def test_shard_over_an_error(api, num_shards, index, expected):
    assert _outcomes(api, _failing(api).shard(num_shards, index)) == expected


def test_skip_then_repeat(api):
    ds = _failing(api).skip(2).repeat(2)
    assert _outcomes(api, ds) == ["error", "error", "end"]
    ds = _failing(api).skip(1).repeat(2)
    assert _outcomes(api, ds) == ["error", 3.0, 4.0, "error", 3.0, 4.0, "end"]


def test_repeat_then_skip(api):
    ds = _failing(api).repeat(2).skip(2)
    assert _outcomes(api, ds) == ["error", 1.0, "error", 3.0, 4.0, "end"]


def test_shard_then_repeat(api):
    ds = _failing(api).shard(2, 1).repeat(2)
    assert _outcomes(api, ds) == ["error", 3.0, "error", 3.0, "end"]


def test_take_around_repeat(api):
    ds = _failing(api).take(3).repeat(2)
    assert _outcomes(api, ds) == [1.0, "error", 3.0, 4.0, 1.0, "error", 3.0, 4.0, "end"]
    ds = _failing(api).repeat(2).take(5)
    assert _outcomes(api, ds) == [1.0, "error", 3.0, 4.0, 1.0, "error", 3.0, "end"]


def test_forever_repeat_of_errors_only_ends(api):
    assert _outcomes(api, _failing(api).skip(2).repeat()) == ["error", "end"]
    assert _outcomes(api, _failing(api).skip(3).repeat().take(5)) == ["error", "end"]


def test_finite_repeat_raises_each_epochs_error(api):
    values = np.array([np.nan], np.float32)
    check = api.debugging.check_numerics
    ds = api.data.Dataset.from_tensor_slices(values).map(lambda x: check(x, "bad"))
    assert _outcomes(api, ds.repeat(3)) == ["error", "error", "error", "end"]
    assert _outcomes(api, ds.repeat()) == ["error", "end"]
