"""`Options`: how a dataset is optimized and run.

Example:
    >>> opts = Options(seed=3, optimize=False)
    >>> opts.merge(Options(num_threads=2)).num_threads, opts.seed
    (2, 3)
"""

from __future__ import annotations

import dataclasses
from typing import Any

_DEFAULT_MEMORY_BUDGET_BYTES = 512 * 2**20


@dataclasses.dataclass
class Options:
    """Run options (``Dataset.with_options``); None means "the default".

    Args:
        optimize: apply the graph rewrites at all (default True).
        map_fusion: fuse adjacent maps (default True).
        noop_elimination: drop stages that do nothing (default True).
        map_vectorization: run a per-element parser over whole batches when
            ``map(parse) -> batch(n)`` allows it (default True).
        final_prefetch: add a prefetch at the end (default True).
        gather_batches: batch (shuffled) tensor slices by gathering columns
            (default True).
        deterministic: default for stages whose ``deterministic`` is None
            (default True: output order never depends on thread timing).
        seed: root seed of random stages without their own seed (default: a
            fresh random seed per iterator).
        num_threads: cap on worker threads per stage (default: CPU count).
        memory_budget_bytes: what AUTOTUNE may spend on buffers (default 512 MiB).

    Fields can be set after construction, as with ``tf.data.Options``.

    Example:
        >>> opts = Options()
        >>> opts.deterministic = False
        >>> opts.optimize, opts.experimental_deterministic
        (True, False)
    """

    optimize: bool = True
    map_fusion: bool = True
    noop_elimination: bool = True
    map_vectorization: bool = True
    final_prefetch: bool = True
    gather_batches: bool = True
    deterministic: bool | None = None
    seed: int | None = None
    num_threads: int | None = None
    memory_budget_bytes: int = _DEFAULT_MEMORY_BUDGET_BYTES

    @property
    def experimental_deterministic(self) -> bool | None:
        """TF's older name of ``deterministic``."""
        return self.deterministic

    @experimental_deterministic.setter
    def experimental_deterministic(self, value: bool | None) -> None:
        self.deterministic = value

    def merge(self, other: Options) -> Options:
        """These options with the fields ``other`` sets differently from default.

        Example:
            >>> Options(seed=1).merge(Options(optimize=False)).optimize
            False
        """
        default = Options()
        changes: dict[str, Any] = {
            f.name: getattr(other, f.name)
            for f in dataclasses.fields(other)
            if getattr(other, f.name) != getattr(default, f.name)
        }
        return dataclasses.replace(self, **changes)
