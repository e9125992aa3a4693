"""The public facade: `Dataset` and the file-backed sources (tf.data names).

Example:
    >>> import pipeline as pl
    >>> [int(x) for x in pl.data.Dataset.range(3)]
    [0, 1, 2]
    >>> pl.data.AUTOTUNE, pl.data.INFINITE_CARDINALITY, pl.data.UNKNOWN_CARDINALITY
    (-1, -1, -2)
"""

from __future__ import annotations

from pipeline.data import experimental
from pipeline.data.csv_dataset import CsvDataset, make_csv_dataset
from pipeline.data.dataset import (
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
)
from pipeline.data.global_shuffle import global_shuffle
from pipeline.data.parquet_dataset import ParquetDataset
from pipeline.data.replicas import distribute
from pipeline.data.text_dataset import FixedLengthRecordDataset, TextLineDataset
from pipeline.data.tfrecord_dataset import TFRecordDataset
from pipeline.executor.options import Options, ThreadingOptions
from pipeline.graph.base import AUTOTUNE
from pipeline.graph.failures import ElementFailure

__all__ = [
    "AUTOTUNE",
    "CsvDataset",
    "Dataset",
    "ElementFailure",
    "FixedLengthRecordDataset",
    "INFINITE_CARDINALITY",
    "Options",
    "ParquetDataset",
    "TFRecordDataset",
    "TextLineDataset",
    "ThreadingOptions",
    "UNKNOWN_CARDINALITY",
    "distribute",
    "experimental",
    "global_shuffle",
    "make_csv_dataset",
]
