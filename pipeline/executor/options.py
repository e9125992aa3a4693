"""`Options`: how a dataset is optimized and run (``tf.data.Options``).

Every option is None until set, and None means "the default", as in TF:
``merge`` takes each option the other options set (even back to a default
value), and ``Dataset.options()`` returns a frozen copy. TF's groups are here
(``experimental_optimization``, ``threading``, ``autotune``,
``experimental_distribute``), and the flat names the executor reads
(``optimize``, ``map_fusion``, ``num_threads``, ...) give the value in force.

Example:
    >>> opts = Options(seed=3, optimize=False)
    >>> opts.merge(Options(num_threads=2)).num_threads, opts.seed
    (2, 3)
    >>> opts.experimental_optimization.apply_default_optimizations
    False
"""

from __future__ import annotations

import copy
from typing import Any

_DEFAULT_MEMORY_BUDGET_BYTES = 512 * 2**20


class _Group:
    """A group of options (TF's ``OptimizationOptions``, ...): None until set."""

    _names: tuple[str, ...] = ()

    def __init__(self) -> None:
        object.__setattr__(self, "_values", dict.fromkeys(self._names))
        object.__setattr__(self, "_owner", None)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"{type(self).__name__} has no option {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._values:
            raise AttributeError(
                f"Cannot set the option {name!r} on {type(self).__name__}: "
                f"its options are {', '.join(self._names)}"
            )
        if self._owner is not None:
            self._owner._check_mutable()
        self._values[name] = value

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values == self._values

    __hash__ = None  # type: ignore[assignment]  (mutable, as Options)

    def __repr__(self) -> str:
        set_ = {k: v for k, v in self._values.items() if v is not None}
        return f"{type(self).__name__}({set_})"

    def _merge_from(self, other: _Group) -> None:
        for name, value in other._values.items():
            if value is not None:
                self._values[name] = value


class OptimizationOptions(_Group):
    """``Options.experimental_optimization``: which graph rewrites run.

    ``apply_default_optimizations`` turns all rewrites off when False; our
    rewrites are ``map_fusion``, ``noop_elimination``, ``inject_prefetch``
    (a final prefetch) and ``map_and_batch_fusion`` (a per-element parser run
    over whole batches). The other names are accepted, as TF's, and change
    nothing here.

    Example:
        >>> OptimizationOptions().map_fusion is None
        True
    """

    _names = (
        "apply_default_optimizations",
        "filter_fusion",
        "filter_parallelization",
        "inject_prefetch",
        "map_and_batch_fusion",
        "map_and_filter_fusion",
        "map_fusion",
        "map_parallelization",
        "noop_elimination",
        "parallel_batch",
        "seq_interleave_prefetch",
        "shuffle_and_repeat_fusion",
    )


class ThreadingOptions(_Group):
    """``Options.threading``: ``private_threadpool_size`` caps each stage's
    worker threads; ``max_intra_op_parallelism`` is accepted.

    Example:
        >>> ThreadingOptions().private_threadpool_size is None
        True
    """

    _names = ("max_intra_op_parallelism", "private_threadpool_size")


class AutotuneOptions(_Group):
    """``Options.autotune``: ``ram_budget`` bounds AUTOTUNE's buffers (bytes);
    ``enabled``, ``cpu_budget`` and the parallelism bounds are accepted.

    Example:
        >>> AutotuneOptions().ram_budget is None
        True
    """

    _names = (
        "autotune_algorithm",
        "cpu_budget",
        "enabled",
        "initial_parallelism",
        "min_parallelism",
        "ram_budget",
    )


class DistributeOptions(_Group):
    """``Options.experimental_distribute`` (accepted; see `pl.data.distribute`).

    Example:
        >>> DistributeOptions().num_devices is None
        True
    """

    _names = ("auto_shard_policy", "num_devices")


_GROUPS = {
    "experimental_optimization": OptimizationOptions,
    "threading": ThreadingOptions,
    "autotune": AutotuneOptions,
    "experimental_distribute": DistributeOptions,
}
_ALIASES = {
    "experimental_threading": "threading",
    "experimental_deterministic": "deterministic",
}
_TOP = (
    "csv_blocks",
    "dataset_name",
    "deterministic",
    "experimental_external_state_policy",
    "experimental_slack",
    "experimental_symbolic_checkpoint",
    "experimental_warm_start",
    "framework_type",
    "gather_batches",
    "seed",
)
# our flat names -> (group or None, option, value in force when unset)
_FLAT = {
    "optimize": ("experimental_optimization", "apply_default_optimizations", True),
    "map_fusion": ("experimental_optimization", "map_fusion", True),
    "noop_elimination": ("experimental_optimization", "noop_elimination", True),
    "final_prefetch": ("experimental_optimization", "inject_prefetch", True),
    "map_vectorization": ("experimental_optimization", "map_and_batch_fusion", True),
    "num_threads": ("threading", "private_threadpool_size", None),
    "memory_budget_bytes": ("autotune", "ram_budget", _DEFAULT_MEMORY_BUDGET_BYTES),
}
_TOP_DEFAULTS = {"gather_batches": True, "csv_blocks": True}


class Options:
    """Run options (``Dataset.with_options``); an unset option is None.

    Args (keywords; each also settable as an attribute, as in ``tf.data``):
        optimize: apply the graph rewrites at all (default True).
        map_fusion: fuse adjacent maps (default True).
        noop_elimination: drop stages that do nothing (default True).
        map_vectorization: run a per-element parser over whole batches when
            ``map(parse) -> batch(n)`` allows it (default True); the same
            switch as ``experimental_optimization.map_and_batch_fusion``.
        final_prefetch: add a prefetch at the end (default True).
        gather_batches: batch (shuffled) tensor slices by gathering columns
            (default True).
        csv_blocks: run ``batch(n) -> map(decode_csv)`` one ``decode_csv``
            call per block of batches, cut back into batches (default True).
        deterministic: default for stages whose ``deterministic`` is None
            (default None, read as True: order never depends on thread timing).
        seed: root seed of random stages without their own seed (default: a
            fresh random seed per iterator).
        num_threads: cap on worker threads per stage (default: CPU count);
            TF's ``threading.private_threadpool_size``.
        memory_budget_bytes: what AUTOTUNE may spend on buffers (default
            512 MiB); TF's ``autotune.ram_budget``.

    Example:
        >>> opts = Options()
        >>> opts.deterministic = False
        >>> opts.optimize, opts.experimental_deterministic
        (True, False)
        >>> opts.threading.private_threadpool_size = 2
        >>> opts.num_threads
        2
    """

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_frozen", False)
        object.__setattr__(self, "_values", dict.fromkeys(_TOP))
        for name, kind in _GROUPS.items():
            group = kind()
            object.__setattr__(group, "_owner", self)
            object.__setattr__(self, name, group)
        for name, value in options.items():
            setattr(self, name, value)

    def __getattr__(self, name: str) -> Any:
        name = _ALIASES.get(name, name)
        if name in _GROUPS:
            return self.__dict__[name]
        if name in _FLAT:
            group, option, default = _FLAT[name]
            value = getattr(self.__dict__[group], option)
            return default if value is None else value
        if name in _TOP:
            value = self.__dict__["_values"][name]
            return _TOP_DEFAULTS.get(name) if value is None else value
        raise AttributeError(f"'Options' object has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        self._check_mutable()
        name = _ALIASES.get(name, name)
        if name in _FLAT:
            group, option, _ = _FLAT[name]
            setattr(self.__dict__[group], option, value)
        elif name in _TOP:
            self._values[name] = value
        else:
            raise AttributeError(
                f"Cannot set the option {name!r} on Options (no such option)"
            )

    def _check_mutable(self) -> None:
        if self._frozen:
            raise ValueError(
                "Options returned by Dataset.options() cannot be changed; "
                "make new Options and call Dataset.with_options"
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Options):
            return NotImplemented
        return self._values == other._values and all(
            self.__dict__[g] == other.__dict__[g] for g in _GROUPS
        )

    __hash__ = None  # type: ignore[assignment]  (mutable, like TF's)

    def __repr__(self) -> str:
        set_ = {k: v for k, v in self._values.items() if v is not None}
        groups = [repr(self.__dict__[g]) for g in _GROUPS]
        return f"Options({set_}, {', '.join(groups)})"

    def __copy__(self) -> Options:
        out = Options()
        out._merge_from(self)
        return out

    def __deepcopy__(self, memo: dict) -> Options:
        return self.__copy__()

    def __reduce__(self) -> tuple:
        return (_rebuild, (self._set_options(),))

    def _set_options(self) -> dict[str, Any]:
        out = {k: v for k, v in self._values.items() if v is not None}
        for g in _GROUPS:
            for k, v in self.__dict__[g]._values.items():
                if v is not None:
                    out[f"{g}.{k}"] = v
        return out

    def _merge_from(self, other: Options) -> None:
        for name, value in other._values.items():
            if value is not None:
                self._values[name] = value
        for g in _GROUPS:
            self.__dict__[g]._merge_from(other.__dict__[g])

    def merge(self, other: Options) -> Options:
        """New options: ours, overridden by every option ``other`` sets.

        As ``tf.data.Options.merge``: an option ``other`` set, even back to
        its default value, wins; one it never set keeps ours.

        Example:
            >>> Options(seed=1).merge(Options(optimize=False)).optimize
            False
            >>> Options(optimize=False).merge(Options(optimize=True)).optimize
            True
            >>> Options(optimize=False).merge(Options(seed=2)).optimize
            False
        """
        merged = copy.copy(self)
        merged._merge_from(other)
        return merged

    def frozen(self) -> Options:
        """A copy that raises ValueError when changed (``Dataset.options()``).

        Example:
            >>> Options(seed=1).frozen().seed
            1
        """
        out = copy.copy(self)
        object.__setattr__(out, "_frozen", True)
        return out


def _rebuild(set_options: dict[str, Any]) -> Options:
    out = Options()
    for key, value in set_options.items():
        group, _, option = key.rpartition(".")
        setattr(getattr(out, group) if group else out, option, value)
    return out
