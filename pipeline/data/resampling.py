"""``rejection_resample``: reshape a dataset's class distribution.

tf.data's algorithm, built from our own Dataset operations. With initial
class probabilities ``p`` and target ``t``, let ``r = t / p``, ``m = min(r)``
and ``M = max(r)``. Each output comes, with probability ``m``, straight from
the input; otherwise from a second pass over the input that keeps an element
of class ``i`` with probability ``(r[i] - m) / (M - m)``. The mixture has the
target distribution exactly. Without ``initial_dist``, ``p`` is estimated
while reading (class counts per batch of 32, smoothed by 10 per class).
Both passes and the mixture draw from seeded random streams, so a seed gives
the same output in every run.

Example:
    >>> from pipeline.data.dataset import Dataset
    >>> ds = Dataset.range(6).rejection_resample(
    ...     lambda x: x % 2, [0.5, 0.5], initial_dist=[0.5, 0.5])
    >>> [(int(c), int(x)) for c, x in ds][:3]
    [(0, 0), (1, 1), (0, 2)]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_ESTIMATION_BATCH = 32
_SMOOTHING = 10
_UNIFORM_SCALE = float(2**32)


def rejection_resample(
    dataset: Any,
    class_func: Callable[..., Any],
    target_dist: Any,
    initial_dist: Any,
    seed: int | None,
) -> Any:
    """See `Dataset.rejection_resample` (and the module example)."""
    if not callable(class_func):
        raise TypeError(f"`class_func` must be callable. Received: {class_func!r}")
    target = _distribution("target_dist", target_dist)
    with_class = dataset.map(lambda *x: (_class_of(class_func, x), _one(x)))
    if initial_dist is not None:
        initial = _distribution("initial_dist", initial_dist)
        if initial.shape != target.shape:
            raise ValueError(
                "`initial_dist` and `target_dist` must have the same length; got "
                f"{initial.shape[0]} and {target.shape[0]}."
            )
        accept, original = acceptance(initial, target)
        if original >= 1.0:
            return with_class
        accept_ds = type(dataset).from_tensors(accept).repeat()
        original_ds = type(dataset).from_tensors(original).repeat()
    else:
        estimate = _estimated_dist(dataset, class_func, target.shape[0])
        pairs = estimate.map(lambda p: acceptance(np.asarray(p), target))
        accept_ds = pairs.map(lambda a, _: a)
        original_ds = pairs.map(lambda _, m: m)
        original = None
    filtered = _accepted(dataset, class_func, accept_ds, seed)
    if original is not None and original <= 0.0:
        return filtered
    weights = original_ds.map(lambda m: np.array([m, 1.0 - m], np.float64))
    return type(dataset).sample_from_datasets(
        [with_class, filtered],
        weights=weights,
        seed=None if seed is None else seed + 1,
        stop_on_empty_dataset=True,
    )


def acceptance(initial: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, Any]:
    """``(acceptance probability per class, probability of the original)``.

    Example:
        >>> a, m = acceptance(np.array([0.5, 0.5]), np.array([0.9, 0.1]))
        >>> a.round(3).tolist(), round(float(m), 3)
        ([1.0, 0.0], 0.2)
    """
    ratio = target / (initial + np.finfo(initial.dtype).tiny)
    low, high = ratio.min(), ratio.max()
    if high == low:
        return np.ones_like(ratio), ratio.dtype.type(1.0)
    return (ratio - low) / (high - low), low


def _distribution(name: str, value: Any) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"`{name}` must be numeric; got {arr.dtype}.")
    arr = arr.astype(arr.dtype if arr.dtype.kind == "f" else np.float32)
    if arr.ndim != 1 or not arr.size:
        raise ValueError(f"`{name}` must be a non-empty vector; got shape {arr.shape}.")
    return arr


def _one(x: tuple) -> Any:
    return x[0] if len(x) == 1 else x


def _class_of(class_func: Callable[..., Any], x: tuple) -> Any:
    return np.int64(class_func(*x))


def _accepted(
    dataset: Any, class_func: Callable[..., Any], accept_ds: Any, seed: Any
) -> Any:
    """``(class, element)`` of the elements kept with their class's acceptance
    probability (``class_func`` runs once per element)."""
    draws = type(dataset).random(seed=seed)
    zipped = type(dataset).zip((accept_ds, dataset, draws))

    def with_class(accept: Any, elem: Any, draw: Any) -> tuple:
        cls = _class_of(class_func, elem if isinstance(elem, tuple) else (elem,))
        keep = draw / _UNIFORM_SCALE < float(np.asarray(accept)[cls])
        return cls, np.bool_(keep), elem

    kept = zipped.map(with_class).filter(lambda _c, keep, _e: keep)
    return kept.map(lambda cls, _k, elem: (cls, elem))


def _estimated_dist(dataset: Any, class_func: Callable[..., Any], classes: int) -> Any:
    """One class distribution estimate per input element, updated per batch."""
    counts0 = np.full([classes], _SMOOTHING, np.int64)

    def update(counts: np.ndarray, batch: np.ndarray) -> tuple:
        batch = np.asarray(batch, np.int64).reshape(-1)
        counts = counts + np.bincount(batch, minlength=classes)[:classes]
        dist = (counts / counts.sum()).astype(np.float32)
        return counts, np.tile(dist[None, :], (_ESTIMATION_BATCH, 1))

    classes_ds = dataset.map(lambda *x: _class_of(class_func, x))
    estimates = classes_ds.batch(_ESTIMATION_BATCH).scan(counts0, update)
    return estimates.unbatch()
