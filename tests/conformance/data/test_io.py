"""Cases of tensorflow/python/data/kernel_tests/io_test.py (``save`` / ``load``).

Each library writes and reads its own format: the same test body checks that
what ``save`` wrote, ``load`` gives back.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces, assert_same, elements


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_basic(api, tmp_path, compression):
    ds = api.data.Dataset.range(42)
    ds.save(str(tmp_path), compression=compression)
    loaded = api.data.Dataset.load(
        str(tmp_path), ds.element_spec, compression=compression
    )
    assert_produces(loaded, range(42))


def test_cardinality(api, tmp_path):
    ds = api.data.Dataset.range(42)
    ds.save(str(tmp_path))
    loaded = api.data.Dataset.load(str(tmp_path), ds.element_spec)
    assert int(loaded.cardinality()) == 42


def test_custom_shard_function(api, tmp_path):
    ds = api.data.Dataset.range(42)
    ds.save(str(tmp_path), shard_func=lambda x: x // 21)
    loaded = api.data.Dataset.load(str(tmp_path), ds.element_spec)
    expected = [v for i in range(21) for v in (i, i + 21)]
    assert_produces(loaded, expected)


def test_custom_reader_function(api, tmp_path):
    ds = api.data.Dataset.range(42)
    ds.save(str(tmp_path), shard_func=lambda x: x % 7)
    loaded = api.data.Dataset.load(
        str(tmp_path), ds.element_spec, reader_func=lambda x: x.flat_map(lambda y: y)
    )
    expected = [v for i in range(7) for v in range(i, 42, 7)]
    assert_produces(loaded, expected)


def test_element_spec_optional(api, tmp_path):
    ds = api.data.Dataset.zip(
        (
            api.data.Dataset.range(42),
            api.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]}),
            api.data.Dataset.from_tensor_slices(([1, 2], [3, 4])),
        )
    )
    ds.save(str(tmp_path))
    loaded = api.data.Dataset.load(str(tmp_path))
    assert loaded.element_spec == ds.element_spec
    assert_same(elements(loaded), elements(ds))


def test_repeat_and_prefetch(api, tmp_path):
    values = np.random.default_rng(0).random((16, 32))
    api.data.Dataset.from_tensor_slices(values).save(str(tmp_path))
    ds = api.data.Dataset.load(str(tmp_path))
    ds = ds.shuffle(buffer_size=16).batch(16).repeat().prefetch(1)
    for batch in elements(ds, limit=30):
        assert batch.shape == (16, 32)
        assert np.allclose(np.sort(batch, axis=0), np.sort(values, axis=0))


def test_wait_on_a_finished_save_loads_it(api, tmp_path):
    # TF 2.21 accepts `wait=True` here (older TF raised ValueError).
    ds = api.data.Dataset.range(42)
    ds.save(str(tmp_path))
    loaded = api.data.Dataset.load(str(tmp_path), ds.element_spec, wait=True)
    assert_produces(loaded, range(42))


def test_save_with_a_dataset_as_path_is_a_type_error(api, tmp_path):
    ds = api.data.Dataset.range(42)
    checkpoint_args = {"directory": str(tmp_path / "ckpt"), "incorrect_arg": "x"}
    with pytest.raises(TypeError):
        ds.save(ds, str(tmp_path / "save"), checkpoint_args=checkpoint_args)


def test_load_checkpoint_pattern(api, tmp_path):
    """The dataset of LoadCheckpointTest: a saved range(42), loaded twice."""
    api.data.Dataset.range(42).save(str(tmp_path))
    ds = api.data.Dataset.load(str(tmp_path))
    assert_produces(ds, range(42))
    assert_produces(ds, range(42))


def test_strings_and_matrices_round_trip(api, tmp_path):
    ds = api.data.Dataset.from_tensor_slices(
        {"s": ["a", "", "ccc"], "m": np.arange(12, dtype=np.float32).reshape(3, 2, 2)}
    )
    ds.save(str(tmp_path), compression="GZIP")
    loaded = api.data.Dataset.load(str(tmp_path), compression="GZIP")
    assert_same(elements(loaded), elements(ds))


def test_load_checkpoint_restore(api, tmp_path):
    api.data.Dataset.range(42).save(str(tmp_path / "save"))

    def make():
        return api.data.Dataset.load(str(tmp_path / "save"))

    verify_restore(api, make, 42, str(tmp_path), breaks=(0, 21, 42))
