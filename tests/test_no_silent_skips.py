"""A broken import, a missing build or a missing fixture fails; nothing skips it.

These checks read the test sources, so a guard that turns a failure into a
skip cannot come back unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import fixture_path

TESTS = Path(__file__).resolve().parent
# The one optional module a test may skip on: cupy needs a GPU (the gpu extra).
ALLOWED_IMPORTORSKIP = {'"cupy"'}
BANNED = [
    re.compile(r"allow_module_level"),
    re.compile(r"skip(if)?\([^)]*(not written|not available|not built|yet\b)"),
    re.compile(r"skipif\(\s*(nat\b|_kernels\.native)[^)]*is None"),
]


def _sources():
    for path in sorted(TESTS.rglob("*.py")):
        if path.name != Path(__file__).name:
            yield path, path.read_text(encoding="utf-8")


def test_no_importorskip_outside_the_gpu_extra():
    found = []
    for path, text in _sources():
        # any quoting, a variable, or importorskip imported on its own
        for match in re.finditer(r"importorskip\(\s*([^,)]*)", text):
            if match.group(1).strip() not in ALLOWED_IMPORTORSKIP:
                found.append(f"{path.relative_to(TESTS)}: {match.group(0)}")
    assert found == []


@pytest.mark.parametrize("pattern", BANNED, ids=lambda p: p.pattern)
def test_no_skip_guard_for_unwritten_or_unbuilt_code(pattern):
    found = [
        str(path.relative_to(TESTS))
        for path, text in _sources()
        if pattern.search(text)
    ]
    assert found == []


def test_a_missing_fixture_fails_the_test():
    with pytest.raises(pytest.fail.Exception, match="golden fixture missing"):
        fixture_path("no_such_dir", "no_such_fixture.json")
