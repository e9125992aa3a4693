"""``Discretization``: bucketizes numbers by boundaries, given or adapted (Keras 3's).

``adapt`` keeps Keras's bounded quantile summary: each batch is reduced to at
most ``1 / epsilon`` weighted points, merged into the running summary and
compressed again, so one streaming pass takes little memory; the boundaries
are the summary compressed to ``num_bins`` equal-weight bins.

Example:
    >>> from pipeline.nn import layers
    >>> layers.Discretization([0.0, 1.0])([[-1.0, 0.5, 2.0]]).numpy().tolist()
    [[0, 1, 2]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.layers.preprocessing._common import (
    OUTPUT_MODES,
    PreprocessingLayer,
    as_numpy,
    batches,
    check_output_mode,
    encode,
)


def summarize(values: Any, epsilon: float) -> np.ndarray:
    """A ``[2, k]`` summary (points, weights) of ``values``, ``k <= 1/epsilon``.

    Example:
        >>> summarize(np.arange(4.0), 0.5).tolist()
        [[1.0, 3.0], [2.0, 2.0]]
    """
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    points = values[int(step - 1) :: int(step)]
    return np.stack([points, np.full(points.shape, step, dtype=points.dtype)])


def compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """``summary`` reduced to ``1/epsilon`` points by interpolating its
    cumulative weights (unchanged when already that small).

    Example:
        >>> compress_summary(np.array([[1.0, 2.0], [1.0, 1.0]]), 0.5).tolist()
        [[1.0, 2.0], [1.0, 1.0]]
    """
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum = summary[1].cumsum()
    cum_percents = cum / cum[-1]
    points = np.interp(percents, cum_percents, summary[0])
    new_cum = np.interp(percents, cum_percents, cum)
    weights = new_cum - np.concatenate(([0.0], new_cum[:-1]))
    return np.stack((points, weights)).astype("float32")


def merge_summaries(
    first: np.ndarray, second: np.ndarray, epsilon: float
) -> np.ndarray:
    """Two summaries sorted together by point, then compressed.

    Example:
        >>> one, two = np.array([[2.0], [1.0]]), np.array([[1.0], [1.0]])
        >>> merge_summaries(one, two, 0.1).tolist()
        [[1.0, 2.0], [1.0, 1.0]]
    """
    merged = np.concatenate((first, second), axis=1)
    merged = merged[:, np.argsort(merged[0], kind="stable")]
    return compress_summary(merged, epsilon)


def bin_boundaries_of(summary: np.ndarray, num_bins: int) -> np.ndarray:
    """The ``num_bins - 1`` boundaries of equal weight in ``summary``.

    Example:
        >>> bin_boundaries_of(summarize(np.arange(8.0), 0.01), 4).tolist()
        [1.0, 3.0, 5.0]
    """
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]


class Discretization(PreprocessingLayer):
    """Buckets numbers: bin ``i`` holds ``bounds[i-1] <= x < bounds[i]``.

    Args:
        bin_boundaries: sorted boundaries; ``len + 1`` bins.
        num_bins: the number of bins for ``adapt`` to find (instead of
            ``bin_boundaries``).
        epsilon: the quantile summary's error tolerance (default 0.01).
        output_mode: ``"int"`` (default), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: accepted for Keras compatibility (not with ``"int"``); dense outputs.
        dtype: the dtype of non-``"int"`` outputs (default float32).
        name: optional name.

    Example:
        >>> layer = Discretization(num_bins=2)
        >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0]))
        >>> layer.bin_boundaries
        [2.0]
    """

    def __init__(
        self,
        bin_boundaries: Any = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse=True` may only be used if `output_mode` is `'one_hot'`, "
                f"`'multi_hot'`, or `'count'`. Received: sparse={sparse} and "
                f"output_mode={output_mode}"
            )
        check_output_mode(output_mode, OUTPUT_MODES, "Discretization")
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                "`num_bins` must be greater than or equal to 0. "
                f"Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. "
                f"Received: `num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if self.bin_boundaries else np.zeros((2, 0), "float32")

    @property
    def output_dtype(self) -> str:
        """int32 for ``"int"``, else the layer's dtype."""
        return "int32" if self.output_mode == "int" else str(self.dtype)

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Finds ``num_bins`` boundaries of equal count in ``data``, one pass.

        Args:
            data: an array or list (one batch), or an iterable of batches (a
                generator, a ``pl.data.Dataset``).
            steps: read at most this many batches of an iterable.

        Raises:
            ValueError: the layer was given ``bin_boundaries``.

        Example:
            >>> layer = Discretization(num_bins=3)
            >>> layer.adapt([np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])])
            >>> len(layer.bin_boundaries)
            2
        """
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized "
                "with `bin_boundaries`, use `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, list | tuple):
            data = iter(data)  # Keras reads a list as a sequence of batches
        for batch in batches(data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Merges one batch into the summary."""
        values = as_numpy(data).astype("float32")
        self.summary = merge_summaries(
            summarize(values, self.epsilon), self.summary, self.epsilon
        )

    def finalize_state(self) -> None:
        """Sets ``bin_boundaries`` from the summary."""
        if self.num_bins is not None:
            self.bin_boundaries = bin_boundaries_of(
                self.summary, self.num_bins
            ).tolist()

    def reset_state(self) -> None:
        """Forgets the data seen by ``adapt``."""
        if self.num_bins is not None:
            self.summary = np.zeros((2, 0), "float32")

    def call(self, inputs: Any) -> np.ndarray:
        """The bin of every input, encoded per ``output_mode``."""
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at "
                "construction time or call `adapt(dataset)` before you can start "
                "using the `Discretization` layer."
            )
        values = as_numpy(inputs)
        bounds = np.asarray(self.bin_boundaries, dtype=np.float64)
        indices = np.searchsorted(bounds, values.astype(np.float64), side="right")
        return encode(indices, self.output_mode, len(bounds) + 1, self.output_dtype)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """Keras's output shape for ``output_mode``.

        Example:
            >>> layer = Discretization([0.0], output_mode="count")
            >>> layer.compute_output_shape((None, 3, 4))
            (None, 4, 2)
        """
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = (
            len(self.bin_boundaries) + 1
            if self.bin_boundaries is not None
            else self.num_bins
        )
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        if len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def get_config(self) -> dict[str, Any]:
        """Keras's config (adapted boundaries included)."""
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name,
                "dtype": self.dtype}  # fmt: skip

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Discretization:
        """Rebuilds the layer, adapted boundaries included.

        Example:
            >>> config = Discretization([0.5]).get_config()
            >>> Discretization.from_config(config).bin_boundaries
            [0.5]
        """
        config = dict(config)
        if (
            config.get("bin_boundaries") is not None
            and config.get("num_bins") is not None
        ):
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = list(boundaries)
            return layer
        return cls(**config)
