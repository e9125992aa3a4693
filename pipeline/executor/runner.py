"""`DatasetIterator`: runs an optimized graph and hands out its elements.

It is a context manager; ``close()`` is idempotent and stops every thread the
run started (also on exhaustion, on a fatal failure and when the iterator is
garbage collected: a finalizer holds no reference to the iterator itself).
An error of one element (a user function raising, a bad record) is raised at
its position and the iterator stays usable: the next ``next()`` goes on with
the following element, as tf.data's iterators do.
``get_state()``/``set_state()`` resume exactly after the last element.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> with DatasetIterator(RangeNode((), 0, 3, 1)) as it:
    ...     first = next(it)
    ...     state = it.get_state()
    ...     rest = list(it)
    >>> it2 = DatasetIterator(RangeNode((), 0, 3, 1))
    >>> it2.set_state(state)
    >>> list(it2) == rest
    True
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from pipeline import seeding
from pipeline.errors import OutOfRangeError
from pipeline.executor.optional import Optional
from pipeline.executor.options import Options
from pipeline.executor.plan import RunContext
from pipeline.graph.base import Node, NodeIterator
from pipeline.graph.element_specs import DatasetSpec
from pipeline.graph.failures import ElementFailure, is_fatal
from pipeline.graph.optimize import optimize
from pipeline.graph.structure import flatten
from pipeline.types import SparseTensor


def optimized(node: Node, options: Options) -> Node:
    """``node`` rewritten as ``options`` ask.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> str(optimized(RangeNode((), 0, 1, 1), Options(optimize=False)))
        'range(start=0, stop=1, step=1)'
    """
    if not options.optimize:
        return node
    return optimize(
        node,
        map_fusion=options.map_fusion,
        noop_elimination=options.noop_elimination,
        map_vectorization=options.map_vectorization,
        final_prefetch=options.final_prefetch,
        gather_batches=options.gather_batches,
        csv_blocks=options.csv_blocks,
    )


def _shutdown(ctx: RunContext, it: NodeIterator) -> None:
    try:
        it.close()
    finally:
        ctx.close()


class DatasetIterator:
    """The iterator of a dataset run (``iter(dataset)``).

    Args:
        node: the graph to run.
        options: run options (default `Options()`).
        run: the number of iterators made over the dataset before this one
            (reshuffling stages use it).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> [int(x) for x in DatasetIterator(RangeNode((), 0, 2, 1))]
        [0, 1]
    """

    def __init__(
        self, node: Node, options: Options | None = None, run: int = 0
    ) -> None:
        self._options = options or Options()
        self._run = run
        self._lock = threading.Lock()  # one ``next`` at a time, as TF's iterators
        self._plan = optimized(node, self._options)
        seed = self._options.seed
        self._seed = seeding.fresh_seed() if seed is None else int(seed)
        self._start(self._seed)

    def _start(self, seed: int) -> None:
        self._ctx = RunContext(self._options, seed=seed, run=self._run)
        self._it = self._ctx.build(self._plan)
        self._done = False
        self._finalizer = weakref.finalize(self, _shutdown, self._ctx, self._it)
        self._finalizer.atexit = False

    def __iter__(self) -> DatasetIterator:
        return self

    def __next__(self) -> Any:
        with self._lock:  # threads may share an iterator: each gets its own
            if self._done:
                raise StopIteration
            try:
                elem = next(self._it)
            except BaseException:  # the end, or a failure of the run itself
                self.close()
                raise
        if isinstance(elem, ElementFailure):
            if is_fatal(elem.exception):
                self.close()
            # as tf.data: the error is raised at its position and the next
            # ``next()`` goes on with the following element
            raise elem.exception
        return elem

    def next(self) -> Any:
        """The next element (``next(it)``)."""
        return next(self)

    def get_next(self) -> Any:
        """The next element; `OutOfRangeError` at the end (TF's ``get_next``).

        Example:
            >>> from pipeline.graph.sources import RangeNode
            >>> it = DatasetIterator(RangeNode((), 0, 1, 1))
            >>> int(it.get_next())
            0
            >>> it.get_next()
            Traceback (most recent call last):
            ...
            pipeline.errors.OutOfRangeError: End of sequence
        """
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None

    def get_next_as_optional(self) -> Optional:
        """The next element as an `Optional`, empty at the end of the data.

        Example:
            >>> from pipeline.graph.sources import RangeNode
            >>> it = DatasetIterator(RangeNode((), 0, 1, 1))
            >>> [it.get_next_as_optional().has_value() for _ in range(2)]
            [True, False]
        """
        try:
            return Optional(next(self), self.element_spec)
        except StopIteration:
            return Optional.empty(self.element_spec)

    @property
    def element_spec(self) -> Any:
        """The spec of the elements (the dataset's ``element_spec``)."""
        return self._plan.element_spec()

    def close(self) -> None:
        """Stop the run's threads; safe to call more than once."""
        self._done = True
        self._finalizer()

    def __enter__(self) -> DatasetIterator:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def get_state(self) -> dict[str, Any]:
        """A picklable state; ``set_state`` resumes right after the last element."""
        return {
            "seed": self._seed,
            "run": self._run,
            "iterator": self._it.get_state(),
            "done": self._done,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Resume from ``get_state()`` of an iterator over the same dataset."""
        with self._lock:
            self.close()
            self._seed, self._run = state["seed"], state["run"]
            self._start(self._seed)
            self._it.set_state(state["iterator"])
            self._done = state["done"]

    def stats(self) -> list[dict[str, Any]]:
        """Per threaded stage: elements produced, busy/waiting seconds, buffer
        fill, and the parallelism chosen (AUTOTUNE included). Each
        ``ignore_errors`` stage has an entry too, with ``dropped`` (elements),
        ``records_lost`` and ``bytes_lost`` (as the sources report them).

        Example:
            >>> from pipeline.graph.sources import ListNode
            >>> from pipeline.graph.recovery import IgnoreErrorsNode
            >>> from pipeline.graph.failures import ElementFailure
            >>> bad = ElementFailure(ValueError("x"), where={"records_lost": 3})
            >>> node = IgnoreErrorsNode((ListNode((), (1, bad, 2)),))
            >>> with DatasetIterator(node, Options(optimize=False)) as it:
            ...     _ = list(it)
            ...     (entry,) = it.stats()
            >>> entry["dropped"], entry["records_lost"], entry["produced"]
            (1, 3, 2)
        """
        return self._ctx.stats()

    @property
    def plan(self) -> Node:
        """The optimized graph this iterator runs."""
        return self._plan


class NumpyIterator(DatasetIterator):
    """``as_numpy_iterator()``: as `DatasetIterator`, with sparse leaves given as
    dense arrays, as TF's ``as_numpy_iterator`` gives them.

    Example:
        >>> from pipeline.graph.sources import TensorsNode
        >>> from pipeline.types import SparseTensor
        >>> node = TensorsNode((), SparseTensor([[1]], [7], [3]))
        >>> next(NumpyIterator(node)).tolist()
        [0, 7, 0]
    """

    _sparse: bool | None = None

    def __next__(self) -> Any:
        elem = super().__next__()
        if self._sparse is None:  # elements share one structure: look once
            self._sparse = any(isinstance(v, SparseTensor) for v in flatten(elem))
        return _dense(elem) if self._sparse else elem


def numpy_iterator(node: Node, options: Options | None = None, run: int = 0) -> Any:
    """A `NumpyIterator` over ``node``.

    Raises:
        TypeError: an element holds a dataset (TF's message).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> [int(x) for x in numpy_iterator(RangeNode((), 0, 2, 1))]
        [0, 1]
    """
    for spec in flatten(node.element_spec()):
        if isinstance(spec, DatasetSpec):
            raise TypeError(
                "`tf.data.Dataset.as_numpy_iterator()` is not supported for "
                "datasets that produce values of type Dataset."
            )
    return NumpyIterator(node, options, run)


def _dense(value: Any) -> Any:
    if isinstance(value, SparseTensor):
        return value.to_dense()
    if isinstance(value, dict):
        return {k: _dense(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_dense(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(_dense(v) for v in value)
    return value
