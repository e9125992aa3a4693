"""Tensors, variables and sparse gradient slices of ``pipeline.nn``.

A :class:`Tensor` wraps one array of the active backend (numpy or cupy) and is
immutable. A :class:`Variable` is a named, mutable tensor that a
:class:`~pipeline.nn.tape.GradientTape` watches automatically when trainable.
:class:`IndexedSlices` is the sparse gradient of a row lookup (``ops.take``).

Example:
    >>> import numpy as np
    >>> t = Tensor(np.array([1.0, 2.0], np.float32))
    >>> (t * 2 + 1).numpy().tolist()
    [3.0, 5.0]
    >>> v = Variable([1.0, 2.0], name="w")
    >>> v.assign_add([1.0, 1.0]).numpy().tolist()
    [2.0, 3.0]
"""

from __future__ import annotations

import itertools
from types import ModuleType
from typing import Any

import numpy as np

from pipeline.nn import backend

_ops_module: ModuleType | None = None
_variable_ids = itertools.count()


def _ops() -> ModuleType:
    global _ops_module
    if _ops_module is None:
        import pipeline.nn.ops as ops_package  # noqa: PLC0415  (ops import tensor)

        _ops_module = ops_package
    return _ops_module


def to_array(value: Any, dtype: Any = None) -> Any:
    """The backend array of a tensor, variable, array or Python value.

    Python floats become float32 and Python ints int32, as in TensorFlow.

    Example:
        >>> to_array(1.5).dtype, to_array([1, 2]).dtype
        (dtype('float32'), dtype('int32'))
    """
    if isinstance(value, Tensor):
        array = value._array
    elif backend.get().is_array(value):
        array = value
    else:
        array = np.asarray(value)
        if dtype is None and not isinstance(value, np.ndarray | np.generic):
            if array.dtype == np.float64:
                array = array.astype(np.float32)
            elif array.dtype == np.int64:
                array = array.astype(np.int32)
        array = backend.xp().asarray(array)
    if dtype is not None and array.dtype != np.dtype(dtype):
        array = array.astype(dtype)
    return array


class Tensor:
    """An immutable array of the active backend, the value ops work on.

    Args:
        value: an array, a tensor or a (nested) Python list or number.
        dtype: optional numpy dtype to cast to.

    Example:
        >>> import numpy as np
        >>> t = Tensor([[1.0, 2.0]])
        >>> t.shape, t.dtype, np.asarray(t).tolist()
        ((1, 2), dtype('float32'), [[1.0, 2.0]])
    """

    __slots__ = ("_array", "_keras_logits", "_keras_mask", "__weakref__")
    __array_priority__ = 100

    def __init__(self, value: Any, dtype: Any = None) -> None:
        self._array = to_array(value, dtype)
        self._keras_logits: Tensor | None = None
        # Keras 3's mask metadata: a boolean array (batch, steps) or None,
        # set by masking layers and read by the layers and losses after them.
        self._keras_mask: Any = None

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, a tuple of ints."""
        return tuple(self._array.shape)

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype."""
        return self._array.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._array.ndim

    def numpy(self) -> np.ndarray:
        """The value as a host numpy array.

        Example:
            >>> Tensor(3.0).numpy()
            array(3., dtype=float32)
        """
        return backend.to_numpy(self._array)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.numpy()
        return out.astype(dtype) if dtype is not None else out

    def __len__(self) -> int:
        return len(self._array)

    def __float__(self) -> float:
        return float(self.numpy())

    def __int__(self) -> int:
        return int(self.numpy())

    def __bool__(self) -> bool:
        return bool(self.numpy())

    def __repr__(self) -> str:
        return f"<Tensor shape={self.shape} dtype={self.dtype} numpy={self.numpy()!r}>"

    def __getitem__(self, key: Any) -> Tensor:
        return _ops().getitem(self, key)

    def __add__(self, other: Any) -> Tensor:
        return _ops().add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _ops().add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _ops().subtract(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ops().subtract(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _ops().multiply(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ops().multiply(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _ops().divide(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops().divide(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _ops().matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops().matmul(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _ops().power(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _ops().power(other, self)

    def __neg__(self) -> Tensor:
        return _ops().negative(self)

    def __abs__(self) -> Tensor:
        return _ops().abs(self)

    def __lt__(self, other: Any) -> Tensor:
        return Tensor(self._array < to_array(other))

    def __le__(self, other: Any) -> Tensor:
        return Tensor(self._array <= to_array(other))

    def __gt__(self, other: Any) -> Tensor:
        return Tensor(self._array > to_array(other))

    def __ge__(self, other: Any) -> Tensor:
        return Tensor(self._array >= to_array(other))


class Variable(Tensor):
    """A mutable, named tensor: model weights and optimizer state.

    Args:
        initial_value: the starting value (array-like, tensor, or a callable
            returning one).
        trainable: whether a ``GradientTape`` watches it automatically and
            ``Layer.trainable_weights`` lists it. Defaults to True.
        name: optional name. Defaults to ``"variable"``.
        dtype: optional numpy dtype; defaults to the value's (float32 for
            Python floats).

    Example:
        >>> v = Variable([[1.0, 2.0]], name="kernel")
        >>> v.assign([[3.0, 4.0]]).numpy().tolist()
        [[3.0, 4.0]]
        >>> v.name, v.shape, v.trainable
        ('kernel', (1, 2), True)
    """

    __slots__ = ("trainable", "name", "_uid", "constraint", "regularizer", "path")

    def __init__(
        self,
        initial_value: Any,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        if callable(initial_value):
            initial_value = initial_value()
        super().__init__(initial_value, dtype)
        self._array = self._array.copy()
        self.trainable = bool(trainable)
        self.name = name or "variable"
        self._uid = next(_variable_ids)
        # Keras's ``variable.constraint``: a projection layers attach
        # (``kernel_constraint=``), applied after each optimizer update.
        self.constraint: Any = None
        #: Keras's ``variable.regularizer`` (the penalty a layer attached, or None).
        self.regularizer: Any = None
        #: Keras's ``variable.path``: the name scopes it was created in, then its
        #: name (``"dense/kernel"``); the name alone outside any layer.
        self.path: str = self.name

    @property
    def value(self) -> Any:
        """The current backend array (read it; change it through ``assign``)."""
        return self._array

    def assign(self, value: Any) -> Variable:
        """Sets the value (same shape; cast to the variable's dtype).

        Example:
            >>> Variable([1.0]).assign([5.0]).numpy().tolist()
            [5.0]
        """
        array = to_array(value, self._array.dtype)
        if tuple(array.shape) != self.shape:
            array = backend.xp().broadcast_to(array, self.shape)
        self._array = array.copy()
        return self

    def assign_add(self, delta: Any) -> Variable:
        """Adds ``delta`` to the value.

        Example:
            >>> Variable([1.0]).assign_add([2.0]).numpy().tolist()
            [3.0]
        """
        self._array = self._array + to_array(delta, self._array.dtype)
        return self

    def assign_sub(self, delta: Any) -> Variable:
        """Subtracts ``delta`` from the value.

        Example:
            >>> Variable([1.0]).assign_sub([2.0]).numpy().tolist()
            [-1.0]
        """
        self._array = self._array - to_array(delta, self._array.dtype)
        return self

    def __repr__(self) -> str:
        return (
            f"<Variable '{self.name}' shape={self.shape} dtype={self.dtype} "
            f"numpy={self.numpy()!r}>"
        )

    def __hash__(self) -> int:
        return hash(self._uid)

    def __eq__(self, other: object) -> bool:
        return self is other


class IndexedSlices:
    """A sparse gradient: ``values`` for rows ``indices`` of a ``dense_shape`` array.

    Duplicate indices add up. This is what ``GradientTape.gradient`` returns for
    a variable read through a row lookup (an ``Embedding``), so optimizers update
    only the touched rows.

    Args:
        values: backend array of shape ``(n,) + dense_shape[1:]``.
        indices: 1-D integer backend array of length ``n``.
        dense_shape: the shape of the dense gradient.

    Example:
        >>> import numpy as np
        >>> s = IndexedSlices(np.ones((2, 3)), np.array([0, 0]), (4, 3))
        >>> s.to_dense()[0].tolist()
        [2.0, 2.0, 2.0]
    """

    __slots__ = ("values", "indices", "dense_shape")

    def __init__(self, values: Any, indices: Any, dense_shape: Any) -> None:
        self.values = to_array(values)
        self.indices = to_array(indices)
        self.dense_shape = tuple(int(d) for d in dense_shape)

    @property
    def shape(self) -> tuple[int, ...]:
        """The dense shape."""
        return self.dense_shape

    @property
    def dtype(self) -> np.dtype:
        """The values' dtype."""
        return self.values.dtype

    def to_dense(self) -> Any:
        """The dense backend array (duplicate rows summed).

        Example:
            >>> import numpy as np
            >>> s = IndexedSlices(np.ones((1, 2)), np.array([1]), (2, 2))
            >>> s.to_dense().tolist()
            [[0.0, 0.0], [1.0, 1.0]]
        """
        xp = backend.xp()
        out = xp.zeros(self.dense_shape, dtype=self.values.dtype)
        backend.scatter_add(out, self.indices, self.values)
        return out

    def numpy(self) -> np.ndarray:
        """The dense value as a host numpy array."""
        return backend.to_numpy(self.to_dense())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.numpy()
        return out.astype(dtype) if dtype is not None else out

    def __repr__(self) -> str:
        return (
            f"<IndexedSlices rows={len(self.indices)} dense_shape={self.dense_shape}>"
        )
