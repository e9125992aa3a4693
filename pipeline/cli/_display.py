"""Data shown as data: the one place where the CLI turns read values into output.

Whatever a file holds (values, column and feature names, file names, error
messages quoting them) reaches the terminal through `visible`: control
characters (C0, DEL, C1, line and paragraph separators, bidirectional
overrides) become escapes such as ``\\x1b``, ``\\r`` and ``\\t``, so no byte
of the data can move the cursor, recolour the terminal or hide text. Rich
output goes through `cell` and `table`, which build `rich.text.Text` values:
rich never parses the data as markup (``[/x]`` stays ``[/x]``), and the
console is made with markup and emoji codes off (`console`). The HTML report
escapes HTML on top of `visible` (`html`).

Example:
    >>> visible("a\\x1b[31mb\\r\\tc")
    'a\\\\x1b[31mb\\\\r\\\\tc'
    >>> html("<b>\\x07</b>")
    '&lt;b&gt;\\\\x07&lt;/b&gt;'
"""

from __future__ import annotations

import html as _html
import os
import re
import sys
from typing import Any

from pipeline.io.column import shortest_floats as shortest

__all__ = [
    "cell",
    "console",
    "html",
    "say",
    "shortest",
    "table",
    "visible",
    "width",
]

_NON_TTY_WIDTH = 160
_PIPE_LAYOUT_WIDTH = 80
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Bidirectional embeddings, overrides and isolates, line/paragraph separators,
# zero-width no-break space: they reorder or hide text without being C0/C1.
_INVISIBLE = {0x2028, 0x2029, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SURROGATE = re.compile("[\ud800-\udfff]")
# str.translate table: every character `_hidden` names -> its escape.
_TABLE = {
    code: _escape(chr(code)) for code in (*range(0x20), *range(0x7F, 0xA0), *_INVISIBLE)
}


def visible(value: Any) -> str:
    """``value`` as text in which every control character shows as an escape.

    Bytes are decoded as UTF-8 (undecodable bytes as ``\\xNN``); anything
    else goes through ``str``.

    Args:
        value: text, bytes or any value.

    Returns:
        Text with no control character left in it.

    Example:
        >>> visible(b"ok\\x9b\\xff"), visible("\\u202eabc")
        ('ok\\\\x9b\\\\xff', '\\\\u202eabc')
        >>> visible("k\\udcff"), visible("k\\ud800")
        ('k\\\\xff', 'k\\\\ud800')
    """
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    text = str(value).translate(_TABLE)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes kept in a str)
        text = _without_surrogates(text)
    return text


def _without_surrogates(text: str) -> str:
    """Undecodable bytes kept as surrogates (``surrogateescape``) as ``\\xNN``,
    any other lone surrogate as ``\\udXXX``."""
    return _SURROGATE.sub(_surrogate_escape, text)


def _surrogate_escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def cell(value: Any) -> Any:
    """A `rich.text.Text` of ``visible(value)``: rich shows it as is, no markup.

    Example:
        >>> cell("[bold]x[/bold]").plain
        '[bold]x[/bold]'
    """
    from rich.text import Text

    return Text(visible(value))


def table(headers: list[Any], title: str | None = None) -> Any:
    """A `rich.table.Table` whose column headers are data (names from files).

    Add rows with ``t.add_row(*map(cell, values))``.

    Example:
        >>> t = table(["[/x]"])
        >>> t.columns[0].header.plain
        '[/x]'
    """
    from rich.table import Table

    out = Table(title=title)
    for header in headers:
        out.add_column(cell(header))
    return out


def console(file: Any = None, width: int | None = None) -> Any:
    """A rich console (stdout by default; wide when not a terminal) that
    never reads markup or emoji codes in what it prints.

    Args:
        file: where it prints; None for stdout.
        width: its width in columns; None for the terminal's (rich reads
            ``$COLUMNS`` first), or 160 when ``file`` is not a terminal.

    Example:
        >>> import io
        >>> buf = io.StringIO()
        >>> console(buf).print("[/x] :smile:")
        >>> buf.getvalue()
        '[/x] :smile:\\n'
    """
    from rich.console import Console

    out = file or sys.stdout
    if width is None and not _is_tty(out):
        width = _NON_TTY_WIDTH
    return Console(
        file=out,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
    )


def _is_tty(out: Any) -> bool:
    return hasattr(out, "isatty") and out.isatty()


def width(file: Any = None) -> int:
    """The columns a layout may fill: a terminal's width (as rich reads it,
    ``$COLUMNS`` first); for a pipe or a file, ``$COLUMNS`` or 80.

    Args:
        file: the output; None for stdout.

    Example:
        >>> import io
        >>> width(io.StringIO()) > 0
        True
    """
    out = file or sys.stdout
    if _is_tty(out):
        return console(out).width
    columns = os.environ.get("COLUMNS", "").strip()
    return (
        int(columns) if columns.isdigit() and int(columns) > 0 else _PIPE_LAYOUT_WIDTH
    )


def say(text: Any, file: Any = None) -> None:
    """Print one line of ``visible(text)`` (stdout by default).

    Example:
        >>> say("name\\x1b[2J")
        name\\x1b[2J
    """
    print(visible(text), file=file or sys.stdout)


def html(value: Any) -> str:
    """``visible(value)`` escaped for HTML text and attribute values.

    Example:
        >>> html('"<x>"')
        '&quot;&lt;x&gt;&quot;'
    """
    return _html.escape(visible(value), quote=True)
