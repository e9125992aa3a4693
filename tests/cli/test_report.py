"""The HTML report, rendered in headless Chromium with networking disabled."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from pipeline.cli import main

_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_BROWSER = next((b for b in map(shutil.which, _BROWSERS) if b), None)
_BAR_RGB = (0x3B, 0x6F, 0xB6)
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--proxy-server=http://127.0.0.1:9",  # every network request fails
    "--proxy-bypass-list=<-loopback>",
]

needs_chromium = pytest.mark.skipif(
    _BROWSER is None,
    reason="headless Chromium not installed (apt-get install -y chromium)",
)


def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_BROWSER, *_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra,
         page.as_uri()],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (the browser's own requests have no origin)."""
    doc = json.loads(netlog.read_text())
    names = {v: k for k, v in doc["constants"]["logEventTypes"].items()}
    urls = []
    for event in doc["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) != "URL_REQUEST_START_JOB":
            continue
        if params.get("initiator", "not an origin") != "not an origin":
            urls.append(params["url"])
    return urls


@pytest.fixture
def report(data, tmp_path):
    out = tmp_path / "report.html"
    argv = ["stats", str(data / "ex.tfrecord"), "--html", str(out), "-q"]
    if main(argv) != 0:
        argv[1] = str(data / "a.csv")  # Example codec not available yet
        assert main(argv) == 0
    return out


def test_page_is_self_contained(report):
    html = report.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", html, re.I)


def test_one_chart_per_feature(report, capsys):
    html = report.read_text()
    sections = re.findall(r'<section class="feature" data-feature="([^"]*)"', html)
    assert len(sections) >= 3
    assert html.count('<svg class="chart"') == len(sections)


@needs_chromium
def test_chromium_draws_the_charts_offline(report, tmp_path):
    shot, netlog = tmp_path / "shot.png", tmp_path / "net.json"
    done = _chromium(tmp_path, report, f"--screenshot={shot}",
                     "--window-size=1200,1600", f"--log-net-log={netlog}")  # fmt: skip
    assert shot.exists(), done.stderr.decode()[-2000:]

    pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3).astype(int)
    bars = np.all(np.abs(pixels - _BAR_RGB) < 8, axis=1).sum()
    assert bars > 2000, "no bars drawn"
    assert len(np.unique(pixels, axis=0)) > 10, "blank screenshot"
    assert _page_requests(netlog) == []
    dom = _chromium(tmp_path, report, "--dump-dom").stdout.decode()
    assert dom.count('class="chart"') == dom.count('class="feature"') >= 3


@needs_chromium
def test_network_check_catches_a_page_that_fetches(tmp_path):
    page = tmp_path / "fetching.html"
    page.write_text(
        '<html><body><img src="http://example.invalid/a.png"></body></html>'
    )
    netlog = tmp_path / "net.json"
    _chromium(tmp_path, page, "--dump-dom", f"--log-net-log={netlog}")
    assert _page_requests(netlog) == ["http://example.invalid/a.png"]


def _sections(page: str) -> dict[str, str]:
    """``{feature: its section's HTML}``."""
    parts = re.split(r'(?=<section class="feature")', page)
    return {
        re.search(r'data-feature="([^"]*)"', p).group(1): p
        for p in parts
        if p.startswith("<section")
    }


def _row(section: str, key: str) -> str | None:
    m = re.search(rf'<td class="k">{re.escape(key)}</td><td>([^<]*)</td>', section)
    return None if m is None else m.group(1)


def test_string_features_show_no_min_max_numeric_ones_do(tmp_path, capsys):
    # "v" holds numbers in one file and strings in the other: a string feature
    pq.write_table(pa.table({"id": [0, 1, 2], "v": [100, 300, 500]}), tmp_path / "a.pq")
    pq.write_table(
        pa.table({"id": [3, 4, 5], "v": ["s0", "s0", "s22"]}), tmp_path / "b.pq"
    )
    out = tmp_path / "r.html"
    argv = ["stats", str(tmp_path / "a.pq"), str(tmp_path / "b.pq")]
    assert main([*argv, "--html", str(out), "-q"]) == 0
    sections = _sections(out.read_text())
    numbers, strings = sections["id"], sections["v"]
    assert _row(numbers, "min / max") == "0 / 5"
    assert _row(numbers, "mean / std") is not None
    assert _row(numbers, "distinct") is None and _row(numbers, "top values") is None
    assert "histogram of id" in numbers
    assert '<span class="kind">string</span>' in strings
    for key in ("min / max", "mean / std", "zeros"):
        assert _row(strings, key) is None, key
    assert _row(strings, "distinct") == "2"
    assert _row(strings, "top values") == "s0 (2), s22 (1)"
    assert _row(strings, "bytes min/mean/max") == "2 / 2.3 / 3"
    assert _row(strings, "numeric values") == "3 (not in these figures)"
    assert "top values of v" in strings and "histogram of v" not in strings


def test_html_cut_values_end_in_an_ellipsis(tmp_path, capsys):
    long = "abcdefghij" * 30  # 300 characters
    rows = [long] * 3 + [f"w{i}" for i in range(6)]
    (tmp_path / "s.csv").write_text("s\n" + "".join(f"{v}\n" for v in rows))
    out = tmp_path / "r.html"
    assert main(["stats", str(tmp_path / "s.csv"), "--html", str(out), "-q"]) == 0
    section = _sections(out.read_text())["s"]
    assert _row(section, "top values") == (
        f"{long[:39]}… (3), w0 (1), w1 (1), w2 (1), w3 (1), …"
    )
    labels = re.findall(r'text-anchor="middle">([^<]*)</text>', section)
    assert labels[0].endswith("…") and long.startswith(labels[0][:-1])
    assert labels[1:] == ["w0", "w1", "w2", "w3", "w4", "w5"]
    tooltips = re.findall(r"<title>([^<]*): \d+</title></rect>", section)
    assert tooltips[0] == long[:199] + "…"
    assert tooltips[1:] == ["w0", "w1", "w2", "w3", "w4", "w5"]
