"""The summary rows of a benchmark run: each workload, its baseline and its goal.

Every ``benchmarks/bench_*.py`` prints JSON lines, one per measurement.
`benchmarks.run_all` collects them per script, keyed by the script's short
name (``bench_csv.py`` -> ``"csv"``), and `summary_rows` turns them into
`Row`s: the workload, what it is compared with, both rates, the ratio and the
goal the issues set. A figure is a rate (higher is better) and a goal is
"ours / baseline at least ``goal``", except in a ``lower_is_better`` row (a
cost, such as peak memory against a budget): there it is "at most ``goal``".

Example:
    >>> records = {"tfrecord": [
    ...     {"bench": "tfrecord", "idiom": "batch_then_parse", "side": "ours",
    ...      "rows_per_s": 150000},
    ...     {"bench": "tfrecord", "idiom": "batch_then_parse", "side": "tf",
    ...      "rows_per_s": 25000}]}
    >>> row = summary_rows(records)[0]
    >>> row.baseline, row.ratio, row.goal, row.met
    ('TF, same code', 6.0, 5.0, True)
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from benchmarks.summary_specs import SCRIPTS, Rates, Record, Spec

__all__ = ["SCRIPTS", "Row", "Spec", "blas_of", "reported_memory", "summary_rows"]


@dataclass(frozen=True)
class Row:
    """One workload: our rate against a baseline's rate.

    Args:
        workload: what runs, in the issue's words.
        baseline: what ours is compared with (TensorFlow, pyarrow, ours
            another way).
        theirs: the baseline's rate; None when it did not run.
        ours: our rate; None when it did not run.
        unit: the rates' unit, e.g. ``"rows/s"``.
        goal: the ratio ours / baseline to reach; None (the default) when no
            issue sets one.
        source: where the goal comes from, e.g. ``"#3"`` (default ``""``).
        pair_ratios: ours / baseline of each alternating pass pair, when the
            script reports its passes; the ratio is then their median and
            `spread` their range (the rates shown are each side's median).
        lower_is_better: the figures are costs (memory against a budget):
            the goal is met when the ratio is at most ``goal``.

    Example:
        >>> Row("w", "TF", 10.0, 15.0, "rows/s", goal=2.0).met
        False
        >>> Row("w", "TF", None, 15.0, "rows/s", goal=2.0).met is None
        True
        >>> row = Row("w", "TF", 10.0, 30.0, "rows/s", 2.0, pair_ratios=(2.5, 3.0, 3.5))
        >>> row.ratio, row.spread, row.met
        (3.0, (2.5, 3.5), True)
        >>> Row("rss", "budget", 1500.0, 900.0, "MiB", 1.0, lower_is_better=True).met
        True
    """

    workload: str
    baseline: str
    theirs: float | None
    ours: float | None
    unit: str
    goal: float | None = None
    source: str = ""
    pair_ratios: tuple[float, ...] = ()
    lower_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        """The median pair ratio, else ``ours / theirs``; None when missing."""
        if self.pair_ratios:
            return statistics.median(self.pair_ratios)
        if not self.theirs or self.ours is None:
            return None
        return self.ours / self.theirs

    @property
    def spread(self) -> tuple[float, float] | None:
        """The lowest and highest pair ratio; None without pairs."""
        if not self.pair_ratios:
            return None
        return min(self.pair_ratios), max(self.pair_ratios)

    @property
    def met(self) -> bool | None:
        """Whether the ratio reaches the goal (at most it, for a
        ``lower_is_better`` row); None without a goal or a ratio."""
        if self.goal is None or self.ratio is None:
            return None
        if self.lower_is_better:
            return self.ratio <= self.goal
        return self.ratio >= self.goal


def _median(rate: float | list[float] | None) -> float | None:
    if isinstance(rate, list):
        return statistics.median(rate) if rate else None
    return rate


def _row(spec: Spec, rates: Rates) -> Row:
    """A spec's row: a rate given per pass on both sides pairs pass by pass."""
    theirs, ours = rates.get(spec.theirs), rates.get(spec.ours)
    pairs: tuple[float, ...] = ()
    if (
        isinstance(theirs, list)
        and isinstance(ours, list)
        and theirs
        and len(theirs) == len(ours)
        and all(theirs)
    ):
        pairs = tuple(o / t for o, t in zip(ours, theirs, strict=True))
    return Row(spec.workload, spec.baseline, _median(theirs), _median(ours),
               spec.unit, spec.goal, spec.source, pairs,
               spec.lower_is_better)  # fmt: skip


def summary_rows(records: dict[str, list[Record]]) -> list[Row]:
    """The summary table's rows from each script's JSON lines.

    A script with no lines (not run, or failed before printing any) adds no
    rows; a row whose side is missing (``--no-tf``, a side not installed)
    keeps its place with a None rate. A spec whose both sides are missing is
    left out, and so is an ``optional`` one whose our side is missing.

    Args:
        records: script short name -> its JSON lines, as dicts.

    Returns:
        The rows in `SCRIPTS` order.

    Example:
        >>> rows = summary_rows({"overhead": [
        ...     {"workload": "range_map_batch", "ours_per_s": 30, "tf_per_s": 10}]})
        >>> [(r.workload, r.ratio, r.met) for r in rows]
        [("range(N).map(x * 2).batch(256), f in each side's own form", 3.0, True)]
    """
    rows = []
    for name, (rates_of, specs_of) in SCRIPTS.items():
        lines = records.get(name)
        if not lines:
            continue
        rates = rates_of(lines)
        for spec in specs_of(lines):
            row = _row(spec, rates)
            if row.ours is not None or (row.theirs is not None and not spec.optional):
                rows.append(row)
    return rows


def reported_memory(records: dict[str, list[Record]]) -> list[tuple[str, float]]:
    """``(label, MiB)`` of every line that reports its own peak RSS.

    Example:
        >>> reported_memory({"cli": [{"what": "stats 2 shards", "peak_rss_mib": 87}]})
        [('cli: stats 2 shards', 87)]
    """
    return [
        (f"{name}: {_label(line)}", line["peak_rss_mib"])
        for name, lines in records.items()
        for line in lines
        if "peak_rss_mib" in line
    ]


def _label(line: Record) -> str:
    for key in ("what", "case", "workload", "bench"):
        if key in line:
            return str(line[key])
    return "?"


def blas_of(records: Iterable[Record]) -> str | None:
    """The BLAS line ``bench_nn`` reports (``{"bench": "nn", "blas": ...}``).

    Example:
        >>> blas_of([{"bench": "nn", "blas": "openblas, 2 threads"}])
        'openblas, 2 threads'
    """
    return next((r["blas"] for r in records if "blas" in r), None)
