"""TensorFlow-compatible string hashing over the compiled kernels.

Example:
    >>> import pipeline as pl
    >>> callable(pl.strings.__name__.upper)
    True
"""

from __future__ import annotations

__all__: list[str] = []
