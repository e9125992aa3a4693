"""tools/conformance_against_tf: its report reading, and the departure rules.

The TF run itself needs .venv-bench (``make conformance-tf``); here the parts
that decide the figures are checked on their own, and every departure marked
in tests/conformance must be named in the README.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools import conformance_against_tf as tool

ROOT = Path(__file__).resolve().parent.parent
REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.conformance.io.test_x" name="ok"/>
<testcase classname="a" name="bad"><failure message="x"/></testcase>
<testcase classname="a" name="err"><error message="x"/></testcase>
<testcase classname="a" name="dep"><skipped type="pytest.xfail" message="r"/></testcase>
<testcase classname="a" name="skip"><skipped type="pytest.skip" message="r"/></testcase>
</testsuite></testsuites>
"""


def test_outcomes_are_counted_by_kind(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(REPORT)
    areas = tool.Counter()
    counts = tool._outcomes(report, areas)
    assert dict(counts) == {"passed": 1, "failed": 2, "xfailed": 1, "skipped": 1}
    assert areas[("io", "passed")] == 1
    assert areas[(".", "failed")] == 2
    table = tool._area_table(areas, areas)
    assert table[1].split() == [".", "4", "0", "0"]


def _departures(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / "tests" / "conformance").rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"mark\.departure\([^)]*\)\s*\n(?:@.*\n)*def (\w+)", text
        ):
            found.append(match.group(1))
    return found


def test_every_departure_is_listed_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Where we differ on purpose", 1)
    assert len(section) == 2, "README lacks the departures section"
    missing = [name for name in _departures() if f"`{name}`" not in section[1]]
    assert missing == []


def test_the_departure_finder_sees_a_marked_case(tmp_path):
    conformance = tmp_path / "tests" / "conformance"
    conformance.mkdir(parents=True)
    (conformance / "test_x.py").write_text(
        '@pytest.mark.departure("why")\n@pytest.mark.parametrize("a", [1])\n'
        "def test_marked(api, a):\n    pass\n"
    )
    assert _departures(tmp_path) == ["test_marked"]
