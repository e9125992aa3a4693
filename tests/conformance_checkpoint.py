"""Save an iterator mid-way and restore it into a new one, in either library.

TensorFlow's checkpoint tests (``verify_fn`` of ``checkpoint_test_base``) save
an iterator after some elements, restore it into a fresh iterator over a
fresh dataset, and expect exactly the remaining elements. ``pipeline`` does
this with ``get_state()``/``set_state()``; TensorFlow with
``tf.train.Checkpoint``.

Example:
    >>> import pipeline as pl
    >>> make = lambda: pl.data.Dataset.range(4)
    >>> [int(x) for x in restored_after(pl, make, 1, "/tmp")]
    [1, 2, 3]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from conformance_support import assert_same, is_tensorflow, to_numpy


def restored_after(
    api: Any, make_dataset: Callable[[], Any], steps: int, tmp_dir: str
) -> list[Any]:
    """The elements a restored iterator yields after ``steps`` were read."""
    first = iter(make_dataset())
    for _ in range(steps):
        next(first)
    second = iter(make_dataset())
    if is_tensorflow(api):
        prefix = os.path.join(str(tmp_dir), f"ckpt-{steps}")
        path = api.train.Checkpoint(iterator=first).write(prefix)
        api.train.Checkpoint(iterator=second).read(path).assert_consumed()
    else:
        second.set_state(first.get_state())
    return [to_numpy(e) for e in second]


def verify_restore(
    api: Any,
    make_dataset: Callable[[], Any],
    num_outputs: int,
    tmp_dir: str,
    breaks: tuple[int, ...] | None = None,
) -> None:
    """A full run yields ``num_outputs`` elements, and restoring after each
    break point yields exactly the rest of that run."""
    full = [to_numpy(e) for e in make_dataset()]
    assert len(full) == num_outputs
    points = breaks if breaks is not None else (0, num_outputs // 2, num_outputs)
    for k in points:
        assert_same(restored_after(api, make_dataset, k, tmp_dir), full[k:])
