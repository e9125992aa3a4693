"""`Sampling`: the `Dataset` methods that draw from several datasets or at random.

tf.data's ``sample_from_datasets``, ``choose_from_datasets``, ``counter``,
``random``, ``scan``, ``rejection_resample`` and ``fingerprint``.

Example:
    >>> import pipeline as pl
    >>> "Sampling" in [k.__name__ for k in pl.data.Dataset.__mro__]
    True
"""

from __future__ import annotations


class Sampling:
    """Mixin of `Dataset`: sampling, counting and random sources."""
