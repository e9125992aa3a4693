"""Shared machinery of the preprocessing layers: calling, encoding, ``adapt``.

Preprocessing layers compute in numpy on the host (strings included), so they
bypass the tensor conversion of :class:`~pipeline.nn.layers.base.Layer`: a
call converts the inputs to numpy, computes, and wraps numeric results in a
:class:`~pipeline.nn.tensor.Tensor`. Symbolic inputs give a symbolic output
from ``compute_output_shape``.

Example:
    >>> encode(np.array([[1, 2, 2]]), "count", 4, "float32").tolist()
    [[0.0, 1.0, 2.0, 0.0]]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline.nn.layers import _symbolic
from pipeline.nn.layers.base import Layer
from pipeline.nn.tensor import Tensor

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def as_numpy(value: Any) -> np.ndarray:
    """``value`` as numpy; text becomes an object array of ``str``.

    Example:
        >>> as_numpy([b"a", "b"]).tolist()
        ['a', 'b']
    """
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    elif hasattr(value, "__array__") and not isinstance(value, np.ndarray):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind not in "USO":
        return value
    array = (
        np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value
    )
    if array.dtype.kind in "US" or (array.dtype == object and _has_text(array)):
        return _text_array(array)
    if array.dtype == object:
        return np.asarray(array.tolist())
    return array


def _has_text(array: np.ndarray) -> bool:
    flat = array.reshape(-1)
    return bool(flat.size) and isinstance(flat[0], str | bytes | np.str_ | np.bytes_)


def _text_array(array: np.ndarray) -> np.ndarray:
    flat = array.reshape(-1).tolist()
    if array.dtype.kind != "U" and not set(map(type, flat)) <= {str}:
        flat = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in flat]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(array.shape)


def is_text(array: np.ndarray) -> bool:
    """Whether ``array`` holds strings.

    Example:
        >>> is_text(as_numpy(["a"])), is_text(np.zeros(2))
        (True, False)
    """
    return array.dtype == object or array.dtype.kind in "US"


def encode(
    indices: np.ndarray,
    output_mode: str,
    depth: int,
    dtype: Any,
    count_weights: Any = None,
) -> np.ndarray:
    """Integer indices as ``int``, ``one_hot``, ``multi_hot`` or ``count`` (Keras's).

    Indices outside ``[0, depth)`` contribute nothing. ``one_hot`` drops a
    trailing axis of size 1; ``multi_hot`` and ``count`` reduce axis 1 (axis 0
    of rank-1 input, one sample), as Keras's TensorFlow backend does.

    Example:
        >>> encode(np.array([3, 0]), "one_hot", 4, "float32").tolist()
        [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]
    """
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
    if output_mode == "one_hot" and indices.ndim > 1 and indices.shape[-1] == 1:
        indices = indices.reshape(indices.shape[:-1])
    hot = (indices[..., None] == np.arange(depth)).astype(dtype)
    if output_mode == "one_hot":
        return hot
    axis = 1 if indices.ndim > 1 else 0
    if output_mode == "multi_hot":
        return hot.max(axis=axis) if hot.shape[axis] else hot.sum(axis=axis)
    if count_weights is not None:
        weights = np.asarray(count_weights)
        hot = hot.astype(weights.dtype) * weights[..., None]
    return hot.sum(axis=axis)


def check_output_mode(mode: Any, allowed: tuple[str, ...], caller: str) -> None:
    """Raises Keras's ``ValueError`` for an ``output_mode`` outside ``allowed``.

    Example:
        >>> check_output_mode("int", OUTPUT_MODES, "Hashing")
    """
    if not isinstance(mode, str) or mode not in allowed:
        raise ValueError(
            f"Unknown value for `output_mode` argument of {caller}. Allowed "
            f"values are: {allowed}. Received: output_mode={mode}"
        )


def check_salt(salt: Any, caller: str) -> list[int] | None:
    """``salt`` as Keras keeps it: None, or a list of 2 ints.

    Example:
        >>> check_salt(7, "Hashing")
        [7, 7]
    """
    if salt is None:
        return None
    if isinstance(salt, tuple | list) and len(salt) == 2:
        return [int(s) for s in salt]
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    raise ValueError(
        f"The `salt` argument for `{caller}` can only be a tuple of size 2 "
        f"integers, or a single integer. Received: salt={salt}."
    )


def batches(data: Any, steps: int | None = None) -> Iterator[Any]:
    """The batches ``adapt`` reads: ``data`` itself when it is an array, a
    tensor, a list or a tuple, else each element of the iterable (a
    ``pl.data.Dataset``, a generator), at most ``steps`` of them.

    Example:
        >>> [b.tolist() for b in batches(iter([np.ones(1), np.zeros(1)]), steps=1)]
        [[1.0]]
    """
    if isinstance(data, list | tuple | np.ndarray | Tensor) or not hasattr(
        data, "__iter__"
    ):
        yield data
        return
    yield from itertools.islice(data, steps)  # never pulls a batch past ``steps``


class PreprocessingLayer(Layer):
    """A layer computing in numpy, for strings as for numbers.

    Subclasses implement ``call`` on numpy inputs (returning numpy),
    ``compute_output_shape`` and ``output_dtype``.

    Example:
        >>> PreprocessingLayer(name="p").supports_masking
        False
    """

    supports_masking = False

    @property
    def output_dtype(self) -> str:
        """The dtype of the outputs."""
        return str(self.dtype)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("training", None)
        kwargs.pop("mask", None)
        if args:
            raise TypeError("Positional arguments after the inputs are not supported.")
        if _symbolic.has_symbolic(inputs):
            return self._symbolic_call(inputs, kwargs)
        if not self.built:
            self.build(None)
            self.built = True
        out = self.call(inputs, **kwargs)
        return _wrap(out)

    def compute_output_spec(self, inputs: Any, **kwargs: Any) -> Any:
        """The symbolic output for symbolic ``inputs``: shape and dtype, no graph node.

        Example:
            >>> from pipeline.nn import layers
            >>> spec = layers.Hashing(3).compute_output_spec(layers.Input((2,)))
            >>> spec.shape, spec.dtype
            ((None, 2), 'int64')
        """
        shapes = _symbolic.map_structure(lambda t: tuple(t.shape), inputs)
        shape = self.compute_output_shape(shapes)
        return _symbolic.KerasTensor(shape, self.output_dtype, name=self.name)

    def _symbolic_call(self, inputs: Any, kwargs: dict[str, Any]) -> Any:
        out = self.compute_output_spec(inputs)
        _symbolic.Node(self, inputs, kwargs, out)
        self._output_shape = [out.shape]
        return out

    def build(self, input_shape: Any = None) -> None:
        """Nothing to create: the state comes from arguments or ``adapt``."""
        self.built = True


def _wrap(out: Any) -> Any:
    if isinstance(out, np.ndarray) and out.dtype != object:
        return Tensor(out)
    if isinstance(out, np.ndarray):
        return Tensor(out)
    return out
