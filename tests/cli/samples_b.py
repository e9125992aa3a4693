"""TFX-style TFRecord samples with missing values written as empty ``Feature{}``.

TFX's ExampleGen writes every feature of its schema in every record; a
missing value is a map entry whose Feature sets no list (zero bytes). The
shards here are gzip files named as TFX names them (``data_tfrecord-00000-
of-00012.gz``), encoded by hand from the wire format (an oracle independent
of ``pipeline.io.example``).

Columns of `TFX_ROWS` (52 records):

* ``trip_miles`` float, always set;
* ``company`` string, empty in 18 records (34.6 %);
* ``pickup_census_tract`` int64, empty in the first 30 records (the first
  shards hold no value of it at all), then set;
* ``dropoff_census_tract``: empty in every record.
"""

from __future__ import annotations

from pipeline.io.tfrecord_writer import TFRecordWriter
from tests.cli.conftest import _field, encode_feature

TFX_RECORDS = 52
TFX_SHARDS = 12
COMPANY_EMPTY = [i for i in range(TFX_RECORDS) if i % 3 == 0][:18]
TRACT_EMPTY = 30


def tfx_row(i: int) -> dict:
    """Record ``i``: ``{name: list of values, or None for Feature{}}``."""
    return {
        "trip_miles": [i * 0.25],
        "company": None if i in COMPANY_EMPTY else [f"co{i % 4}".encode()],
        "pickup_census_tract": None if i < TRACT_EMPTY else [17031000000 + i],
        "dropoff_census_tract": None,
    }


def encode_tfx_example(row: dict) -> bytes:
    """Example of ``{name: values or None}``; None is an empty ``Feature{}``."""
    entries = b"".join(
        _field(
            1,
            _field(1, name.encode())
            + _field(2, b"" if values is None else encode_feature(values)),
        )
        for name, values in row.items()
    )
    return _field(1, entries)


def write_tfx_shards(folder) -> list[str]:
    """`TFX_ROWS` as `TFX_SHARDS` gzip shards in ``folder``; their paths."""
    paths = []
    bounds = [TFX_RECORDS * s // TFX_SHARDS for s in range(TFX_SHARDS + 1)]
    for s in range(TFX_SHARDS):
        path = str(folder / f"data_tfrecord-{s:05d}-of-{TFX_SHARDS:05d}.gz")
        with TFRecordWriter(path, "GZIP") as w:
            for i in range(bounds[s], bounds[s + 1]):
                w.write(encode_tfx_example(tfx_row(i)))
        paths.append(path)
    return paths
