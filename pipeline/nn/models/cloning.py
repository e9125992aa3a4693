"""``clone_model``: the same architecture with new layers (and new weights).

A functional model is replayed on new ``Input``s with each layer passed through
``clone_function`` (by default ``from_config(get_config())``) and each call
through ``call_function``; a ``Sequential`` is rebuilt from its cloned layers.
With ``recursive=True`` nested models are cloned the same way.

Example:
    >>> from pipeline.nn import Model, layers
    >>> x = layers.Input((3,))
    >>> model = Model(x, layers.Dense(2, name="d")(x))
    >>> clone = clone_model(model)
    >>> clone.get_layer("d") is model.get_layer("d"), clone.output_shape
    (False, (None, 2))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.nn.layers._symbolic import KerasTensor, flatten, map_structure
from pipeline.nn.layers.input_layer import Input, InputLayer
from pipeline.nn.models.functional import Model
from pipeline.nn.models.functional_inputs import same_structure
from pipeline.nn.models.sequential import Sequential


def _default_clone(layer: Any) -> Any:
    return type(layer).from_config(layer.get_config())


def _wrap(
    clone_function: Callable[[Any], Any] | None,
    call_function: Callable[..., Any] | None,
    recursive: bool,
    cache: dict[int, Any],
) -> Callable[[Any], Any]:
    clone = clone_function or _default_clone

    def wrapped(layer: Any) -> Any:
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, Sequential):
            new = clone_model(layer, clone_function=clone, recursive=True, cache=cache)
        elif recursive and isinstance(layer, Model) and layer._functional:
            new = clone_model(
                layer,
                clone_function=clone,
                call_function=call_function,
                recursive=True,
                cache=cache,
            )
        else:
            new = clone(layer)
        cache[id(layer)] = new
        return new

    return wrapped


def clone_model(
    model: Any,
    input_tensors: Any = None,
    clone_function: Callable[[Any], Any] | None = None,
    call_function: Callable[..., Any] | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> Any:
    """A new model of the same architecture as ``model`` (Keras 3's ``clone_model``).

    Args:
        model: a ``Sequential``, functional or subclassed ``Model``.
        input_tensors: optional ``Input`` tensor(s) to build the clone on, in
            the structure of ``model.input``.
        clone_function: maps each layer to its replacement. Defaults to a fresh
            layer from the layer's config (new weights).
        call_function: ``call_function(layer, *args, **kwargs)`` makes each call
            of a functional clone (to insert layers, say).
        recursive: whether nested models are cloned too.

    Raises:
        ValueError: for an unknown keyword, ``input_tensors`` of another
            structure, or ``clone_function``/``call_function`` where Keras
            does not accept them.

    Example:
        >>> from pipeline.nn import layers
        >>> seq = Sequential([layers.Input((2,)), layers.Dense(1)])
        >>> clone_model(seq).output_shape
        (None, 1)
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs)}")
    wrapped = _wrap(
        clone_function, call_function, recursive, {} if cache is None else cache
    )
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                "`call_function` argument is not supported with Sequential "
                "models. In a Sequential model, layers aren't called at "
                "model-construction time (they're merely listed). Use "
                "`call_function` with Functional models only."
            )
        clone = _clone_sequential(model, wrapped, input_tensors)
    elif isinstance(model, Model) and model._functional:
        clone = _clone_functional(model, wrapped, input_tensors, call_function)
    else:
        _check_subclassed(model, clone_function, input_tensors, call_function)
        clone = type(model).from_config(model.get_config())
    _compile_like(model, clone)
    return clone


def _check_subclassed(
    model: Any, clone_function: Any, input_tensors: Any, call_function: Any
) -> None:
    if clone_function is not None or input_tensors is not None:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported "
            "for Sequential models or Functional models. Received model of "
            f"type '{type(model).__name__}'"
        )
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. "
            f"Received model of type '{type(model).__name__}'"
        )


def _clone_sequential(model: Sequential, clone: Any, input_tensors: Any) -> Sequential:
    new_layers: list[Any] = [clone(layer) for layer in model.layers]
    first = model._stack[0] if model._stack else None
    if input_tensors is not None:
        if isinstance(input_tensors, list | tuple):
            if len(input_tensors) != 1:
                raise ValueError(
                    "Argument `input_tensors` must contain a single tensor."
                )
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError(
                "Argument `input_tensors` must be a KerasTensor. Received "
                f"invalid value: input_tensors={input_tensors!r}"
            )
        new_layers.insert(0, _input_like(input_tensors, first))
    elif isinstance(first, InputLayer):
        new_layers.insert(
            0,
            Input(
                batch_shape=first.batch_shape,
                dtype=first.dtype,
                name=first.name,
                optional=getattr(first, "optional", False),
            ),
        )
    return Sequential(new_layers, name=model.name, trainable=model.trainable)


def _input_like(tensor: KerasTensor, first: Any) -> Any:
    if isinstance(getattr(tensor.node, "layer", None), InputLayer):
        return tensor
    name = first.name if isinstance(first, InputLayer) else None
    return Input(batch_shape=tensor.shape, dtype=tensor.dtype, name=name)


def _clone_functional(
    model: Model, clone: Any, input_tensors: Any, call_function: Any
) -> Model:
    if input_tensors is not None:
        if not all(isinstance(x, KerasTensor) for x in flatten(input_tensors)):
            raise ValueError(
                "All entries in `input_tensors` must be KerasTensors. Received "
                f"invalid values: inputs_tensors={input_tensors!r}"
            )
        if not same_structure(input_tensors, model.input) or isinstance(
            input_tensors, dict
        ) != isinstance(model.input, dict):
            raise ValueError(
                "`input_tensors` must have the same structure as model.input"
                f"\nReference structure: {model.input}"
                f"\nReceived structure: {input_tensors}"
            )
    else:
        input_tensors = map_structure(
            lambda x: Input(batch_shape=x.shape, dtype=x.dtype, name=x.name),
            model.input,
        )
    values = dict(zip(map(id, model.inputs), flatten(input_tensors), strict=True))
    for node in model._nodes:
        _replay(node, values, clone, call_function)
    outputs = map_structure(lambda t: values[id(t)], model._outputs_struct)
    return Model(input_tensors, outputs, name=model.name)


def _replay(node: Any, values: dict[int, Any], clone: Any, call_function: Any) -> None:
    def value(t: Any) -> Any:
        return values[id(t)] if isinstance(t, KerasTensor) else t

    layer = clone(node.layer)
    args = (map_structure(value, node.inputs), *map_structure(value, list(node.args)))
    kwargs = dict(node.kwargs)
    result = (
        call_function(layer, *args, **kwargs)
        if call_function
        else layer(*args, **kwargs)
    )
    for old, new in zip(flatten(node.outputs), flatten(result), strict=True):
        values[id(old)] = new


def _compile_like(model: Any, clone: Any) -> None:
    if not getattr(model, "compiled", False):
        return
    config = dict(getattr(model, "_compile_config", None) or {})
    optimizer = model.optimizer
    if optimizer is not None and hasattr(optimizer, "get_config"):
        optimizer = type(optimizer).from_config(optimizer.get_config())
    clone.compile(optimizer=optimizer, **config)
