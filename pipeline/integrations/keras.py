"""`to_keras`: a `Dataset` of batches as a ``keras.utils.PyDataset`` (Keras 3).

``model.fit(ds.to_keras())`` trains on any Keras 3 backend (JAX, torch,
TensorFlow, numpy), as a ``tf.data`` dataset does: each element of ``ds`` is
one batch, ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` (``x`` and
``y`` may be dicts or tuples of arrays); ``predict`` takes ``x`` alone or
ignores ``y``. The object is re-iterable: every pass over it runs the dataset
again (a reshuffle each epoch, as tf.data does).

Batches come in the dataset's order: Keras's own ``shuffle`` argument (True by
default in ``fit``) has no effect, as with a ``tf.data`` dataset; shuffle the
dataset with ``.shuffle()``. Keras asks for batches by index, but the index is
only counted: a pass ends after ``num_batches`` batches and the next request
starts a new pass. With ``steps_per_epoch`` smaller than a pass, the next
epoch goes on where the last one stopped (as Keras does with ``tf.data``).

``num_batches`` is the cardinality when it is known. When it is unknown (a
``filter``, a CSV source), one counting pass reads the dataset first, or give
it; ``-1`` (``pl.data.INFINITE_CARDINALITY``) makes it endless, for use with
``steps_per_epoch``, and an infinite dataset is endless by itself.

Keras reads ``KERAS_BACKEND`` when it is first imported: set it before
anything imports keras.

Example (with ``KERAS_BACKEND`` set; tests/integrations/test_keras.py runs it)::

    ds = pl.data.Dataset.from_tensor_slices((x, y)).batch(32)
    model.fit(ds.to_keras(), epochs=3, validation_data=val.to_keras())
"""

from __future__ import annotations

import threading
from typing import Any

from pipeline.errors import InvalidArgumentError, OutOfRangeError

__all__ = ["to_keras"]

_INFINITE = -1
_UNKNOWN = -2
_CLASS: list[type] = []


class _Passes:
    """Batches of a dataset in passes of ``count`` batches (None: endless).

    ``next()`` starts a pass when none is open, and closes the pass's
    iterator (its threads stop) after its last batch.
    """

    def __init__(self, dataset: Any, count: int | None) -> None:
        self.dataset, self.count = dataset, count
        self.it: Any = None
        self.served = 0
        self.lock = threading.Lock()

    def next(self) -> Any:
        with self.lock:
            if self.it is None:
                self.it, self.served = iter(self.dataset), 0
            try:
                batch = next(self.it)
            except StopIteration:
                batch = self._after_end()
            self.served += 1
            if self.count is not None and self.served == self.count:
                self.close()
            return _standard(batch)

    def _after_end(self) -> Any:
        if self.count is not None:
            raise OutOfRangeError(
                f"the dataset ended after {self.served} batches, but "
                f"`num_batches` is {self.count}; give `to_keras` the right "
                "count, or leave it None to count the batches"
            )
        self.it = iter(self.dataset)  # endless: passes follow one another
        try:
            return next(self.it)
        except StopIteration:
            raise OutOfRangeError("the dataset has no elements") from None

    def close(self) -> None:
        if self.it is not None:
            self.it.close()
        self.it = None


def _standard(batch: Any) -> Any:
    """Keras's batch forms: a dict or array is ``x``; a list becomes a tuple."""
    return tuple(batch) if isinstance(batch, list) else batch


def _count(dataset: Any, num_batches: int | None) -> int | None:
    """Batches per pass (None: endless), from the argument or the dataset."""
    if num_batches is not None:
        if isinstance(num_batches, bool) or not isinstance(num_batches, int):
            raise InvalidArgumentError(
                "`num_batches` must be an integer. "
                f"Received: num_batches={num_batches!r}"
            )
        if num_batches == _INFINITE:
            return None
        if num_batches <= 0:
            raise InvalidArgumentError(
                "`num_batches` must be positive or -1 (endless). "
                f"Received: num_batches={num_batches}"
            )
        return num_batches
    known = dataset.cardinality()
    if known == _INFINITE:
        return None
    if known == _UNKNOWN:
        with iter(dataset) as it:
            known = sum(1 for _ in it)
    if known == 0:
        raise InvalidArgumentError("`to_keras` got a dataset with no elements.")
    return known


def _keras_dataset_class() -> type:
    """The ``keras.utils.PyDataset`` subclass, made when keras is first used."""
    if _CLASS:
        return _CLASS[0]
    import keras

    class KerasDataset(keras.utils.PyDataset):
        """A `pl.data.Dataset` of batches for ``Model.fit`` (module docstring)."""

        def __init__(self, dataset: Any, num_batches: int | None) -> None:
            super().__init__(workers=1, use_multiprocessing=False)
            self.dataset = dataset
            self._passes = _Passes(dataset, _count(dataset, num_batches))

        @property
        def num_batches(self) -> int | None:
            return self._passes.count

        def __getitem__(self, index: int) -> Any:
            del index  # only counted: batches come in the dataset's order
            return self._passes.next()

        def close(self) -> None:
            """Stop the open pass's threads (the next batch starts a pass)."""
            self._passes.close()

    _CLASS.append(KerasDataset)
    return KerasDataset


def to_keras(dataset: Any, num_batches: int | None = None) -> Any:
    """``dataset`` as a re-iterable ``keras.utils.PyDataset`` (module docstring).

    Args:
        dataset: a `pl.data.Dataset` whose elements are batches.
        num_batches: batches per pass (default None: the cardinality, counted
            by one pass when unknown); ``-1`` for endless.

    Returns:
        A ``keras.utils.PyDataset`` with ``num_batches`` and ``close()``.

    Raises:
        InvalidArgumentError: a bad ``num_batches`` or an empty dataset.

    Example (tests/integrations/test_keras.py runs it on the JAX and torch
    backends)::

        train = pl.data.Dataset.from_tensor_slices((x, y)).batch(64)
        model.fit(to_keras(train), epochs=5)  # or train.to_keras()
    """
    return _keras_dataset_class()(dataset, num_batches)
