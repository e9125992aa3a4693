"""The ``pipeline`` command: ``main(argv) -> int``.

Example:
    >>> from pipeline.cli import main
    >>> callable(main)
    True
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return exit code.

    Example:
        >>> main(["--version"])
        pipeline 0.1.0
        0
    """
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        print("pipeline 0.1.0")
        return 0
    print("usage: pipeline {head,schema,stats,count,verify,convert,bench} ...")
    return 2
