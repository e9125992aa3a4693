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
    """Prints the in-memory pipeline's batches, plan and stats, each labelled."""
    print("== a small pipeline in memory: from_tensor_slices (10 rows)")
    print("   -> map (x2 = 2 * x) -> shuffle (seed 42) -> batch (4 rows) -> prefetch")
    ds = demo_dataset()
    with ds.as_numpy_iterator() as it:
        for i, batch in enumerate(it):
            print(f"batch {i} ({len(batch['x2'])} rows): x2={batch['x2'].tolist()} "
                  f"name={batch['name'].tolist()}")  # fmt: skip
        stats = it.stats()
    print("== its plan, as explain() shows it:")
    ds.explain()
    print("== what each threaded stage did in that run (iterator stats()):")
    for stage in stats:
        print(f"  {stage['stage']}: {stage_line(stage)}")
    return 0


def stage_line(stage: dict) -> str:
    """One stage's ``stats()`` entry in words, each number with its unit.

    Example:
        >>> stage_line({"produced": 3, "parallelism": 1, "block_size": 8,
        ...             "busy_s": 0.0002, "wait_input_s": 0.0015})
        'produced 3 elements with 1 thread, in blocks of 8 elements; busy 0.20 ms, waited 1.50 ms for its input'
    """  # noqa: E501
    threads = stage["parallelism"]
    return (
        f"produced {stage['produced']} elements with {threads} "
        f"thread{'s' if threads != 1 else ''}, in blocks of {stage['block_size']} "
        f"elements; busy {stage['busy_s'] * 1e3:.2f} ms, "
        f"waited {stage['wait_input_s'] * 1e3:.2f} ms for its input"
    )
