"""Formats, with no knowledge of datasets: fs, tfrecord, example, csv, parquet."""

from __future__ import annotations

from pipeline.io.csv import decode_csv

__all__ = ["decode_csv"]
