"""The demo: ``make demo`` runs ``python -m pipeline.demo``.

First a small in-memory pipeline (``from_tensor_slices -> map -> shuffle(seed)
-> batch -> prefetch``) with its batches, ``explain()`` and stats; then the
main job on built-in taxi data (``pipeline.demo.job``).

Example:
    >>> batches = demo_dataset().as_numpy_iterator()
    >>> sorted(int(v) for b in batches for v in b["x2"])
    [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
"""

from __future__ import annotations

import numpy as np

from pipeline import data


def demo_dataset() -> data.Dataset:
    """``from_tensor_slices -> map -> shuffle(seed=42) -> batch(4) -> prefetch``.

    Example:
        >>> demo_dataset().cardinality()
        3
    """
    features = {
        "x": np.arange(10, dtype=np.int64),
        "name": [f"row{i}" for i in range(10)],
    }
    return (
        data.Dataset.from_tensor_slices(features)
        .map(lambda d: {"x2": d["x"] * 2, "name": d["name"]})
        .shuffle(10, seed=42)
        .batch(4)
        .prefetch(data.AUTOTUNE)
    )


def show_small_pipeline() -> int:
    """Prints the in-memory pipeline's batches, plan and stats."""
    ds = demo_dataset()
    with ds.as_numpy_iterator() as it:
        for i, batch in enumerate(it):
            print(f"batch {i}: x2={batch['x2'].tolist()} name={batch['name'].tolist()}")
        stats = it.stats()
    ds.explain()
    print("stats:")
    for stage in stats:
        print(
            f"  {stage['stage']}: produced={stage['produced']} "
            f"parallelism={stage['parallelism']} block={stage['block_size']}"
        )
    return 0
