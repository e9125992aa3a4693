"""Formats, with no knowledge of datasets: fs, tfrecord, example, csv, parquet."""

from __future__ import annotations

from pipeline.io.csv import decode_csv
from pipeline.io.example import parse_example, parse_single_example
from pipeline.io.example_features import RaggedFeature, SparseFeature
from pipeline.io.example_json import decode_json_example
from pipeline.io.example_message import (
    BytesList,
    Example,
    Feature,
    Features,
    FloatList,
    Int64List,
    serialize_example,
)
from pipeline.io.example_sequence import (
    parse_sequence_example,
    parse_single_sequence_example,
)
from pipeline.io.example_sequence_message import (
    FeatureList,
    FeatureLists,
    SequenceExample,
)
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
)
from pipeline.io.raw import decode_raw
from pipeline.io.schema import load_spec
from pipeline.io.tfrecord_writer import TFRecordOptions, TFRecordWriter

__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "FloatList",
    "Int64List",
    "RaggedFeature",
    "SequenceExample",
    "SparseFeature",
    "TFRecordOptions",
    "TFRecordWriter",
    "VarLenFeature",
    "decode_csv",
    "decode_json_example",
    "decode_raw",
    "load_spec",
    "parse_example",
    "parse_sequence_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "serialize_example",
]
