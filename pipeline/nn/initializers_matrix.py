"""Matrix initializers: ``Identity`` and ``Orthogonal`` (Keras 3's names).

Import them from ``pipeline.nn.initializers``.

Example:
    >>> Identity(gain=2.0)((2, 2)).numpy().tolist()
    [[2.0, 0.0], [0.0, 2.0]]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn.initializers_base import Initializer, Seeded, to_tensor
from pipeline.nn.tensor import Tensor


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only; ones on the main
    diagonal of a non-square matrix).

    Args:
        gain: the diagonal's value. Default 1.0.

    Raises:
        ValueError: (when called) a shape that is not 2-D.

    Example:
        >>> Identity()((2, 3)).numpy().tolist()
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        return to_tensor(self.gain * np.eye(*shape), dtype)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}


class Orthogonal(Seeded):
    """A random orthogonal matrix times ``gain`` (Saxe et al., 2014).

    The shape is flattened to ``(prod(shape[:-1]), shape[-1])``; the Q factor
    of a normal matrix's QR decomposition (signs fixed by R's diagonal) gives
    orthonormal columns, or orthonormal rows when there are fewer rows than
    columns.

    Args:
        gain: the scale of the matrix. Default 1.0.
        seed: optional int seed (the same seed gives the same matrix).

    Raises:
        ValueError: (when called) a shape of rank below 2.

    Example:
        >>> import numpy as np
        >>> q = Orthogonal(seed=0)((3, 3)).numpy()
        >>> bool(np.allclose(q.T @ q, np.eye(3), atol=1e-6))
        True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None) -> None:
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        normal = self._rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(normal)
        signs = np.sign(np.diag(r))
        q = q * np.where(signs == 0, 1.0, signs)
        if rows < cols:
            q = q.T
        return to_tensor(self.gain * q.reshape(shape), dtype)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "seed": self.seed}
