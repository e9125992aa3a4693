"""Names of the temporary files that atomic writers rename into place.

A file being written to ``<folder>/<name>`` lives at
``<folder>/.<name>.pipeline-tmp-<pid>-<random>`` until it is complete: a hidden
dotfile in the same folder (so the rename stays on one filesystem) whose name
no glob of final names matches (``*`` skips dotfiles, and the name does not
end with the final suffix). A process killed mid-write leaves such a file
behind; the next write to the same final name removes the leftovers of
writers that are no longer running (local files; the ``<pid>`` says whose).

Example:
    >>> tmp = temp_path_for("out/a.tfrecord")
    >>> tmp.startswith("out/.a.tfrecord.pipeline-tmp-")
    True
    >>> is_temp_leftover(tmp.rsplit("/", 1)[1]), is_temp_leftover("a.tfrecord")
    (True, False)
    >>> final_name_of(tmp.rsplit("/", 1)[1])
    'a.tfrecord'
"""

from __future__ import annotations

import os
import re
import uuid

__all__ = [
    "TEMP_MARKER",
    "clean_stale_leftovers",
    "final_name_of",
    "find_temp_leftovers",
    "is_temp_leftover",
    "temp_path_for",
]

#: What every temporary name holds between the final name and the random part.
TEMP_MARKER = ".pipeline-tmp-"
_TEMP_RE = re.compile(r"\.(?P<final>.+)\.pipeline-tmp-(?P<pid>[0-9]+)-[0-9a-f]{12}")


def _split(path: str) -> tuple[str, str]:
    """``(folder with its trailing separator, name)`` of a path or URL."""
    cut = path.rfind("/")
    if os.sep != "/":
        cut = max(cut, path.rfind(os.sep))
    return path[: cut + 1], path[cut + 1 :]


def temp_path_for(path: str) -> str:
    """A fresh temporary path for writing ``path`` (same folder, hidden).

    Example:
        >>> temp_path_for("a.csv") != temp_path_for("a.csv")
        True
    """
    folder, name = _split(os.fspath(path))
    return f"{folder}.{name}{TEMP_MARKER}{os.getpid()}-{uuid.uuid4().hex[:12]}"


def is_temp_leftover(name: str) -> bool:
    """Whether the base name ``name`` is one of our temporary names.

    Example:
        >>> is_temp_leftover(".a.tfrecord.pipeline-tmp-12-0123456789ab")
        True
    """
    return _TEMP_RE.fullmatch(name) is not None


def final_name_of(name: str) -> str | None:
    """The final base name a temporary name stands for, or None.

    Example:
        >>> final_name_of("a.tfrecord") is None
        True
    """
    match = _TEMP_RE.fullmatch(name)
    return match.group("final") if match else None


def find_temp_leftovers(folder: str | os.PathLike) -> list[str]:
    """The temporary files in the local ``folder`` (sorted paths), for cleanup.

    Example:
        >>> find_temp_leftovers("/no/such/folder")
        []
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(os.path.join(folder, n) for n in names if is_temp_leftover(n))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def writer_running(name: str) -> bool:
    """Whether the temporary name ``name`` was made by a process still running here.

    Only meaningful for local files: the ``<pid>`` is of the writing machine.

    Example:
        >>> writer_running(f".a.csv.pipeline-tmp-{os.getpid()}-0123456789ab")
        True
        >>> writer_running("a.csv")
        False
    """
    match = _TEMP_RE.fullmatch(os.path.basename(name))
    return match is not None and _running(int(match["pid"]))


def clean_stale_leftovers(path: str) -> list[str]:
    """Remove the leftovers for the local final ``path`` whose writer is gone.

    Returns the paths removed. Leftovers of running processes (this one
    included) are kept: they may still be written.

    Example:
        >>> clean_stale_leftovers("/no/such/folder/a.tfrecord")
        []
    """
    folder, name = _split(os.fspath(path))
    removed = []
    for leftover in find_temp_leftovers(folder or "."):
        match = _TEMP_RE.fullmatch(os.path.basename(leftover))
        if match and match.group("final") == name and not writer_running(leftover):
            try:
                os.remove(leftover)
            except OSError:
                continue
            removed.append(leftover if folder else os.path.basename(leftover))
    return removed
