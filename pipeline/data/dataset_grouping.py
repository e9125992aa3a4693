"""`Grouping`: the `Dataset` methods that group elements or persist a dataset.

tf.data's ``group_by_window``, ``bucket_by_sequence_length``, ``sparse_batch``,
``ragged_batch``, ``save``/``load`` and ``snapshot``.

Example:
    >>> import pipeline as pl
    >>> "Grouping" in [k.__name__ for k in pl.data.Dataset.__mro__]
    True
"""

from __future__ import annotations


class Grouping:
    """Mixin of `Dataset`: grouping into windows and buckets, saving, snapshots."""
