"""Runs tests/conformance against TensorFlow and against pipeline, and counts.

Every ported case must pass against TensorFlow (that validates the
translation), except the ``departure`` cases, which must fail there (strict
xfail: the difference is real). Against pipeline every case must pass. The
summary gives the share of TensorFlow's cases we match (departures count as
differences).

Run it from .venv-bench, which has tensorflow-cpu 2.21 (``make conformance-tf``)::

    .venv-bench/bin/python -m tools.conformance_against_tf [pytest args...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# TensorFlow's own import warns (protobuf, numpy deprecations); the
# project's "error" filter would turn those into failures of TF, not ours.
TF_WARNINGS = [
    "-W",
    "ignore::DeprecationWarning",
    "-W",
    "ignore::FutureWarning",
    "-W",
    "ignore::UserWarning",
    "-W",
    "ignore::RuntimeWarning",
]


def _run(api: str, extra: list[str]) -> Counter:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "-o",
            "addopts=--strict-markers --import-mode=importlib",
            f"--api={api}",
            f"--junitxml={report}",
            *extra,
        ]
        if api == "tensorflow":
            cmd[3:3] = TF_WARNINGS
        subprocess.run(cmd, cwd=ROOT, check=False)
        return _outcomes(report)


def _outcomes(report: Path) -> Counter:
    counts: Counter = Counter()
    for case in ET.parse(report).getroot().iter("testcase"):
        tags = {child.tag for child in case}
        skipped = case.find("skipped")
        if "failure" in tags or "error" in tags:
            counts["failed"] += 1
        elif skipped is not None and "xfail" in (skipped.get("type") or ""):
            counts["xfailed"] += 1
        elif skipped is not None:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return counts


def main(argv: list[str]) -> int:
    if not any(not a.startswith("-") for a in argv):
        argv = [*argv, "tests/conformance"]
    tf = _run("tensorflow", argv)
    ours = _run("pipeline", argv)
    total = sum(ours.values())
    departures = tf["xfailed"]
    matched = ours["passed"] - departures
    print(f"\nagainst TensorFlow: {dict(tf)}  (departures must be xfailed)")
    print(f"against pipeline:   {dict(ours)}")
    if total:
        print(
            f"cases: {total}; matching TensorFlow: {matched} "
            f"({100.0 * matched / total:.2f}%); deliberate departures: {departures}"
        )
    ok = tf["failed"] == 0 and ours["failed"] == 0 and not tf["skipped"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
