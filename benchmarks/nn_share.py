"""What `bench_nn` compares a step with: its matrix products alone, and a busy core.

`MatmulEpoch` runs the matrix products of one training epoch of a Dense stack
with nothing else: per batch, each layer's forward ``a @ W``, its kernel
gradient ``a.T @ g`` and, above the first layer, its input gradient
``g @ W.T``, at the same shapes, dtype and memory layouts as the training step,
through the same numpy BLAS. Its time over the fit's time is the share of the
step spent in the BLAS calls themselves.

`busy_core` runs a child process that spins on one core for as long as the
``with`` block lasts: the oversubscribed machine that once made a fit 0.88x
Keras.

Example:
    >>> import numpy as np
    >>> epoch = MatmulEpoch([(4, 3), (3, 2)], rows=10, batch=4)
    >>> epoch.batch_sizes
    [4, 4, 2]
    >>> epoch.run() >= 0.0
    True
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence

import numpy as np


class MatmulEpoch:
    """The GEMMs of one epoch of a Dense stack's training steps, alone.

    Args:
        kernels: each Dense layer's kernel shape ``(inputs, units)``, in order.
        rows: examples per epoch.
        batch: the batch size (the last batch takes the rest).
        dtype: the arrays' dtype. Default float32.

    Example:
        >>> MatmulEpoch([(2, 1)], rows=3, batch=2).products_per_batch
        2
    """

    def __init__(
        self,
        kernels: Sequence[tuple[int, int]],
        rows: int,
        batch: int,
        dtype: type = np.float32,
    ) -> None:
        rng = np.random.default_rng(0)
        self.batch_sizes = [min(batch, rows - s) for s in range(0, rows, batch)]
        self.kernels = [rng.random(k, dtype=dtype) for k in kernels]
        self._arrays = {
            size: (
                [rng.random((size, k[0]), dtype=dtype) for k in kernels],
                [rng.random((size, k[1]), dtype=dtype) for k in kernels],
            )
            for size in set(self.batch_sizes)
        }
        self.products_per_batch = 3 * len(kernels) - 1

    def step(self, size: int) -> None:
        """The matrix products of one training step on a batch of ``size``."""
        inputs, grads = self._arrays[size]
        for a, w in zip(inputs, self.kernels, strict=True):
            a @ w  # forward
        for i in reversed(range(len(self.kernels))):
            inputs[i].T @ grads[i]  # the kernel's gradient
            if i:
                grads[i] @ self.kernels[i].T  # the layer input's gradient

    def run(self) -> float:
        """Seconds for one epoch of products."""
        start = time.perf_counter()
        for size in self.batch_sizes:
            self.step(size)
        return time.perf_counter() - start


def dense_kernel_shapes(model: object) -> list[tuple[int, int]]:
    """The kernel shapes of a model's Dense layers, in order.

    Example:
        >>> from pipeline import nn
        >>> m = nn.Sequential([nn.layers.Input((3,)), nn.layers.Dense(2)])
        >>> dense_kernel_shapes(m)
        [(3, 2)]
    """
    return [
        tuple(layer.kernel.shape)
        for layer in model.layers
        if hasattr(layer, "kernel") and len(layer.kernel.shape) == 2
    ]


@contextlib.contextmanager
def busy_core() -> Iterator[subprocess.Popen]:
    """A child process spinning on one core while the block runs.

    Example:
        >>> with busy_core() as child:
        ...     child.poll() is None
        True
    """
    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield child
    finally:
        child.kill()
        child.wait()
