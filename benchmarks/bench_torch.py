"""``to_torch()`` through a DataLoader with 2 workers, against what a PyTorch
user writes today, on the taxi CSV and TFRecord shards.

* ``csv``: ours is ``make_csv_dataset(files, 256, num_epochs=1, shuffle=False)
  .to_torch()``; theirs an ``IterableDataset`` that deals the files to its
  workers and reads each with ``pandas.read_csv(chunksize=256)``, turning
  every chunk into tensors (strings as lists of bytes).
* ``tfrecord``: ours is ``TFRecordDataset(files).batch(256).map(parse_example)
  .to_torch()``; theirs an ``IterableDataset`` over the ``tfrecord`` package's
  ``tfrecord_loader`` (files dealt to workers), batched by the DataLoader.

Both go through ``DataLoader(num_workers=2)``; passes alternate, the best of
each side counts; the ratio ours/theirs is printed (issue #12's goal: 3x).

    .venv-bench/bin/python -m benchmarks.bench_torch --rows 200000 --passes 3
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from benchmarks.bench_tfrecord import example_spec, write_shards
from benchmarks.taxi_data import COLUMNS, DTYPES, write_csv_shards

_BATCH = 256
_WORKERS = 2


def _worker_files(files):
    import torch.utils.data

    info = torch.utils.data.get_worker_info()
    return files if info is None else files[info.id :: info.num_workers]


def ours_csv(files):
    import pipeline as pl

    return pl.data.make_csv_dataset(
        files, _BATCH, num_epochs=1, shuffle=False
    ).to_torch()


def theirs_csv(files):
    import pandas as pd
    import torch

    class PandasCsv(torch.utils.data.IterableDataset):
        def __iter__(self):
            for path in _worker_files(files):
                for chunk in pd.read_csv(path, chunksize=_BATCH):
                    yield {
                        name: (
                            torch.tensor(chunk[name].to_numpy())
                            if chunk[name].dtype.kind in "if"
                            else [str(v).encode() for v in chunk[name]]
                        )
                        for name in chunk.columns
                    }

    return PandasCsv()


def ours_tfrecord(files):
    import pipeline as pl

    spec = example_spec()
    ds = pl.data.TFRecordDataset(files).batch(_BATCH)
    return ds.map(lambda b: pl.io.parse_example(b, spec)).to_torch()


def theirs_tfrecord(files):
    import torch
    from tfrecord.reader import tfrecord_loader

    kinds = {
        n: "byte" if DTYPES[n] is object else np.dtype(DTYPES[n]).kind for n in COLUMNS
    }

    def row(example):
        out = {}
        for name, kind in kinds.items():
            value = example.get(name)
            if kind == "byte":
                out[name] = b"" if value is None else bytes(value)
            else:
                out[name] = 0 if value is None or not len(value) else value[0]
        return out

    class TFRecordFiles(torch.utils.data.IterableDataset):
        def __iter__(self):
            for path in _worker_files(files):
                for example in tfrecord_loader(
                    path, None, None
                ):  # a cell may be missing
                    yield row(example)

    return TFRecordFiles()


def _rows(batch) -> int:
    first = next(iter(batch.values()))
    return len(first)


def timed(dataset, batch_size) -> tuple[float, int]:
    import torch

    loader = torch.utils.data.DataLoader(
        dataset, batch_size=batch_size, num_workers=_WORKERS
    )
    start, rows = time.perf_counter(), 0
    for batch in loader:
        rows += _rows(batch)
    return time.perf_counter() - start, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--out", default=os.path.join("benchmarks", "data", "torch"))
    args = parser.parse_args(argv)
    out = os.path.join(args.out, str(args.rows))
    csv_files = write_csv_shards(os.path.join(out, "csv"), args.rows, 8)
    tfr_files = write_shards(os.path.join(out, "tfrecord"), args.rows)
    cases = {
        "csv": (ours_csv(csv_files), (theirs_csv(csv_files), None)),
        "tfrecord": (ours_tfrecord(tfr_files), (theirs_tfrecord(tfr_files), _BATCH)),
    }
    for name, (ours, (theirs, their_batch)) in cases.items():
        rates: dict[str, list[float]] = {"ours": [], "theirs": []}
        for _ in range(args.passes):
            for side, ds, bs in (("ours", ours, None), ("theirs", theirs, their_batch)):
                seconds, rows = timed(ds, bs)
                assert rows == args.rows, (name, side, rows)
                rates[side].append(rows / seconds)
        best = {side: max(r) for side, r in rates.items()}
        ratio = best["ours"] / best["theirs"]
        print(f"{name:9s} ours {best['ours']:12,.0f} rows/s   theirs "
              f"{best['theirs']:12,.0f} rows/s   ratio {ratio:5.2f}x")  # fmt: skip
        print(json.dumps({
            "bench": "torch", "workload": name, "rows": args.rows,
            "ours_rows_per_s": best["ours"], "theirs_rows_per_s": best["theirs"],
            "ours_rows_per_s_passes": rates["ours"],
            "theirs_rows_per_s_passes": rates["theirs"], "ratio": ratio,
        }))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
