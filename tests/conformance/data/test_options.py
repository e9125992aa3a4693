"""Cases of tensorflow/python/data/kernel_tests/options_test.py (public API)."""

from __future__ import annotations

import pytest
from conformance_support import assert_produces


def test_options_default(api):
    ds = api.data.Dataset.range(0)
    assert ds.options() == api.data.Options()


def test_options_once(api):
    options = api.data.Options()
    ds = api.data.Dataset.range(0).with_options(options).cache()
    assert ds.options() == options


def test_options_twice_same(api):
    options = api.data.Options()
    options.autotune.enabled = True
    ds = api.data.Dataset.range(0).with_options(options).with_options(options)
    assert ds.options() == options


def test_options_twice_different_options(api):
    options1 = api.data.Options()
    options1.autotune.enabled = True
    options2 = api.data.Options()
    options2.experimental_deterministic = False
    ds = api.data.Dataset.range(0).with_options(options1).with_options(options2)
    options = ds.options()
    assert options.autotune.enabled is True
    assert options.experimental_deterministic is False


def test_options_twice_same_option(api):
    options1 = api.data.Options()
    options1.autotune.enabled = False
    options2 = api.data.Options()
    options2.autotune.enabled = True
    ds = api.data.Dataset.range(0).with_options(options1).with_options(options2)
    assert ds.options().autotune.enabled is True


def test_options_merge_options_from_multiple_inputs(api):
    options1 = api.data.Options()
    options1.autotune.enabled = True
    options2 = api.data.Options()
    options2.experimental_deterministic = True
    ds1 = api.data.Dataset.range(0).with_options(options1)
    ds2 = api.data.Dataset.range(0).with_options(options2)
    options = api.data.Dataset.zip((ds1, ds2)).options()
    assert options.autotune.enabled is True
    assert options.experimental_deterministic is True


def test_options_have_defaults(api):
    options1 = api.data.Options()
    options2 = api.data.Options()
    assert options1.experimental_optimization is not options2.experimental_optimization
    assert options1.experimental_threading is not options2.experimental_threading
    assert options1.experimental_optimization == options2.experimental_optimization
    assert options1.experimental_threading == options2.experimental_threading
    assert options1.autotune.enabled is None
    assert options1.threading.private_threadpool_size is None


def test_mutating_options_of_a_dataset_raises_value_error(api):
    options1 = api.data.Options()
    options1.experimental_slack = True
    options2 = api.data.Options()
    options2.autotune.enabled = True
    ds = api.data.Dataset.range(0).with_options(options1)
    ds = ds.map(lambda x: 2 * x).with_options(options2)
    dataset_options = ds.options()
    with pytest.raises(ValueError):
        dataset_options.experimental_deterministic = True


def test_unknown_option_name_raises(api):
    options = api.data.Options()
    with pytest.raises(AttributeError):
        options.no_such_option = 1  # noqa: B018


def test_nested_dataset_of_a_thousand_concatenations(api):
    ds = api.data.Dataset.from_tensors(0)
    result = ds
    for _ in range(999):
        result = result.concatenate(ds)
    assert_produces(result, [0] * 1000)


def test_threading_and_autotune_groups(api):
    options = api.data.Options()
    options.threading.private_threadpool_size = 2
    options.autotune.ram_budget = 1 << 26
    options.deterministic = False
    ds = api.data.Dataset.range(6).map(lambda x: x * x).with_options(options)
    assert ds.options().threading.private_threadpool_size == 2
    assert ds.options().autotune.ram_budget == 1 << 26
    assert sorted(int(v) for v in ds.as_numpy_iterator()) == [0, 1, 4, 9, 16, 25]


@pytest.mark.parametrize("map_parallelization", [True, False])
def test_optimization_option_keeps_results(api, map_parallelization):
    options = api.data.Options()
    options.experimental_optimization.map_parallelization = map_parallelization
    ds = api.data.Dataset.range(6).with_options(options).map(lambda x: x * x)
    assert_produces(ds, [0, 1, 4, 9, 16, 25])
