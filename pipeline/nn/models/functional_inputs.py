"""How a functional model takes its inputs: structure, names, rank and shape checks.

Keras 3's rules: inputs may come as the structure the model was built with, as
a dict keyed by input names, or a list for a one-input model; a mismatched
structure warns (or raises when it cannot be reconciled); an input one rank
off the ``Input``'s is squeezed or expanded on a trailing 1; the input spec
checks every non-batch dimension.

Example:
    >>> paths_of({"a": 1, "b": [2, 3]})
    ['a', 'b.0', 'b.1']
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.layers._symbolic import KerasTensor, flatten, map_structure
from pipeline.nn.layers.input_spec import InputSpec, assert_input_spec_compatibility
from pipeline.nn.tensor import Tensor


def paths_of(structure: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the leaves, in :func:`flatten` order (Keras's tree paths).

    Example:
        >>> paths_of([[1]])
        ['0.0']
    """
    if isinstance(structure, dict):
        keys = sorted(structure)
        return [p for k in keys for p in paths_of(structure[k], _join(prefix, k))]
    if isinstance(structure, list | tuple):
        return [
            p for i, v in enumerate(structure) for p in paths_of(v, _join(prefix, i))
        ]
    return [prefix]


def _join(prefix: str, key: Any) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def check_endpoints(inputs: Any, outputs: Any) -> None:
    """Raises Keras's errors when an input or output is not a symbolic tensor.

    Example:
        >>> check_endpoints([], [])
    """
    for what, structure in (("inputs", inputs), ("outputs", outputs)):
        for x in flatten(structure):
            if not isinstance(x, KerasTensor):
                raise ValueError(
                    f"All `{what}` values must be KerasTensors. Received: "
                    f"{what}={structure!r} including invalid value {x!r} of "
                    f"type {type(x)}"
                )
    if isinstance(inputs, dict):
        for key, value in inputs.items():
            if isinstance(value, KerasTensor) and key != value.name:
                warnings.warn(
                    "When providing `inputs` as a dict, all keys in the dict must "
                    "match the names of the corresponding tensors. Received key "
                    f"'{key}' mapping to value {value!r} which has name "
                    f"'{value.name}'. Change the tensor name to '{key}' (via "
                    f"`Input(..., name='{key}')`)",
                    stacklevel=3,
                )


def derived_input_spec(model: Any) -> list[InputSpec] | None:
    """Keras's specs of a functional model: each ``Input``'s shape without the
    batch size (a trailing 1 optional), named by input name or dict key; None
    for nested dict inputs (no check).

    Example:
        >>> derived_input_spec(None) is None
        True
    """
    if model is None or not getattr(model, "_functional", False):
        return None
    struct = model._inputs_struct
    if isinstance(struct, dict):
        if not all(isinstance(v, KerasTensor) for v in struct.values()):
            return None
        pairs = [(key, struct[key]) for key in sorted(struct)]
    else:
        pairs = [(t.node.layer.name, t) for t in model.inputs]
    return [
        InputSpec(
            shape=(None, *t.shape[1:]) if t.shape else (),
            allow_last_axis_squeeze=True,
            name=name,
            optional=getattr(t.node.layer, "optional", False),
        )
        for name, t in pairs
    ]


def check_input_spec(model: Any, inputs: Any) -> None:
    """Keras's checks of a functional model's inputs: a None only for an
    optional input, then the input spec (count, names and shapes).

    Raises:
        ValueError: naming the expected and found shapes or input counts.

    Example:
        >>> check_input_spec(None, None) is None
        True
    """
    if model is None:
        return
    for x, ref in zip(flatten(inputs), model.inputs):
        if x is None and not getattr(ref.node.layer, "optional", False):
            raise ValueError(
                f"The input '{ref.name}' is not optional, but None was passed. "
                "Please provide a valid tensor."
            )
    assert_input_spec_compatibility(model.input_spec, inputs, model.name)


def same_structure(a: Any, b: Any) -> bool:
    """Whether two nests have the same shape (lists and tuples alike).

    Example:
        >>> same_structure({"a": [1, 2]}, {"a": (3, 4)}), same_structure([1], 1)
        (True, False)
    """
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and sorted(a) == sorted(b)
            and all(same_structure(a[k], b[k]) for k in a)
        )
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return (
            isinstance(a, list | tuple)
            and isinstance(b, list | tuple)
            and len(a) == len(b)
            and all(same_structure(x, y) for x, y in zip(a, b))
        )
    return True


def _mismatch(model: Any, inputs: Any, fail: bool, quiet: bool) -> None:
    if not fail and same_structure(inputs, model._inputs_struct):
        return
    expected = map_structure(lambda t: t.name, model._inputs_struct)
    received = map_structure(
        lambda x: "None" if x is None else f"Tensor(shape={tuple(x.shape)})", inputs
    )
    message = (
        "The structure of `inputs` doesn't match the expected structure.\n"
        f"Expected: {expected}\nReceived: inputs={received}"
    )
    if fail:
        raise ValueError(message)
    if not quiet:
        warnings.warn(message, stacklevel=4)


def _reconcile(model: Any, inputs: Any) -> tuple[Any, bool]:
    """``inputs`` in the model's structure where Keras maps it, and whether the
    remaining mismatch is an error."""
    struct = model._inputs_struct
    fail = False
    if isinstance(struct, list) and len(struct) == 1 and _is_leaf(inputs):
        inputs = [inputs]
    elif isinstance(inputs, dict) and not isinstance(struct, dict):
        if isinstance(struct, list | tuple) and all(
            isinstance(t, KerasTensor) for t in struct
        ):
            if {t.name for t in struct} <= set(inputs):
                inputs = [inputs[t.name] for t in struct]
            else:
                fail = True
        elif isinstance(struct, KerasTensor) and struct.name in inputs:
            inputs = [inputs[struct.name]]
        else:
            fail = True
    if (
        isinstance(struct, dict)
        and not isinstance(inputs, dict)
        and list(struct) != sorted(struct)
    ):
        fail = True
    return inputs, fail


def _is_leaf(x: Any) -> bool:
    return not isinstance(x, list | tuple | dict)


def _pick(inputs: Any, struct: Any) -> Any:
    """The entries of dict ``inputs`` that ``struct`` names (extra keys dropped)."""
    if isinstance(inputs, dict) and isinstance(struct, dict):
        return {k: _pick(inputs[k], struct[k]) for k in struct if k in inputs}
    return inputs


def standardize_inputs(model: Any, inputs: Any, quiet: bool = False) -> list[Any]:
    """The flat list of values, one per ``model.inputs`` entry, cast and re-ranked.

    Raises:
        ValueError: for an unmappable structure, or a rank Keras cannot fix.

    Example:
        >>> standardize_inputs(None, None) == []
        True
    """
    if model is None:
        return []
    inputs, fail = _reconcile(model, inputs)
    _mismatch(model, inputs, fail, quiet)
    flat = flatten(_pick(inputs, model._inputs_struct))
    if len(flat) != len(model.inputs):
        raise ValueError(
            f"Model {model.name!r} expects {len(model.inputs)} input(s), but it "
            f"received {len(flat)} input tensors."
        )
    paths = paths_of(model._inputs_struct)
    return [
        _one_input(model, x, ref, path)
        for x, ref, path in zip(flat, model.inputs, paths, strict=True)
    ]


def _one_input(model: Any, x: Any, ref: KerasTensor, path: str) -> Any:
    if x is None:
        if getattr(ref.node.layer, "optional", False):
            return None
        raise ValueError(
            f"The input '{ref.name}' is not optional, but None was passed. "
            "Please provide a valid tensor."
        )
    if not isinstance(x, Tensor):
        x = Tensor(np.asarray(x))
    mask = getattr(x, "_keras_mask", None)
    if ref.dtype != "string" and np.dtype(ref.dtype) != x.dtype:  # text stays
        x = _with_mask(ops.cast(x, ref.dtype), mask)
    rank, want = len(x.shape), len(ref.shape)
    if rank == want:
        return x
    if rank == want + 1 and x.shape[-1] == 1:
        return _with_mask(ops.squeeze(x, axis=-1), mask)
    if rank == want - 1 and ref.shape[-1] == 1:
        return _with_mask(ops.expand_dims(x, axis=-1), mask)
    raise ValueError(
        f"Invalid input shape for input {x!r} with name '{ref.name}' and path "
        f"'{path}'. Expected shape {ref.shape}, but input has incompatible shape "
        f"{tuple(x.shape)}"
    )


def _with_mask(tensor: Any, mask: Any) -> Any:
    """``tensor`` carrying the input's mask (Keras keeps it through the re-rank)."""
    if mask is not None:
        tensor._keras_mask = mask
    return tensor
