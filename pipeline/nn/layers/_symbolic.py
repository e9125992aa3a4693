"""Symbolic tensors for the functional API: ``Input`` and the graph of layer calls.

Calling a layer on :class:`KerasTensor` inputs does not compute: it builds the
layer, infers the output shape by running it on small stand-in arrays, and
records a :class:`Node` so a functional ``Model`` can replay the graph.

Example:
    >>> x = KerasTensor((None, 3), name="x")
    >>> x.shape
    (None, 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.nn import saving_registry
from pipeline.nn.tensor import Tensor

_STAND_INS = (2, 3)


def _dtype_name(dtype: Any) -> str:
    """A dtype's name; ``"string"`` (and str, bytes, object) for text inputs."""
    if dtype is None:
        return "float32"
    if dtype in ("string", str, bytes, object):
        return "string"
    return str(np.dtype(dtype))


class KerasTensor:
    """A symbolic tensor: a shape (None for unknown), a dtype and its producer.

    Python operators on it (``+``, ``*``, ``x[:, 1:]``...) become graph
    operations. Keras's signature; ``sparse`` and ``ragged`` must be False
    (dense tensors only) and ``record_history`` is accepted for compatibility.

    Raises:
        ValueError: for ``sparse=True`` or ``ragged=True``.

    Example:
        >>> KerasTensor((None, 2), "float32").dtype
        'float32'
    """

    sparse = False
    ragged = False

    def __init__(
        self,
        shape: Any,
        dtype: Any = "float32",
        sparse: bool = False,
        ragged: bool = False,
        record_history: bool = True,
        name: str | None = None,
    ) -> None:
        if sparse or ragged:
            raise ValueError(
                "Symbolic tensors here are dense: `sparse` and `ragged` must be "
                f"False. Received: sparse={sparse}, ragged={ragged}"
            )
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = _dtype_name(dtype)
        self.name = name
        self.node: Node | None = None
        self.index = 0

    @property
    def ndim(self) -> int:
        """The rank."""
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    # Operators become graph operations (``TensorOp`` nodes), as in Keras 3.
    def __getitem__(self, key: Any) -> KerasTensor:
        return _ops().getitem(self, key)

    def __neg__(self) -> KerasTensor:
        return _ops().unary("negative", self)

    def __abs__(self) -> KerasTensor:
        return _ops().unary("absolute", self)

    def __invert__(self) -> KerasTensor:
        return _ops().unary("logical_not", self)

    def __round__(self, ndigits: Any = None) -> KerasTensor:
        return _ops().unary("round", self)


def _ops() -> Any:
    from pipeline.nn.layers import _symbolic_ops  # noqa: PLC0415  (imports Layer)

    return _symbolic_ops


def _binary_method(op: str, swapped: bool) -> Callable[[KerasTensor, Any], Any]:
    def method(self: KerasTensor, other: Any) -> Any:
        return _ops().binary(op, self, other, swapped=swapped)

    return method


for _op, _names in {
    "add": ("add", "radd"), "subtract": ("sub", "rsub"), "multiply": ("mul", "rmul"),
    "divide": ("truediv", "rtruediv"), "matmul": ("matmul", "rmatmul"),
    "power": ("pow", "rpow"), "floor_divide": ("floordiv", "rfloordiv"),
    "mod": ("mod", "rmod"), "logical_and": ("and", "rand"),
    "logical_or": ("or", "ror"), "logical_xor": ("xor", "rxor"),
    "less": ("lt", None), "less_equal": ("le", None), "greater": ("gt", None),
    "greater_equal": ("ge", None), "not_equal": ("ne", None),
}.items():  # fmt: skip
    setattr(KerasTensor, f"__{_names[0]}__", _binary_method(_op, False))
    if _names[1] is not None:
        setattr(KerasTensor, f"__{_names[1]}__", _binary_method(_op, True))
KerasTensor.__hash__ = object.__hash__  # type: ignore[method-assign]


class NodeIO:
    """Keras's ``Layer.input`` and ``Layer.output``: the tensors of the first
    symbolic call (mixed into ``Layer``).

    Example:
        >>> from pipeline.nn.layers import Dense, Input
        >>> x = Input((3,)); dense = Dense(2); y = dense(x)
        >>> dense.input is x, dense.output is y
        (True, True)
    """

    @property
    def input(self) -> Any:
        """The input tensor(s) of the layer's first symbolic call."""
        return _node_attribute(self, "inputs", "input")

    @property
    def output(self) -> Any:
        """The output tensor(s) of the layer's first symbolic call."""
        return _node_attribute(self, "outputs", "output")

    @output.setter
    def output(self, value: Any) -> None:
        self.__dict__["_output_override"] = value


def _node_attribute(layer: Any, field: str, what: str) -> Any:
    if what == "output" and "_output_override" in layer.__dict__:
        return layer.__dict__["_output_override"]
    nodes = layer.__dict__.get("_inbound_nodes") or []
    if not nodes:
        raise AttributeError(
            f"The layer {layer.name} has never been called and thus has no "
            f"defined {what}."
        )
    return getattr(nodes[0], field)


class Node:
    """One call of ``layer`` on symbolic ``inputs`` giving symbolic ``outputs``.

    Example:
        >>> Node(None, [], {}, KerasTensor((1,))).parents()
        []
    """

    def __init__(
        self,
        layer: Any,
        inputs: Any,
        kwargs: dict[str, Any],
        outputs: Any,
        args: tuple = (),
    ):
        self.layer = layer
        self.inputs = inputs
        self.args = tuple(args)
        self.kwargs = kwargs
        self.outputs = outputs
        if layer is not None:
            layer._inbound_nodes.append(self)
        for i, out in enumerate(flatten(outputs)):
            out.node, out.index = self, i

    def parents(self) -> list[KerasTensor]:
        """The symbolic tensors this call reads (inputs, then positional args)."""
        leaves = flatten(self.inputs) + flatten(list(self.args))
        return [t for t in leaves if isinstance(t, KerasTensor)]


def flatten(structure: Any) -> list[Any]:
    """The leaves of nested lists, tuples and dicts (dicts in sorted key order).

    Example:
        >>> flatten({"b": 2, "a": [1, (3,)]})
        [1, 3, 2]
    """
    if isinstance(structure, dict):
        return [x for k in sorted(structure) for x in flatten(structure[k])]
    if isinstance(structure, list | tuple):
        return [x for item in structure for x in flatten(item)]
    return [structure]


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Applies ``fn`` to every leaf, keeping the structure.

    Example:
        >>> map_structure(lambda x: x * 2, {"a": [1, 2]})
        {'a': [2, 4]}
    """
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    if isinstance(structure, list | tuple):
        items = [map_structure(fn, v) for v in structure]
        return tuple(items) if isinstance(structure, tuple) else items
    return fn(structure)


def has_symbolic(structure: Any) -> bool:
    """Whether any leaf is a :class:`KerasTensor`.

    Example:
        >>> has_symbolic([1.0, KerasTensor((1,))])
        True
    """
    return any(isinstance(x, KerasTensor) for x in flatten(structure))


def _stand_in(shape: Any, dtype: str, fill: int) -> Any:
    concrete = tuple(fill if d is None else d for d in shape)
    saving_registry.check_size(concrete, "a symbolic input")
    if dtype == "string":
        return np.full(concrete, "", dtype=object)
    if np.dtype(dtype).kind in "iu":
        return np.zeros(concrete, dtype)
    return np.full(concrete, 0.5, dtype)


_SYMBOLIC_DEPTH = [0]


def in_symbolic_run() -> bool:
    """Whether a layer is being run on stand-in values to infer shapes.

    Example:
        >>> in_symbolic_run()
        False
    """
    return _SYMBOLIC_DEPTH[0] > 0


def _run(
    layer: Any, inputs: Any, kwargs: dict[str, Any], fill: int, more: tuple = ()
) -> Any:
    args = map_structure(_concrete(fill), inputs)
    rest = map_structure(_concrete(fill), list(more))
    kwargs = dict(kwargs, training=False)
    _SYMBOLIC_DEPTH[0] += 1
    try:
        return layer(args, *rest, **kwargs)
    finally:
        _SYMBOLIC_DEPTH[0] -= 1


def _stand_in_runs(
    layer: Any, inputs: Any, kwargs: dict[str, Any], more: tuple
) -> tuple[Any, Any]:
    """Runs ``layer`` on two sizes of stand-ins, leaving its state as it was.

    Keras's symbolic calls change no variable; here the stand-in runs are real
    calls, so the layer is built first and the values of its non-trainable
    weights (counters, moving statistics) are put back afterwards.
    """
    if not layer.built:
        stand_ins = map_structure(_concrete(_STAND_INS[0]), inputs)
        rest = map_structure(_concrete(_STAND_INS[0]), list(more))
        layer._maybe_build(stand_ins, tuple(rest), dict(kwargs))
    saved = [(v, np.array(v.numpy(), copy=True)) for v in layer.non_trainable_weights]
    try:
        first = _run(layer, inputs, kwargs, _STAND_INS[0], more)
        second = _run(layer, inputs, kwargs, _STAND_INS[1], more)
    finally:
        for variable, value in saved:
            variable.assign(value)
    return first, second


def _concrete(fill: int) -> Callable[[Any], Any]:
    def concrete(t: Any) -> Any:
        if isinstance(t, KerasTensor):
            return _stand_in(t.shape, t.dtype, fill)
        return t

    return concrete


def _shapes_of(first: Any, second: Any) -> Any:
    out_a, out_b = flatten(first), flatten(second)
    specs = []
    for a, b in zip(out_a, out_b, strict=True):
        shape = tuple(
            None if da != db else da for da, db in zip(a.shape, b.shape, strict=True)
        )
        specs.append(KerasTensor(shape, str(a.dtype)))
    return specs


def _rebuild(structure: Any, leaves: list[Any]) -> Any:
    if isinstance(structure, dict):
        return {k: _rebuild(structure[k], leaves) for k in sorted(structure)}
    if isinstance(structure, list | tuple):
        items = [_rebuild(v, leaves) for v in structure]
        return tuple(items) if isinstance(structure, tuple) else items
    return leaves.pop(0)


def symbolic_call(layer: Any, inputs: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
    """Builds ``layer`` for symbolic ``inputs`` and records the call as a node.

    Example:
        >>> from pipeline.nn.layers import Dense
        >>> Dense(4)(KerasTensor((None, 3))).shape
        (None, 4)
    """
    kwargs = {k: v for k, v in kwargs.items() if k != "training" or v is not None}
    first, second = _stand_in_runs(layer, inputs, kwargs, args)
    layer._clear_losses()  # the stand-ins' penalties are no losses (Keras: none)
    specs = _shapes_of(first, second)
    for spec in specs:
        spec.name = layer.name
    outputs = _rebuild(map_structure(lambda t: t, first), list(specs))
    Node(layer, inputs, kwargs, outputs, args)
    layer._output_shape = [s.shape for s in specs]
    return outputs


def infer_output_shape(layer: Any, input_shape: Any) -> Any:
    """The output shape(s) of ``layer`` for ``input_shape`` (None: unknown).

    Example:
        >>> from pipeline.nn.layers import Flatten
        >>> infer_output_shape(Flatten(), (None, 2, 3))
        (None, 6)
    """

    def is_shape(x: Any) -> bool:
        return isinstance(x, tuple | list) and all(isinstance(d, int | None) for d in x)

    if is_shape(input_shape):
        spec: Any = KerasTensor(input_shape)
    else:
        spec = [KerasTensor(s) for s in input_shape]
    first, second = _stand_in_runs(layer, spec, {}, ())
    shapes = [s.shape for s in _shapes_of(first, second)]
    return shapes[0] if isinstance(first, Tensor) else shapes
