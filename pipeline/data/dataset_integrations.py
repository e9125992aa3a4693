"""`Integrations`: the `Dataset` methods that hand data to JAX, Keras 3 and Ray.

The adapters live in ``pipeline.integrations`` (a layer above ``data``; they
import the optional libraries when called). These methods bind them by name
at call time, so ``import pipeline`` imports neither them nor jax, keras or
ray.

Example:
    >>> import pipeline as pl
    >>> [name for name in dir(Integrations) if not name.startswith("_")]
    ['as_jax_iterator', 'from_ray', 'to_keras', 'to_ray']
    >>> all(hasattr(pl.data.Dataset, n) for n in ("to_keras", "to_ray"))
    True
"""

from __future__ import annotations

import importlib
from typing import Any


def _adapter(name: str) -> Any:
    return importlib.import_module(f"pipeline.integrations.{name}")


class Integrations:
    """Mixin of `Dataset`: ``as_jax_iterator``, ``to_keras``, ``from_ray``,
    ``to_ray``."""

    def as_jax_iterator(self, sharding: Any = None, prefetch: int = 2) -> Any:
        """An iterator of elements whose numeric leaves are `jax.Array`s.

        Transfers run ``prefetch`` elements ahead in a ``pipeline-*`` thread;
        with a ``jax.sharding.Sharding`` each process feeds its addressable
        shards of the global batch. See `pipeline.integrations.jax`.

        Args:
            sharding: None (default device), a ``jax.sharding.Sharding``, or a
                structure of them matching the element (default None).
            prefetch: elements transferred ahead (default 2; 0: no thread).

        Returns:
            A `pipeline.integrations.jax.JaxIterator` (``get_state``/``set_state``,
            ``close``; a context manager).

        Example:
            >>> import pipeline as pl
            >>> it = pl.data.Dataset.range(4).batch(2).as_jax_iterator()
            >>> [b.tolist() for b in it]
            [[0, 1], [2, 3]]
        """
        return _adapter("jax").JaxIterator(self, sharding=sharding, prefetch=prefetch)

    def to_keras(self, num_batches: int | None = None) -> Any:
        """This dataset as a ``keras.utils.PyDataset`` for ``fit`` and ``predict``.

        Each element is one batch: ``x``, ``(x,)``, ``(x, y)`` or
        ``(x, y, sample_weight)``. See `pipeline.integrations.keras`.

        Args:
            num_batches: batches per pass. Default None: the cardinality, or
                one counting pass when it is unknown; ``-1`` for an endless
                dataset (give ``fit`` a ``steps_per_epoch``).

        Returns:
            A re-iterable ``keras.utils.PyDataset``.

        Example (keras needs ``KERAS_BACKEND`` set before its import; run in
        tests/integrations/test_keras.py)::

            ds = pl.data.Dataset.from_tensor_slices((x, y)).batch(32)
            model.fit(ds.to_keras(), epochs=2)
        """
        return _adapter("keras").to_keras(self, num_batches=num_batches)

    @staticmethod
    def from_ray(source: Any, batch_size: int | None = 256, **kwargs: Any) -> Any:
        """A `Dataset` over a Ray dataset, a ``streaming_split`` part or a
        Ray Train ``get_dataset_shard`` (a ``DataIterator``).

        Elements are dicts of numpy columns: batches of ``batch_size`` rows
        (the last one may be short), or single rows with ``batch_size=None``.
        See `pipeline.integrations.ray_convert`.

        Args:
            source: a ``ray.data.Dataset`` or ``ray.data.DataIterator``.
            batch_size: rows per element (default 256); None for rows.
            **kwargs: passed to ``iter_batches`` (e.g. ``drop_last``).

        Returns:
            A `Dataset` of ``{column: numpy array}``.

        Example (needs a Ray cluster; run in tests/integrations/test_ray.py)::

            ds = pl.data.Dataset.from_ray(ray.data.range(4), batch_size=2)
            [b["id"].tolist() for b in ds]  # [[0, 1], [2, 3]]
        """
        return _adapter("ray_convert").from_ray(source, batch_size=batch_size, **kwargs)

    def to_ray(self) -> Any:
        """This finite dataset as a ``ray.data.Dataset`` (one row per element).

        See `pipeline.integrations.ray_convert.to_ray`.

        Raises:
            InvalidArgumentError: the dataset is infinite.

        Example (needs a Ray cluster; run in tests/integrations/test_ray.py)::

            pl.data.Dataset.range(3).to_ray().take_all()
            # [{'item': 0}, {'item': 1}, {'item': 2}]
        """
        return _adapter("ray_convert").to_ray(self)
