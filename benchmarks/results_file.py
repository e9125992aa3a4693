"""The summary block of ``benchmarks/RESULTS.md``: Markdown between two markers.

`render_block` writes a run (`Report`: machine, summary rows, import times,
peak memory) as Markdown between `START` and `END`; `replace_block` puts it
into the file's text in place of the previous block, or, the first time,
before the first ``##`` section, leaving everything else as it was.

Example:
    >>> text = "# Results\\n\\nIntro.\\n\\n## CSV\\n"
    >>> new = replace_block(text, f"{START}\\nthe table\\n{END}\\n")
    >>> print(new)
    # Results
    <BLANKLINE>
    Intro.
    <BLANKLINE>
    <!-- bench-summary:start -->
    the table
    <!-- bench-summary:end -->
    <BLANKLINE>
    ## CSV
    <BLANKLINE>
    >>> replace_block(new, f"{START}\\nnew table\\n{END}\\n").count("table")
    1
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from benchmarks.summary import Row

START = "<!-- bench-summary:start -->"
END = "<!-- bench-summary:end -->"
_ROWS_HEADER = (
    "| workload | compared with | its rate | our rate | unit | ratio | pairs: spread "
    "| goal | met |"
)
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END) + r"\n?", re.S)


class ImportTime(NamedTuple):
    """Best wall time of one import statement in fresh interpreters."""

    statement: str
    seconds: float | None  # None: not importable here
    peak_rss_mib: float | None = None


class Memory(NamedTuple):
    """Peak RSS of one bench script's process (and of its ours-only rerun)."""

    script: str
    peak_rss_mib: float
    seconds: float
    ours_only_mib: float | None = None
    returncode: int = 0


@dataclass
class Report:
    """Everything one ``make bench`` run writes into the summary block."""

    title: str
    machine: dict[str, str]
    rows: list[Row]
    imports: list[ImportTime] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)
    reported_memory: list[tuple[str, float]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def fmt_rate(value: float | None) -> str:
    """A rate for the table: thousands separated, 3 significant digits below 100.

    Example:
        >>> fmt_rate(1234567.8), fmt_rate(12.345), fmt_rate(None)
        ('1,234,568', '12.3', 'n/a')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def fmt_ratio(value: float | None) -> str:
    """A ratio as ``2.50x`` (``n/a`` when missing).

    Example:
        >>> fmt_ratio(2.5), fmt_ratio(None)
        ('2.50x', 'n/a')
    """
    return "n/a" if value is None else f"{value:.2f}x"


def fmt_spread(row: Row) -> str:
    """``pairs: lowest-highest`` of a row's pass-pair ratios (empty without).

    Example:
        >>> fmt_spread(Row("w", "TF", 1.0, 2.0, "rows/s", pair_ratios=(1.9, 2.2, 2.0)))
        '3: 1.90-2.20x'
    """
    if row.spread is None:
        return ""
    low, high = row.spread
    return f"{len(row.pair_ratios)}: {low:.2f}-{high:.2f}x"


def _goal(row: Row) -> tuple[str, str]:
    if row.goal is None:
        return "", ""
    source = f" ({row.source})" if row.source else ""
    met = {True: "yes", False: "**no**", None: "n/a"}[row.met]
    return f"{'≤' if row.lower_is_better else '≥'} {row.goal:g}x{source}", met


def rows_table(rows: list[Row]) -> str:
    """The summary rows as a Markdown table.

    Example:
        >>> table = rows_table([Row("w", "TF", 10.0, 35.0, "rows/s", 3.0, "#3")])
        >>> print(table.splitlines()[-1])
        | w | TF | 10 | 35 | rows/s | 3.50x |  | ≥ 3x (#3) | yes |
    """
    lines = [_ROWS_HEADER, "|---|---|---:|---:|---|---:|---:|---|---|"]
    for r in rows:
        goal, met = _goal(r)
        cells = [r.workload, r.baseline, fmt_rate(r.theirs), fmt_rate(r.ours),
                 r.unit, fmt_ratio(r.ratio), fmt_spread(r), goal, met]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _imports_table(imports: list[ImportTime]) -> str:
    lines = ["| import (fresh interpreter) | best time | peak RSS |", "|---|---:|---:|"]
    for imp in imports:
        seconds = "not installed" if imp.seconds is None else f"{imp.seconds:.3f} s"
        rss = "" if imp.peak_rss_mib is None else f"{imp.peak_rss_mib:.0f} MiB"
        lines.append(f"| `{imp.statement}` | {seconds} | {rss} |")
    return "\n".join(lines)


def _memory_table(memory: list[Memory]) -> str:
    lines = [
        "| script | seconds | peak RSS, ours and TF in one process | ours only |",
        "|---|---:|---:|---:|",
    ]
    for m in memory:
        ours = "" if m.ours_only_mib is None else f"{m.ours_only_mib:.0f} MiB"
        failed = "" if m.returncode == 0 else f" (exit {m.returncode})"
        lines.append(
            f"| `{m.script}`{failed} | {m.seconds:.0f} | {m.peak_rss_mib:.0f} MiB "
            f"| {ours} |"
        )
    return "\n".join(lines)


def render_block(report: Report) -> str:
    """The whole summary block, markers included, ending with a newline.

    Example:
        >>> block = render_block(Report("Run", {"cores": "2"}, []))
        >>> block.splitlines()[:4]
        ['<!-- bench-summary:start -->', '## Run', '', '- cores: 2']
        >>> block.endswith(END + "\\n")
        True
    """
    parts = [f"{START}\n## {report.title}", _machine(report.machine)]
    if report.rows:
        parts.append(rows_table(report.rows))
    if report.failed:
        parts.append("Failed (no figures or partial ones): " + ", ".join(
            f"`{name}`" for name in report.failed))  # fmt: skip
    if report.imports:
        parts.append(_imports_table(report.imports))
    if report.memory:
        parts.append(_memory_table(report.memory))
    if report.reported_memory:
        parts.append("\n".join(
            f"- {label}: peak RSS {mib:.0f} MiB (reported by the script)"
            for label, mib in report.reported_memory))  # fmt: skip
    return "\n\n".join(parts) + f"\n{END}\n"


def _machine(machine: dict[str, str]) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in machine.items())


def replace_block(text: str, block: str) -> str:
    """``text`` with its summary block replaced by ``block`` (see the module doc).

    Without markers, the block goes before the first ``## `` heading (at the
    end when there is none), with a blank line after it.
    """
    if _BLOCK.search(text):
        return _BLOCK.sub(lambda _: block, text, count=1)
    heading = re.search(r"^## ", text, flags=re.M)
    if heading is None:
        return text.rstrip("\n") + "\n\n" + block
    at = heading.start()
    return text[:at] + block + "\n" + text[at:]
