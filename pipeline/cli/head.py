"""``pipeline head``: the first records, decoded.

Examples show as ``feature: kind [values]``; CSV, Parquet and text as a table;
``--json`` prints one JSON object per record. SequenceExamples show their
context features as Examples do, and each feature list as
``name: kind feature list, T steps [[step 0 values], [step 1 values], ...]``
(in JSON: a list of per-step lists).

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://head-cmd/a.csv") as f:
    ...     _ = f.write(b"a,b\\n1,x\\n2,y\\n")
    >>> main(["head", "memory://head-cmd/a.csv", "-n", "1", "--json"])
    {"a": 1, "b": "x"}
    0
"""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.cli import _common, _display, _read
from pipeline.errors import InvalidArgumentError

HELP = "show the first records, decoded"
EPILOG = """examples:
  pipeline head data/train.tfrecord-00000-of-00008
  pipeline head 'data/*.csv.gz' -n 20
  pipeline head data/train.parquet --json | jq .label"""

_MAX_SHOWN_VALUES = 8
_MAX_SHOWN_CHARS = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``head`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("-n", type=int, default=5, help="records to show (default 5)")
    parser.add_argument("--json", action="store_true", help="JSON lines")


def first_records(files: list, n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Up to ``n`` records across ``files`` in order, and the columns' kinds."""
    records: list[dict[str, Any]] = []
    kinds: dict[str, Any] = {}
    for d in files:
        for batch in _read.iter_batches(d):
            for name, col in batch.items():
                kinds.setdefault(name, col)
            records.extend(_read.rows(batch, n - len(records)))
            if len(records) >= n:
                return records, kinds
    return records, kinds


def _show(value: Any) -> str:
    """A value as shown in a table: short, and control characters as escapes."""
    if isinstance(value, list):
        shown = ", ".join(_show(v) for v in value[:_MAX_SHOWN_VALUES])
        more = f", ... ({len(value)} values)" if len(value) > _MAX_SHOWN_VALUES else ""
        return f"[{shown}{more}]"
    if isinstance(value, bytes | str):
        text = _display.visible(value)
        return (
            text if len(text) <= _MAX_SHOWN_CHARS else text[:_MAX_SHOWN_CHARS] + "..."
        )
    return repr(value) if isinstance(value, float) else str(value)


def _print_table(records: list[dict[str, Any]], names: list[str]) -> None:
    table = _display.table(names)
    for r in records:
        table.add_row(*(_display.cell(_show(r[n]) if n in r else "") for n in names))
    _common.console().print(table)


def _print_records(records: list[dict[str, Any]], kinds: dict[str, Any]) -> None:
    for i, r in enumerate(records):
        print(f"record {i}:")
        for name, value in r.items():
            col = kinds[name]
            what = col.kind
            if col.sequence:
                what += f" feature list, {len(value)} step{'s' * (len(value) != 1)}"
            _display.say(f"  {name}: {what} {_show(value)}")


def run(args: argparse.Namespace) -> int:
    """Show the first ``-n`` records."""
    if args.n < 0:
        raise InvalidArgumentError(f"`-n` must be >= 0. Received: n={args.n}")
    records, kinds = first_records(_common.resolve(args), args.n)
    if args.json:
        for r in records:
            _common.print_json(r)
    elif kinds and all(c.scalar for c in kinds.values()):
        _print_table(records, list(kinds))
    else:
        _print_records(records, kinds)
    return 0
