"""Formats, with no knowledge of datasets: fs, tfrecord, example, csv, parquet."""
