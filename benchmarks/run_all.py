"""Runs every ``benchmarks/bench_*.py`` and writes the summary table (``make bench``).

Each script runs ours and TensorFlow side by side and prints its own table and
JSON lines (one per measurement). This runner echoes them, collects the JSON
lines per script, reads each script's peak RSS (and that of an ours-only
rerun, ``--no-tf --passes 1``, where the script has ``--no-tf``), times
``import pipeline`` against ``import tensorflow`` in fresh interpreters, and
writes one summary block (`benchmarks.summary` rows, rendered by
`benchmarks.results_file`) between the markers of ``benchmarks/RESULTS.md``.

    .venv-bench/bin/python -m benchmarks.run_all               # make bench
    .venv-bench/bin/python -m benchmarks.run_all --quick       # smoke test, ~minutes
    .venv-bench/bin/python -m benchmarks.run_all --only csv,tfrecord

A ``--quick`` or ``--only`` run writes its block to
``benchmarks/data/RESULTS-trial.md`` (ignored by git) unless ``--results``
names the file, so a trial never replaces the figures of a full run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks import machine, summary
from benchmarks.results_file import (
    ImportTime,
    Memory,
    Report,
    render_block,
    replace_block,
)

_HERE = Path(__file__).resolve().parent
RESULTS = _HERE / "RESULTS.md"
TRIAL_RESULTS = _HERE / "data" / "RESULTS-trial.md"
#: Extra arguments of a full run (the scripts' defaults otherwise).
#: Issue 16 asks for the median of at least 5 alternating pairs per goal.
_FIVE = ["--passes", "5"]
FULL_ARGS = {
    "feature_columns": ["--e2e", "--hashing", *_FIVE],
    **{name: _FIVE for name in ("cli", "convert", "csv", "global_shuffle", "nn",
                                "overhead", "ray", "tfrecord", "torch")},
}  # fmt: skip
#: Small sizes and one pass: every code path, in a couple of minutes.
QUICK_ARGS = {
    "global_shuffle": ["--rows", "40000", "--passes", "1", "--rss"],
    "torch": ["--rows", "20000", "--passes", "1"],
    "ray": ["--rows", "20000", "--passes", "1"],
    "cli": ["--rows", "20000", "--passes", "1"],
    "convert": ["--rows", "20000", "--passes", "1"],
    "csv": ["--rows", "20000", "--shards", "4", "--passes", "1", "--slow-rows",
            "5000"],
    "feature_columns": ["--rows", "8192", "--passes", "1", "--e2e", "--hashing"],
    "nn": ["--rows", "2048", "--passes", "1"],
    "optimizers": ["--steps", "20", "--passes", "1"],
    "overhead": ["--rows", "20000", "--arrays", "200", "--passes", "1"],
    "peers": ["--rows", "4000", "--tfrecord-rows", "2000", "--passes", "1",
              "--min-seconds", "0.1"],
    "tfrecord": ["--rows", "20000", "--passes", "1"],
    "scale": ["--sizes", "2M,6M", "--base", "2M", "--passes", "1"],
    "interleave": ["--rows", "20000", "--passes", "1"],
}  # fmt: skip
#: Scripts that take ``--no-tf`` (ours only), rerun once for our peak memory.
OURS_ONLY = {"cli", "csv", "feature_columns", "overhead", "tfrecord"}
IMPORTS = [
    "import pipeline",
    "import pipeline as pl; pl.data, pl.io, pl.feature_column, pl.nn",
    "import tensorflow",
]


def bench_modules(only: set[str] | None = None) -> list[str]:
    """Module names of the benchmark scripts, sorted (``only``: their suffixes).

    Example:
        >>> bench_modules({"csv", "nn"})
        ['benchmarks.bench_csv', 'benchmarks.bench_nn']
    """
    names = sorted(p.stem for p in _HERE.glob("bench_*.py"))
    if only:
        names = [n for n in names if n.removeprefix("bench_") in only]
    return [f"benchmarks.{n}" for n in names]


def short_name(module: str) -> str:
    """``"benchmarks.bench_csv"`` -> ``"csv"``, the key of `summary.SCRIPTS`."""
    return module.rsplit(".", 1)[-1].removeprefix("bench_")


def json_records(lines: list[str]) -> list[dict]:
    """The JSON objects among a script's output lines (others are its table).

    Example:
        >>> json_records(['rows/s  123', '{"bench": "csv", "rows": 5}', '{bad'])
        [{'bench': 'csv', 'rows': 5}]
    """
    records = []
    for line in lines:
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                records.append(value)
    return records


def run_script(module: str, args: list[str], ours_only: bool) -> tuple[list, Memory]:
    """Run one script (output echoed); its JSON lines and its `Memory`."""
    print(f"== {module} {' '.join(args)}", flush=True)
    done = machine.run_child([sys.executable, "-m", module, *args])
    ours_mib = None
    if ours_only and done.returncode == 0:
        again = [sys.executable, "-m", module, *args, "--no-tf", "--passes", "1"]
        rerun = machine.run_child(again, echo=False)
        ours_mib = rerun.peak_rss_mib if rerun.returncode == 0 else None
    memory = Memory(module, done.peak_rss_mib, done.seconds, ours_mib, done.returncode)
    ours_text = "-" if ours_mib is None else f"{ours_mib:.0f} MiB"
    print(
        f"== {module}: exit {done.returncode}, {done.seconds:.0f} s, peak RSS "
        f"{done.peak_rss_mib:.0f} MiB (ours only: {ours_text})",
        flush=True,
    )
    return json_records(done.lines), memory


def run_scripts(
    modules: list[str], quick: bool, ours_only: bool
) -> tuple[dict[str, list[dict]], list[Memory]]:
    """Run each script with its full or `QUICK_ARGS`; JSON lines by short name."""
    records, memory = {}, []
    for module in modules:
        name = short_name(module)
        extra = (QUICK_ARGS if quick else FULL_ARGS).get(name, [])
        records[name], mem = run_script(module, extra, ours_only and name in OURS_ONLY)
        memory.append(mem)
    return records, memory


def time_imports(repeats: int) -> list[ImportTime]:
    """Best import time of each of `IMPORTS`, each in fresh interpreters."""
    found = []
    for statement in IMPORTS:
        best = machine.import_time(statement, repeats)
        found.append(ImportTime(statement, *(best or (None, None))))
    return found


def run_title(quick: bool, only: set[str] | None) -> str:
    """The summary block's heading, saying what kind of run wrote it.

    Example:
        >>> run_title(True, {"csv"})
        'Summary of the last `make bench` (quick smoke run: tiny sizes, one pass; csv)'
    """
    kind = "quick smoke run: tiny sizes, one pass" if quick else "full run"
    scripts = f"; {', '.join(sorted(only))}" if only else ""
    return f"Summary of the last `make bench` ({kind}{scripts})"


def build_report(
    records: dict[str, list[dict]], memory: list[Memory], machine_info: dict
) -> Report:
    """The `Report` of a run: summary rows, memory, import times, machine."""
    blas = summary.blas_of(r for lines in records.values() for r in lines)
    if blas:
        machine_info["BLAS (bench_nn)"] = blas
    own = machine.own_peak_rss_mib()
    machine_info["launcher peak RSS (a floor under each script's)"] = f"{own:.0f} MiB"
    return Report(
        title="",
        machine=machine_info,
        rows=summary.summary_rows(records),
        memory=memory,
        reported_memory=summary.reported_memory(records),
        failed=[m.script for m in memory if m.returncode != 0],
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated, e.g. csv,nn")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, one pass: a smoke test"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="file to write the summary block into (default: RESULTS.md for a "
        "full run of every script, else data/RESULTS-trial.md)",
    )
    parser.add_argument(
        "--no-ours-only",
        action="store_true",
        help="skip the ours-only reruns for peak memory",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``make bench``; non-zero when a script failed."""
    args = _parser().parse_args(argv)
    only = {s for s in args.only.split(",") if s} or None
    started, load = machine.now(), machine.load_average()
    modules = bench_modules(only)
    records, memory = run_scripts(modules, args.quick, not args.no_ours_only)
    imports = time_imports(2 if args.quick else 5)
    report = build_report(records, memory, machine.machine_info(started, load))
    report.title, report.imports = run_title(args.quick, only), imports
    default = TRIAL_RESULTS if args.quick or only else RESULTS
    write_summary(report, args.results or default)
    if report.failed:
        print(f"failed: {', '.join(report.failed)}", file=sys.stderr)
    return 1 if report.failed else 0


def write_summary(report: Report, path: Path) -> None:
    """Print the summary block and put it into ``path`` (created if missing)."""
    block = render_block(report)
    print(block)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    path.write_text(replace_block(text, block))
    print(f"wrote the summary into {path}")


if __name__ == "__main__":
    raise SystemExit(main())
