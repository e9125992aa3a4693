"""The spec ``pipeline schema --json`` infers from TFX-style shards (missing
values as empty ``Feature{}``) parses those very shards, with ``api``'s
``parse_example`` (ours, or TensorFlow's under ``--api=tensorflow``).
"""

from __future__ import annotations

import numpy as np

import pipeline as pl
from pipeline.cli import main
from pipeline.io.tfrecord import iter_records
from tests.cli.samples_b import (
    COMPANY_EMPTY,
    TFX_RECORDS,
    TRACT_EMPTY,
    write_tfx_shards,
)

_DTYPES = {"int64": "int64", "float32": "float32", "object": "string"}


def _api_spec(api, spec) -> dict:
    out = {}
    for name, feature in spec.items():
        dtype = getattr(api, _DTYPES[np.dtype(feature.dtype).name])
        if isinstance(feature, pl.io.FixedLenFeature):
            out[name] = api.io.FixedLenFeature(feature.shape, dtype)
        else:
            out[name] = api.io.VarLenFeature(dtype)
    return out


def test_inferred_spec_parses_its_shards(api, tmp_path):
    shards = write_tfx_shards(tmp_path)
    spec_path = str(tmp_path / "spec.json")
    assert main(["schema", *shards, "--json", spec_path, "-q"]) == 0
    spec = _api_spec(api, pl.io.load_spec(spec_path))
    records = [r for p in shards for r in iter_records(p, "GZIP")]
    out = api.io.parse_example(records, spec)
    tract = out["pickup_census_tract"]
    assert np.asarray(tract.values).tolist() == [
        17031000000 + i for i in range(TRACT_EMPTY, TFX_RECORDS)
    ]
    company_rows = np.asarray(out["company"].indices)[:, 0].tolist()
    assert sorted(set(range(TFX_RECORDS)) - set(company_rows)) == COMPANY_EMPTY
    assert np.asarray(out["dropoff_census_tract"].values).size == 0
    miles = np.asarray(out["trip_miles"])
    np.testing.assert_allclose(miles, np.arange(TFX_RECORDS) * 0.25)
