"""Which rows each benchmark script gives the summary table: its rates and row specs.

`SCRIPTS` maps a script's short name (``bench_csv.py`` -> ``"csv"``) to a
function that turns its JSON lines into ``{key: rate}`` and the `Spec` of each
of its rows (workload, baseline, the two rate keys, unit, goal and the issue
that set it). `benchmarks.summary` builds the rows from them.

Example:
    >>> rates, specs = SCRIPTS["convert"]
    >>> all(isinstance(s, Spec) for s in specs([]))
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

Record = dict[str, Any]
#: key -> rate: one figure, or one per pass (``<field>_passes`` in a line)
Rates = dict[str, float | list[float] | None]


def rate_of(line: Record, field: str) -> Any:
    """A line's per-pass rates (``<field>_passes``) if it has them, else ``field``.

    Example:
        >>> rate_of({"rows_per_s": 9, "rows_per_s_passes": [8, 9]}, "rows_per_s")
        [8, 9]
        >>> rate_of({"rows_per_s": 9}, "rows_per_s")
        9
    """
    passes = line.get(f"{field}_passes")
    return passes if passes else line.get(field)


class Spec(NamedTuple):
    """How to build a `Row` from a script's rates (``theirs``, ``ours``: keys).

    An ``optional`` row is left out when our side did not run (``ours_blas1``
    runs only with a multi-threaded BLAS). A ``lower_is_better`` row (memory
    against a budget) meets its goal when ours / baseline is at most ``goal``.
    """

    workload: str
    baseline: str
    theirs: str
    ours: str
    unit: str
    goal: float | None = None
    source: str = ""
    optional: bool = False
    lower_is_better: bool = False


# Rates per script: each turns the script's JSON lines into {key: rate}. ------


def _csv_rates(lines: list[Record]) -> Rates:
    return {r["case"]: rate_of(r, "rows_per_s") for r in lines if "case" in r}


def _tfrecord_rates(lines: list[Record]) -> Rates:
    return {
        f"{r['side']}:{r['idiom']}": rate_of(r, "rows_per_s")
        for r in lines
        if "idiom" in r
    }


def _paired_rates(ours: str, tf: str, name: str) -> Callable[[list[Record]], Rates]:
    """Rates of lines that carry both sides' figures, keyed ``side:<name>``."""

    def rates(lines: list[Record]) -> Rates:
        out = {}
        for r in lines:
            if ours in r:
                out[f"ours:{r[name]}"] = rate_of(r, ours)
                out[f"tf:{r[name]}"] = rate_of(r, tf)
        return out

    return rates


_feature_column_rates = _paired_rates("ours_rows_per_s", "tf_rows_per_s", "bench")
_overhead_rates = _paired_rates("ours_per_s", "tf_per_s", "workload")


def _nn_rates(lines: list[Record]) -> Rates:
    rates = {}
    for r in lines:
        if "examples_per_s" not in r:
            continue
        sides = rate_of(r, "examples_per_s")  # {side: rate or per-pass rates}
        for side, rate in sides.items():
            rates[f"{side}:{r['workload']}"] = rate
        tf_sides = [v for s, v in sides.items() if not s.startswith("ours")]
        rates[f"tf:{r['workload']}"] = _faster(tf_sides)
    return rates


def _faster(sides: list[Any]) -> Any:
    """The faster baseline: per pass when every side gives its passes."""
    if sides and all(isinstance(v, list) for v in sides):
        return [max(p) for p in zip(*sides, strict=False)]
    return max((v for v in sides if not isinstance(v, list)), default=None)


def _cli_rates(lines: list[Record]) -> Rates:
    rates: Rates = {
        r["what"]: rate_of(r, "rows_per_s")
        for r in lines
        if "what" in r and "rows_per_s" in r
    }
    for r in lines:  # an absolute goal is the baseline of its row (ratio >= 1)
        if "goal_rows_per_s" in r:
            rates[f"goal:{r['what']}"] = r["goal_rows_per_s"]
    return rates


def _optimizer_rates(lines: list[Record]) -> Rates:
    rates = {}
    for r in lines:
        if "optimizer" in r:
            rates[f"ours:{r['optimizer']}"] = rate_of(r, "ours_steps_per_s")
            rates[f"tf:{r['optimizer']}"] = rate_of(r, "keras_steps_per_s")
    return rates


def _optimizer_specs(lines: list[Record]) -> list[Spec]:
    names = [r["optimizer"] for r in lines if "optimizer" in r]
    return [
        Spec(f"optimizer step: {n} (seed MLP's variables)", "Keras 3 in a tf.function",
             f"tf:{n}", f"ours:{n}", "steps/s")
        for n in names
    ]  # fmt: skip


# Row specs per script, in the order of the summary table. -------------------

_TF = "TF, same code"
_CSV_IDIOMS = {  # bench_csv idiom -> (its text, goal against pyarrow, source)
    "make_csv_dataset": ("make_csv_dataset(batch_size=256)", 1.0, "#16"),
    "fast": ("flat_map(TextLineDataset) -> batch(256) -> map(decode_csv)", None, ""),
    "per_line": ("per-line map(decode_csv) -> batch(256), our map->batch rewrite",
                 None, ""),
}  # fmt: skip
_CSV_TYPES = {  # bench_csv types -> (our side, pyarrow's side)
    "typed": ("column_defaults given", "pyarrow.csv.read_csv, given our column types"),
    "inferred": ("ours inferring types",
                 "pyarrow.csv.read_csv, inferring (float64, int64, utf8)"),
}  # fmt: skip
_TF_SMALL = "TF, same code and --tf-rows files"
_CSV = [
    *(Spec(f"CSV to typed batches of 256: {text}, {ours}", arrow,
           f"pyarrow:read_csv:{types}", f"pipeline:{idiom}:{types}", "rows/s", goal,
           source)
      for types, (ours, arrow) in _CSV_TYPES.items()
      for idiom, (text, goal, source) in _CSV_IDIOMS.items()),
    Spec("CSV: flat_map(TextLineDataset) -> batch(256) -> map(decode_csv) "
         "(TF's fastest)", _TF, "tensorflow:fast:typed", "pipeline:fast:typed",
         "rows/s", 5.0, "#16"),
    Spec("CSV: the same fast-idiom code, ours with csv_blocks=False (control: "
         "our batch->map(decode_csv) block rewrite off)", _TF,
         "tensorflow:fast:typed", "pipeline:fast_no_rewrite:typed", "rows/s"),
    Spec("CSV: seed-course per-line map(decode_csv) -> batch(256), ours through "
         "our map->batch rewrite", _TF_SMALL, "tensorflow:per_line:typed@tf_rows",
         "pipeline:per_line:typed@tf_rows", "rows/s", 20.0, "#3"),
    Spec("CSV: the same per-line code, ours with map_vectorization=False (control)",
         _TF_SMALL, "tensorflow:per_line:typed@tf_rows",
         "pipeline:per_line_no_rewrite:typed@tf_rows", "rows/s"),
    Spec("CSV: make_csv_dataset(batch_size=256)", _TF_SMALL,
         "tensorflow:make_csv_dataset:typed@tf_rows",
         "pipeline:make_csv_dataset:typed@tf_rows", "rows/s"),
]  # fmt: skip
_TFRECORD = [
    Spec("TFRecord: batch(256) -> map(parse_example) (TF's fastest)", _TF,
         "tf:batch_then_parse", "ours:batch_then_parse", "rows/s", 5.0, "#16"),
    Spec("TFRecord: the parser alone, batches cached in memory -> "
         "map(parse_example) (both sides cache)", _TF, "tf:cached_parse",
         "ours:cached_parse", "rows/s"),
    Spec("TFRecord: the parser alone, cached batches -> map(parse_example, "
         "num_parallel_calls=2)", "ours, 1 thread", "ours:cached_parse",
         "ours:cached_parse_2threads", "rows/s", 1.6, "#16"),
    Spec("TFRecord: batch(256) -> map(parse_example, num_parallel_calls=2), whole "
         "pipeline (the GIL-bound reader beside it)", "ours, 1 thread",
         "ours:batch_then_parse", "ours:batch_then_parse_2threads", "rows/s"),
    Spec("TFRecord: seed-course map(parse_single_example) -> batch(256), ours "
         "through our map->batch rewrite", _TF, "tf:per_record", "ours:per_record",
         "rows/s"),
    Spec("TFRecord: the same per-record code, ours with map_vectorization=False "
         "(control)", _TF, "tf:per_record", "ours:per_record_no_rewrite", "rows/s"),
]  # fmt: skip
_FEATURE_COLUMNS = [  # TF's side: its fastest form, one graph over the data
    Spec("DenseFeatures, taxi feature set, parsed batches of 256",
         "tf_keras, in one tf.function over the batches", "tf:feature_layer",
         "ours:feature_layer", "rows/s", 3.0, "#16"),
    Spec("DenseFeatures, parsed batches of 256 (TF called per batch)",
         "tf_keras, a tf.function called per batch", "tf:feature_layer_per_call",
         "ours:feature_layer_per_call", "rows/s"),
    Spec("CSV shards -> parse -> DenseFeatures",
         "tf_keras, fastest CSV dataset + map, one graph", "tf:end_to_end",
         "ours:end_to_end", "rows/s", 5.0, "#16"),
    Spec("to_hash_bucket_fast", "tf.strings", "tf:hash_bucket_fast",
         "ours:hash_bucket_fast", "rows/s"),
]  # fmt: skip
_SAME_PY = "tf.data, the same Python fn in tf.numpy_function"
#: engine rows: the same work on both sides (goal of #2: at least 1x tf.data)
_OVERHEAD_ENGINE = {
    "py_add_one_t1": ("engine: range(N).map(Python x + 1).batch(256), 1 thread",
                      _SAME_PY),
    "py_add_one_t2": ("engine: range(N).map(Python x + 1).batch(256), 2 threads",
                      _SAME_PY),
    "py_work_t1": ("engine: range(N).map(pure-Python loop).batch(256), 1 thread",
                   _SAME_PY),
    "py_work_t2": ("engine: range(N).map(pure-Python loop).batch(256), 2 threads",
                   _SAME_PY),
    "numpy_sort_t1": ("engine: map(np.sort) on 64 KiB, 1 thread",
                      "tf.data, the same np.sort in tf.numpy_function"),
    "numpy_sort_t2": ("engine: map(np.sort) on 64 KiB, 2 threads",
                      "tf.data, the same np.sort in tf.numpy_function"),
    "range_map_batch": ("range(N).map(x * 2).batch(256), f in each side's own form",
                        "tf.data, f traced into its graph"),
    "slices_shuffle_batch": ("from_tensor_slices(dict).shuffle(10_000).batch(256)",
                             "tf.data"),
}  # fmt: skip
#: kernel rows: our numpy kernels against TF's ops (no goal: not the engine)
_OVERHEAD_KERNELS = {
    "parallel_sort_map_t1": ("kernel: map(np.sort) on 64 KiB, 1 thread",
                             "tf.data, map(tf.sort)"),
    "parallel_sort_map_t2": ("kernel: map(np.sort) on 64 KiB, 2 threads",
                             "tf.data, map(tf.sort)"),
    "parallel_math_map_t1": ("kernel: elementwise math map, 1 thread",
                             "tf.data, TF's ops"),
    "parallel_math_map_t2": ("kernel: elementwise math map, 2 threads",
                             "tf.data, TF's ops"),
    "parallel_math_map_autotune": ("kernel: elementwise math map, AUTOTUNE",
                                   "tf.data, TF's ops"),
}  # fmt: skip
_OVERHEAD = [
    *(Spec(text, base, f"tf:{key}", f"ours:{key}", "elements/s", 1.0, "#2")
      for key, (text, base) in _OVERHEAD_ENGINE.items()),
    *(Spec(text, base, f"tf:{key}", f"ours:{key}", "elements/s")
      for key, (text, base) in _OVERHEAD_KERNELS.items()),
    Spec("map(np.sort) scaling, 1 -> 2 threads (near-linear)", "ours, 1 thread",
         "ours:parallel_sort_map_t1", "ours:parallel_sort_map_t2", "elements/s",
         1.8, "#2"),
]  # fmt: skip
_KERAS = "faster of Keras 3 / tf_keras"
_NN = [
    Spec("fit: seed MLP 784-128-10, adam, batch 256", _KERAS, "tf:mlp", "ours:mlp",
         "examples/s", 1.5, "#4"),
    Spec("fit: seed MLP, ours with 1 BLAS thread", _KERAS, "tf:mlp",
         "ours_blas1:mlp", "examples/s", 1.5, "#4", True),
    Spec("fit: seed MLP, BLAS share of step time (the same GEMMs timed alone / "
         "our whole fit step)", "the fit's GEMMs alone, same shapes and BLAS threads",
         "matmuls_alone:mlp_blas_share", "ours:mlp_blas_share", "examples/s", 0.7,
         "#16"),
    Spec("fit: wide-and-deep regression, batch 256", _KERAS, "tf:wide_deep",
         "ours:wide_deep", "examples/s", 2.5, "#16"),
    Spec("fit: wide-and-deep, a child process spinning on one core during both "
         "sides' passes", _KERAS, "tf:wide_deep_busy", "ours:wide_deep_busy",
         "examples/s", 2.5, "#16"),
    Spec("fit: wide-and-deep, ours with 1 BLAS thread", _KERAS, "tf:wide_deep",
         "ours_blas1:wide_deep", "examples/s", 1.5, "#4", True),
    Spec("predict(batch_size=1024), seed MLP", _KERAS, "tf:predict",
         "ours:predict", "examples/s", 1.5, "#4"),
    Spec("predict, ours with 1 BLAS thread", _KERAS, "tf:predict",
         "ours_blas1:predict", "examples/s", 1.5, "#4", True),
]  # fmt: skip
_CLI = [
    Spec("`pipeline count`, 8 TFRecord shards, index sidecars built beforehand "
         "(untimed: the build is the next row)", "TF batched reduce count",
         "tf reduce count", "count (index)", "records/s"),
    Spec("`pipeline index`, 8 TFRecord shards: the build the row above leaves out",
         "TF batched reduce count", "tf reduce count", "index (write sidecars)",
         "records/s"),
    Spec("`pipeline index` then `pipeline count`, the build timed",
         "TF batched reduce count", "tf reduce count",
         "index then count (build timed)", "records/s"),
    Spec("`pipeline count` with the index against without (sidecars built "
         "beforehand, untimed)", "ours, from the framing", "count (framing)",
         "count (index)", "records/s", 5.0, "#6"),
    *(
        Spec(f"`pipeline {what}`, {data}", "the issue's goal, in records/s",
             f"goal:{what} ({data})", f"{what} ({data})", "records/s", 1.0, "#15")
        for data in ("taxi, 8 shards", "TFX-style gzip, 12")
        for what in ("verify", "stats")
    ),
]  # fmt: skip


def _convert_rates(lines: list[Record]) -> Rates:
    rates: Rates = {}
    for r in lines:
        if "workload" in r:
            rates[f"{r['side']}:{r['workload']}"] = rate_of(r, "rows_per_s")
        if "goal_rows_per_s" in r:  # an absolute goal: the baseline of its row
            rates[f"goal:{r['workload']}"] = r["goal_rows_per_s"]
    return rates


_CONVERT = [
    Spec("`convert --to tfrecord` writer: taxi batches to Examples",
         "tf.train.Example + SerializeToString + TFRecordWriter", "tf:write",
         "ours:write", "rows/s"),
    *(
        Spec(what, "the issue's goal, in rows/s", f"goal:{key}", f"ours:{key}",
             "rows/s", 1.0, "#15")
        for key, what in (
            ("write", "`convert --to tfrecord` writer: taxi batches to Examples"),
            ("command", "`pipeline convert taxi.parquet --to tfrecord`, whole"),
        )
    ),
]  # fmt: skip

_theirs_rates = _paired_rates("ours_rows_per_s", "theirs_rows_per_s", "workload")
_TORCH = [
    Spec("to_torch(), DataLoader(num_workers=2): taxi CSV shards",
         "pandas read_csv(chunksize=256) Dataset", "tf:csv", "ours:csv", "rows/s",
         3.0, "#12"),
    Spec("to_torch(), DataLoader(num_workers=2): taxi TFRecord shards",
         "`tfrecord` package Dataset", "tf:tfrecord", "ours:tfrecord", "rows/s",
         3.0, "#12"),
]  # fmt: skip
_GLOBAL_SHUFFLE = [  # keyed by the workload bench_global_shuffle prints
    Spec("global_shuffle over indexed TFRecord shards", "sequential read, same files",
         "tf:global_shuffle-tfrecord", "ours:global_shuffle-tfrecord", "rows/s", 0.5,
         "#12"),
    Spec("global_shuffle over row-indexed CSV shards",
         "sequential TextLineDataset, same files", "tf:global_shuffle-csv",
         "ours:global_shuffle-csv", "rows/s", 0.5, "#12"),
]  # fmt: skip

_ray_rates = _paired_rates("ours_per_s", "ray_per_s", "bench")
_RAY = [
    Spec("Ray Data: our read_tfrecords datasource, iter_batches(256)",
         "ray.data.read_tfrecords, same local cluster", "tf:ray", "ours:ray", "rows/s",
         5.0, "#12"),
]  # fmt: skip

_PEER_ROWS = {  # bench_peers workload -> (what runs, the peer, goal #16)
    "csv:ray": ("Ray Data", "ray.data.read_csv", 2.0),
    "csv:torch0": ("torch, 0 workers", "DataLoader over pyarrow batches", 3.0),
    "csv:torch2": ("torch, 2 workers", "DataLoader over pyarrow batches", 3.0),
    "csv:grain": ("Grain", "Grain, pyarrow read_csv", 2.0),
    "csv:polars": ("polars", "polars scan_csv", 2.0),
    "tfrecord:ray": ("Ray Data", "ray.data.read_tfrecords", 2.0),
    "tfrecord:torch0": ("torch, 0 workers", "DataLoader, protobuf decoding", 2.0),
    "tfrecord:torch2": ("torch, 2 workers", "DataLoader, protobuf decoding", 2.0),
    "tfrecord:grain": ("Grain", "TFRecordIterDataset + protobuf", 2.0),
}
_PEERS = [
    Spec(f"peers: taxi {'CSV' if key[0] == 'c' else 'TFRecord'} shards to typed "
         f"batches of 256, vs {who}", peer, f"tf:{key}", f"ours:{key}", "rows/s",
         goal, "#16")
    for key, (who, peer, goal) in _PEER_ROWS.items()
]  # fmt: skip

_SCALE_RATE = "rate, largest set vs base"
_SCALE_RSS = "peak RSS, largest set"


def _scale_rates(lines: list[Record]) -> Rates:
    rates: Rates = {}
    for r in lines:
        if r.get("workload") == _SCALE_RATE:
            rates["scale:base"] = rate_of(r, "base_rows_per_s")
            rates["scale:largest"] = rate_of(r, "ours_rows_per_s")
        elif r.get("workload") == _SCALE_RSS:  # an absolute budget, lower is better
            rates["budget:rss"] = r["budget_rss_mib"]
            rates["ours:rss"] = r["ours_rss_mib"]
        elif "side" in r and "size" in r:
            rates[f"{r['side']}:{r['size']}"] = rate_of(r, "rows_per_s")
    return rates


def _scale_specs(lines: list[Record]) -> list[Spec]:
    what = "TFRecord shuffle(100_000) -> batch(256) -> parse_example, 2 epochs"
    by = {r["workload"]: r for r in lines if "workload" in r}
    specs = [Spec(f"scale: {what}, {r['size']} set", _TF, f"tf:{r['size']}",
                  f"ours:{r['size']}", "rows/s")
             for r in lines if r.get("side") == "tf"]  # fmt: skip
    if _SCALE_RATE in by:
        r = by[_SCALE_RATE]
        specs.append(Spec(f"scale: the same, {r['size']} set against {r['base']}",
                          f"ours on {r['base']}", "scale:base", "scale:largest",
                          "rows/s", 0.9, "#16"))  # fmt: skip
    if _SCALE_RSS in by:
        specs.append(Spec(f"scale: peak RSS of the {by[_SCALE_RSS]['size']} run "
                          "(lower is better)", "the issue's budget, 1.5 GB",
                          "budget:rss", "ours:rss", "MiB", 1.0, "#16",
                          lower_is_better=True))  # fmt: skip
    return specs


def _interleave_rates(lines: list[Record]) -> Rates:
    return {
        f"{r['side']}:{r['format']}:{r['idiom']}": rate_of(r, "rows_per_s")
        for r in lines
        if r.get("bench") == "interleave"
    }


_SHARDS = {
    "csv": ("TextLineDataset", "CSV"),
    "tfrecord": ("TFRecordDataset", "TFRecord"),
}
_INTERLEAVE = [
    *(Spec(f"interleave({reader}, cycle_length=8, num_parallel_calls=AUTOTUNE) -> "
           f"batch(256), 8 {kind} shards", "ours, sequential flat_map -> batch(256)",
           f"ours:{fmt}:flat_map", f"ours:{fmt}:interleave", "rows/s", 0.9, "#16")
      for fmt, (reader, kind) in _SHARDS.items()),
    *(Spec(f"{idiom}({reader}) -> batch(256), 8 {kind} shards", _TF,
           f"tf:{fmt}:{idiom}", f"ours:{fmt}:{idiom}", "rows/s")
      for fmt, (reader, kind) in _SHARDS.items()
      for idiom in ("interleave", "flat_map")),
]  # fmt: skip


_Rates = Callable[[list[Record]], Rates]
_Specs = Callable[[list[Record]], list[Spec]]
#: script short name -> (its rates, its row specs), in the table's order.
SCRIPTS: dict[str, tuple[_Rates, _Specs]] = {
    "overhead": (_overhead_rates, lambda lines: _OVERHEAD),
    "csv": (_csv_rates, lambda lines: _CSV),
    "tfrecord": (_tfrecord_rates, lambda lines: _TFRECORD),
    "feature_columns": (_feature_column_rates, lambda lines: _FEATURE_COLUMNS),
    "nn": (_nn_rates, lambda lines: _NN),
    "optimizers": (_optimizer_rates, _optimizer_specs),
    "cli": (_cli_rates, lambda lines: _CLI),
    "convert": (_convert_rates, lambda lines: _CONVERT),
    "torch": (_theirs_rates, lambda lines: _TORCH),
    "global_shuffle": (_theirs_rates, lambda lines: _GLOBAL_SHUFFLE),
    "ray": (_ray_rates, lambda lines: _RAY),
    "peers": (_theirs_rates, lambda lines: _PEERS),
    "scale": (_scale_rates, _scale_specs),
    "interleave": (_interleave_rates, lambda lines: _INTERLEAVE),
}
