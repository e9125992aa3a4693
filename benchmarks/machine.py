"""What a benchmark run needs from the machine: its description, child
processes with their peak memory, and import times in fresh interpreters.

`run_child` runs a command, echoes its output line by line and reads the
child's own peak RSS from ``os.wait4``; `import_time` times one import
statement in fresh interpreters; `machine_info` describes the machine (cores,
CPU model, load, date, versions) for the summary block.

Example:
    >>> import sys
    >>> done = run_child([sys.executable, "-c", "print('{\\"a\\": 1}')"], echo=False)
    >>> done.returncode, done.lines, done.peak_rss_mib > 1
    (0, ['{"a": 1}'], True)
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
_VERSIONS = ("numpy", "pyarrow", "tensorflow-cpu", "keras", "tf-keras", "pipeline")
# ru_maxrss is in KiB on Linux, in bytes on macOS.
_MAXRSS_PER_MIB = 1 << 20 if sys.platform == "darwin" else 1 << 10


class Child(NamedTuple):
    """A finished child process: exit code, stdout lines, peak RSS, wall time."""

    returncode: int
    lines: list[str]
    peak_rss_mib: float
    seconds: float


def run_child(argv: list[str], *, echo: bool = True, stderr: bool = True) -> Child:
    """Run ``argv`` from the repository root; its stdout lines and peak RSS.

    stdout is read line by line (and echoed when ``echo``, the default);
    stderr passes through. The peak RSS is the child's own, from
    ``os.wait4``; on Linux a child also inherits its parent's resident size
    at the fork as a floor, so the launcher should stay small.

    Args:
        argv: the command.
        echo: print each stdout line as it comes (default True).
        stderr: let the child's stderr through (default True), else drop it.

    Returns:
        A `Child`.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    start = time.perf_counter()
    errors = None if stderr else subprocess.DEVNULL
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
    )
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if echo:
            print(line, end="", flush=True)
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return Child(proc.returncode, lines, usage.ru_maxrss / _MAXRSS_PER_MIB, seconds)


_IMPORT_CODE = (
    "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
)


def import_time(statement: str, repeats: int = 5) -> tuple[float, float] | None:
    """Best seconds of ``statement`` over ``repeats`` fresh interpreters.

    Only the statement is timed (not the interpreter's start). Returns
    ``(seconds, peak RSS MiB of that process)``, or None when it fails (the
    module is not installed).

    Example:
        >>> seconds, rss = import_time("import json", repeats=1)
        >>> 0 < seconds < 5 and rss > 1
        True
        >>> import_time("import no_such_module_here", repeats=1) is None
        True
    """
    best = None
    for _ in range(repeats):
        argv = [sys.executable, "-c", _IMPORT_CODE.format(statement=statement)]
        child = run_child(argv, echo=False, stderr=False)
        if child.returncode != 0:
            return None
        seconds = float(child.lines[-1])
        if best is None or seconds < best[0]:
            best = (seconds, child.peak_rss_mib)
    return best


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (``platform`` elsewhere)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cores() -> str:
    """Logical cores, and how many this process may use.

    Example:
        >>> cores().split()[0].isdigit()
        True
    """
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    total = os.cpu_count()
    return f"{total}" if usable in (None, total) else f"{total} ({usable} usable)"


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, e.g. ``"0.44 0.63 0.32"``."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def versions() -> str:
    """Versions of the packages the benchmarks compare, those installed.

    Example:
        >>> "numpy " in versions()
        True
    """
    found = []
    for name in _VERSIONS:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def git_commit() -> str:
    """The checkout's short commit, marked when the tree has changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return commit + (" (with uncommitted changes)" if dirty else "")


def now() -> datetime.datetime:
    """The current time in UTC, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def machine_info(started: datetime.datetime, load_at_start: str) -> dict[str, str]:
    """The machine, the run's dates and load, and the versions, for the summary.

    Args:
        started: when the run started (`now`).
        load_at_start: `load_average` when it started.
    """
    ended = now()
    minutes = (ended - started).total_seconds() / 60
    return {
        "date": f"{started:%Y-%m-%d %H:%M} UTC, {minutes:.0f} min",
        "cores": cores(),
        "CPU": cpu_model(),
        "load average (1/5/15 min), start -> end": f"{load_at_start} -> "
        f"{load_average()}",
        "Python": f"{platform.python_version()} on {platform.system()} "
        f"{platform.release()} {platform.machine()}",
        "versions": versions(),
        "commit": git_commit(),
    }


def own_peak_rss_mib() -> float:
    """This process's peak RSS in MiB (a child's floor, see `run_child`)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / _MAXRSS_PER_MIB
