"""The ``pipeline`` command: ``main(argv) -> int``.

Each subcommand lives in its own module (``head``, ``schema``, ``stats``,
``count``, ``verify``, ``convert``, ``index``, ``bench``) with
``add_arguments(parser)`` and ``run(args) -> int``; the work itself is done by
the library. Errors about the data (a missing path, a corrupt file) print one
line on stderr and give exit code 1; usage errors give 2.

Example:
    >>> from pipeline.cli import main
    >>> main(["--version"])
    pipeline 0.1.0
    0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from pipeline.cli import _display
from pipeline.errors import PipelineError

__all__ = ["main"]

_VERSION = "0.1.0"
_COMMANDS = ("head", "schema", "stats", "count", "verify", "convert", "index", "bench")
_EPILOG = """examples:
  pipeline head data/train-*.tfrecord -n 3
  pipeline schema 'data/*.csv.gz' --json spec.json
  pipeline stats data/train.parquet --html report.html
  pipeline count 'gs://bucket/train.tfrecord-*'
  pipeline verify data/train.tfrecord-*
  pipeline convert data/*.csv --to tfrecord --out out/ --shards 4 --compression GZIP
  pipeline bench data/train.tfrecord-* --batch-size 256

Formats (detected by content, override with --format): csv, tsv, tfrecord
(of tf.train.Example), tfrecord-raw, parquet, text; GZIP/ZLIB compression is
detected too. Exit codes: 0 ok, 1 bad data or error, 2 usage."""


def _parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Look inside sharded data: records, schema, statistics, "
        "counts, integrity, conversion and read speed.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pipeline {_VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name in _COMMANDS:
        module = importlib.import_module(f"pipeline.cli.{name}")
        p = sub.add_parser(
            name,
            help=module.HELP,
            description=module.HELP,
            epilog=module.EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        modules[name] = module
    return parser, modules


def _run(argv: list[str]) -> int:
    parser, modules = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(modules[args.command].run(args))
    except BrokenPipeError:
        return _reader_went_away()
    except (PipelineError, OSError, ValueError) as e:
        message = getattr(e, "message", None) or str(e) or type(e).__name__
        message = " ".join(str(message).split())  # one line, whatever the library said
        _display.say(f"pipeline {args.command}: error: {message}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"pipeline {args.command}: interrupted", file=sys.stderr)
        return 130


def _reader_went_away() -> int:
    """The reader of stdout closed it (``... | head -1``): stop quietly, as Unix
    tools do when SIGPIPE ends them (status 128 + 13)."""
    try:  # the interpreter's last flush of stdout would fail again at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (tests)
        pass
    return 141


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return exit code.

    Args:
        argv: the arguments after the program name; None reads ``sys.argv``.

    Returns:
        0 on success, 1 when the data is bad or an error occurred, 2 on a
        usage error, 141 (quietly) when the reader of stdout closed it.

    Example:
        >>> main(["count", "memory://no/such/file.csv"])
        1
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        print(f"pipeline {_VERSION}")
        return 0
    try:
        return _run(args)
    except SystemExit as e:  # argparse: --help and usage errors
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
