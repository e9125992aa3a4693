"""The initializers' base class, seeding and fan computation (used by
``pipeline.nn.initializers``; import initializers from there).

Example:
    >>> compute_fans((512, 8, 64), input_axes=[0, 1], output_axes=[2])
    (4096, 64)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.nn import backend
from pipeline.nn.tensor import Tensor

# stddev of a standard normal truncated to [-2, 2].
TRUNCATED_STDDEV = 0.87962566103423978
_unseeded = np.random.default_rng()


def compute_fans(
    shape: Sequence[int],
    input_axes: Sequence[int] | None = None,
    output_axes: Sequence[int] | None = None,
) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shape, as Keras counts them.

    With both ``input_axes`` and ``output_axes``, the fans are the products of
    those axes' sizes. Otherwise: a scalar has fans 1; a vector, its length; a
    matrix ``(in, out)``; a convolution kernel ``(..., in, out)`` times its
    receptive field (the product of the leading axes).

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(int(d) for d in shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[a] for a in input_axes)
        fan_out = math.prod(shape[a] for a in output_axes)
        return int(fan_in), int(fan_out)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)``.

    Example:
        >>> class Twos(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return to_tensor(np.full(shape, 2.0), dtype)
        >>> Twos()((1,)).numpy().tolist()
        [2.0]
    """

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> Initializer().get_config()
            {}
        """
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        """Rebuilds from :meth:`get_config`.

        Example:
            >>> type(Initializer.from_config({})).__name__
            'Initializer'
        """
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer of the same class and config.

        Example:
            >>> type(Initializer().clone()).__name__
            'Initializer'
        """
        return type(self).from_config(self.get_config())


def to_tensor(values: np.ndarray, dtype: Any) -> Tensor:
    """``values`` as a backend ``Tensor`` of ``dtype`` (float32 by default).

    Example:
        >>> to_tensor(np.zeros(2), None).dtype
        dtype('float32')
    """
    return Tensor(backend.xp().asarray(np.asarray(values).astype(dtype or np.float32)))


class Seeded(Initializer):
    """An initializer drawing from numpy: seeded draws repeat, unseeded ones do not.

    Example:
        >>> a, b = Seeded(seed=3)._rng().random(), Seeded(seed=3)._rng().random()
        >>> a == b
        True
    """

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def _rng(self) -> np.random.Generator:
        return _unseeded if self.seed is None else np.random.default_rng(self.seed)

    def _truncated(self, shape: tuple[int, ...], mean: float, std: float) -> Any:
        rng = self._rng()
        out = rng.standard_normal(shape)
        bad = np.abs(out) > 2.0
        while bad.any():
            out[bad] = rng.standard_normal(int(bad.sum()))
            bad = np.abs(out) > 2.0
        return mean + std * out

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed}
