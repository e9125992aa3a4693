"""Runs every ``benchmarks/bench_*.py`` in turn (``make bench``).

Each script prints its own table and JSON lines, ours and TensorFlow side by
side; record the figures in ``benchmarks/RESULTS.md`` with the command.

    .venv-bench/bin/python -m benchmarks.run_all [--only csv,tfrecord]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def bench_modules(only: set[str] | None = None) -> list[str]:
    """Module names of the benchmark scripts, sorted (``only``: their suffixes)."""
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if only:
        names = [n for n in names if n.removeprefix("bench_") in only]
    return [f"benchmarks.{n}" for n in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated, e.g. csv,nn")
    args = parser.parse_args(argv)
    only = {s for s in args.only.split(",") if s} or None
    failed = []
    for module in bench_modules(only):
        print(f"== {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module]).returncode != 0:
            failed.append(module)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
