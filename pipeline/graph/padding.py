"""``padded_batch`` arguments, checked against the element spec at build time.

`padding_args` turns the user's ``padded_shapes`` and ``padding_values`` into
one entry per leaf of the element: a padded shape (a tuple whose ``None``
dims pad to the longest in the batch) and a padding value (``None``: zero or
``b""``). The errors are TF's: `ValueError` for a shape of the wrong rank,
smaller than a known dimension, not a vector, or missing for a component of
unknown rank; `TypeError` for a shape that is not integers or a padding value
of the wrong kind.

Example:
    >>> from pipeline.types import SparseTensorSpec, TensorSpec
    >>> spec = (TensorSpec((None,), np.int32), TensorSpec((), object))
    >>> padding_args(spec, None, (-1, "<end>"))
    ([(None,), ()], [np.int32(-1), b'<end>'])
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.structure import flatten, flatten_up_to
from pipeline.types import SparseTensorSpec, TensorSpec


def padding_args(
    spec: Any, padded_shapes: Any, padding_values: Any, static_dims: bool = True
) -> tuple[list, list]:
    """Per-leaf padded shapes and padding values for ``spec``'s leaves.

    With ``static_dims=False`` (a spec read off a sample element, see
    `declared_spec`) only ranks are checked here; a dimension longer than its
    padded size then fails when read.

    Example:
        >>> padding_args(TensorSpec((3,), np.int64), [-1], None)
        ([(None,)], [None])
    """
    if spec is None:  # an input with no element to learn its spec from
        return [None], [None]
    leaves = flatten(spec)
    if padded_shapes is None:
        shapes = [_default_shape(s, i) for i, s in enumerate(leaves)]
    else:
        given = _per_leaf(spec, padded_shapes, "padded_shapes")
        shapes = [_checked_shape(g, s, static_dims) for g, s in zip(given, leaves)]
    given = _spread(spec, padding_values)
    values = [_checked_value(v, s) for v, s in zip(given, leaves)]
    return shapes, values


def _spread(spec: Any, value: Any) -> list[Any]:
    """Padding values per leaf: a scalar or None covers a whole sub-structure."""
    if not isinstance(spec, (tuple, dict)):
        return [value]
    if value is None or not isinstance(value, (tuple, list, dict)):
        return [value] * len(flatten(spec))
    if isinstance(spec, dict):
        if not isinstance(value, dict) or sorted(value) != sorted(spec):
            raise ValueError(
                f"`padding_values` {value!r} must have the keys {sorted(spec)}."
            )
        return [x for k, s in spec.items() for x in _spread(s, value[k])]
    if isinstance(value, dict) or len(value) != len(spec):
        raise ValueError(
            f"`padding_values` {value!r} must have {len(spec)} components, as "
            "the elements do."
        )
    return [x for s, v in zip(spec, value) for x in _spread(s, v)]


#: Stages whose element spec is declared (by the source or by arithmetic on
#: the input's), not read off a sample output of a user function.
DECLARED_SPEC_OPS = frozenset(
    {
        "range",
        "from_tensors",
        "from_tensor_slices",
        "from_generator",
        "batch",
        "gather_batch",
        "padded_batch",
        "unbatch",
        "rebatch",
        "take",
        "skip",
        "repeat",
        "shuffle",
        "global_shuffle",
        "prefetch",
        "cache",
        "shard",
        "enumerate",
        "zip",
        "concatenate",
        "filter",
        "unique",
        "ignore_errors",
        "assert_cardinality",
    }
)


def declared_spec(node: Any) -> bool:
    """Whether ``node``'s static dims are declared rather than sampled.

    A ``map``'s spec comes from one sample output here (TF traces the function
    instead), so its known dims may be more specific than the data.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> declared_spec(RangeNode((), 0, 3, 1))
        True
    """
    if node.op not in DECLARED_SPEC_OPS:
        return False
    return all(declared_spec(p) for p in node.parents)


def _per_leaf(spec: Any, arg: Any, name: str) -> list[Any]:
    if not isinstance(spec, (tuple, dict)):
        return [arg]
    try:
        out = flatten_up_to(spec, arg)
    except (KeyError, TypeError) as e:
        raise ValueError(
            f"`{name}` must have the structure of the dataset's elements; "
            f"got {arg!r} for element spec {spec!r}."
        ) from e
    if isinstance(spec, tuple) and len(arg) != len(spec):
        raise ValueError(
            f"`{name}` has {len(arg)} components; the elements have {len(spec)}."
        )
    return out


def _dense(spec: Any) -> None:
    if not isinstance(spec, TensorSpec) or isinstance(spec, SparseTensorSpec):
        raise TypeError(
            f"`padded_batch` is only supported for dense tensors; got a "
            f"component of spec {spec!r}."
        )


def _default_shape(spec: Any, index: int) -> tuple:
    _dense(spec)
    if spec.shape is None:
        raise ValueError(
            "You must provide the `padded_shapes` argument because component "
            f"{index} has unknown rank."
        )
    return spec.shape


def _checked_shape(value: Any, spec: Any, static_dims: bool) -> tuple:
    _dense(spec)
    dims = _as_dims(value)
    static = spec.shape
    if static is not None and not static_dims:
        static = (None,) * len(static)
    if static is not None and not _compatible(dims, static):
        raise ValueError(
            f"The padded shape {dims} is not compatible with the shape "
            f"{spec.shape} of the corresponding input component."
        )
    return dims


def _as_dims(value: Any) -> tuple:
    """A padded shape as a tuple of ints and None (``-1`` means None)."""
    if hasattr(value, "as_list"):
        value = value.as_list()
    if isinstance(value, (list, tuple)) and all(_is_dim(d) for d in value):
        return _nonnegative(value, [None if d is None else int(d) for d in value])
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if arr.ndim != 1:
        raise ValueError(
            f"Padded shape {value} must be a `tf.int64` vector tensor, but its "
            f"shape was {arr.shape}."
        )
    if arr.dtype.kind not in "iu":
        kind = "float32" if arr.dtype == np.float64 else arr.dtype.name
        raise TypeError(
            f"Padded shape {value} must be a `tf.int64` vector tensor, but its "
            f"element type was {kind}."
        )
    return _nonnegative(value, [int(d) for d in arr])


def _nonnegative(value: Any, dims: list) -> tuple:
    """``dims`` with -1 as None; any other negative size is an error."""
    if any(d is not None and d < -1 for d in dims):
        raise InvalidArgumentError(
            f"Padded shape {value} has a negative dimension other than -1; each "
            "must be -1 (or None) or a size >= 0."
        )
    return tuple(None if d == -1 else d for d in dims)


def _is_dim(d: Any) -> bool:
    return d is None or (isinstance(d, numbers.Integral) and not isinstance(d, bool))


def _compatible(dims: tuple, static: tuple) -> bool:
    if len(dims) != len(static):
        return False
    return all(p is None or s is None or p >= s for p, s in zip(dims, static))


def _checked_value(value: Any, spec: Any) -> Any:
    """One padding value as a numpy scalar of the leaf's dtype (None kept)."""
    if value is None:
        return None
    _dense(spec)
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, str):
        value = value.encode()
    if np.ndim(value) != 0:
        raise ValueError(
            f"Padding value {value!r} must be a scalar; its shape is {np.shape(value)}."
        )
    value = value.item() if isinstance(value, np.ndarray) else value
    text = isinstance(value, bytes)
    if text != (spec.dtype.kind == "O"):
        raise TypeError(
            f"Padding value {value!r} does not match the component's dtype "
            f"{spec.dtype if spec.dtype.kind != 'O' else 'string'}."
        )
    return value if text else spec.dtype.type(value)
