"""What a fuzz target is, how a case's outcome is judged, and twin runs.

A `Target` is a function ``bytes -> result`` that may raise only the
exception classes it lists in ``allowed``, with a pool of valid inputs to
mutate, and optionally a twin (the same function on the pure-Python reference
kernels) whose outcome must equal its own: the same result, or the same error
class at the same offset and record.

Example:
    >>> t = Target("demo", run=lambda b: b.decode(), seeds=lambda: [b"a"],
    ...            allowed=(UnicodeDecodeError,))
    >>> t.bound_s(1000) > t.bound_s(0)
    True
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tools.fuzz.mutate import Mutator, mutate


@dataclass(frozen=True)
class Target:
    """A parser under fuzz.

    Attributes:
        name: the target's name (``--targets``, findings file names).
        run: parses one case; returns a value `canon` understands.
        seeds: builds the valid inputs to mutate (called once, in the parent).
        allowed: the exception classes ``run`` may raise on bad input.
        mutators: format-aware mutators, used as often as the generic ones.
        twin: ``run`` on the reference kernels, or None.
        weight: the target's share of the cases, relative to the others.
        batch: cases per round trip to a worker process.
        base_ms: the time bound's constant part, in milliseconds.
        us_per_byte: the time bound's part per input byte, in microseconds.
        twin_max_bytes: inputs longer than this skip the (slow) twin.
        random_share: share of cases that are random bytes.
        fresh: builds a new valid input from a random generator, or None.
        fresh_share: share of cases built by ``fresh`` (unmutated: valid
            inputs whose results the twin comparison checks in full).
    """

    name: str
    run: Callable[[bytes], Any]
    seeds: Callable[[], list[bytes]]
    allowed: tuple[type[BaseException], ...]
    mutators: tuple[Mutator, ...] = ()
    twin: Callable[[bytes], Any] | None = None
    weight: float = 1.0
    batch: int = 200
    base_ms: float = 5.0
    us_per_byte: float = 2.0
    twin_max_bytes: int = 1 << 16
    random_share: float = 0.03
    fresh: Callable[[random.Random], bytes] | None = None
    fresh_share: float = 0.2

    def make_case(self, case_seed: int, pool: Sequence[bytes]) -> bytes:
        """The bytes of case ``case_seed``: a function of the seed and the pool."""
        rng = random.Random(case_seed)
        if self.fresh is not None and rng.random() < self.fresh_share:
            return self.fresh(rng)
        return mutate(rng, pool, self.mutators, self.random_share)

    def bound_s(self, size: int) -> float:
        """The most seconds a case of ``size`` bytes may take."""
        return (self.base_ms * 1e3 + self.us_per_byte * size) * 1e-6


def case_seed(batch_seed: int, index: int) -> int:
    """The seed of case ``index`` of a batch (independent of the other cases).

    Example:
        >>> case_seed(5, 1) != case_seed(5, 2)
        True
    """
    return (batch_seed << 20) | index


def canon(value: Any) -> Any:
    """A comparable, exact form of a result: arrays by dtype, shape and bits.

    Floats compare by their bits, so a NaN equals the same NaN and a
    signalling NaN differs from a quiet one.

    Example:
        >>> import numpy as np
        >>> canon([np.array([1.5])]) == canon([np.array([1.5])])
        True
        >>> canon(float("nan")) == canon(float("nan"))
        True
    """
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return ("O", value.shape, tuple(canon(v) for v in value.ravel()))
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, float):
        return ("f", struct.pack("<d", value))
    if isinstance(value, dict):
        return ("d", tuple((k, canon(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(canon(v) for v in value)
    if isinstance(value, BaseException):
        return describe_error(value)
    if hasattr(value, "indices") and hasattr(value, "dense_shape"):
        return (
            "sp",
            canon(value.indices),
            canon(value.values),
            canon(value.dense_shape),
        )
    if isinstance(value, np.generic):
        return canon(np.asarray(value))
    return value


def describe_error(err: BaseException) -> tuple[str, Any, Any]:
    """An error as (class name, offset, record index) for comparison.

    Example:
        >>> describe_error(ValueError("x"))
        ('ValueError', None, None)
    """
    return (
        type(err).__name__,
        getattr(err, "offset", None),
        getattr(err, "record_index", None),
    )


def with_reference_kernels(kernels: Sequence[str], fn: Callable[[bytes], Any]):
    """``fn`` run with the pure-Python twins of ``kernels`` bound in `_kernels`.

    Example:
        >>> from pipeline import _kernels
        >>> twin = with_reference_kernels(["crc32c"], lambda b: _kernels.load(
        ...     "crc32c").__name__)
        >>> twin(b"")
        'pipeline._reference.crc32c'
    """
    from pipeline import _kernels

    def twin(data: bytes) -> Any:
        saved = {name: _kernels._cache.get(name) for name in kernels}
        for name in kernels:
            _kernels._cache[name] = _kernels.reference(name)
        try:
            return fn(data)
        finally:
            for name, module in saved.items():
                if module is None:
                    _kernels._cache.pop(name, None)
                else:
                    _kernels._cache[name] = module

    return twin


def finite_or_none(x: float) -> float | None:
    """``x`` when finite, else None (for JSON output).

    Example:
        >>> finite_or_none(float("inf")) is None
        True
    """
    return x if math.isfinite(x) else None


_SCRATCH: dict[str, str] = {}


def set_scratch_dir(path: str) -> None:
    """Write the files of file-reading targets under ``path`` (one per process)."""
    _SCRATCH["dir"] = path


def scratch_file(name: str, data: bytes) -> str:
    """``data`` written to the file ``name`` of this process's scratch folder.

    Example:
        >>> import os
        >>> os.path.getsize(scratch_file("doc.bin", b"abc"))
        3
    """
    import atexit
    import os
    import shutil
    import tempfile

    if "dir" not in _SCRATCH:
        _SCRATCH["dir"] = tempfile.mkdtemp(prefix="pipeline-fuzz-")
        atexit.register(shutil.rmtree, _SCRATCH["dir"], True)
    path = os.path.join(_SCRATCH["dir"], name)
    with open(path, "wb") as f:
        f.write(data)
    return path
