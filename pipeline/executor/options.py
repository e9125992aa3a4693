"""`Options`: how a dataset is optimized and run.

Example:
    >>> opts = Options(seed=3, optimize=False)
    >>> opts.merge(Options(num_threads=2)).num_threads, opts.seed
    (2, 3)
"""

from __future__ import annotations

import copy
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

    def __post_init__(self) -> None:
        # dataclass __init__ has set every field; what counts as "set" for
        # merge is what the caller named, recorded by Options.__init__ below.
        object.__setattr__(self, "_set_fields", set())

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in _FIELD_NAMES and hasattr(self, "_set_fields"):
            self._set_fields.add(name)

    def merge(self, other: Options) -> Options:
        """These options with every field ``other`` sets, even back to its default.

        As ``tf.data.Options.merge``: a field ``other`` never set leaves ours.

        Example:
            >>> Options(seed=1).merge(Options(optimize=False)).optimize
            False
            >>> Options(optimize=False).merge(Options(optimize=True)).optimize
            True
            >>> Options(optimize=False).merge(Options(seed=2)).optimize
            False
        """
        merged = copy.copy(self)
        object.__setattr__(merged, "_set_fields", set(self._set_fields))
        for name in other._set_fields:
            setattr(merged, name, getattr(other, name))
        return merged


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(Options))
_dataclass_init = Options.__init__


def _init(self: Options, *args: Any, **kwargs: Any) -> None:
    _dataclass_init(self, *args, **kwargs)
    names = [f.name for f in dataclasses.fields(Options)]
    self._set_fields.update(names[: len(args)], kwargs)


_init.__doc__ = _dataclass_init.__doc__
Options.__init__ = _init  # type: ignore[method-assign]
