"""Float precision in convert: the loss tally and the Parquet float dtypes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.cli._precision import FloatLoss, float_dtypes, to_float
from pipeline.io.detect import Detected
from pipeline.io.schema import FeatureSchema, Schema

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)


def test_loss_counts_changed_values_across_batches_with_one_example():
    loss = FloatLoss()
    to_float(np.array([0.5, 2.0, 0.1]), F32, "a", loss)
    to_float(np.array([0.3, np.nan, 1e300, -0.0]), F32, "a", loss)
    to_float(np.array([1.0, 16777216.0]), F32, "b", loss)  # all exact
    (line,) = loss.warnings("float32")
    assert line == (
        "feature 'a': 3 of 7 values lost precision as float32, "
        "e.g. 0.1 -> 0.10000000149011612"
    )


def test_integers_that_float32_cannot_hold_count():
    loss = FloatLoss()
    out = to_float(np.array([16777217, 3]), F32, "n", loss)
    assert out.tolist() == [16777216.0, 3.0]
    assert loss.warnings("float32") == [
        "feature 'n': 1 of 2 values lost precision as float32, "
        "e.g. 16777217 -> 16777216.0"
    ]


def test_widening_and_same_dtype_note_nothing():
    loss = FloatLoss()
    f32 = np.array([6.45], np.float32)
    assert to_float(f32, F32, "x", loss) is f32
    assert to_float(f32, F64, "x", loss).tolist() == [float(np.float32(6.45))]
    assert to_float(np.array([1, 2]), F64, "y", loss).dtype == F64
    assert loss.warnings("float32") == []


def _schema(*names):
    return Schema(
        {n: FeatureSchema(n, "float", 1, 1, 1, 1) for n in names}
        | {"s": FeatureSchema("s", "string", 1, 1, 1, 1)},
        1,
    )


def test_parquet_columns_vote_for_their_float_dtype(tmp_path):
    pq.write_table(
        pa.table(
            {
                "a": np.array([1.5], np.float32),
                "b": np.array([1.5], np.float64),
                "c": pa.array([[1.5]], pa.list_(pa.float16())),
                "d": np.array([1], np.int32),
                "s": ["x"],
            }
        ),
        tmp_path / "t.parquet",
    )
    files = [Detected(str(tmp_path / "t.parquet"), "parquet", "")]
    got = float_dtypes(files, _schema("a", "b", "c", "d", "e"))
    assert got == {"a": F32, "b": F64, "c": F32, "d": F64, "e": F64}


def test_any_wider_input_makes_the_column_float64(tmp_path):
    pq.write_table(pa.table({"a": np.array([1.5], np.float32)}), tmp_path / "t.parquet")
    parquet = Detected(str(tmp_path / "t.parquet"), "parquet", "")
    examples = Detected("x.tfrecord", "tfrecord", "")
    schema = _schema("a")
    assert float_dtypes([parquet, examples], schema) == {"a": F32}
    assert float_dtypes([parquet, Detected("x.csv", "csv", "")], schema) == {"a": F64}
    empty = Detected("e.csv", "csv", "", empty=True)
    assert float_dtypes([parquet, empty], schema) == {"a": F32}
