"""``pipeline convert``."""

from __future__ import annotations

import argparse

from pipeline.cli import _common

HELP = "convert (not yet implemented)"
EPILOG = ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments."""
    _common.add_input_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run."""
    return 1
