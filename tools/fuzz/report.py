"""The run's summary: a table per target, findings by signature, one JSON line.

Example:
    >>> import collections
    >>> totals = {"csv": collections.Counter(cases=4, accepted=3, rejected=1)}
    >>> summary(totals, {}, 2.0, {"seed": 1})["cases"]
    4
"""

from __future__ import annotations

import json
from typing import Any

#: Kinds of finding; any of them makes the run fail.
FINDING_KINDS = ("crashes", "hangs", "slow", "wrong_class", "twin_mismatch")
#: Stalls: hangs that passed when re-run alone (a busy machine), not findings.
_COLUMNS = ("cases", "accepted", "rejected", *FINDING_KINDS, "twin_checked", "stalls")


def summary(
    totals: dict[str, Any], signatures: dict[str, int], seconds: float, info: dict
) -> dict[str, Any]:
    """The run's figures as a JSON-ready dict."""
    per_target = {}
    for name, counts in sorted(totals.items()):
        row = {c: int(counts.get(c, 0)) for c in _COLUMNS}
        run_s = counts.get("run_s_x1e6", 0) / 1e6
        row["mean_us"] = round(run_s / row["cases"] * 1e6, 1) if row["cases"] else None
        row["bytes"] = int(counts.get("bytes", 0))
        per_target[name] = row
    cases = sum(r["cases"] for r in per_target.values())
    found = {k: sum(r[k] for r in per_target.values()) for k in FINDING_KINDS}
    return {
        **info,
        "cases": cases,
        "seconds": round(seconds, 1),
        "cases_per_s": round(cases / seconds, 1) if seconds > 0 else None,
        **found,
        "findings": sum(found.values()),
        "targets": per_target,
        "signatures": signatures,
    }


def table(result: dict[str, Any]) -> str:
    """A plain-text table of ``summary``'s per-target rows and its findings."""
    heads = ("target", *_COLUMNS, "mean_us")
    rows = [
        [name, *(str(row[c]) for c in _COLUMNS), str(row["mean_us"])]
        for name, row in result["targets"].items()
    ]
    rows.append(
        [
            "total",
            *(str(sum(int(r[i + 1]) for r in rows)) for i in range(len(_COLUMNS))),
            "",
        ]
    )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(heads, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
    lines.append(
        f"seed {result['seed']}: {result['cases']} cases in {result['seconds']} s "
        f"({result['cases_per_s']} cases/s, {result['jobs']} workers, "
        f"{result['restarts']} worker restarts); {result['findings']} findings"
    )
    for key, count in sorted(result["signatures"].items()):
        lines.append(f"  {count:>8}  {key}")
    return "\n".join(lines)


def json_line(result: dict[str, Any]) -> str:
    """``summary`` as one JSON line, prefixed so scripts can grep it."""
    return "FUZZ_JSON " + json.dumps(result, sort_keys=True)
