"""``pl.random``: TensorFlow's global seed and random tensors (``tf.random``).

Example:
    >>> import pipeline as pl
    >>> pl.random.set_seed(1)
    >>> a = [int(x) for x in pl.data.Dataset.range(5).shuffle(5)]
    >>> pl.random.set_seed(1)
    >>> a == [int(x) for x in pl.data.Dataset.range(5).shuffle(5)]
    True
    >>> pl.random.set_seed(None)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import seeding

__all__ = ["normal", "set_seed", "uniform"]


def set_seed(seed: int | None) -> None:
    """``tf.random.set_seed``: later unseeded random stages and random tensors
    derive their seeds from ``seed`` (None clears it).

    Example:
        >>> set_seed(3); a = uniform([2]).numpy()
        >>> set_seed(3); bool((a == uniform([2]).numpy()).all())
        True
        >>> set_seed(None)
    """
    seeding.set_global_seed(seed)


def _rng(seed: int | None) -> np.random.Generator:
    return np.random.default_rng(seeding.fresh_seed() if seed is None else seed)


def normal(
    shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = np.float32,
    seed: int | None = None, name: str | None = None,
) -> Any:  # fmt: skip
    """``tf.random.normal``: a tensor of normal draws (float32 by default).

    Example:
        >>> normal([2, 3], seed=1).shape
        (2, 3)
    """
    from pipeline.nn.tensor import Tensor

    draws = _rng(seed).normal(mean, stddev, _shape(shape))
    return Tensor(draws.astype(dtype))


def uniform(
    shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = np.float32,
    seed: int | None = None, name: str | None = None,
) -> Any:  # fmt: skip
    """``tf.random.uniform``: draws in ``[minval, maxval)`` (maxval 1 for floats;
    required for integer dtypes, as TF).

    Example:
        >>> x = uniform([4], minval=2, maxval=5, dtype=np.int64, seed=0).numpy()
        >>> bool(((x >= 2) & (x < 5)).all())
        True
    """
    from pipeline.nn.tensor import Tensor

    dtype = np.dtype(dtype)
    rng = _rng(seed)
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError("Must specify maxval for integer dtype")
        return Tensor(rng.integers(minval, maxval, _shape(shape)).astype(dtype))
    high = 1.0 if maxval is None else maxval
    return Tensor(rng.uniform(minval, high, _shape(shape)).astype(dtype))


def _shape(shape: Any) -> tuple[int, ...]:
    return tuple(int(d) for d in np.asarray(shape, dtype=np.int64).reshape(-1))
