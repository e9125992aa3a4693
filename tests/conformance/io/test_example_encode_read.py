"""Examples serialized as a block (`pipeline.io.example_encode`, what
``pipeline convert --to tfrecord`` writes) and framed by
``TFRecordWriter.write_block`` read back with ``TFRecordDataset`` and
``parse_example``: in pipeline, and in TensorFlow 2.21 under
``--api=tensorflow`` (``make conformance-tf``). The file is always written by
pipeline; only the reader changes.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import elements, to_numpy

from pipeline.io.example_encode import encode_examples
from pipeline.io.tfrecord_writer import FOOTER_BYTES, HEADER_BYTES, TFRecordWriter


def _obj(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


# name -> (values, lengths); 4 records, -1 = the record lacks the feature
_COLUMNS = {
    "a": (np.array([0, -1, 2**63 - 1, -(2**63), 300]), np.array([2, -1, 0, 3])),
    "ab": (np.array([0.5, np.nan, -0.0, np.inf], np.float32), np.array([1, 1, 1, 1])),
    "s": (_obj(b"", b"\xff\xfe", "caf\u00e9".encode(), b"x" * 200), [1, 0, 2, 1]),
    "fare": (np.array([1.25, 2.5], np.float32), np.array([-1, 1, -1, 1])),
}
_DTYPES = {"a": "int64", "ab": "float32", "s": "string", "fare": "float32"}


@pytest.fixture
def shard(tmp_path) -> str:
    path = str(tmp_path / "block.tfrecord")
    block = encode_examples(_COLUMNS, head=HEADER_BYTES, tail=FOOTER_BYTES)
    with TFRecordWriter(path) as w:
        w.write_block(block.data, block.starts, block.lengths)
    return path


def test_var_len_features_read_back_the_columns(api, shard):
    records = [bytes(r) for r in elements(api.data.TFRecordDataset(shard))]
    assert len(records) == 4
    spec = {n: api.io.VarLenFeature(getattr(api, d)) for n, d in _DTYPES.items()}
    out = to_numpy(api.io.parse_example(records, spec))
    for name, (values, lengths) in _COLUMNS.items():
        counts = np.maximum(np.asarray(lengths), 0)
        got = out[name]
        assert np.bincount(got.indices[:, 0], minlength=4).tolist() == counts.tolist()
        assert got.dense_shape.tolist() == [4, int(counts.max())]
        if values.dtype == object:
            assert [bytes(v) for v in got.values] == values.tolist()
        else:  # exact bits: nan, -0.0, inf, 64-bit ints
            assert got.values.tobytes() == values.tobytes()


def test_fixed_len_feature_with_default_for_missing_records(api, shard):
    records = [bytes(r) for r in elements(api.data.TFRecordDataset(shard))]
    spec = {"fare": api.io.FixedLenFeature([], api.float32, default_value=-1.0)}
    out = to_numpy(api.io.parse_example(records, spec))
    assert out["fare"].tolist() == [-1.0, 1.25, -1.0, 2.5]
