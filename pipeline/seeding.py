"""Where unseeded random stages get their seeds: TF's global seed, or fresh entropy.

``pl.random.set_seed(s)`` makes every later unseeded random stage (shuffle,
``Dataset.random``, ``sample_from_datasets``, an iterator's root seed, ...)
take a seed derived from ``s`` and the number of seeds drawn since, as TF's
op seeds follow its global seed: the same program after the same
``set_seed`` draws the same numbers. Without it, each draw is fresh entropy.

Example:
    >>> set_global_seed(7); a = [fresh_seed(), fresh_seed()]
    >>> set_global_seed(7); a == [fresh_seed(), fresh_seed()]
    True
    >>> set_global_seed(None)
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading

__all__ = ["fresh_seed", "global_seed", "set_global_seed"]

_lock = threading.Lock()
_global: int | None = None
_draws = itertools.count()


def set_global_seed(seed: int | None) -> None:
    """Set (or, with None, clear) the global seed and restart its draws."""
    global _global, _draws
    with _lock:
        _global = None if seed is None else int(seed)
        _draws = itertools.count()


def global_seed() -> int | None:
    """The global seed, or None when unset."""
    return _global


def fresh_seed() -> int:
    """A 62-bit seed: the next one derived from the global seed, else entropy."""
    with _lock:
        if _global is None:
            return secrets.randbits(62)
        draw = next(_draws)
        seed = _global
    digest = hashlib.blake2b(f"{seed}:{draw}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 2
