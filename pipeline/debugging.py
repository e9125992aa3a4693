"""``pl.debugging``: TensorFlow's run-time checks that a map function may call.

Each raises `pipeline.errors.InvalidArgumentError` as TF's ops do, so inside a
dataset the element fails and the next ``next()`` goes on.

Example:
    >>> import numpy as np
    >>> check_numerics(np.array([1.0]), "x").tolist()
    [1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError

__all__ = ["assert_equal", "check_numerics"]


def check_numerics(tensor: Any, message: str, name: str | None = None) -> Any:
    """``tf.debugging.check_numerics``: ``tensor``, unless it holds NaN or Inf.

    Example:
        >>> check_numerics(np.array([np.nan]), "bad")
        Traceback (most recent call last):
        ...
        pipeline.errors.InvalidArgumentError: bad : Tensor had NaN values
    """
    array = np.asarray(tensor)
    if np.isnan(array).any():
        raise InvalidArgumentError(f"{message} : Tensor had NaN values")
    if np.isinf(array).any():
        raise InvalidArgumentError(f"{message} : Tensor had Inf values")
    return tensor


def assert_equal(
    x: Any, y: Any, message: str | None = None, summarize: Any = None, name=None
) -> None:
    """``tf.debugging.assert_equal``: InvalidArgumentError unless ``x == y``
    everywhere (broadcasting as numpy).

    Example:
        >>> assert_equal([1, 2], [1, 2])
        >>> assert_equal(1, 2, message="ids differ")
        Traceback (most recent call last):
        ...
        pipeline.errors.InvalidArgumentError: ids differ Condition x == y did not hold.
    """
    if not np.all(np.asarray(x) == np.asarray(y)):
        prefix = f"{message} " if message else ""
        raise InvalidArgumentError(f"{prefix}Condition x == y did not hold.")
