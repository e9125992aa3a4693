"""Hygiene as tests: module size, sorted `__all__`, no import side effects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pipeline as pl

PACKAGE = Path(pl.__file__).resolve().parent
_MAX_MODULE_LINES = 450


def test_modules_stay_small():
    big = [
        f"{p.relative_to(PACKAGE)}: {n} lines"
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > _MAX_MODULE_LINES
    ]
    assert not big, f"split these modules (cap {_MAX_MODULE_LINES}): {big}"


def test_public_all_is_sorted_and_complete():
    assert pl.__all__ == sorted(pl.__all__)
    for name in pl.__all__:
        assert hasattr(pl, name), name


def test_import_has_no_side_effects():
    code = (
        "import sys, threading; import pipeline; "
        "assert threading.active_count() == 1, threading.enumerate(); "
        "bad = [m for m in ('cupy', 'torch', 'jax', 'ray', 'tensorflow', 'matplotlib') "
        "if m in sys.modules]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
