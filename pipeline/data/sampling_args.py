"""Argument checks of the sampling methods, with tf.data's error classes.

Example:
    >>> weight_list(None, 4)
    [0.25, 0.25, 0.25, 0.25]
    >>> try:
    ...     weight_list([1, 1], 2)
    ... except TypeError as e:
    ...     print(str(e).split(";")[0])
    Invalid `weights`: the weights must be `tf.float32` or `tf.float64` values
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline import seeding
from pipeline.graph.base import Node
from pipeline.graph.structure import flatten, same_structure
from pipeline.types import TensorSpec


def dataset_nodes(datasets: Sequence[Any]) -> list[Node]:
    """The graph nodes of ``datasets``, checked to have compatible elements.

    Example:
        >>> from pipeline.data.dataset import Dataset
        >>> try:
        ...     dataset_nodes([Dataset.range(1), Dataset.from_tensors(0)])
        ... except TypeError as e:
        ...     print(str(e).split(";")[0])
        Incompatible datasets: all datasets must have compatible element specs
    """
    datasets = list(datasets) if datasets is not None else []
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    nodes = []
    for i, ds in enumerate(datasets):
        node = getattr(ds, "_node", None)
        if not isinstance(node, Node):
            raise TypeError(
                f"Invalid `datasets`: item {i} should be a `tf.data.Dataset`; "
                f"got {type(ds).__name__}."
            )
        nodes.append(node)
    first = nodes[0].element_spec()
    for i, node in enumerate(nodes[1:], 1):
        spec = node.element_spec()
        if not _compatible(first, spec):
            raise TypeError(
                "Incompatible datasets: all datasets must have compatible element "
                f"specs; dataset {i} has {spec}, dataset 0 has {first}."
            )
    return nodes


def _compatible(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    if not same_structure(a, b):
        return False
    leaves_a, leaves_b = flatten(a), flatten(b)
    if len(leaves_a) != len(leaves_b):
        return False
    for x, y in zip(leaves_a, leaves_b):
        if isinstance(x, TensorSpec) and isinstance(y, TensorSpec):
            if x.dtype != y.dtype:
                return False
            if x.shape is not None and y.shape is not None:
                if len(x.shape) != len(y.shape):
                    return False
    return True


def choice_node(choice_dataset: Any) -> Node:
    """The node of a dataset of scalar int64 choices.

    Example:
        >>> from pipeline.data.dataset import Dataset
        >>> try:
        ...     choice_node(Dataset.from_tensors(1.0))
        ... except TypeError as e:
        ...     print(str(e).split(";")[0])
        Invalid `choice_dataset`: its elements must be scalar `tf.int64` values
    """
    node = getattr(choice_dataset, "_node", None)
    if not isinstance(node, Node):
        raise TypeError(
            "Invalid `choice_dataset`. `choice_dataset` should be a "
            f"`tf.data.Dataset`; got {type(choice_dataset).__name__}."
        )
    spec = node.element_spec()
    if not isinstance(spec, TensorSpec) or spec.dtype != np.int64 or spec.shape != ():
        raise TypeError(
            "Invalid `choice_dataset`: its elements must be scalar `tf.int64` "
            f"values; got {spec}."
        )
    return node


def weight_list(weights: Any, count: int) -> list[float]:
    """``weights`` as ``count`` floats (uniform when None).

    Raises:
        ValueError: another number of weights than datasets.
        TypeError: weights that are not floats.
    """
    if weights is None:
        return [1.0 / count] * count
    arr = np.asarray(weights)
    if arr.dtype.kind != "f":
        raise TypeError(
            "Invalid `weights`: the weights must be `tf.float32` or `tf.float64` "
            f"values; got {arr.dtype}."
        )
    flat = arr.reshape(-1)
    if arr.ndim != 1 or len(flat) != count:
        raise ValueError(
            "Invalid `weights`: `datasets` and `weights` should have the same "
            f"length; got {count} datasets and weights of shape {arr.shape}."
        )
    return [float(w) for w in flat]


def weights_node(weights: Any) -> Node:
    """The node of a dataset of weight vectors: float values of rank 1.

    Raises:
        TypeError: weights that are not floats.
        ValueError: weight elements that are not vectors.

    Example:
        >>> from pipeline.data.dataset import Dataset
        >>> try:
        ...     weights_node(Dataset.from_tensors([[0.5, 0.5]]))
        ... except ValueError as e:
        ...     print(str(e).split(";")[0])
        Invalid `weights`: each element of a weights dataset must be a vector
    """
    node: Node = weights._node
    spec = node.element_spec()
    if not isinstance(spec, TensorSpec) or spec.dtype.kind != "f":
        raise TypeError(
            "Invalid `weights`: the weights must be `tf.float32` or `tf.float64` "
            f"values; got a dataset of {spec}."
        )
    if spec.shape is not None and len(spec.shape) != 1:
        raise ValueError(
            "Invalid `weights`: each element of a weights dataset must be a "
            f"vector; got shape {spec.shape}."
        )
    return node


def seed_value(seed: Any) -> int | None:
    """``seed`` as an int, or None.

    Example:
        >>> seed_value(np.int64(7)), seed_value(None)
        (7, None)
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"`seed` must be an integer or None. Received: seed={seed!r}")
    return int(seed)


def build_seed(seed: int | None) -> int | None:
    """A seed drawn now for a stage built without one (None when seeded).

    Example:
        >>> build_seed(3) is None, isinstance(build_seed(None), int)
        (True, True)
    """
    return seeding.fresh_seed() if seed is None else None


def numpy_type(dtype: Any) -> type:
    """The numpy scalar type of a dtype (numpy or ``tf.DType``-like).

    Example:
        >>> numpy_type("int32")
        <class 'numpy.int32'>
    """
    dtype = getattr(dtype, "as_numpy_dtype", dtype)
    return np.dtype(dtype).type
