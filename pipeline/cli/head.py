"""``pipeline head``: the first records, decoded.

Examples show as ``feature: kind [values]``; CSV, Parquet and text as a table
when it fits the width (a terminal's, or ``$COLUMNS`` or 80 for a pipe), else
one block of ``feature  value`` lines per record (``--vertical`` forces that
layout, ``--no-vertical`` a table); ``--json`` prints one JSON object per
record. SequenceExamples show their context features as Examples do, and each
feature list as
``name: kind feature list, T steps [[step 0 values], [step 1 values], ...]``
(in JSON: a list of per-step lists).

Floats show as written: each one's shortest text that reads back to it at its
column's own precision (float32 for an Example's FloatList, so ``6.45`` and
not ``6.449999809265137``; float64 for CSV and Parquet doubles), in the table
and in ``--json`` alike; NaN and infinities as ``nan``, ``inf``, ``-inf``.

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
from dataclasses import replace
from typing import Any

import numpy as np

from pipeline.cli import _common, _display, _read
from pipeline.errors import InvalidArgumentError

HELP = "show the first records, decoded"
EPILOG = """examples:
  pipeline head data/train.tfrecord-00000-of-00008
  pipeline head 'data/*.csv.gz' -n 20
  pipeline head data/wide.csv --vertical       # one `feature  value` block per record
  pipeline head data/train.parquet --json | jq .label"""

_MAX_SHOWN_VALUES = 8
_MAX_SHOWN_CHARS = 60
_MAX_NAME_PAD = 32  # vertical layout: names padded to the longest, up to this
_MEASURE_WIDTH = 1 << 20  # wide enough for any table's natural width


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``head`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("-n", type=int, default=5, help="records to show (default 5)")
    parser.add_argument("--json", action="store_true", help="JSON lines")
    parser.add_argument(
        "--vertical",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one block of `feature  value` lines per record (default: when "
        "the table is wider than the terminal, or than $COLUMNS or 80 columns "
        "in a pipe); --no-vertical: always a table, as wide as it needs",
    )


def first_records(files: list, n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Up to ``n`` records across ``files`` in order, and the columns' kinds."""
    records: list[dict[str, Any]] = []
    kinds: dict[str, Any] = {}
    for d in files:
        for batch in _read.iter_batches(d):
            for name, col in batch.items():
                kinds.setdefault(name, col)
            part = _as_written(_read.head(batch, n - len(records)))
            records.extend(_read.rows(part))
            if len(records) >= n:
                return records, kinds
    return records, kinds


def _as_written(batch: _read.Batch) -> _read.Batch:
    """The batch with float32 values as the float64s of their shortest text
    (`_display.shortest`): ``repr`` and ``json`` then show ``6.45``."""
    return {n: replace(c, values=_display.shortest(c.values)) for n, c in batch.items()}


def _show(value: Any) -> str:
    """A value as shown in a table: short, and control characters as escapes.

    Floats show as Python's ``repr`` (``0.1``, ``1e-07``, ``nan``, ``inf``); a
    numpy float32 as its shortest text at float32 precision (``6.45``).

    Example:
        >>> _show(np.float32(6.45)), _show(0.1), _show([float("nan"), b"a\\n"])
        ('6.45', '0.1', '[nan, a\\\\n]')
    """
    if isinstance(value, np.floating):
        value = float(_display.shortest(np.asarray(value))[()])
    elif isinstance(value, np.generic):
        value = value.item()
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


def _table(records: list[dict[str, Any]], names: list[str]) -> Any:
    table = _display.table(names)
    for r in records:
        table.add_row(*(_display.cell(_show(r[n]) if n in r else "") for n in names))
    return table


def _natural_width(table: Any) -> int:
    """The columns ``table`` takes when no cell is wrapped or squeezed."""
    con = _display.console(width=_MEASURE_WIDTH)
    return con.measure(table).maximum


def _print_table(table: Any, natural: int | None = None) -> None:
    """Print at the table's natural width (``natural`` when measured
    already): never squeezed into an empty grid."""
    _display.console(width=natural or _natural_width(table)).print(table)


def _print_vertical(records: list[dict[str, Any]], names: list[str]) -> None:
    """One block per record: ``record i:``, then ``  feature  value`` lines
    (names padded to the longest, up to `_MAX_NAME_PAD`; a missing value
    shows as nothing)."""
    from rich.cells import cell_len

    shown = {n: _display.visible(n) for n in names}
    pad = min(max((cell_len(s) for s in shown.values()), default=0), _MAX_NAME_PAD)
    for i, r in enumerate(records):
        print(f"record {i}:")
        for name in names:
            value = _show(r[name]) if name in r else ""
            gap = " " * max(pad - cell_len(shown[name]), 0)
            print(f"  {shown[name]}{gap}  {value}".rstrip())


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
    elif args.vertical is False and kinds:
        _print_table(_table(records, list(kinds)))
    elif kinds and all(c.scalar for c in kinds.values()):
        _print_scalars(records, list(kinds), args.vertical)
    else:
        _print_records(records, kinds)
    return 0


def _print_scalars(
    records: list[dict[str, Any]], names: list[str], vertical: bool | None
) -> None:
    """A table when it fits the output's width (`_display.width`) and
    ``vertical`` is not True; else one block of lines per record."""
    if not vertical:
        table = _table(records, names)
        natural = _natural_width(table)
        if natural <= _display.width():
            _print_table(table, natural)
            return
    _print_vertical(records, names)
