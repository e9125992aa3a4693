"""The cache file format and lock: data only, tampering refused, one writer."""

from __future__ import annotations

import collections
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import AlreadyExistsError, DataLossError
from pipeline.graph import cache_file
from pipeline.types import SparseTensor


class _Payload:
    """Unpickling this would run ``os.system``: the cache must never do it."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _values(elements):
    return [repr(e) for e in elements]


def test_pickle_payload_in_a_cache_file_is_refused_not_run(tmp_path):
    path, marker = str(tmp_path / "cache"), str(tmp_path / "pwned")
    with open(path, "wb") as f:
        pickle.dump([_Payload(marker)], f)
    ds = pl.data.Dataset.range(3).cache(path)
    with pytest.raises(DataLossError, match="not a pipeline cache file"):
        list(ds)
    assert not os.path.exists(marker)


def test_pickle_bytes_inside_a_record_are_data_not_code(tmp_path):
    path, marker = str(tmp_path / "cache"), str(tmp_path / "pwned")
    payload = pickle.dumps(_Payload(marker))
    cache_file.write_cache(path, [(np.int64(1), payload)])
    got = cache_file.read_cache(path, None)
    assert got == [(np.int64(1), payload)]
    assert not os.path.exists(marker)


def test_round_trip_keeps_structure_dtypes_and_named_tuples(tmp_path):
    point = collections.namedtuple("Point", ["x", "y"])
    elements = [
        {
            "p": point(np.int32(i), np.float64(i / 2)),
            "s": b"row%d" % i,
            "v": np.arange(i, dtype=np.int16),
            "t": np.array([b"a", b"\x00b"], dtype=object),
            "sp": SparseTensor([[0, i]], np.array([i], np.float32), [1, 4]),
        }
        for i in range(3)
    ]
    path = str(tmp_path / "c")
    cache_file.write_cache(path, elements)
    template = pl.data.Dataset.from_tensors(elements[0]).element_spec
    got = cache_file.read_cache(path, template)
    assert type(got[0]["p"]).__name__ == "Point"
    assert got[2]["p"].y == 1.0 and got[2]["p"].x.dtype == np.int32
    assert got[2]["v"].dtype == np.int16 and got[2]["v"].tolist() == [0, 1]
    assert got[1]["t"].tolist() == [b"a", b"\x00b"]
    assert got[2]["sp"].indices.tolist() == [[0, 2]]
    assert [e["s"] for e in got] == [b"row0", b"row1", b"row2"]


@pytest.mark.parametrize("cut", [5, 20, 40, -3, -1])
def test_a_truncated_cache_file_is_data_loss(tmp_path, cut):
    path = str(tmp_path / "c")
    cache_file.write_cache(path, [(np.int64(i), b"x" * i) for i in range(4)])
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:cut])
    with pytest.raises(DataLossError, match="c"):
        cache_file.read_cache(path, None)


def test_a_flipped_dtype_code_is_data_loss(tmp_path):
    path = str(tmp_path / "c")
    cache_file.write_cache(path, [np.int64(7)])
    data = bytearray(Path(path).read_bytes())
    data[-8 - 8 - 2 - 1] = 250  # the dtype code of the block's only column
    Path(path).write_bytes(bytes(data))
    with pytest.raises(DataLossError, match="block at record 0"):
        cache_file.read_cache(path, None)


def test_a_cache_of_another_structure_is_data_loss(tmp_path):
    path = str(tmp_path / "c")
    list(pl.data.Dataset.range(3).cache(path))
    ds = pl.data.Dataset.zip((pl.data.Dataset.range(3), pl.data.Dataset.range(3)))
    with pytest.raises(DataLossError, match="another structure"):
        list(ds.cache(path))


def test_file_cache_replays_without_reading_the_input(tmp_path):
    path = str(tmp_path / "c")
    seen = []
    ds = pl.data.Dataset.from_tensor_slices(["a", "b"]).map(
        lambda s: seen.append(s) or s
    )
    assert list(ds.cache(path)) == [b"a", b"b"]
    ds.element_spec  # noqa: B018 (the spec may sample the function once)
    count = len(seen)
    assert list(ds.cache(path)) == [b"a", b"b"]
    assert len(seen) == count
    assert not os.path.exists(path + ".lockfile")


def test_second_writer_is_refused_until_the_first_is_closed(tmp_path, no_thread_leak):
    path = str(tmp_path / "c")
    ds = pl.data.Dataset.range(5).cache(path)
    it1, it2 = iter(ds), iter(ds)
    next(it1)
    with pytest.raises(AlreadyExistsError, match="lockfile"):
        next(it2)
    it1.close()
    it2.close()
    assert not os.path.exists(path + ".lockfile")
    assert [int(x) for x in ds] == [0, 1, 2, 3, 4]


def test_a_lock_of_an_ended_process_is_taken_over(tmp_path):
    path = str(tmp_path / "c")
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    with open(path + ".lockfile", "w") as f:
        f.write(proc.stdout.strip())
    assert [int(x) for x in pl.data.Dataset.range(3).cache(path)] == [0, 1, 2]


def test_a_lock_of_a_running_process_is_respected(tmp_path):
    path = str(tmp_path / "c")
    with open(path + ".lockfile", "w") as f:
        f.write(str(os.getppid()))
    with pytest.raises(AlreadyExistsError):
        list(pl.data.Dataset.range(3).cache(path))


def test_blocks_span_many_elements_and_keep_values(tmp_path):
    path = str(tmp_path / "c")
    elements = [
        {"i": np.int64(i), "v": np.full(3, i, np.float32), "s": b"%d" % i}
        for i in range(2500)
    ]
    cache_file.write_cache(path, elements)
    got = cache_file.read_cache(path, None)
    assert len(got) == 2500
    assert type(got[1234]["i"]) is np.int64 and int(got[1234]["i"]) == 1234
    assert got[2499]["v"].tolist() == [2499.0] * 3 and got[7]["s"] == b"7"


def test_elements_that_do_not_stack_are_stored_one_by_one(tmp_path):
    path = str(tmp_path / "c")
    elements = [np.arange(n, dtype=np.int16) for n in range(5)]
    cache_file.write_cache(path, elements)
    got = cache_file.read_cache(path, None)
    assert [g.tolist() for g in got] == [list(range(n)) for n in range(5)]
    assert all(g.dtype == np.int16 for g in got)


@pytest.mark.parametrize(
    ("count", "message"), [(b"3", "ends early"), (b"1", "header says 1")]
)
def test_a_wrong_element_count_in_the_header_is_data_loss(tmp_path, count, message):
    path = str(tmp_path / "c")
    cache_file.write_cache(path, [np.int64(1), np.int64(2)])
    data = Path(path).read_bytes().replace(b'"count": 2', b'"count": ' + count)
    Path(path).write_bytes(data)
    with pytest.raises(DataLossError, match=message):
        cache_file.read_cache(path, None)


def test_memory_cache_of_a_known_size_completes_at_its_last_element():
    opts = pl.data.Options(optimize=False)
    ds = pl.data.Dataset.range(10).shuffle(10).cache().with_options(opts)
    it = iter(ds)
    first = [int(next(it)) for _ in range(10)]
    it = iter(ds)
    assert [int(next(it)) for _ in range(10)] == first
