"""The self-contained HTML statistics report: one inline SVG chart per feature.

The page needs no network: styles are inline, charts are SVG drawn here, and
there is no script, font or image from anywhere. Numeric features get a
histogram, string features a bar chart of their most frequent values.

Example:
    >>> import numpy as np
    >>> from pipeline.io.schema import Column
    >>> from pipeline.io.stats import StatsBuilder
    >>> b = StatsBuilder()
    >>> b.update({"x": Column("float", np.array([1.0, 2.0]), np.array([1, 1]))})
    >>> page = render(b.finish(), 2, "demo")
    >>> page.count('<svg class="chart"'), "http" in page
    (1, False)
"""

from __future__ import annotations

from pipeline.cli._display import html as escape
from pipeline.io.stats import FeatureStats

__all__ = ["render"]

_W, _H, _PAD = 420, 180, 28
_BAR_COLOR = "#3b6fb6"
_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;
background:#f6f7f9;color:#1d2330}
h1{font-size:20px;margin:0 0 4px}.sub{color:#5b6475;margin-bottom:18px}
.grid{display:flex;flex-wrap:wrap;gap:16px}
.feature{background:#fff;border:1px solid #d9dde5;border-radius:8px;padding:12px 14px;
width:460px}
.feature h2{font-size:15px;margin:0 0 6px}.kind{color:#5b6475;font-weight:normal}
table{border-collapse:collapse;font-size:12px;margin-bottom:8px}
td{padding:1px 10px 1px 0}td.k{color:#5b6475}
svg text{font-size:10px;fill:#3d4556}
"""


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.6g}"


def _bars(
    heights: list[int], labels: list[str], title: str, per_bar: bool = False
) -> str:
    """An SVG bar chart (vertical bars), labelled under each bar (``per_bar``)
    or under the first and the last."""
    top = max(heights, default=0) or 1
    n = max(len(heights), 1)
    inner_w, inner_h = _W - 2 * _PAD, _H - 2 * _PAD
    bar_w = inner_w / n
    parts = [
        f'<svg class="chart" width="{_W}" '
        f'height="{_H}" viewBox="0 0 {_W} {_H}" role="img">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="#fbfcfe"/>',
    ]
    for i, h in enumerate(heights):
        bh = inner_h * h / top
        x, y = _PAD + i * bar_w, _PAD + inner_h - bh
        parts.append(
            f'<rect class="bar" x="{x:.2f}" y="{y:.2f}" '
            f'width="{max(bar_w - 1, 1):.2f}" '
            f'height="{bh:.2f}" fill="{_BAR_COLOR}"><title>{escape(labels[i])}: {h}'
            "</title></rect>"
        )
    base = _PAD + inner_h
    parts.append(
        f'<line x1="{_PAD}" y1="{base}" x2="{_W - _PAD}" y2="{base}" stroke="#8a93a6"/>'
    )
    parts.append(f'<text x="{_PAD}" y="{_PAD - 8}">max {top}</text>')
    parts += _labels(labels, bar_w, _PAD + inner_h, per_bar)
    parts.append("</svg>")
    return "".join(parts)


def _labels(labels: list[str], bar_w: float, base: float, per_bar: bool) -> list[str]:
    if not labels:
        return [
            f'<text x="{_W / 2}" y="{_H / 2}" text-anchor="middle">no values</text>'
        ]
    if per_bar:
        chars = max(int(bar_w // 6), 1)
        return [
            f'<text x="{_PAD + (i + 0.5) * bar_w:.2f}" y="{base + 14}" '
            f'text-anchor="middle">{escape(label[:chars])}</text>'
            for i, label in enumerate(labels)
        ]
    return [
        f'<text x="{_PAD}" y="{base + 14}">{escape(labels[0])}</text>',
        f'<text x="{_W - _PAD}" y="{base + 14}" text-anchor="end">'
        f"{escape(labels[-1])}</text>",
    ]


def _numeric_chart(s: FeatureStats) -> str:
    hist = s.numbers.histogram if s.numbers else {}
    counts, edges = hist.get("counts", []), hist.get("edges", [])
    labels = [f"[{_fmt(edges[i])}, {_fmt(edges[i + 1])})" for i in range(len(counts))]
    return _bars(counts, labels, f"histogram of {s.name}")


def _string_chart(s: FeatureStats) -> str:
    top = s.strings.top if s.strings else []
    labels = [v.decode("utf-8", "backslashreplace")[:32] for v, _ in top]
    return _bars([c for _, c in top], labels, f"top values of {s.name}", per_bar=True)


def _rows(s: FeatureStats) -> list[tuple[str, str]]:
    rows = [
        ("records", str(s.records)),
        ("missing", f"{s.missing} ({s.missing_pct:.1f}%)"),
        (
            "values per record",
            f"{s.min_length}..{s.max_length} (mean {s.mean_length:.2f})",
        ),
    ]
    if s.invalid:
        rows.append(("invalid", str(s.invalid)))
    if s.numbers is not None:
        n = s.numbers
        rows += [
            ("min / max", f"{_fmt(n.min)} / {_fmt(n.max)}"),
            ("mean / std", f"{_fmt(n.mean)} / {_fmt(n.std)}"),
            ("zeros", f"{n.zeros_pct:.1f}%"),
        ]
        if n.nan or n.inf:
            rows.append(("NaN / inf", f"{n.nan} / {n.inf}"))
    if s.strings is not None:
        t = s.strings
        approx = "" if t.distinct_exact else "~"
        rows += [
            ("distinct", f"{approx}{t.distinct}"),
            (
                "bytes min/mean/max",
                f"{t.min_bytes} / {t.mean_bytes:.1f} / {t.max_bytes}",
            ),
        ]
    return rows


def _section(s: FeatureStats) -> str:
    numeric = s.numbers is not None and s.strings is None
    kind = f"{s.kind} feature list" if s.sequence else s.kind
    chart = _numeric_chart(s) if numeric else _string_chart(s)
    table = "".join(
        f'<tr><td class="k">{escape(k)}</td><td>{escape(v)}</td></tr>'
        for k, v in _rows(s)
    )
    return (
        f'<section class="feature" data-feature="{escape(s.name)}">'
        f'<h2>{escape(s.name)} <span class="kind">{escape(kind)}</span></h2>'
        f"<table>{table}</table>{chart}</section>"
    )


def render(stats: dict[str, FeatureStats], records: int, title: str = "") -> str:
    """The report page for ``stats`` (from `~pipeline.io.stats.StatsBuilder`).

    Args:
        stats: statistics per feature.
        records: records read.
        title: what was read (shown at the top). Defaults to ``""``.

    Returns:
        A complete HTML document as text.
    """
    sections = "".join(_section(s) for s in stats.values())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>pipeline stats: {escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body><h1>pipeline stats</h1><div class="sub">{escape(title)} &middot; '
        f"{records} records &middot; {len(stats)} features</div>"
        f'<div class="grid">{sections}</div></body></html>'
    )
