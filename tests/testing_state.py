"""Reusable checkers: element equality, and get_state/set_state resumption.

``check_state(make_dataset)`` stops an iterator after every k elements, saves
its state (through pickle), and checks that a fresh iterator restored from it
yields exactly what the first one yields after k.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.graph.structure import flatten, same_structure
from pipeline.types import SparseTensor


def leaves_equal(a: Any, b: Any) -> bool:
    """Same structure, and each leaf equal in type, dtype, shape and value."""
    if not same_structure(a, b):
        return False
    for x, y in zip(flatten(a), flatten(b)):
        if isinstance(x, SparseTensor) or isinstance(y, SparseTensor):
            if not (isinstance(x, SparseTensor) and x == y):
                return False
            continue
        if type(x) is not type(y):
            return False
        if isinstance(x, bytes):
            if x != y:
                return False
            continue
        if x.dtype != y.dtype or np.shape(x) != np.shape(y):
            return False
        if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
            return False
    return True


def assert_elements_equal(got: list[Any], want: list[Any]) -> None:
    """Element lists are equal leaf by leaf (with the first difference shown)."""
    assert len(got) == len(want), f"{len(got)} elements, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert leaves_equal(g, w), f"element {i}: got {g!r}, expected {w!r}"


def check_state(
    make_dataset: Callable[[], Any],
    steps: list[int] | None = None,
    use_pickle: bool = True,
) -> None:
    """Restoring after k elements yields exactly the rest, for each k in steps.

    ``steps`` defaults to every k from 0 to the number of elements.
    """
    ds = make_dataset()
    total = len(list(iter(ds)))
    for k in steps if steps is not None else range(total + 1):
        with iter(ds) as it:
            head = [next(it) for _ in range(k)]
            state = it.get_state()
            if use_pickle:
                state = pickle.loads(pickle.dumps(state))
            rest = list(it)
        assert len(head) + len(rest) == total, (k, len(head), len(rest), total)
        with iter(make_dataset()) as restored:
            restored.set_state(state)
            got = list(restored)
        assert_elements_equal(got, rest)
