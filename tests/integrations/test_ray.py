"""Ray Data: our datasources, from_ray over streaming_split, to_ray.

One local Ray cluster serves the session (conftest.py). Our readers are
compared with ``pl.data`` on the same files and with Ray's own readers.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.io import (
    FixedLenFeature,
    TFRecordWriter,
    VarLenFeature,
    serialize_example,
)

# Ray Data's DataContext warns about its own deprecated defaults each time a
# context is made or copied (in Ray's module, not ours): ignored for that module.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context"),
]

SPEC = {
    "id": FixedLenFeature([], np.int64),
    "score": FixedLenFeature([], np.float32),
    "name": FixedLenFeature([], pl.string),
    "vec": FixedLenFeature([3], np.float32),
    "tags": VarLenFeature(np.int64),
}


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    root = tmp_path_factory.mktemp("ray_data")
    tfrecords, csvs, texts = [], [], []
    rng = np.random.default_rng(5)
    for s in range(3):
        path = str(root / f"part-{s}.tfrecord")
        with TFRecordWriter(path) as w:
            for i in range(s * 40, s * 40 + 40):
                w.write(serialize_example({
                    "id": np.array([i], np.int64),
                    "score": np.array([i / 4], np.float32),
                    "name": np.array([f"n{i}".encode()], object),
                    "vec": rng.normal(size=3).astype(np.float32),
                    "tags": np.arange(i % 3 + 2, dtype=np.int64) + i,
                }))  # fmt: skip
        tfrecords.append(path)
        csv = root / f"part-{s}.csv"
        rows = [f"{i},{i * 0.5},c{i % 5}" for i in range(s * 30, s * 30 + 30)]
        csv.write_text("id,x,city\n" + "\n".join(rows) + "\n")
        csvs.append(str(csv))
        text = root / f"part-{s}.txt"
        text.write_text("".join(f"line {s}-{k}\n" for k in range(20)))
        texts.append(str(text))
    return {"tfrecord": tfrecords, "csv": csvs, "text": texts}


def _numpy(ray_ds) -> dict:
    batches = list(ray_ds.iter_batches(batch_size=None, batch_format="numpy"))
    return {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}


def _pl_tfrecords(files) -> dict:
    ds = pl.data.TFRecordDataset(files).batch(1000)
    parsed = [pl.io.parse_example(b, SPEC) for b in ds]
    out = {k: np.concatenate([p[k] for p in parsed]) for k in SPEC if k != "tags"}
    out["tags"] = [
        list(t.values[t.indices[:, 0] == r])
        for t in (p["tags"] for p in parsed)
        for r in range(int(t.dense_shape[0]))
    ]
    return out


def test_read_tfrecords_equals_pl_data(ray_cluster, shards):
    from pipeline.integrations import ray as plray

    got = _numpy(plray.read_tfrecords(shards["tfrecord"], features=SPEC, parallelism=3))
    want = _pl_tfrecords(shards["tfrecord"])
    for key in ("id", "score", "name", "vec"):
        assert got[key].dtype == want[key].dtype, key
        assert got[key].shape == want[key].shape, key
        np.testing.assert_array_equal(got[key], want[key])
    assert got["name"][:2].tolist() == [b"n0", b"n1"]
    assert [list(t) for t in got["tags"]] == want["tags"]


def test_read_tfrecords_equals_rays_own_reader(ray_cluster, shards):
    import ray.data

    from pipeline.integrations import ray as plray

    ours = _numpy(plray.read_tfrecords(shards["tfrecord"], features=SPEC))
    theirs = _numpy(ray.data.read_tfrecords(shards["tfrecord"]))
    order = np.argsort(theirs["id"])
    np.testing.assert_array_equal(ours["id"], theirs["id"][order])
    assert theirs["score"].dtype == ours["score"].dtype == np.float32
    np.testing.assert_array_equal(ours["score"], theirs["score"][order])
    assert ours["name"].tolist() == theirs["name"][order].tolist()
    np.testing.assert_array_equal(ours["vec"], np.stack(theirs["vec"][order]))
    assert [list(t) for t in ours["tags"]] == [list(t) for t in theirs["tags"][order]]


def test_read_csv_equals_make_csv_dataset_and_rays_reader(ray_cluster, shards):
    import ray.data

    from pipeline.integrations import ray as plray

    got = _numpy(plray.read_csv(shards["csv"], parallelism=2))
    ds = pl.data.make_csv_dataset(shards["csv"], 1000, num_epochs=1, shuffle=False)
    want = next(iter(ds))
    assert list(got) == ["id", "x", "city"]
    for key in want:
        assert got[key].dtype == want[key].dtype, key
        np.testing.assert_array_equal(got[key], want[key])
    assert got["id"].dtype == np.int32 and got["city"][0] == b"c0"
    theirs = _numpy(ray.data.read_csv(shards["csv"]))
    order = np.argsort(theirs["id"])
    np.testing.assert_array_equal(got["id"], theirs["id"][order])
    np.testing.assert_allclose(got["x"], theirs["x"][order])
    assert [c.decode() for c in got["city"]] == theirs["city"][order].tolist()


def test_read_csv_takes_make_csv_datasets_parsing_arguments(ray_cluster, shards):
    from pipeline.integrations import ray as plray

    got = _numpy(
        plray.read_csv(
            shards["csv"], select_columns=["id", "city"],
            column_defaults=[np.int64(0), b""],
        )
    )  # fmt: skip
    assert list(got) == ["id", "city"]
    assert got["id"].dtype == np.int64 and len(got["id"]) == 90
    with pytest.raises(InvalidArgumentError, match="unknown arguments.*'shuffle'"):
        plray.read_csv(shards["csv"], shuffle=True)


def test_read_text_equals_text_line_dataset_and_rays_reader(ray_cluster, shards):
    import ray.data

    from pipeline.integrations import ray as plray

    got = _numpy(plray.read_text(shards["text"]))["text"].tolist()
    want = list(pl.data.TextLineDataset(shards["text"]))
    assert got == want and got[0] == b"line 0-0" and len(got) == 60
    theirs = _numpy(ray.data.read_text(shards["text"]))["text"].tolist()
    assert sorted(got) == sorted(t.encode() for t in theirs)


def test_a_corrupt_record_fails_naming_the_file(ray_cluster, tmp_path):
    from pipeline.integrations import ray as plray

    path = tmp_path / "bad.tfrecord"
    with TFRecordWriter(str(path)) as w:
        for i in range(3):
            w.write(serialize_example({"id": np.array([i], np.int64)}))
    data = bytearray(path.read_bytes())
    data[20] ^= 0xFF  # inside the first record's payload
    path.write_bytes(bytes(data))
    spec = {"id": FixedLenFeature([], np.int64)}
    with pytest.raises(DataLossError, match="bad.tfrecord"):
        plray.read_tfrecords(str(path), features=spec).take_all()


def test_streaming_split_feeds_two_trainers_every_row_once(ray_cluster, shards):
    from pipeline.integrations import ray as plray

    rows = plray.read_tfrecords(shards["tfrecord"], features=SPEC)
    splits = rows.streaming_split(2, equal=True)
    seen: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def trainer(rank: int) -> None:
        try:
            ds = pl.data.Dataset.from_ray(splits[rank], batch_size=16)
            for batch in ds:
                assert batch["vec"].shape[1:] == (3,)
                seen[rank].extend(batch["id"].tolist())
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=trainer, args=(r,)) for r in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(seen[0]) == len(seen[1]) == 60
    assert sorted(seen[0] + seen[1]) == list(range(120))


def test_from_ray_feeds_feature_columns_unchanged(ray_cluster, shards):
    from pipeline.integrations import ray as plray

    fc = pl.feature_column
    columns = [
        fc.numeric_column("score"),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_list("city", ["c0", "c1"])
        ),
    ]
    layer = fc.DenseFeatures(columns)
    source = plray.read_csv(shards["csv"], column_names=["id", "score", "city"])
    batch = next(iter(pl.data.Dataset.from_ray(source, batch_size=8)))
    out = np.asarray(layer(batch))
    want = pl.data.make_csv_dataset(
        shards["csv"], 8, column_names=["id", "score", "city"], num_epochs=1,
        shuffle=False,
    )  # fmt: skip
    np.testing.assert_array_equal(out, np.asarray(layer(next(iter(want)))))
    assert out.shape == (8, 3)


def test_from_ray_rows_state_and_bad_input(ray_cluster):
    import ray.data

    source = ray.data.range(10)
    rows = pl.data.Dataset.from_ray(source, batch_size=None)
    assert [int(r["id"]) for r in rows] == list(range(10))
    batches = pl.data.Dataset.from_ray(source, batch_size=4)
    assert batches.element_spec["id"].shape == (None,)
    with iter(batches) as it:
        assert next(it)["id"].tolist() == [0, 1, 2, 3]
        state = it.get_state()
    it2 = iter(batches)
    it2.set_state(state)
    assert [b["id"].tolist() for b in it2] == [[4, 5, 6, 7], [8, 9]]
    with pytest.raises(TypeError, match="takes a ray.data.Dataset"):
        pl.data.Dataset.from_ray([1, 2])
    with pytest.raises(InvalidArgumentError, match="`batch_size` must be"):
        pl.data.Dataset.from_ray(source, batch_size=0)


def test_to_ray_round_trips_and_refuses_an_infinite_dataset(ray_cluster):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    names = np.array([f"r{i}".encode() for i in range(6)], object)
    ds = pl.data.Dataset.from_tensor_slices({"x": x, "name": names, "k": np.arange(6)})
    got = _numpy(ds.to_ray())
    assert list(got) == ["x", "name", "k"]
    np.testing.assert_array_equal(got["x"], x)
    assert got["name"].tolist() == names.tolist()
    assert got["k"].dtype == np.int64
    pairs = pl.data.Dataset.from_tensor_slices((np.arange(3), np.arange(3) * 2))
    assert _numpy(pairs.to_ray())["1"].tolist() == [0, 2, 4]
    assert pl.data.Dataset.range(3).to_ray().take_all() == [
        {"item": 0}, {"item": 1}, {"item": 2}
    ]  # fmt: skip
    with pytest.raises(InvalidArgumentError, match="needs a finite dataset"):
        pl.data.Dataset.range(3).repeat().to_ray()
