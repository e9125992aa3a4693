"""`Sampling`: the `Dataset` methods that draw from several datasets or at random.

tf.data's ``sample_from_datasets``, ``choose_from_datasets``, ``counter``,
``random``, ``scan``, ``rejection_resample`` and ``fingerprint``.

Example:
    >>> import pipeline as pl
    >>> "Sampling" in [k.__name__ for k in pl.data.Dataset.__mro__]
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.data import sampling_args
from pipeline.graph.base import Node, wrap_dataset
from pipeline.graph.fingerprint import fingerprint as _fingerprint
from pipeline.graph.sampling import (
    CategoricalNode,
    CounterNode,
    DirectedInterleaveNode,
    RandomNode,
)
from pipeline.graph.scanning import ScanNode, as_value


class Sampling:
    """Mixin of `Dataset`: sampling, counting and random sources."""

    _node: Node

    def _chain(self, node: Node) -> Any:
        raise NotImplementedError

    def scan(
        self,
        initial_state: Any,
        scan_func: Callable[..., Any],
        name: str | None = None,
    ) -> Any:
        """Thread a state through the elements: ``scan_func(state, element)``
        returns ``(new_state, output)`` and the dataset yields the outputs.

        Args:
            initial_state: the first state (a structure of tensors).
            scan_func: ``(state, element) -> (new_state, output)``; the new
                state keeps the initial state's structure and dtypes.
            name: unused (tf.data's op name).

        Returns:
            A dataset of the outputs.

        Raises:
            TypeError: ``scan_func`` does not return a pair, or changes the
                state's structure or dtypes.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(1, 5).scan(np.int64(0), lambda s, x: (s + x, s + x))
            >>> [int(x) for x in ds]
            [1, 3, 6, 10]
        """
        if not callable(scan_func):
            raise TypeError(f"`scan_func` must be callable. Received: {scan_func!r}")
        node = ScanNode((self._node,), as_value(initial_state), scan_func)
        node.element_spec()  # checks the function's result, as tf.data traces it
        return self._chain(node)

    @staticmethod
    def counter(
        start: int = 0, step: int = 1, dtype: Any = np.int64, name: str | None = None
    ) -> Any:
        """An endless dataset of ``start, start + step, ...``.

        Args:
            start: the first value (default 0).
            step: the increment (default 1).
            dtype: the dtype of the values (default int64).
            name: unused (tf.data's op name).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.counter(3, 4).take(3)]
            [3, 7, 11]
        """
        kind = sampling_args.numpy_type(dtype)
        return wrap_dataset(CounterNode((), int(start), int(step), kind))

    @staticmethod
    def random(
        seed: int | None = None,
        rerandomize_each_iteration: bool | None = None,
        name: str | None = None,
    ) -> Any:
        """An endless dataset of random int64 values in ``[0, 2**32)``.

        Args:
            seed: the seed (default None: one drawn now, so each iteration
                repeats the draws; or derived from `Options.seed` when set).
            rerandomize_each_iteration: when True, each iteration over the
                dataset (and each ``repeat`` epoch) draws new values; otherwise
                they repeat (default None, the same as False).
            name: unused (tf.data's op name).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.random(seed=4).take(3)
            >>> [int(x) for x in ds] == [int(x) for x in ds]
            True
        """
        seed = sampling_args.seed_value(seed)
        rerandomize = bool(rerandomize_each_iteration)
        salt = sampling_args.build_seed(seed)
        return wrap_dataset(RandomNode((), seed, rerandomize, salt))

    @staticmethod
    def choose_from_datasets(
        datasets: Sequence[Any],
        choice_dataset: Any,
        stop_on_empty_dataset: bool = True,
    ) -> Any:
        """Take each element from the dataset that ``choice_dataset`` names.

        Args:
            datasets: datasets with compatible elements.
            choice_dataset: a dataset of scalar int64 indices into ``datasets``.
            stop_on_empty_dataset: end when a chosen dataset is exhausted
                (default True); when False, skip it and end once all are.

        Raises:
            ValueError: ``datasets`` is empty.
            TypeError: incompatible datasets, or ``choice_dataset`` is not a
                dataset of scalar int64 values.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> words = [Dataset.from_tensors(w).repeat() for w in (b"a", b"b")]
            >>> choice = Dataset.from_tensor_slices(np.array([1, 0, 1]))
            >>> list(Dataset.choose_from_datasets(words, choice))
            [b'b', b'a', b'b']
        """
        nodes = sampling_args.dataset_nodes(datasets)
        selector = sampling_args.choice_node(choice_dataset)
        return wrap_dataset(
            DirectedInterleaveNode((selector, *nodes), bool(stop_on_empty_dataset))
        )

    @staticmethod
    def sample_from_datasets(
        datasets: Sequence[Any],
        weights: Any = None,
        seed: int | None = None,
        stop_on_empty_dataset: bool = False,
        rerandomize_each_iteration: bool | None = None,
    ) -> Any:
        """Take each element from a dataset drawn at random by ``weights``.

        Args:
            datasets: datasets with compatible elements.
            weights: one float per dataset, or a dataset of such weight
                vectors (one draw each); default None: uniform.
            seed: the seed of the draws (default None: as for `random`).
            stop_on_empty_dataset: end when a drawn dataset is exhausted;
                when False (the default), skip it and end once all are.
            rerandomize_each_iteration: new draws for each iteration and
                ``repeat`` epoch when True (default None, the same as False).

        Raises:
            ValueError: ``datasets`` is empty, or ``weights`` has another length.
            TypeError: incompatible datasets, or weights that are not floats.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.sample_from_datasets(
            ...     [Dataset.range(3), Dataset.range(10, 13)], seed=1)
            >>> sorted(int(x) for x in ds)
            [0, 1, 2, 10, 11, 12]
        """
        nodes = sampling_args.dataset_nodes(datasets)
        seed = sampling_args.seed_value(seed)
        rerandomize = bool(rerandomize_each_iteration)
        stop = bool(stop_on_empty_dataset)
        skip: tuple[int, ...] = ()
        if hasattr(weights, "_node"):
            parents: tuple[Node, ...] = (sampling_args.weights_node(weights),)
            fixed = None
        else:
            parents, fixed = (), tuple(sampling_args.weight_list(weights, len(nodes)))
            if not stop:  # never drawn: they do not keep the sampling going
                skip = tuple(i for i, w in enumerate(fixed) if w == 0)
        salt = sampling_args.build_seed(seed)
        selector = CategoricalNode(parents, fixed, seed, rerandomize, salt)
        return wrap_dataset(DirectedInterleaveNode((selector, *nodes), stop, skip))

    def rejection_resample(
        self,
        class_func: Callable[..., Any],
        target_dist: Any,
        initial_dist: Any = None,
        seed: int | None = None,
        name: str | None = None,
    ) -> Any:
        """Resample so that the classes ``class_func`` gives follow
        ``target_dist``; yields ``(class, element)`` pairs.

        Args:
            class_func: element -> scalar int class in ``[0, len(target_dist))``.
            target_dist: the wanted class probabilities.
            initial_dist: the input's class probabilities (default None:
                estimated while reading).
            seed: the seed of the draws (default None).
            name: unused (tf.data's op name).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(100).rejection_resample(
            ...     lambda x: x % 2, [0.0, 1.0], initial_dist=[0.5, 0.5], seed=3)
            >>> sorted({int(c) for c, _ in ds})
            [1]
        """
        from pipeline.data.resampling import rejection_resample

        return rejection_resample(self, class_func, target_dist, initial_dist, seed)

    def fingerprint(self) -> np.uint64:
        """A uint64 fingerprint of the dataset's definition (its graph).

        Datasets built the same way have the same fingerprint, in every run;
        a different source, argument or function gives another.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> Dataset.range(3).fingerprint() == Dataset.range(3).fingerprint()
            np.True_
            >>> Dataset.range(3).fingerprint() == Dataset.range(4).fingerprint()
            np.False_
        """
        return _fingerprint(self._node)
