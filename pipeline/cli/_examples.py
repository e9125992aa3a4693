"""``tf.train.Example`` records to batches of `Column` values (via pipeline.io.example).

Example:
    >>> decode_block([], "x", 0)
    {}
"""

from __future__ import annotations

from pipeline.errors import InvalidArgumentError
from pipeline.io.schema import Column


def decode_block(
    records: list[bytes], path: str, first_index: int
) -> dict[str, Column]:
    """Decode serialized Examples into one `Column` per feature."""
    if not records:
        return {}
    raise InvalidArgumentError(
        f"cannot decode Examples in {path!r} yet: the Example codec is missing"
    )
