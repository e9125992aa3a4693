"""One shared-memory buffer per batch between DataLoader workers and the loop.

A DataLoader worker sends each batch to the main process through a queue, and
every tensor in it goes through shared memory on its own (a file descriptor
sent, a mapping made and torn down): for a batch of many small columns that
costs more than reading them. In a worker, `pack` copies the batch's numeric
arrays into one byte buffer (each at an 8-byte aligned offset) and sends that
one tensor with the layout; unpickling in the main process (`PackedBatch`'s
``__reduce__``) gives the batch back, each numeric leaf a tensor viewing the
buffer. Strings, sparse tensors and other leaves travel as ``to_tensors``
makes them. The loop sees the same structure, dtypes, shapes and values.

A custom ``collate_fn`` given to a DataLoader with ``batch_size=None`` sees
the `PackedBatch` itself: call its ``unpack()`` there, or wrap the dataset
with ``pipeline.integrations.torch.to_torch(ds, pack=False)``.

Example:
    >>> import pickle
    >>> batch = {"x": np.arange(3, dtype=np.float32), "s": np.array([b"a"], object)}
    >>> out = pickle.loads(pickle.dumps(pack(batch, to_tensors=lambda v: v)))
    >>> out["x"].tolist(), out["x"].dtype, out["s"].tolist()
    ([0.0, 1.0, 2.0], torch.float32, [b'a'])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.utils.data

__all__ = ["PackedBatch", "pack"]

_ALIGN = 8
_KINDS = "biuf"  # bool, signed, unsigned, float


class _Slot:
    """Where leaf ``i`` of the buffer goes back in the structure."""

    __slots__ = ("i",)

    def __init__(self, i: int) -> None:
        self.i = i

    def __reduce__(self) -> tuple:
        return _Slot, (self.i,)


def _packable(value: Any) -> bool:
    return (
        isinstance(value, np.ndarray)
        and value.dtype.kind in _KINDS
        and value.dtype.isnative
    )


def _skeleton(element: Any, arrays: list, convert: Callable[[Any], Any]) -> Any:
    """``element`` with each packable array replaced by a `_Slot`."""
    if isinstance(element, dict):
        return {k: _skeleton(v, arrays, convert) for k, v in element.items()}
    if isinstance(element, (tuple, list)):
        out = [_skeleton(v, arrays, convert) for v in element]
        return tuple(out) if isinstance(element, tuple) else out
    if _packable(element):
        arrays.append(element)
        return _Slot(len(arrays) - 1)
    return convert(element)


def _fill(skeleton: Any, leaves: list) -> Any:
    if isinstance(skeleton, dict):
        return {k: _fill(v, leaves) for k, v in skeleton.items()}
    if isinstance(skeleton, (tuple, list)):
        out = [_fill(v, leaves) for v in skeleton]
        return tuple(out) if isinstance(skeleton, tuple) else out
    return leaves[skeleton.i] if isinstance(skeleton, _Slot) else skeleton


def _unpack(buffer: torch.Tensor, layout: list, skeleton: Any) -> Any:
    """The batch: each slot a view of ``buffer``."""
    leaves = []
    for offset, nbytes, name, shape in layout:
        dtype = getattr(torch, name)
        if not nbytes:
            leaves.append(torch.empty(shape, dtype=dtype))
            continue
        raw = buffer[offset : offset + nbytes]
        leaves.append(raw.view(dtype).reshape(shape))
    return _fill(skeleton, leaves)


def _received(buffer: torch.Tensor, layout: list, skeleton: Any) -> Any:
    """What the main process gets: the batch as the default collate
    (``default_convert``) would have passed it on (tuples become lists)."""
    return torch.utils.data.default_convert(_unpack(buffer, layout, skeleton))


class PackedBatch:
    """A batch packed by `pack`; pickling sends one buffer tensor."""

    __slots__ = ("buffer", "layout", "skeleton")

    def __init__(self, buffer: torch.Tensor, layout: list, skeleton: Any) -> None:
        self.buffer, self.layout, self.skeleton = buffer, layout, skeleton

    def __reduce__(self) -> tuple:
        return _received, (self.buffer, self.layout, self.skeleton)

    def unpack(self) -> Any:
        """The batch, with tensors viewing the buffer.

        Example:
            >>> pack({"a": np.ones(2, np.int64)}, lambda v: v).unpack()["a"].tolist()
            [1, 1]
        """
        return _unpack(self.buffer, self.layout, self.skeleton)


def pack(element: Any, to_tensors: Callable[[Any], Any]) -> PackedBatch:
    """``element`` packed: its numeric arrays in one buffer, other leaves
    converted by ``to_tensors``.

    Example:
        >>> packed = pack((np.zeros(3, np.int32), b"x"), lambda v: v)
        >>> len(packed.layout), packed.buffer.dtype
        (1, torch.uint8)
    """
    arrays: list[np.ndarray] = []
    skeleton = _skeleton(element, arrays, to_tensors)
    layout, offset = [], 0
    for a in arrays:
        layout.append((offset, a.nbytes, _torch_name(a.dtype), a.shape))
        offset += -(-a.nbytes // _ALIGN) * _ALIGN
    buffer = np.empty(offset, np.uint8)
    for (start, nbytes, _, _), a in zip(layout, arrays):
        buffer[start : start + nbytes] = (
            np.ascontiguousarray(a).reshape(-1).view(np.uint8)
        )
    return PackedBatch(torch.from_numpy(buffer), layout, skeleton)


def _torch_name(dtype: np.dtype) -> str:
    """The name of the torch dtype of ``dtype`` (``torch.<name>``)."""
    return str(torch.from_numpy(np.empty(0, dtype)).dtype).removeprefix("torch.")
