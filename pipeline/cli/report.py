"""The self-contained HTML statistics report: one inline SVG chart per feature.

The page needs no network: styles are inline, charts are SVG drawn here, and
there is no script, font or image from anywhere. Numeric features get a
histogram and their min, max, mean and spread; string features (by kind) a
bar chart of their most frequent values, the distinct count and the byte
lengths, never a min or max. A value cut to fit ends in "…"; its bar's
tooltip has it whole (up to 200 characters).

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
from pipeline.cli._display import visible
from pipeline.io.stats import FeatureStats

__all__ = ["numeric", "render", "shorten", "top_values"]

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
_ELLIPSIS = "…"
_TOOLTIP_CHARS = 200
_TOP_SHOWN, _TOP_CHARS = 5, 40


def shorten(text: str, chars: int) -> str:
    """``visible(text)`` in at most ``chars`` characters, ending in "…" when cut.

    Example:
        >>> shorten("abcdef", 4), shorten("abcd", 4), shorten("a\\x1bz", 9)
        ('abc…', 'abcd', 'a\\\\x1bz')
    """
    text = visible(text)
    return text if len(text) <= chars else text[: max(chars - 1, 0)] + _ELLIPSIS


def top_values(top: list[tuple[bytes, int]], shown: int, chars: int) -> str:
    """The first ``shown`` top values as ``value (count)``, each value cut to
    ``chars`` characters, and "…" after them when there are more.

    Example:
        >>> top_values([(b"paris", 8), (b"rome", 4), (b"oslo", 1)], 2, 4)
        'par… (8), rome (4), …'
    """
    parts = [f"{shorten(v, chars)} ({c})" for v, c in top[:shown]]
    return ", ".join(parts + [_ELLIPSIS] * (len(top) > shown))


def numeric(s: FeatureStats) -> bool:
    """Whether ``s`` shows as a numeric feature (min, max, histogram) rather
    than a string one (distinct, top values, lengths): it has numbers and no
    string value. A feature with both is a string one (its numbers counted
    apart), never given a numeric min or max."""
    return s.numbers is not None and (s.strings is None or not s.strings.count)


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
            f'text-anchor="middle">{escape(shorten(label, chars))}</text>'
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
    labels = [shorten(v, _TOOLTIP_CHARS) for v, _ in top]
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
    if numeric(s):
        n = s.numbers
        rows += [
            ("min / max", f"{_fmt(n.min)} / {_fmt(n.max)}"),
            ("mean / std", f"{_fmt(n.mean)} / {_fmt(n.std)}"),
            ("zeros", f"{n.zeros_pct:.1f}%"),
        ]
        if n.nan or n.inf:
            rows.append(("NaN / inf", f"{n.nan} / {n.inf}"))
    else:
        rows += _string_rows(s)
    return rows


def _string_rows(s: FeatureStats) -> list[tuple[str, str]]:
    rows = []
    if s.numbers is not None:  # numbers among a string feature's values
        rows.append(("numeric values", f"{s.numbers.count} (not in these figures)"))
    if s.strings is not None:
        t = s.strings
        approx = "" if t.distinct_exact else "~"
        rows += [
            ("distinct", f"{approx}{t.distinct}"),
            ("top values", top_values(t.top, _TOP_SHOWN, _TOP_CHARS)),
            (
                "bytes min/mean/max",
                f"{t.min_bytes} / {t.mean_bytes:.1f} / {t.max_bytes}",
            ),
        ]
    return rows


def _section(s: FeatureStats) -> str:
    kind = f"{s.kind} feature list" if s.sequence else s.kind
    chart = _numeric_chart(s) if numeric(s) else _string_chart(s)
    table = "".join(
        f'<tr><td class="k">{escape(k)}</td><td>{escape(v)}</td></tr>'
        for k, v in _rows(s)
    )
    return (
        f'<section class="feature" data-feature="{escape(s.name)}">'
        f'<h2>{escape(s.name)} <span class="kind">{escape(kind)}</span></h2>'
        f"<table>{table}</table>{chart}</section>"
    )


def render(
    stats: dict[str, FeatureStats], records: int, title: str = "", sample: str = ""
) -> str:
    """The report page for ``stats`` (from `~pipeline.io.stats.StatsBuilder`).

    Args:
        stats: statistics per feature.
        records: records read.
        title: what was read (shown at the top). Defaults to ``""``.
        sample: for figures over a sample, what it covered (shown at the
            top); ``""`` when every record was read. Defaults to ``""``.

    Returns:
        A complete HTML document as text.
    """
    sections = "".join(_section(s) for s in stats.values())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>pipeline stats: {escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body><h1>pipeline stats</h1><div class="sub">{escape(title)} &middot; '
        f"{records} records &middot; {len(stats)} features"
        f"{' &middot; ' + escape(sample) if sample else ''}</div>"
        f'<div class="grid">{sections}</div></body></html>'
    )
