"""Runs tests/conformance against TensorFlow and against pipeline, and counts.

The cases under tests/conformance/nn are Keras 3's: under ``--api=tensorflow``
their ``keras`` fixture is the ``keras`` package (3.15, TensorFlow backend)
installed with TensorFlow in .venv-bench (``make conformance-keras`` runs only
those).

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


def _run(api: str, extra: list[str], by_area: Counter) -> Counter:
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
        return _outcomes(report, by_area)


def _outcomes(report: Path, by_area: Counter | None = None) -> Counter:
    """Counts of passed/failed/xfailed/skipped cases in a junit report; with
    ``by_area``, also ``(area, outcome)`` counts, the area being the folder
    under tests/conformance (``data``, ``io``, ...; ``.`` for its top)."""
    counts: Counter = Counter()
    for case in ET.parse(report).getroot().iter("testcase"):
        tags = {child.tag for child in case}
        skipped = case.find("skipped")
        if "failure" in tags or "error" in tags:
            outcome = "failed"
        elif skipped is not None and "xfail" in (skipped.get("type") or ""):
            outcome = "xfailed"
        elif skipped is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        counts[outcome] += 1
        if by_area is not None:
            by_area[(_area(case.get("classname") or ""), outcome)] += 1
    return counts


def _area(classname: str) -> str:
    parts = classname.split(".")
    if "conformance" not in parts:
        return "."
    inner = parts[parts.index("conformance") + 1 : -1]
    return "/".join(inner) or "."


def _area_table(tf: Counter, ours: Counter) -> list[str]:
    areas = sorted({area for area, _ in ours} | {area for area, _ in tf})
    lines = ["area                 cases  TF passed  ours passed"]
    for area in areas:
        total = sum(n for (a, _), n in ours.items() if a == area)
        lines.append(
            f"{area:<20} {total:>5}  {tf[(area, 'passed')]:>9}  "
            f"{ours[(area, 'passed')]:>11}"
        )
    return lines


def main(argv: list[str]) -> int:
    if not any(not a.startswith("-") for a in argv):
        argv = [*argv, "tests/conformance"]
    tf_areas: Counter = Counter()
    our_areas: Counter = Counter()
    tf = _run("tensorflow", argv, tf_areas)
    ours = _run("pipeline", argv, our_areas)
    total = sum(ours.values())
    departures = tf["xfailed"]
    matched = ours["passed"] - departures
    print("\n" + "\n".join(_area_table(tf_areas, our_areas)))
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
