"""Nested structures of numpy values: flatten, pack, convert, stack, specs.

An element is a leaf or a structure of leaves. Structures are tuples (named
tuples included) and dicts (insertion order kept); a list given as *input* is
an array-like (as ``tf.convert_to_tensor`` reads it), and a list *returned* by a
user function becomes a tuple at the top and an array below it (as tf.data
does). Leaves are numpy scalars (``np.int64(3)``), ``bytes`` for scalar
strings, numpy arrays (object arrays of ``bytes`` for strings),
`pl.SparseTensor`, ``None`` and datasets (a dataset of datasets, as tf.data
allows; their spec is a `DatasetSpec`).

Example:
    >>> elem = {"a": np.int64(1), "b": (np.float32(2.0), b"x")}
    >>> flatten(elem)
    [np.int64(1), np.float32(2.0), b'x']
    >>> pack(elem, [1, 2, 3])
    {'a': 1, 'b': (2, 3)}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.element_specs import DatasetSpec, NoneTensorSpec, is_dataset
from pipeline.ragged import RaggedTensor, RaggedTensorSpec
from pipeline.types import SparseTensor, SparseTensorSpec, TensorSpec

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
#: Types that already are element leaves (numpy scalars, bytes).
LEAF_TYPES = frozenset([bytes] + [np.dtype(c).type for c in "?bhilqBHILQefdgFDG"])


def _datasets_array(value: Any) -> np.ndarray | None:
    """A 1-D+ object array of datasets when ``value`` is a list/tuple of them."""
    first = value
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    if first is value or not is_dataset(first):
        return None  # the usual case, decided by one leaf: no list walk
    items = [_datasets_array(v) if isinstance(v, (list, tuple)) else v for v in value]
    if all(is_dataset(v) for v in items):
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    if all(isinstance(v, np.ndarray) for v in items):
        shapes = {v.shape for v in items}
        if len(shapes) == 1:
            out = np.empty((len(items), *items[0].shape), dtype=object)
            for i, v in enumerate(items):
                out[i] = v
            return out
    return None


def is_dataset_array(value: Any) -> bool:
    """Whether ``value`` is a numpy object array of datasets.

    Example:
        >>> is_dataset_array(np.array([b"x"], dtype=object))
        False
    """
    return (
        isinstance(value, np.ndarray)
        and value.dtype.kind == "O"
        and value.size > 0
        and is_dataset(value.flat[0])
    )


def is_structure(value: Any) -> bool:
    """Whether ``value`` is a tuple or dict (a node of the structure, not a leaf).

    Example:
        >>> is_structure((1, 2)), is_structure([1, 2]), is_structure({"a": 1})
        (True, False, True)
    """
    return isinstance(value, (tuple, dict))


def flatten(value: Any) -> list[Any]:
    """The leaves of ``value`` in order (dicts in insertion order).

    Example:
        >>> flatten((1, {"k": 2, "j": 3}))
        [1, 2, 3]
    """
    if isinstance(value, tuple):
        return [leaf for item in value for leaf in flatten(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in flatten(item)]
    return [value]


def pack(template: Any, leaves: Sequence[Any]) -> Any:
    """Rebuild ``template``'s structure with ``leaves`` in place of its leaves.

    Example:
        >>> pack((0, (0, 0)), ["a", "b", "c"])
        ('a', ('b', 'c'))
    """
    it = iter(leaves)
    out = _pack(template, it)
    return out


def _pack(template: Any, it: Any) -> Any:
    if isinstance(template, tuple):
        items = [_pack(t, it) for t in template]
        if hasattr(template, "_fields"):
            return type(template)(*items)
        return tuple(items)
    if isinstance(template, dict):
        return type(template)((k, _pack(t, it)) for k, t in template.items())
    return next(it)


def flatten_up_to(template: Any, value: Any) -> list[Any]:
    """Flatten ``value`` down to ``template``'s leaves (deeper parts stay whole).

    Example:
        >>> flatten_up_to((0, {"a": 0}), ((None, 3), {"a": [2]}))
        [(None, 3), [2]]
    """
    if isinstance(template, tuple):
        return [x for t, v in zip(template, value) for x in flatten_up_to(t, v)]
    if isinstance(template, dict):
        return [x for k, t in template.items() for x in flatten_up_to(t, value[k])]
    return [value]


def _flat(template: Any) -> bool:
    values = template.values() if isinstance(template, dict) else template
    return not any(isinstance(v, (tuple, dict)) for v in values)


def packer(template: Any) -> Callable[[Sequence[Any]], Any]:
    """A fast ``pack(template, leaves)`` for one template (flat dicts/tuples).

    Example:
        >>> packer({"a": 0, "b": 0})([1, 2])
        {'a': 1, 'b': 2}
    """
    if type(template) is dict and _flat(template):
        keys = tuple(template)
        return lambda leaves: dict(zip(keys, leaves))
    if type(template) is tuple and _flat(template):
        return tuple
    if not isinstance(template, (tuple, dict)):
        return lambda leaves: leaves[0]
    return lambda leaves: pack(template, leaves)


def flattener(template: Any) -> Callable[[Any], list[Any]]:
    """A fast ``flatten`` for elements shaped like ``template``.

    Example:
        >>> flattener({"a": 0, "b": 0})({"a": 1, "b": 2})
        [1, 2]
    """
    if type(template) is dict and _flat(template):
        return lambda value: list(value.values())
    if type(template) is tuple and _flat(template):
        return list
    return flatten


def map_structure(fn: Callable[..., Any], *values: Any) -> Any:
    """Apply ``fn`` leaf by leaf over structures of the same shape.

    Example:
        >>> map_structure(lambda a, b: a + b, (1, {"x": 2}), (10, {"x": 20}))
        (11, {'x': 22})
    """
    flats = [flatten(v) for v in values]
    n = len(flats[0])
    if any(len(f) != n for f in flats):
        raise ValueError("The two structures don't have the same number of elements.")
    return pack(values[0], [fn(*leaves) for leaves in zip(*flats)])


def same_structure(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` nest the same way (same keys, same tuple lengths).

    Example:
        >>> same_structure((1, {"a": 2}), (3, {"a": 4})), same_structure((1,), 1)
        (True, False)
    """
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(same_structure(x, y) for x, y in zip(a, b))
        )
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and list(a) == list(b)
            and all(same_structure(a[k], b[k]) for k in a)
        )
    return True


def to_array(value: Any) -> np.ndarray | SparseTensor:
    """Convert an input leaf to a numpy array the way TensorFlow types it.

    Python ints become int32 (int64 when they do not fit), floats float32,
    str/bytes an object array of bytes; numpy values (also in a list) keep
    their dtype. A non-rectangular list raises `InvalidArgumentError`.

    Example:
        >>> to_array([1, 2]).dtype, to_array(1.5).dtype, to_array(["a"]).tolist()
        (dtype('int32'), dtype('float32'), [b'a'])
    """
    if value is None or isinstance(value, (SparseTensor, RaggedTensor)):
        return value
    if is_dataset(value):
        return value
    datasets = _datasets_array(value)
    if datasets is not None:
        return datasets
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.kind == "O":
            return _objects_to_bytes(arr)
        return _strings_to_bytes(arr) if arr.dtype.kind in "US" else arr
    try:
        arr = np.asarray(value)
    except ValueError as e:
        raise InvalidArgumentError(
            f"Can't convert a non-rectangular Python sequence to a tensor: {e}"
        ) from e
    kind = arr.dtype.kind
    if kind in "US":
        return _strings_to_bytes(arr)
    if kind == "O":
        return _objects_to_bytes(arr)
    if _holds_numpy(value):
        return arr  # a list of numpy values keeps their dtype (TF stacks them)
    if kind == "f":
        return arr.astype(np.float32)
    if kind in "iu":
        fits = arr.size == 0 or (arr.min() >= _INT32_MIN and arr.max() <= _INT32_MAX)
        return arr.astype(np.int32 if fits else np.int64)
    return arr


def _holds_numpy(value: Any) -> bool:
    """Whether a list's first leaf is a numpy value (one leaf decides: no walk)."""
    first = value
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    return first is not value and isinstance(first, (np.generic, np.ndarray))


def _strings_to_bytes(arr: np.ndarray) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(arr.reshape(-1).tolist()):
        flat[i] = v.encode() if isinstance(v, str) else bytes(v)
    return out


def _objects_to_bytes(arr: np.ndarray) -> np.ndarray:
    flat = arr.reshape(-1)
    if all(isinstance(v, bytes) for v in flat) or (
        flat.size and all(is_dataset(v) for v in flat)
    ):
        return arr
    if all(isinstance(v, (str, bytes)) for v in flat):
        return _strings_to_bytes(arr)
    raise InvalidArgumentError(
        "Can't convert a ragged or mixed nested list to a tensor; "
        f"got values of types {sorted({type(v).__name__ for v in flat})}"
    )


def to_leaf(value: Any) -> Any:
    """Turn a value into an element leaf: 0-d arrays become numpy scalars/bytes.

    Example:
        >>> to_leaf(3), to_leaf("s"), to_leaf(np.array(2.0))
        (np.int32(3), b's', np.float64(2.0))
    """
    if isinstance(value, (np.generic, bytes, RaggedTensor)) or value is None:
        return value
    if is_dataset(value):
        return value
    if isinstance(value, np.ndarray) and value.ndim:
        return value if value.dtype.kind not in "US" else _strings_to_bytes(value)
    arr = to_array(value)
    if isinstance(arr, np.ndarray) and arr.ndim == 0:
        return arr[()]
    return arr


def to_element(value: Any) -> Any:
    """Normalize a user value into an element.

    A list at the top becomes a tuple; a list below it is one array (as
    tf.data treats what a function returns).

    Example:
        >>> to_element([1, {"a": [2.0, 3.0]}])
        (np.int32(1), {'a': array([2., 3.], dtype=float32)})
    """
    if type(value) is list:
        value = tuple(value)
    return _element(value)


def _element(value: Any) -> Any:
    kind = type(value)
    if kind in LEAF_TYPES:
        return value
    if kind is np.ndarray and value.ndim and value.dtype.kind not in "US":
        return value
    if isinstance(value, tuple):
        items = [_element(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return type(value)((k, _element(v)) for k, v in value.items())
    return to_leaf(value)


def to_input_structure(value: Any) -> Any:
    """Convert an input structure (lists are array-likes) leaf by leaf to arrays.

    Example:
        >>> to_input_structure(([1, 2], {"s": "a"}))
        (array([1, 2], dtype=int32), {'s': array(b'a', dtype=object)})
    """
    if isinstance(value, tuple):
        items = [to_input_structure(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return type(value)((k, to_input_structure(v)) for k, v in value.items())
    return to_array(value)


def leaf_spec(value: Any, static_sparse: bool = False) -> TensorSpec:
    """The `TensorSpec` of one leaf.

    A sparse leaf's dims are unknown (its dense shape is data, as in a TF
    function), or its ``dense_shape`` when ``static_sparse`` (a value the
    user gave, as ``from_tensors`` takes it).

    Example:
        >>> leaf_spec(b"x"), leaf_spec(np.zeros((2, 3), np.int64))
        (TensorSpec(shape=(), dtype=string, name=None), \
TensorSpec(shape=(2, 3), dtype=int64, name=None))
    """
    if isinstance(value, bytes):
        return TensorSpec((), object)
    if isinstance(value, SparseTensor):
        shape = value.shape if static_sparse else (None,) * len(value.shape)
        return SparseTensorSpec(shape, value.values.dtype)
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec(
            value.shape, value.dtype, value.ragged_rank, value.row_splits_dtype
        )
    if value is None:
        return NoneTensorSpec()
    if is_dataset(value):
        return DatasetSpec(value.element_spec)
    if is_dataset_array(value):
        return DatasetSpec(value.flat[0].element_spec, value.shape)
    arr = np.asarray(value)
    return TensorSpec(arr.shape, arr.dtype)


def spec_of(element: Any, static_sparse: bool = False) -> Any:
    """The `TensorSpec` structure of an element (see `leaf_spec`).

    Example:
        >>> spec_of((np.int64(1), {"s": b"a"}))
        (TensorSpec(shape=(), dtype=int64, name=None), \
{'s': TensorSpec(shape=(), dtype=string, name=None)})
    """
    return pack(element, [leaf_spec(v, static_sparse) for v in flatten(element)])


def merge_specs(a: TensorSpec, b: TensorSpec) -> TensorSpec:
    """The most specific spec compatible with both (differing dims become None).

    Example:
        >>> merge_specs(TensorSpec((2, 3)), TensorSpec((2, 4))).shape
        (2, None)
    """
    if not isinstance(a, TensorSpec):
        return a
    kind = type(a)  # a SparseTensorSpec stays one
    if a.shape is None or b.shape is None or len(a.shape) != len(b.shape):
        return kind(None, a.dtype)
    return kind(tuple(x if x == y else None for x, y in zip(a.shape, b.shape)), a.dtype)
