"""Reading a model archive safely: only the members needed, each under a size cap.

A model file is a zip archive. A hostile one may hold a member that inflates to
gigabytes (a zip bomb), declare a small size and inflate past it, or hold
arrays far larger than the model. `ModelArchive` opens members lazily and by
name only, checks each member's declared size against a cap before reading,
stops reading once the cap is passed whatever the header says, and checks each
array's shape against what the model expects before trusting it.

Example:
    >>> import os, tempfile, zipfile
    >>> path = os.path.join(tempfile.mkdtemp(), "m.zip")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("a.json", '{"x": 1}')
    >>> with ModelArchive(path) as archive:
    ...     archive.json("a.json")
    {'x': 1}
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

import msgspec
import numpy as np

from pipeline.errors import (
    DataLossError,
    ModelFormatError,
    NotFoundError,
    PipelineError,
)

_MAX_JSON_BYTES = 64 << 20  # config.json, metadata.json
_NPY_HEADER_BYTES = 64 << 10  # per array: the .npy header and zip entry
_READ_CHUNK_BYTES = 1 << 20
# Arrays whose shapes the model cannot tell yet (a model built on its first
# call): a member may inflate to at most this many times its stored size (our
# writer stores arrays uncompressed, ratio 1) and never past the cap.
_MAX_INFLATION = 16
_MAX_UNCHECKED_BYTES = 8 << 30
_DEFLATE_RATIO = 1032  # deflate's largest inflation of stored bytes
# JSON members: deeper nesting is refused (no config of ours nests past ~20;
# deeper trees would exhaust the stack of the decoder or of the model builder).
_MAX_JSON_DEPTH = 100
# What zipfile raises for damaged archives: BadZipFile, zlib.error, EOFError,
# OSError, struct.error, and ValueError for a damaged offset ("negative seek
# value"). NotImplementedError and RuntimeError mean a zip feature
# `model.save` never writes (another compression method or zip version,
# encryption, patched data).
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error)
_UNSUPPORTED = (NotImplementedError, RuntimeError)


class ModelArchive:
    """A model file opened for reading, member by member.

    Args:
        path: the archive.

    Raises:
        NotFoundError: no such file.
        DataLossError: not a readable zip archive.

    Example:
        >>> callable(ModelArchive)
        True
    """

    def __init__(self, path: str) -> None:
        self.path = path
        if not os.path.exists(path):
            raise NotFoundError(f"No model file at {path!r}.", path=path)
        try:
            self._zip = zipfile.ZipFile(path)
        except _CORRUPT as e:
            raise DataLossError(
                f"{path!r} is not a model file written by `model.save` "
                f"(expected a zip archive: {e})",
                path=path,
            ) from e
        except _UNSUPPORTED as e:
            raise ModelFormatError(
                f"{path!r} is not a model file written by `model.save` "
                f"(a zip archive using a feature it never writes: {e})",
                path=path,
            ) from e

    def __enter__(self) -> ModelArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file."""
        self._zip.close()

    def has(self, member: str) -> bool:
        """Whether the archive holds ``member`` (nothing is read)."""
        try:
            self._zip.getinfo(member)
        except KeyError:
            return False
        return True

    def stored_bound(self, member: str) -> int:
        """The most bytes ``member`` can inflate to: its declared size, and at
        most what deflate can make of its stored bytes (0 when missing).

        Example:
            >>> callable(ModelArchive.stored_bound)
            True
        """
        try:
            info = self._zip.getinfo(member)
        except KeyError:
            return 0
        ratio = 1 if info.compress_type == zipfile.ZIP_STORED else _DEFLATE_RATIO
        return max(0, min(info.file_size, info.compress_size * ratio))

    def read(self, member: str, max_bytes: int) -> bytes:
        """The bytes of ``member``, refusing more than ``max_bytes``.

        Raises:
            ModelFormatError: ``member`` is missing or larger than ``max_bytes``.
            DataLossError: the member is corrupt (bad CRC, cut short).
        """
        return _read_capped(self._zip, member, max_bytes, self.path, member)

    def json(self, member: str, max_bytes: int = _MAX_JSON_BYTES) -> Any:
        """``member`` decoded as JSON.

        Raises:
            ModelFormatError: missing, too large, not JSON, or nested deeper
                than ``_MAX_JSON_DEPTH`` levels.
        """
        data = self.read(member, max_bytes)
        try:
            tree = msgspec.json.decode(data)
        except msgspec.DecodeError as e:
            raise self._bad_json(member, str(e)) from e
        except RecursionError:
            raise self._bad_json(member, _too_deep()) from None
        if _depth_exceeds(tree, _MAX_JSON_DEPTH):
            raise self._bad_json(member, _too_deep())
        return tree

    def _bad_json(self, member: str, why: str) -> ModelFormatError:
        return ModelFormatError(
            f"bad JSON in member {member!r} of model file {self.path!r}: {why}",
            path=self.path,
            member=member,
        )

    def arrays(
        self,
        member: str,
        expected: Sequence[tuple[int, ...]] | None,
        also: Sequence[tuple[int, ...]] | None = None,
    ) -> list[np.ndarray]:
        """The arrays of the ``.npz`` ``member``, which must match ``expected``.

        Args:
            member: the ``.npz`` member (arrays named ``"0"``, ``"1"``, ...).
            expected: the shape of each array, in order; sizes are capped from
                these before anything is inflated. None when the model cannot
                tell yet: then each member may inflate to at most
                ``_MAX_INFLATION`` times its stored size.
            also: another accepted list of shapes, of another length (the
                state of an optimizer not built yet). Defaults to none.

        Raises:
            ModelFormatError: missing, too large, or arrays of other count or shape.
            DataLossError: a corrupt member.
        """
        if expected is None:
            return self._unchecked_arrays(member)
        layouts = [list(expected)] + ([list(also)] if also is not None else [])
        limit = max(sum(_array_cap(s) for s in shapes) for shapes in layouts)
        inner = self._inner(member, self.read(member, limit + _NPY_HEADER_BYTES))
        with inner:
            names = inner.namelist()
            fits = [shapes for shapes in layouts if len(shapes) == len(names)]
            if not fits:
                counts = " or ".join(map(str, sorted({len(s) for s in layouts})))
                raise self._mismatch(member, f"{counts} arrays", f"{len(names)} arrays")
            expected = fits[0]
            caps = [_array_cap(shape) for shape in expected]
            return [
                self._array(inner, member, i, shape, cap)
                for i, (shape, cap) in enumerate(zip(expected, caps, strict=True))
            ]

    def _unchecked_arrays(self, member: str) -> list[np.ndarray]:
        data = self.read(member, self._inflation_cap(self._zip, member))
        with self._inner(member, data) as inner:
            return [
                self._array(inner, member, i, None, self._inflation_cap(inner, name))
                for i, name in enumerate(inner.namelist())
            ]

    def _inflation_cap(self, archive: zipfile.ZipFile, name: str) -> int:
        try:
            stored = archive.getinfo(name).compress_size
        except KeyError:
            return 0  # _read_capped names the missing member
        return min(_MAX_UNCHECKED_BYTES, stored * _MAX_INFLATION + _NPY_HEADER_BYTES)

    def _inner(self, member: str, data: bytes) -> zipfile.ZipFile:
        try:
            return zipfile.ZipFile(io.BytesIO(data))
        except (*_CORRUPT, *_UNSUPPORTED) as e:
            raise _damaged(self.path, member, e) from e

    def _array(
        self,
        inner: zipfile.ZipFile,
        member: str,
        index: int,
        shape: tuple[int, ...] | None,
        cap: int,
    ) -> np.ndarray:
        where = f"{member}/{index}.npy"
        raw = _read_capped(inner, f"{index}.npy", cap, self.path, where)
        try:
            array = np.load(io.BytesIO(raw), allow_pickle=False)
        except (ValueError, OSError, EOFError) as e:
            raise DataLossError(
                f"corrupt array {where!r} in model file {self.path!r}: {e}",
                path=self.path,
            ) from e
        if shape is not None and tuple(array.shape) != tuple(shape):
            raise self._mismatch(where, f"shape {tuple(shape)}", f"{array.shape}")
        if array.dtype.kind not in "biuf":
            raise self._mismatch(where, "a numeric array", f"dtype {array.dtype}")
        return array

    def _mismatch(self, where: str, expected: str, got: str) -> ModelFormatError:
        return ModelFormatError(
            f"member {where!r} of model file {self.path!r} does not fit the model: "
            f"expected {expected}, got {got}",
            path=self.path,
            member=where,
        )


def _array_cap(shape: Sequence[int]) -> int:
    count = 1
    for d in shape:
        count *= int(d)
    return count * 8 + _NPY_HEADER_BYTES  # float64 at most for numeric weights


def _read_capped(
    archive: zipfile.ZipFile, name: str, max_bytes: int, path: str, shown: str
) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ModelFormatError(
            f"model file {path!r} has no member {shown!r}.", path=path, member=shown
        ) from None
    if info.file_size > max_bytes:
        raise _too_large(path, shown, f"declares {info.file_size} bytes", max_bytes)
    chunks, total = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(min(_READ_CHUNK_BYTES, max_bytes + 1 - total)):
                total += len(chunk)
                if total > max_bytes:
                    raise _too_large(path, shown, "inflates past", max_bytes)
                chunks.append(chunk)
    except PipelineError:
        raise
    except (*_CORRUPT, *_UNSUPPORTED) as e:
        raise _damaged(path, shown, e) from e
    return b"".join(chunks)


def _damaged(path: str, member: str, error: Exception) -> PipelineError:
    """DataLossError for a corrupt member; ModelFormatError for a zip feature
    `model.save` never writes (other compression, encryption)."""
    if isinstance(error, _UNSUPPORTED):
        return ModelFormatError(
            f"member {member!r} of model file {path!r} uses a zip feature "
            f"`model.save` never writes: {error}",
            path=path,
            member=member,
        )
    return DataLossError(
        f"corrupt member {member!r} of model file {path!r}: {error}",
        path=path,
        member=member,
    )


def _too_deep() -> str:
    return f"nested deeper than {_MAX_JSON_DEPTH} levels"


def _depth_exceeds(tree: Any, limit: int) -> bool:
    """Whether lists/dicts in ``tree`` nest more than ``limit`` deep (no recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in node)
    return False


def _too_large(path: str, member: str, what: str, max_bytes: int) -> ModelFormatError:
    return ModelFormatError(
        f"member {member!r} of model file {path!r} {what} the cap of "
        f"{max_bytes} bytes for this member; refusing to read it.",
        path=path,
        member=member,
    )
