"""The taxi feature set through DenseFeatures: ours against TensorFlow's best form.

The feature set is `benchmarks.taxi_features` (the same columns and the same
embedding tables on both sides). Every pass of every form puts each batch
through ``DenseFeatures`` and reduces its output to a row count and a float64
sum of all values (the same materialization on both sides); the sums of every
form are checked against ours before any timing.

``feature_layer``: the same full batches of 256 parsed rows (numpy, made
before timing). Ours calls the layer per batch. TF's anchor is the fastest
of its in-graph forms (`benchmarks.fc_tensorflow`), each one ``tf.function``
over a dataset of those batches: ``Dataset.reduce`` with the layer in a
sequential or an AUTOTUNE ``map`` (a new iterator every pass), and a loop
over one lasting iterator (its setup untimed). Before timing, every batch's
output is compared value for value with TF's. ``feature_layer_per_call``: the same
ours against a ``tf.function`` called from Python once per batch.

``end_to_end`` (``--e2e``): CSV shards -> parse -> DenseFeatures, every row of
8 shards. Ours: ``make_csv_dataset`` -> ``map(DenseFeatures, AUTOTUNE)`` ->
prefetch. TF: the fastest of ``make_csv_dataset``, ``CsvDataset`` ->
batch -> map and ``TextLineDataset`` -> batch -> map(decode_csv), each pass one
``tf.function`` around ``reduce``.

Passes alternate ours and each TF form; the best pass of each is reported,
and with TF, each pass pair's ratio (TF's side: the fastest anchor form in
that pass) as ``median_ratio`` and ``ratio_spread``; the summary takes the
median of the pairs.

    .venv-bench/bin/python -m benchmarks.bench_feature_columns --rows 200000 --e2e

Prints a table and one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from benchmarks.taxi_data import LABEL, taxi_columns, write_csv_shards
from benchmarks.taxi_features import (
    BATCH,
    build_columns,
    csv_defaults,
    parsed_batches,
)

Runner = Callable[[], tuple[int, float]]
_RTOL = 1e-5


def _layer():
    import pipeline as pl

    return pl.feature_column.DenseFeatures(build_columns(pl.feature_column))


def ours_runner(batches: list[dict]) -> Runner:
    """Our DenseFeatures called on every batch: ``(rows, sum of outputs)``."""
    layer = _layer()

    def run() -> tuple[int, float]:
        rows, total = 0, 0.0
        for batch in batches:
            out = np.asarray(layer(batch))
            rows += out.shape[0]
            total += float(out.sum(dtype=np.float64))
        return rows, total

    return run


def ours_e2e(files: list[str]) -> Runner:
    """Our fastest idiom: make_csv_dataset -> map(DenseFeatures) -> prefetch."""
    import pipeline as pl

    layer = _layer()

    def run() -> tuple[int, float]:
        ds = pl.data.make_csv_dataset(
            files,
            BATCH,
            column_defaults=csv_defaults(),
            label_name=LABEL,
            num_epochs=1,
            shuffle=False,
        )
        ds = ds.map(lambda f, y: layer(f), num_parallel_calls=pl.data.AUTOTUNE)
        rows, total = 0, 0.0
        for out in ds.prefetch(pl.data.AUTOTUNE):
            out = np.asarray(out)
            rows += out.shape[0]
            total += float(out.sum(dtype=np.float64))
        return rows, total

    return run


def check_layer_outputs(batches: list[dict]) -> None:
    """Every batch's output of ours equals TF's, value for value."""
    from benchmarks.fc_tensorflow import layer_outputs

    layer = _layer()
    for i, (batch, theirs) in enumerate(zip(batches, layer_outputs(batches))):
        ours = np.asarray(layer(batch))
        if ours.shape != theirs.shape or not np.allclose(
            ours, theirs, rtol=_RTOL, atol=1e-6
        ):
            raise AssertionError(f"batch {i}: our DenseFeatures output is not TF's")


def hashing_runners(rows: int, with_tf: bool) -> tuple[Runner, Runner | None]:
    """to_hash_bucket_fast over ``rows`` vendor-id strings, in chunks of 65,536."""
    values, _ = taxi_columns(rows)
    chunks = [values["vendor_id"][i : i + 65536] for i in range(0, rows, 65536)]

    def ours() -> tuple[int, float]:
        import pipeline as pl

        out = [pl.strings.to_hash_bucket_fast(c, 1000) for c in chunks]
        return sum(len(o) for o in out), float(sum(int(o.sum()) for o in out))

    if not with_tf:
        return ours, None
    import tensorflow as tf

    tf_chunks = [tf.constant(c.astype(bytes)) for c in chunks]

    def theirs() -> tuple[int, float]:
        out = [tf.strings.to_hash_bucket_fast(c, 1000).numpy() for c in tf_chunks]
        return sum(len(o) for o in out), float(sum(int(o.sum()) for o in out))

    return ours, theirs


def _check(name: str, form: str, want: tuple[int, float], got: tuple[int, float]):
    if want[0] != got[0] or not np.isclose(want[1], got[1], rtol=_RTOL):
        raise AssertionError(
            f"{name}: {form} gave {got[0]} rows summing to {got[1]!r}, "
            f"ours' first pass {want[0]} rows summing to {want[1]!r}"
        )


def _rate(name: str, form: str, run: Runner, expected: tuple[int, float]) -> float:
    """One timed pass of ``run``, whose rows and output sum must be ``expected``."""
    start = time.perf_counter()
    got = run()
    seconds = time.perf_counter() - start
    _check(name, form, expected, got)
    return got[0] / seconds


def measure(name: str, ours: Runner, forms: dict[str, Runner], passes: int) -> dict:
    """Alternating passes (ours, then each TF form): the best rows/s of each.

    The untimed first pass warms every side up (tracing, tables); every pass
    of every form, timed or not, must give our rows and our output sum.
    """
    expected = ours()
    for form, run in forms.items():
        _check(name, form, expected, run())
    sides = {"ours": ours, **forms}
    rates: dict[str, list[float]] = {side: [] for side in sides}
    for _ in range(passes):
        for side, run in sides.items():
            rates[side].append(_rate(name, side, run, expected))
    best = {side: max(values) for side, values in rates.items()}
    return {"bench": name, "rows": expected[0], "ours_rows_per_s": best.pop("ours"),
            "tf_forms": best, "passes": rates}  # fmt: skip


def with_anchor(result: dict, forms: list[str] | None = None) -> dict:
    """``result`` with ``tf_rows_per_s``: the fastest of TF's ``forms`` (all).

    With the passes of `measure`, also each side's rate per pass (TF's: the
    fastest of ``forms`` in that pass), ``median_ratio`` (the median of the
    pass pairs' ours / TF) and ``ratio_spread`` (their range).
    """
    rates = {f: r for f, r in result["tf_forms"].items() if forms is None or f in forms}
    if rates:
        form = max(rates, key=rates.get)
        result = {**result, "tf_form": form, "tf_rows_per_s": rates[form]}
        result["ratio"] = result["ours_rows_per_s"] / rates[form]
        passes = result.get("passes", {})
        if passes:
            ours = passes["ours"]
            theirs = [max(p) for p in zip(*(passes[f] for f in rates), strict=True)]
            pairs = [o / t for o, t in zip(ours, theirs, strict=True)]
            result["ours_rows_per_s_passes"] = ours
            result["tf_rows_per_s_passes"] = theirs
            result["median_ratio"] = statistics.median(pairs)
            result["ratio_spread"] = [min(pairs), max(pairs)]
    return result


def layer_results(rows: int, passes: int, with_tf: bool) -> list[dict]:
    """``feature_layer`` (TF in one graph) and ``feature_layer_per_call``."""
    batches = parsed_batches(rows)
    forms: dict[str, Runner] = {}
    if with_tf:
        from benchmarks.fc_tensorflow import layer_forms

        check_layer_outputs(batches)
        forms = layer_forms(batches)
    result = measure("feature_layer", ours_runner(batches), forms, passes)
    if not with_tf:
        return [result]
    per_call = {**result, "bench": "feature_layer_per_call"}
    return [
        with_anchor(
            result, ["graph_reduce", "graph_reduce_parallel_map", "graph_loop"]
        ),
        with_anchor(per_call, ["per_call"]),
    ]


def e2e_result(rows: int, passes: int, with_tf: bool, csv_dir: str) -> dict:
    """``end_to_end``: CSV shards -> DenseFeatures against TF's fastest form."""
    files = write_csv_shards(csv_dir, rows, 8)
    forms: dict[str, Runner] = {}
    if with_tf:
        from benchmarks.fc_tensorflow import e2e_forms

        forms = e2e_forms(files)
    return with_anchor(measure("end_to_end", ours_e2e(files), forms, passes))


def _print(results: list[dict]) -> None:
    print(
        f"{'bench':<24}{'ours rows/s':>14}{'TF rows/s':>14}{'ratio':>8}"
        f"{'median pair ratio (range)':>30}  TF form"
    )
    for result in results:
        tf_rate = result.get("tf_rows_per_s")
        tf_text = f"{tf_rate:,.0f}" if tf_rate else "-"
        ratio_text = f"{result['ratio']:.2f}x" if tf_rate else "-"
        median_text = "-"
        if "median_ratio" in result:
            low, high = result["ratio_spread"]
            median_text = f"{result['median_ratio']:.2f}x ({low:.2f}-{high:.2f})"
        ours_rate = result["ours_rows_per_s"]
        print(
            f"{result['bench']:<24}{ours_rate:>14,.0f}{tf_text:>14}{ratio_text:>8}"
            f"{median_text:>30}  {result.get('tf_form', '')}"
        )
    for result in results:
        print(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-tf", action="store_true", help="measure ours only")
    parser.add_argument("--e2e", action="store_true", help="also CSV -> DenseFeatures")
    parser.add_argument("--csv-dir", default="/tmp/pipeline-bench/taxi-fc")
    parser.add_argument("--hashing", action="store_true", help="also string hashing")
    args = parser.parse_args(argv)
    with_tf = not args.no_tf
    results = layer_results(args.rows, args.passes, with_tf)
    if args.e2e:
        results.append(e2e_result(args.rows, args.passes, with_tf, args.csv_dir))
    if args.hashing:
        ours, theirs = hashing_runners(args.rows, with_tf)
        forms = {"tf.strings": theirs} if theirs else {}
        results.append(
            with_anchor(measure("hash_bucket_fast", ours, forms, args.passes))
        )
    for result in results:
        result["batch"] = BATCH
    _print(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
