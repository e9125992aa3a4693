"""`JaxIterator`: dataset elements as `jax.Array`s, put on devices ahead of the step.

``Dataset.as_jax_iterator(sharding=None, prefetch=2)`` returns one. A daemon
thread (``pipeline-jax-prefetch-0``) takes elements from the dataset's
iterator and transfers their numeric leaves with ``jax.device_put``, keeping
at most ``prefetch`` transferred elements ready, so the copy to the device
overlaps the training step. String leaves (object arrays of ``bytes``) and
`pl.SparseTensor` leaves stay numpy; the nested structure is kept.

With a ``jax.sharding.Sharding`` (a `NamedSharding` over a mesh, usually),
each process passes its local batch to
``jax.make_array_from_process_local_data``: the local rows become this
process's addressable shards of one global array, whose leading dimension is
the sum over processes. Each process should therefore read its own share of
the input: ``pl.data.distribute(ds)`` takes the process index and count from
``jax.process_index()``/``jax.process_count()``.

``get_state()`` is the state right after the last element handed out (the
elements already prefetched are read again after ``set_state``), so a job
that saves it resumes at the same batch. ``close()`` (or dropping the
iterator) stops the thread.

Example:
    >>> import pipeline as pl
    >>> ds = pl.data.Dataset.range(6).batch(2).map(lambda x: {"x": x * 10})
    >>> with ds.as_jax_iterator() as it:
    ...     first = next(it)
    ...     state = it.get_state()
    >>> type(first["x"]).__name__, first["x"].tolist()
    ('ArrayImpl', [0, 10])
    >>> it2 = ds.as_jax_iterator()
    >>> it2.set_state(state)
    >>> [b["x"].tolist() for b in it2]
    [[20, 30], [40, 50]]
"""

from __future__ import annotations

import functools
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.structure import flatten, flatten_up_to, pack
from pipeline.types import SparseTensor

__all__ = ["JaxIterator", "to_device"]

_QUEUE_WAIT_S = 0.05
_JOIN_TIMEOUT_S = 5.0
_END = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _numeric(leaf: Any) -> bool:
    if isinstance(leaf, (SparseTensor, bytes, str)):
        return False
    return np.asarray(leaf).dtype.kind in "biufc"


def to_device(element: Any, sharding: Any = None) -> Any:
    """``element`` with its numeric leaves as `jax.Array`s (others unchanged).

    Args:
        element: a dataset element (a leaf or a nested tuple/dict of leaves).
        sharding: None (the default device), one ``jax.sharding.Sharding`` for
            every numeric leaf, or a structure of them matching ``element``.
            With a sharding, a leaf is this process's part of the global
            array (``jax.make_array_from_process_local_data``).

    Returns:
        The element, same structure, numeric leaves on device.

    Example:
        >>> out = to_device({"x": np.arange(3), "s": np.array([b"a"], object)})
        >>> type(out["x"]).__name__, out["s"].dtype
        ('ArrayImpl', dtype('O'))
    """
    import jax

    leaves = flatten(element)
    if sharding is None or isinstance(sharding, jax.sharding.Sharding):
        shardings = [sharding] * len(leaves)
    else:
        shardings = flatten_up_to(element, sharding)
    out = []
    for leaf, where in zip(leaves, shardings):
        if not _numeric(leaf):
            out.append(leaf)
        elif where is None:
            out.append(jax.device_put(np.asarray(leaf)))
        else:
            local = np.asarray(leaf)
            out.append(jax.make_array_from_process_local_data(where, local))
    return pack(element, out)


def _offer(out: queue.Queue, item: Any, stop: threading.Event) -> bool:
    """Put ``item`` unless ``stop`` is set first; whether it was put."""
    while not stop.is_set():
        try:
            out.put(item, timeout=_QUEUE_WAIT_S)
            return True
        except queue.Full:
            continue
    return False


def _produce(inner: Any, put: Callable, out: queue.Queue, stop: threading.Event):
    """The prefetch thread: ``(on-device element, state after it)`` items."""
    try:
        for element in inner:
            if stop.is_set() or not _offer(
                out, (put(element), inner.get_state()), stop
            ):
                return
        last: Any = _END
    except BaseException as e:  # the consumer re-raises it
        last = _Failure(e)
    _offer(out, last, stop)


def _shutdown(stop: threading.Event, thread: threading.Thread | None, inner: Any):
    stop.set()
    if thread is not None and thread is not threading.current_thread():
        thread.join(_JOIN_TIMEOUT_S)
    inner.close()


class JaxIterator:
    """Elements of a dataset with numeric leaves as `jax.Array`s (module docstring).

    Args:
        dataset: the `pl.data.Dataset` to iterate.
        sharding: None, a ``jax.sharding.Sharding`` or a structure of them
            (see `to_device`).
        prefetch: elements transferred ahead of the consumer (default 2);
            0 transfers each element when it is asked for, without a thread.

    Example:
        >>> import pipeline as pl
        >>> it = JaxIterator(pl.data.Dataset.range(3), prefetch=1)
        >>> [int(x) for x in it]
        [0, 1, 2]
    """

    def __init__(self, dataset: Any, sharding: Any = None, prefetch: int = 2) -> None:
        if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 0:
            raise InvalidArgumentError(
                "`prefetch` must be a non-negative integer. "
                f"Received: prefetch={prefetch!r}"
            )
        self._sharding, self._prefetch = sharding, prefetch
        self._inner = iter(dataset)
        self._state = self._inner.get_state()
        self._start()

    def _start(self) -> None:
        self._done = False
        self._stop = threading.Event()
        self._queue: queue.Queue = queue.Queue(max(self._prefetch, 1))
        self._thread = None
        if self._prefetch:
            put = functools.partial(to_device, sharding=self._sharding)
            self._thread = threading.Thread(
                target=_produce,
                args=(self._inner, put, self._queue, self._stop),
                name="pipeline-jax-prefetch-0",
                daemon=True,
            )
            self._thread.start()
        self._finalizer = weakref.finalize(
            self, _shutdown, self._stop, self._thread, self._inner
        )
        self._finalizer.atexit = False

    def __iter__(self) -> JaxIterator:
        return self

    def __next__(self) -> Any:
        if self._done:
            raise StopIteration
        if self._thread is None:
            return self._next_inline()
        item = self._queue.get()
        if item is _END or isinstance(item, _Failure):
            self.close()
            if item is _END:
                raise StopIteration
            raise item.error
        element, self._state = item
        return element

    def _next_inline(self) -> Any:
        try:
            element = next(self._inner)
        except BaseException:
            self.close()
            raise
        self._state = self._inner.get_state()
        return to_device(element, self._sharding)

    def close(self) -> None:
        """Stop the prefetch thread and the dataset's iterator (idempotent)."""
        self._done = True
        self._finalizer()

    def __enter__(self) -> JaxIterator:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def get_state(self) -> dict[str, Any]:
        """A picklable state: resume right after the last element handed out."""
        return {"dataset": self._state}

    def set_state(self, state: dict[str, Any]) -> None:
        """Resume from ``get_state()`` of an iterator over the same dataset."""
        self.close()
        self._inner.set_state(state["dataset"])
        self._state = state["dataset"]
        self._start()
