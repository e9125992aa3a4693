"""Scale out on Ray Data: our readers as datasources, and Ray data as `Dataset`s.

``read_tfrecords``, ``read_csv`` and ``read_text`` return ``ray.data.Dataset``s
read by `pipeline.integrations.ray_datasource` (our compiled readers and
parsers in Ray's read tasks, Arrow blocks out). ``from_ray``/``to_ray`` (also
``pl.data.Dataset.from_ray`` and ``Dataset.to_ray``) convert between Ray data
and `pl.data.Dataset` (`pipeline.integrations.ray_convert`).

``import pipeline`` does not import ray; importing this module does.

Example (a Ray cluster is needed; tests/integrations/test_ray.py runs it)::

    from pipeline.integrations import ray as plray
    spec = {"x": pl.io.FixedLenFeature([], np.float32)}
    rows = plray.read_tfrecords("data/*.tfrecord", features=spec)
    for batch in rows.iter_batches(batch_size=256, batch_format="numpy"):
        ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ray.data

from pipeline.integrations.ray_convert import from_ray, to_ray
from pipeline.integrations.ray_datasource import (
    CsvDatasource,
    TextDatasource,
    TFRecordDatasource,
)

__all__ = ["from_ray", "read_csv", "read_text", "read_tfrecords", "to_ray"]


def _blocks(parallelism: int) -> dict[str, Any]:
    """Ray's read-task count argument (``parallelism`` is deprecated there)."""
    return {"override_num_blocks": parallelism} if parallelism > 0 else {}


def read_tfrecords(
    paths: Any,
    features: Mapping[str, Any],
    compression_type: str | None = None,
    parallelism: int = -1,
    block_rows: int = 4096,
    **read_args: Any,
) -> ray.data.Dataset:
    """TFRecord files of ``tf.train.Example``s as a Ray dataset of parsed rows.

    Args:
        paths: a path, URL or glob, or a list of them.
        features: ``{name: FixedLenFeature | VarLenFeature | ...}`` as for
            ``pl.io.parse_example``; one column each.
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        parallelism: read tasks (default -1: Ray decides; at most one per file).
        block_rows: records per Arrow block (default 4096).
        **read_args: passed to ``ray.data.read_datasource`` (``num_cpus``,
            ``concurrency``, ...).

    Returns:
        A ``ray.data.Dataset``.
    """
    source = TFRecordDatasource(paths, features, compression_type, block_rows)
    return ray.data.read_datasource(source, **_blocks(parallelism), **read_args)


def read_csv(
    paths: Any,
    parallelism: int = -1,
    block_rows: int = 4096,
    read_args: Mapping[str, Any] | None = None,
    **csv_args: Any,
) -> ray.data.Dataset:
    """CSV files as a Ray dataset, parsed as ``pl.data.make_csv_dataset`` does.

    Args:
        paths: a path, URL or glob, or a list of them.
        parallelism: read tasks (default -1: Ray decides; at most one per file).
        block_rows: rows per Arrow block (default 4096).
        read_args: passed to ``ray.data.read_datasource``.
        **csv_args: ``make_csv_dataset``'s parsing arguments (``column_names``,
            ``column_defaults``, ``select_columns``, ``field_delim``,
            ``use_quote_delim``, ``na_value``, ``header``,
            ``num_rows_for_inference``, ``compression_type``,
            ``ignore_errors``, ``encoding``).

    Returns:
        A ``ray.data.Dataset`` with one column per (selected) CSV column.

    Example (a Ray cluster is needed; tests/integrations/test_ray.py runs it)::

        rides = plray.read_csv("rides-*.csv", column_defaults=[0.0, "", 0])
        for batch in pl.data.Dataset.from_ray(rides, batch_size=256):
            ...
    """
    source = CsvDatasource(paths, block_rows, **csv_args)
    return ray.data.read_datasource(
        source, **_blocks(parallelism), **dict(read_args or {})
    )


def read_text(
    paths: Any,
    compression_type: str | None = None,
    parallelism: int = -1,
    block_rows: int = 4096,
    **read_args: Any,
) -> ray.data.Dataset:
    """Lines of text files as a Ray dataset with one ``text`` column of bytes.

    Args:
        paths: a path, URL or glob, or a list of them.
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        parallelism: read tasks (default -1: Ray decides; at most one per file).
        block_rows: lines per Arrow block (default 4096).
        **read_args: passed to ``ray.data.read_datasource``.

    Returns:
        A ``ray.data.Dataset``.

    Example (a Ray cluster is needed; tests/integrations/test_ray.py runs it)::

        lines = plray.read_text("logs/*.txt.gz", compression_type="AUTO")
        lines.take(2)  # [{"text": b"..."}, {"text": b"..."}]
    """
    source = TextDatasource(paths, compression_type, block_rows)
    return ray.data.read_datasource(source, **_blocks(parallelism), **read_args)
