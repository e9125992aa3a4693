"""The file of ``cache(filename)``: a safe format, and the writer's lock file.

The file holds data only, never code: a magic line, a JSON header (the element
spec as `pipeline.io.element_codec` describes it, and the element count),
then length-prefixed blocks of up to 1024 elements
(`pipeline.graph.cache_blocks`: columns of numpy buffers when the elements
stack, in the codec's typed form with dtypes from a fixed table; strings as a
length table and bytes). Reading checks every length and the structure; a
file that does not parse, or was tampered with, raises `DataLossError` naming
the file and the record. It is written under a temporary name and renamed
when complete.

From its first element until it is closed, the iterator that fills the
cache holds ``<filename>.lockfile`` (with its process id): a second writer
gets `AlreadyExistsError`, as tf.data does. A lock left by a process that no
longer runs, or by an iterator of this process that is gone, is taken over.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "c")
    >>> write_cache(path, [(1, b"a"), (2, b"bc")])
    >>> read_cache(path, None)
    [(np.int64(1), b'a'), (np.int64(2), b'bc')]
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

from pipeline.errors import AlreadyExistsError, DataLossError
from pipeline.graph.cache_blocks import decode_block, encode_block
from pipeline.io.element_codec import spec_from_json, spec_of, spec_to_json

__all__ = ["acquire_lock", "lock_path", "read_cache", "release_lock", "write_cache"]

_MAGIC = b"PIPELINE-CACHE-1\n"
_U64 = struct.Struct("<Q")
_MAX_HEADER_BYTES = 1 << 24
_BLOCK = 1024  # elements per block
#: Lock files held by live iterators of this process.
_HELD: set[str] = set()


def write_cache(path: str, elements: list[Any]) -> None:
    """Write ``elements`` to ``path`` (atomically: temporary name, then rename)."""
    spec = spec_to_json(spec_of(elements[0])) if elements else None
    header = json.dumps({"spec": spec, "count": len(elements)}).encode()
    tmp = f"{path}.tmp-{os.getpid()}-{id(elements):x}"
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + _U64.pack(len(header)) + header)
            for start in range(0, len(elements), _BLOCK):
                block = encode_block(elements[start : start + _BLOCK])
                f.write(_U64.pack(len(block)))
                f.write(block)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def read_cache(path: str, template: Any) -> list[Any]:
    """The elements of the cache file ``path``, shaped like ``template``.

    ``template`` is the dataset's element spec (named tuples kept); None uses
    the structure stored in the file. `DataLossError` when the file is not a
    cache file, is cut short, or does not match ``template``'s structure.
    """
    with open(path, "rb") as f:
        data = f.read()
    view = memoryview(data)
    if not data.startswith(_MAGIC):
        raise DataLossError(
            f"not a pipeline cache file: {path!r} does not start with {_MAGIC!r}",
            path=path,
            offset=0,
        )
    pos = len(_MAGIC)
    size, pos = _length(view, pos, path, "header length")
    if size > _MAX_HEADER_BYTES:
        raise DataLossError(f"cache header of {size} bytes in {path!r}", path=path)
    spec, count = _header(bytes(_take(view, pos, size, path, "header")), path)
    pos += size
    shape = _structure(spec, template, path)
    out: list[Any] = []
    while len(out) < count:
        first = len(out)
        size, pos = _length(view, pos, path, f"length of the block at record {first}")
        block = _take(view, pos, size, path, f"the block at record {first}")
        try:
            out += decode_block(bytes(block), shape)
        except DataLossError as e:
            raise DataLossError(
                f"bad cache block at record {first} in {path!r}: {e}",
                path=path,
                offset=pos,
                record_index=first,
            ) from e
        pos += size
    if len(out) != count or pos != len(data):
        raise DataLossError(
            f"cache file {path!r} holds {len(out)} records and "
            f"{len(data) - pos} more bytes; its header says {count} records",
            path=path,
            offset=pos,
        )
    return out


def _take(view: memoryview, pos: int, size: int, path: str, what: str) -> memoryview:
    if pos + size > len(view):
        raise DataLossError(
            f"cache file {path!r} ends early: expected {size} bytes of {what} at "
            f"byte {pos}, found {len(view) - pos}",
            path=path,
            offset=pos,
        )
    return view[pos : pos + size]


def _length(view: memoryview, pos: int, path: str, what: str) -> tuple[int, int]:
    (size,) = _U64.unpack(_take(view, pos, 8, path, what))
    return size, pos + 8


def _header(raw: bytes, path: str) -> tuple[Any, int]:
    try:
        header = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        raise DataLossError(f"bad cache header in {path!r}: {e}", path=path) from e
    count = header.get("count") if isinstance(header, dict) else None
    if type(count) is not int or count < 0:
        raise DataLossError(f"bad cache header in {path!r}: {header!r:.120}", path=path)
    spec = header.get("spec")
    if spec is None and count:
        raise DataLossError(f"cache header in {path!r} has no spec", path=path)
    return (None if spec is None else spec_from_json(spec)), count


def _structure(stored: Any, template: Any, path: str) -> Any:
    """The structure to decode with: ``template`` when it matches the file's."""
    if stored is None or template is None:
        return stored
    if _shape_of(stored) != _shape_of(template):
        raise DataLossError(
            f"cache file {path!r} holds elements of another structure: "
            f"{stored!r:.200} vs the dataset's {template!r:.200}",
            path=path,
        )
    return template


def _shape_of(spec: Any) -> Any:
    if isinstance(spec, tuple):
        return tuple(_shape_of(s) for s in spec)
    if isinstance(spec, dict):
        return {k: _shape_of(v) for k, v in spec.items()}
    return None


def lock_path(path: str) -> str:
    """The lock file of the cache file ``path``."""
    return f"{path}.lockfile"


def acquire_lock(path: str) -> str:
    """Create ``path``'s lock file; `AlreadyExistsError` while another writer runs."""
    lock = lock_path(path)
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _holder_running(lock):
                raise AlreadyExistsError(
                    "There appears to be a concurrent caching iterator running: "
                    f"cache lockfile already exists ({lock!r}). If no other "
                    "iterator uses this cache file, delete the lockfile and "
                    "iterate again.",
                    path=lock,
                ) from None
            _remove(lock)  # left by a process that ended
            continue
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        _HELD.add(lock)
        return lock
    raise AlreadyExistsError(f"cache lockfile {lock!r} keeps reappearing", path=lock)


def release_lock(lock: str) -> None:
    """Remove a lock file made by `acquire_lock` (a no-op when it is gone)."""
    _HELD.discard(lock)
    _remove(lock)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _holder_running(lock: str) -> bool:
    try:
        with open(lock) as f:
            pid = int(f.read().strip() or "0")
    except (OSError, ValueError):
        return True  # being written right now, or unreadable: assume alive
    if pid <= 0:
        return True
    if pid == os.getpid():
        return lock in _HELD  # ours: alive while an iterator of ours holds it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
