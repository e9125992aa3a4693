"""`Dataset`: tf.data's API over the lazy graph and the threaded executor.

A `Dataset` wraps an immutable graph node; methods return new datasets.
Iterating optimizes the graph and runs it (``pipeline.executor``). Elements are
numpy values as TF's ``as_numpy_iterator`` gives them.

File formats build on ``Dataset._from_block_source(source)``; the source
contract is documented in ``pipeline.graph.sources``.

Example:
    >>> ds = Dataset.from_tensor_slices({"x": [1, 2, 3]}).map(lambda d: d["x"] * 2)
    >>> list(ds.as_numpy_iterator())
    [np.int32(2), np.int32(4), np.int32(6)]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.data.dataset_grouping import Grouping
from pipeline.data.dataset_integrations import Integrations
from pipeline.data.dataset_sampling import Sampling
from pipeline.data.dataset_transforms import Transforms
from pipeline.data.explain import explain_text
from pipeline.data.source_values import (
    listed_slices,
    matching_files,
    needs_listed_slices,
)
from pipeline.errors import InvalidArgumentError
from pipeline.executor.options import Options
from pipeline.executor.runner import DatasetIterator, numpy_iterator
from pipeline.graph import base
from pipeline.graph.base import INFINITE, UNKNOWN, Node, apply_fn
from pipeline.graph.combining import ZipNode
from pipeline.graph.generator_source import generator_node
from pipeline.graph.given_values import GivenListNode, GivenTensorsNode, sliced_spec
from pipeline.graph.optimize import plan_text
from pipeline.graph.sources import (
    BlockSourceNode,
    RangeNode,
    TensorSlicesNode,
)
from pipeline.graph.structure import (
    flatten,
    to_element,
    to_input_structure,
)
from pipeline.types import TensorSpec as TensorSpec  # doctests and re-export

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN


class Dataset(Transforms, Sampling, Grouping, Integrations):
    """A lazy sequence of elements (tf.data's ``Dataset``).

    Build one with a source (``from_tensor_slices``, ``range``, a file dataset),
    chain transformations, and iterate.

    Example:
        >>> [int(x) for x in Dataset.range(5).filter(lambda x: x % 2 == 0)]
        [0, 2, 4]
    """

    #: Marks datasets held as values inside elements (``structure.is_dataset``).
    _is_dataset = True

    def __init__(self, node: Node, options: Options | None = None) -> None:
        self._node = node
        self._options = options or Options()
        self._runs = itertools.count()

    def _chain(self, node: Node) -> Dataset:
        return Dataset(node, self._options)

    @classmethod
    def _from_node(cls, node: Node) -> Dataset:
        return cls(node)

    @classmethod
    def _from_block_source(cls, source: Any) -> Dataset:
        """A dataset over a file-backed source (see ``pipeline.graph.sources``)."""
        return cls(BlockSourceNode((), source))

    # sources -----------------------------------------------------------------

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset of one element, ``tensors``.

        Components may be ``None`` or datasets, but not all of them ``None``
        (`InvalidArgumentError`, as TF).

        Example:
            >>> list(Dataset.from_tensors([1, 2]).as_numpy_iterator())
            [array([1, 2], dtype=int32)]
        """
        element = to_element(to_input_structure(tensors))
        if all(leaf is None for leaf in flatten(element)):
            raise InvalidArgumentError(
                "`from_tensors` needs at least one tensor component; got only "
                f"None: {tensors!r:.80}"
            )
        return Dataset(GivenTensorsNode((), element))

    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset of the slices of ``tensors`` along their first axis.

        Tuples and dicts are structures; lists are array-likes. Python ints
        become int32, floats float32, strings bytes (as TF types them).

        Example:
            >>> list(Dataset.from_tensor_slices((["a", "b"], [1, 2])))
            [(b'a', np.int32(1)), (b'b', np.int32(2))]
        """
        value = to_input_structure(tensors)
        if needs_listed_slices(value):
            rows = listed_slices(value)
            return Dataset(GivenListNode((), rows, sliced_spec(value, rows)))
        return Dataset(TensorSlicesNode((), value))

    @staticmethod
    def from_generator(
        generator: Callable[..., Any],
        output_types: Any = None,
        output_shapes: Any = None,
        args: tuple | None = None,
        output_signature: Any = None,
        name: str | None = None,
    ) -> Dataset:
        """A dataset of what ``generator(*args)`` yields, typed by ``output_signature``.

        Example:
            >>> def gen():
            ...     yield from range(3)
            >>> spec = TensorSpec((), "int64")
            >>> ds = Dataset.from_generator(gen, output_signature=spec)
            >>> [int(x) for x in ds]
            [0, 1, 2]
        """
        node = generator_node(
            generator, output_types, output_shapes, args, output_signature
        )
        return Dataset(node)

    @staticmethod
    def range(*args: int, output_type: Any = None, name: str | None = None) -> Dataset:
        """``range(stop)`` or ``range(start, stop[, step])`` of scalars.

        ``output_type`` is int64 by default; int32, float32 and float64 (or
        any numeric numpy dtype) cast the values. A zero ``step`` raises
        `InvalidArgumentError`.

        Example:
            >>> [int(x) for x in Dataset.range(1, 8, 3)]
            [1, 4, 7]
            >>> Dataset.range(2, output_type=np.float32).element_spec.dtype
            dtype('float32')
        """
        if not 1 <= len(args) <= 3:
            raise TypeError(f"`range` takes 1 to 3 arguments; got {len(args)}.")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
        if step == 0:
            raise InvalidArgumentError("`step` must not be 0. Received: step=0")
        dtype = _range_dtype(output_type)
        return Dataset(RangeNode((), int(start), int(stop), int(step), dtype))

    @staticmethod
    def list_files(
        file_pattern: Any,
        shuffle: bool | None = None,
        seed: int | None = None,
        name: str | None = None,
    ) -> Dataset:
        """The files matching ``file_pattern`` (a glob or a list), as bytes.

        Sorted, then shuffled unless ``shuffle=False`` (a new order each
        iteration, as tf.data). When nothing matches, raises an error that is
        both `InvalidArgumentError` (as TF) and `NotFoundError`.

        Example:
            >>> import os, tempfile
            >>> d = tempfile.mkdtemp()
            >>> for n in ("b.txt", "a.txt"):
            ...     open(os.path.join(d, n), "w").close()
            >>> ds = Dataset.list_files(os.path.join(d, "*.txt"), shuffle=False)
            >>> [os.path.basename(f) for f in ds]
            [b'a.txt', b'b.txt']
        """
        files = matching_files(file_pattern)
        ds = Dataset.from_tensor_slices(np.array([f.encode() for f in files], object))
        if shuffle is None or shuffle:
            ds = ds.shuffle(len(files), seed=seed)
        return ds

    @staticmethod
    def zip(*args: Any, datasets: Any = None, name: str | None = None) -> Dataset:
        """Zip a structure of datasets into a dataset of structures.

        Example:
            >>> ds = Dataset.zip(Dataset.range(2), Dataset.range(5, 9))
            >>> [(int(a), int(b)) for a, b in ds]
            [(0, 5), (1, 6)]
        """
        structure = datasets if datasets is not None else args
        if datasets is None and len(args) == 1:
            structure = args[0]
        leaves = flatten(structure)
        if not leaves:
            raise InvalidArgumentError("`zip` needs at least one dataset.")
        bad = [d for d in leaves if not isinstance(d, Dataset)]
        if bad:
            raise TypeError(
                "Invalid input to `zip`: expected a (nested) structure of "
                f"Datasets, found {type(bad[0]).__name__}."
            )
        options = leaves[0]._options
        for other in leaves[1:]:  # as TF: the options of every input, merged
            options = options.merge(other._options)
        return Dataset(ZipNode(tuple(d._node for d in leaves), structure), options)

    # inspection and iteration -------------------------------------------------

    @property
    def element_spec(self) -> Any:
        """The `TensorSpec` structure of one element (None for unknown dims)."""
        return self._node.element_spec()

    def cardinality(self) -> int:
        """The number of elements; -1 when infinite, -2 when unknown.

        Example:
            >>> Dataset.range(10).batch(3).cardinality()
            4
        """
        return self._node.cardinality()

    def __len__(self) -> int:
        n = self.cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True  # as tf.data: a dataset is truthy even when len() fails

    def __iter__(self) -> DatasetIterator:
        return DatasetIterator(self._node, self._options, next(self._runs))

    def as_numpy_iterator(self) -> DatasetIterator:
        """An iterator of numpy elements (sparse ones as dense arrays, as TF).

        Example:
            >>> list(Dataset.from_tensor_slices(["x"]).as_numpy_iterator())
            [b'x']
        """
        return numpy_iterator(self._node, self._options, next(self._runs))

    def to_torch(self, device: Any = None) -> Any:
        """This dataset as a ``torch.utils.data.IterableDataset``.

        Feed it to ``DataLoader(ds.to_torch(), batch_size=None, num_workers=N)``:
        each worker reads a disjoint share, numeric leaves come as tensors
        (``torch.from_numpy``, no copy), and ``state_dict()`` /
        ``load_state_dict()`` resume mid-epoch. See `pipeline.integrations.torch`.

        Args:
            device: move tensors there as they are made (default None).

        Example:
            >>> [t.tolist() for t in Dataset.range(4).batch(2).to_torch()]
            [[0, 1], [2, 3]]
        """
        import importlib  # integrations sit above data: bound by name at call time

        return importlib.import_module("pipeline.integrations.torch").to_torch(
            self, device
        )

    def reduce(self, initial_state: Any, reduce_func: Callable[..., Any]) -> Any:
        """Fold the elements: ``state = reduce_func(state, element)``.

        Example:
            >>> int(Dataset.range(5).reduce(0, lambda s, x: s + x))
            10
        """
        state = to_element(to_input_structure(initial_state))
        with iter(self) as it:
            for elem in it:
                state = apply_fn(reduce_func, (state, elem))
        return state

    def get_single_element(self, name: str | None = None) -> Any:
        """The only element; `InvalidArgumentError` when there are 0 or several.

        Example:
            >>> Dataset.from_tensors(b"x").get_single_element()
            b'x'
        """
        with iter(self) as it:
            items = [elem for elem, _ in zip(it, range(2))]
        if len(items) != 1:
            raise InvalidArgumentError(
                "Dataset was empty."
                if not items
                else "Dataset had more than one element."
            )
        return items[0]

    def with_options(self, options: Options) -> Dataset:
        """The same dataset run with ``options`` (merged over the current ones).

        Example:
            >>> Dataset.range(1).with_options(Options(seed=4)).options().seed
            4
        """
        return Dataset(self._node, self._options.merge(options))

    def options(self) -> Options:
        """The run options of this dataset: a frozen copy (changing it raises
        ValueError, as in TF; use ``with_options``)."""
        return self._options.frozen()

    def explain(self, print_plan: bool = True) -> str:
        """The plan, and the optimized plan when optimizing changes it (printed,
        and returned); then what AUTOTUNE picks.

        Example:
            >>> text = Dataset.range(3).map(lambda x: x).explain(print_plan=False)
            >>> for line in text.splitlines()[3:6]:
            ...     print(line)
            optimized:
              prefetch(buffer_size=-1)
                range(start=0, stop=3, step=1)
            >>> _ = Dataset.range(3).prefetch(1).explain()
            plan (run as it is: the optimizer changes nothing):
              prefetch(buffer_size=1)
                range(start=0, stop=3, step=1)
        """
        text = explain_text(self._node, self._options)
        if print_plan:
            print(text)
        return text

    def __repr__(self) -> str:
        return f"<Dataset {self._node}>"

    def __str__(self) -> str:
        return plan_text(self._node)


base._dataset_wrapper[:] = [Dataset._from_node]


def _range_dtype(output_type: Any) -> np.dtype:
    """``range``'s numeric output dtype (int64 when None; a TF dtype works too)."""
    if output_type is None:
        return np.dtype(np.int64)
    if hasattr(output_type, "as_numpy_dtype"):
        output_type = output_type.as_numpy_dtype
    try:
        dtype = np.dtype(output_type)
    except TypeError:
        dtype = np.dtype(object)
    if dtype.kind not in "iuf":
        raise TypeError(
            "`output_type` of `range` must be an integer or floating-point "
            f"dtype. Received: output_type={output_type!r}"
        )
    return dtype
