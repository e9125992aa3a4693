"""`Dataset.as_jax_iterator`: jax.Arrays on device, prefetch thread, state, sharding."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time

import jax
import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.integrations.jax import JaxIterator


def _batches(n: int = 10, batch: int = 4) -> pl.data.Dataset:
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    labels = np.arange(n, dtype=np.int64)
    names = np.array([f"r{i}".encode() for i in range(n)], dtype=object)
    ds = pl.data.Dataset.from_tensor_slices(({"x": x, "name": names}, labels))
    return ds.batch(batch)


def test_numeric_leaves_become_jax_arrays_and_strings_stay_numpy(no_thread_leak):
    with _batches().as_jax_iterator() as it:
        got = list(it)
    want = list(_batches().as_numpy_iterator())
    assert len(got) == len(want) == 3
    for (features, label), (wf, wl) in zip(got, want):
        assert set(features) == {"x", "name"}
        assert isinstance(features["x"], jax.Array)
        assert isinstance(label, jax.Array)
        assert isinstance(features["name"], np.ndarray)
        assert features["name"].dtype == object
        np.testing.assert_array_equal(np.asarray(features["x"]), wf["x"])
        np.testing.assert_array_equal(np.asarray(label), wl)
        assert features["name"].tolist() == wf["name"].tolist()
    assert got[-1][0]["x"].shape == (2, 3)


@pytest.mark.parametrize("prefetch", [0, 1, 3])
def test_every_prefetch_depth_yields_the_same_elements(prefetch, no_thread_leak):
    ds = pl.data.Dataset.range(7).map(lambda v: v * 3)
    got = [int(v) for v in ds.as_jax_iterator(prefetch=prefetch)]
    assert got == [0, 3, 6, 9, 12, 15, 18]


def test_the_prefetch_thread_is_named_and_stops_on_close(no_thread_leak):
    it = pl.data.Dataset.range(1000).as_jax_iterator(prefetch=2)
    next(it)
    names = [t.name for t in threading.enumerate()]
    assert "pipeline-jax-prefetch-0" in names
    it.close()
    it.close()  # idempotent
    assert "pipeline-jax-prefetch-0" not in [t.name for t in threading.enumerate()]
    with pytest.raises(StopIteration):
        next(it)


def test_dropping_the_iterator_stops_its_thread(no_thread_leak):
    it = pl.data.Dataset.range(1000).as_jax_iterator(prefetch=2)
    next(it)
    del it  # the no_thread_leak fixture checks the thread is gone


def test_prefetch_is_bounded():
    pulled = []

    def gen():
        for i in range(100):
            pulled.append(i)
            yield i

    spec = pl.types.TensorSpec((), np.int64)
    ds = pl.data.Dataset.from_generator(gen, output_signature=spec).with_options(
        pl.data.Options(final_prefetch=False)
    )
    with ds.as_jax_iterator(prefetch=2) as it:
        next(it)
        time.sleep(0.3)
        # one handed out, two waiting in the queue, one held by the thread
        assert 3 <= len(pulled) <= 4


def test_a_failure_reaches_the_consumer_with_its_type(no_thread_leak):
    def boom(v):
        if v == 2:
            raise KeyError("no such row")
        return v

    it = pl.data.Dataset.range(5).map(boom).as_jax_iterator()
    assert [int(next(it)), int(next(it))] == [0, 1]
    with pytest.raises(KeyError, match="no such row"):
        next(it)


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_prefetch_is_rejected(bad):
    with pytest.raises(InvalidArgumentError, match="`prefetch` must be"):
        JaxIterator(pl.data.Dataset.range(2), prefetch=bad)


def test_state_resumes_at_the_next_element_despite_prefetch(no_thread_leak):
    ds = pl.data.Dataset.range(20).shuffle(20, seed=3, reshuffle_each_iteration=False)
    ds = ds.batch(3)
    full = [b.tolist() for b in ds.as_jax_iterator()]
    with ds.as_jax_iterator(prefetch=3) as it:
        head = [next(it).tolist() for _ in range(2)]
        time.sleep(0.1)  # let the thread run ahead
        state = it.get_state()
    assert head == full[:2]
    it2 = ds.as_jax_iterator()
    it2.set_state(pickle.loads(pickle.dumps(state)))
    assert [b.tolist() for b in it2] == full[2:]


_RESUME = textwrap.dedent(
    """
    import json, pickle, sys
    import pipeline as pl
    ds = pl.data.Dataset.range(30).shuffle(30, seed=7).batch(4)
    mode, path = sys.argv[1], sys.argv[2]
    it = ds.as_jax_iterator(prefetch=2)
    if mode == "stop":
        head = [next(it).tolist() for _ in range(3)]
        with open(path, "wb") as f:
            pickle.dump(it.get_state(), f)
        it.close()
        print(json.dumps(head))
    else:
        with open(path, "rb") as f:
            it.set_state(pickle.load(f))
        print(json.dumps([b.tolist() for b in it]))
    """
)


def _run(code: str, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_resume_in_a_new_process_yields_the_remaining_batches(tmp_path):
    ds = pl.data.Dataset.range(30).shuffle(30, seed=7).batch(4)
    full = [b.tolist() for b in ds.as_numpy_iterator()]
    state = str(tmp_path / "state.pkl")
    head = json.loads(_run(_RESUME, "stop", state))
    rest = json.loads(_run(_RESUME, "resume", state))
    assert head == full[:3]
    assert rest == full[3:]


_SHARDED = textwrap.dedent(
    """
    import json
    import jax, numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
    import pipeline as pl

    mesh = Mesh(np.array(jax.devices()), ("data",))
    sharding = NamedSharding(mesh, P("data"))
    x = np.arange(16 * 3, dtype=np.float32).reshape(16, 3)
    y = np.arange(16, dtype=np.float32)
    ds = pl.data.Dataset.from_tensor_slices({"x": x, "y": y}).batch(8)

    @jax.jit
    def step(w, batch):
        pred = batch["x"] @ w
        return w - 0.001 * batch["x"].T @ (pred - batch["y"]), pred

    w = np.ones(3, np.float32)
    out = {"devices": len(jax.devices()), "batches": []}
    for batch in ds.as_jax_iterator(sharding=sharding):
        w, pred = step(w, batch)
        out["batches"].append({
            "shape": list(batch["x"].shape),
            "same_sharding": batch["x"].sharding == sharding
                and batch["y"].sharding == sharding,
            "shards": sorted(
                [s.device.id, list(s.data.shape), s.index[0].start]
                for s in batch["x"].addressable_shards
            ),
            "pred_sharding": pred.sharding.is_equivalent_to(sharding, 1),
            "x": np.asarray(batch["x"]).tolist(),
        })
    out["w"] = np.asarray(w).tolist()
    print(json.dumps(out))
    """
)


@pytest.mark.slow
def test_a_sharded_iterator_feeds_a_jit_step_on_two_devices():
    env = dict(os.environ)
    env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    env["JAX_PLATFORMS"] = "cpu"
    out = json.loads(_run(_SHARDED, env=env))
    assert out["devices"] == 2
    assert len(out["batches"]) == 2
    x = np.arange(16 * 3, dtype=np.float32).reshape(16, 3)
    y = np.arange(16, dtype=np.float32)
    w = np.ones(3, np.float32)
    for k, b in enumerate(out["batches"]):
        assert b["shape"] == [8, 3]
        assert b["same_sharding"] and b["pred_sharding"]
        assert b["shards"] == [[0, [4, 3], 0], [1, [4, 3], 4]]
        xb = x[8 * k : 8 * k + 8]
        np.testing.assert_array_equal(np.array(b["x"]), xb)
        w = w - 0.001 * xb.T @ (xb @ w - y[8 * k : 8 * k + 8])
    np.testing.assert_allclose(out["w"], w, rtol=1e-5)
