"""Temporary files left by an interrupted write: find them, name them, remove them.

Writers (``fs.open_output``, the TFRecord writer, ``pipeline convert``) write
``out/NAME`` as a hidden ``out/.NAME.pipeline-tmp-PID-RANDOM`` and rename it
when complete, so a crash leaves only such a file; a glob of final names
(``*``) never matches it. The name is `pipeline.io.fs_temp`'s. Files named
``NAME.tmp-XXXXXXXXXXXX`` (twelve hex digits) are left by older versions and
are recognised too. These files are never
data: `split` takes them out of a file list, `in_folders` finds them next to
the files a command reads, and `remove` deletes them.

Example:
    >>> tmp = "out/.a.tfrecord.pipeline-tmp-7-0123456789ab"
    >>> final_name(tmp), final_name("out/a.csv")
    ('a.tfrecord', None)
    >>> final_name("b.csv.tmp-0123456789ab")
    'b.csv'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.io.fs_temp import final_name_of, writer_running

__all__ = ["final_name", "folder_of", "in_folders", "leftovers_of", "remove", "split"]

_OLD_TEMP = re.compile(r"(?P<final>.+)\.tmp-[0-9a-f]{12}")


def _base(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def final_name(path: str) -> str | None:
    """The name the temporary file ``path`` was to get, or None if it is not one."""
    name = _base(path)
    match = _OLD_TEMP.fullmatch(name)
    return match["final"] if match else final_name_of(name)


def split(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """``(data files, temporary leftovers)`` of a list of paths.

    Example:
        >>> split(["o/a.csv", "o/.a.csv.pipeline-tmp-7-0123456789ab"])
        (['o/a.csv'], ['o/.a.csv.pipeline-tmp-7-0123456789ab'])
    """
    data, temps = [], []
    for p in paths:
        (temps if final_name(p) is not None else data).append(p)
    return data, temps


def folder_of(path: str) -> str:
    """The folder part of a path or URL (``"."`` for a bare name).

    Example:
        >>> folder_of("memory://o/a.csv"), folder_of("a.csv")
        ('memory://o', '.')
    """
    head, sep, _ = path.rstrip("/").rpartition("/")
    if not sep or head.endswith(":/"):
        return "." if not sep else head + "/"
    return head or "/"


def _listing(folder: str) -> list[str]:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(folder)
        names = [_base(p) for p in fs.ls(root, detail=False)]
    except (OSError, ValueError):
        return []
    return [f"{folder.rstrip('/')}/{name}" for name in names]


def in_folders(folders: Iterable[str]) -> list[str]:
    """The temporary leftovers in ``folders`` (unreadable folders: none), sorted."""
    found = set()
    for folder in set(folders):
        found.update(p for p in _listing(folder) if final_name(p) is not None)
    return sorted(found)


def remove(paths: Iterable[str]) -> list[str]:
    """Delete each path (gone already: skipped); return those removed.

    A local temporary file whose writer is still running is kept.
    """
    import fsspec

    removed = []
    for p in paths:
        if "://" not in p and writer_running(p):
            continue
        try:
            fs, local = fsspec.core.url_to_fs(p)
            fs.rm(local)
        except FileNotFoundError:
            continue
        removed.append(p)
    return removed


def leftovers_of(finals: list[str]) -> list[str]:
    """The temporary leftovers of the files ``finals`` (paths in one or more
    folders) would be written to.

    Example:
        >>> leftovers_of(["memory://no-such-folder/a.csv"])
        []
    """
    wanted = {(folder_of(p).rstrip("/"), _base(p)) for p in finals}
    found = in_folders(folder for folder, _ in wanted)
    return [p for p in found if (folder_of(p).rstrip("/"), final_name(p)) in wanted]
