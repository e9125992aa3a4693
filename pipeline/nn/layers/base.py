"""The :class:`Layer` base class: weights, building, calling, configs, losses.

Subclasses override ``build(input_shape)`` (create weights with
:meth:`Layer.add_weight`), ``call(inputs, training=None)`` (compute with
:mod:`pipeline.nn.ops`) and ``get_config()`` (constructor arguments).

Example:
    >>> from pipeline.nn import ops
    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(), initializer="ones", name="w")
    ...     def call(self, inputs):
    ...         return ops.multiply(inputs, self.w)
    >>> layer = Scale()
    >>> layer([1.0, 2.0]).numpy().tolist()
    [1.0, 2.0]
    >>> [w.name for w in layer.weights]
    ['w']
"""

from __future__ import annotations

import inspect
import itertools
import re
from collections import defaultdict
from typing import Any

from pipeline.nn import ops
from pipeline.nn.layers import _symbolic, call_context
from pipeline.nn.layers.losses_tracking import LossTracking
from pipeline.nn.layers.mask_handling import MaskHandling
from pipeline.nn.layers.weight_tracking import WeightTracking
from pipeline.nn.tensor import Tensor, Variable

_name_counters: dict[str, itertools.count] = defaultdict(itertools.count)
# Attributes a call rewrites that never hold layers: assigning them keeps the
# cached sublayer list (rebuilding it on every call cost more than the call).
_BOOKKEEPING = frozenset(
    {
        "_added_losses",
        "_activity_losses",
        "_build_input_shape",
        "_inbound_nodes",
        "_output_shape",
        "_trainable_vars",
        "_non_trainable_vars",
        "_regularized",
        "_call_params",
        "_pending_weights",
    }
)


def unique_name(base: str) -> str:
    """``base``, then ``base_1``, ``base_2``... (Keras's auto names).

    Example:
        >>> unique_name("doc_layer"), unique_name("doc_layer")
        ('doc_layer', 'doc_layer_1')
    """
    n = next(_name_counters[base])
    return base if n == 0 else f"{base}_{n}"


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def resolve_regularizer(identifier: Any) -> Any:
    """A regularizer callable from a callable, a name or a config (or None).

    Example:
        >>> resolve_regularizer(None) is None
        True
    """
    if identifier is None or callable(identifier):
        return identifier
    from pipeline.nn import regularizers  # noqa: PLC0415  (written separately)

    return regularizers.get(identifier)


class Layer(WeightTracking, LossTracking, MaskHandling, _symbolic.NodeIO):
    """Base class of all layers (Keras 3's ``Layer``).

    Args:
        trainable: whether the weights are trained. Defaults to True.
        name: optional name; defaults to the snake_case class name, numbered.
        dtype: the weights' dtype. Defaults to float32.
        activity_regularizer: optional penalty on the layer's output, added to
            ``losses``.

    Example:
        >>> Layer(name="plain").name
        'plain'
    """

    #: Weights given to ``set_weights`` before the first call built the layer.
    _pending_weights: list[Any] | None = None
    #: Whether ``__call__`` turns array inputs into tensors (Keras's flag); layers
    #: that read raw features (strings, sparse values) set it to False.
    _convert_input_args = True
    #: Whether positional arguments after the first may be non-tensors (Keras's flag).
    _allow_non_tensor_positional_args = False

    def __init__(
        self,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
        activity_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        self._input_shape_arg = kwargs.pop("input_shape", None)
        if "input_dim" in kwargs:
            self._input_shape_arg = (kwargs.pop("input_dim"),)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
        if not isinstance(trainable, bool):
            raise ValueError(
                "Expected `trainable` to be a boolean. Received: "
                f"trainable={trainable} (of type {type(trainable)})"
            )
        self.name = name or unique_name(_snake(type(self).__name__))
        self._trainable = trainable
        self.dtype = dtype or "float32"
        self.built = False
        self._inbound_nodes: list[Any] = []
        self._output_shape: list[Any] | None = None
        self._trainable_vars: list[Variable] = []
        self._non_trainable_vars: list[Variable] = []
        self._regularized: list[tuple[Variable, Any]] = []
        self._activity_losses: list[Tensor] = []
        self._added_losses: list[Any] = []
        self.activity_regularizer = resolve_regularizer(activity_regularizer)
        self._inspect_call_signature()

    # -- weights ----------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if name not in _BOOKKEEPING and isinstance(value, Layer | list | tuple | dict):
            self.__dict__["_sublayer_cache"] = None
        object.__setattr__(self, name, value)

    # -- building and calling -----------------------------------------------------
    def build(self, input_shape: Any = None) -> None:
        """Creates the weights for inputs of ``input_shape`` (override this)."""
        self.built = True

    def call(self, inputs: Any) -> Any:
        """The forward computation (override this; Keras's base raises)."""
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `call` method implemented."
        )

    def _maybe_build(self, inputs: Any, args: tuple = (), kwargs: Any = None) -> None:
        if not self.built:
            shapes = _shapes(inputs)
            build_params = [
                p.name
                for p in inspect.signature(self.build).parameters.values()
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            ]
            if len(build_params) > 1:
                named = dict(zip(self._call_params, (inputs, *args), strict=False))
                named.update(kwargs or {})
                self.build(**self._build_arguments(build_params, named))
            else:
                self.build(shapes)
            self.__dict__["_build_input_shape"] = shapes  # summary()'s shapes
            self.built = True
            self.__dict__["_sublayer_cache"] = None

    def _build_arguments(self, build_params: list[str], named: dict) -> dict:
        """Keras's rule for a ``build`` of several ``<call argument>_shape``s."""
        out = {}
        for param in build_params:
            if not param.endswith("_shape"):
                raise ValueError(
                    f"For layer '{type(self).__name__}', Received `build()` "
                    f"argument `{param}`, which does not end in `_shape`."
                )
            arg = param[: -len("_shape")]
            if arg not in self._call_params:
                raise ValueError(
                    f"For layer '{type(self).__name__}', received `build()` "
                    f"argument `{param}`, but `call()` does not have argument "
                    f"`{arg}`."
                )
            if arg in named:
                out[param] = _shapes(named[arg])
        return out

    def _inspect_call_signature(self) -> None:
        params = inspect.signature(self.call).parameters
        self._call_params = [
            name
            for name, p in params.items()
            if p.kind
            not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        self._call_has_training = "training" in params
        self._call_has_mask = "mask" in params
        default = params["training"].default if self._call_has_training else None
        self._call_training_default = (
            None if default is inspect.Parameter.empty else default
        )

    def __call__(self, *args: Any, training: Any = None, **kwargs: Any) -> Any:
        inputs, args = self._split_inputs(args, kwargs)
        if args and not self._allow_non_tensor_positional_args:
            _check_positional(args)
        if type(inputs) is not Tensor or inputs.dtype.itemsize > 4:
            if _symbolic.has_symbolic(inputs):
                return _symbolic.symbolic_call(
                    self, inputs, args, dict(kwargs, training=training)
                )
            if self._convert_input_args:
                inputs = _convert_inputs(inputs)
        pushed = call_context.push_scope(self.name)
        context, opened = call_context.open_context()
        try:
            if not self.built:
                self._maybe_build(inputs, args, kwargs)
            if context.entry is None:
                context.entry = self
                self._clear_losses()
            training = context.resolve_training(training, self._call_training_default)
            if self._call_has_training and training is not None:
                kwargs["training"] = training
            previous_mask = self._populate_masks(inputs, args, kwargs)
            outputs = self._call_and_regularize(inputs, args, kwargs)
        finally:
            if opened:
                call_context.close_context()
            if pushed:
                call_context.pop_scope()
        if self.supports_masking:
            self._set_output_masks(inputs, outputs, previous_mask)
        return outputs

    def _split_inputs(self, args: tuple, kwargs: dict) -> tuple[Any, tuple]:
        """The first input (given by position or by its ``call`` name) and the rest."""
        if args:
            return args[0], args[1:]
        first = self._call_params[0] if self._call_params else "inputs"
        if first not in kwargs:
            raise TypeError(
                f"Layer {self.name!r} was called without its first input "
                f"argument {first!r}."
            )
        return kwargs.pop(first), ()

    def _call_and_regularize(self, inputs: Any, args: tuple, kwargs: dict) -> Any:
        outputs = self.call(inputs, *args, **kwargs)
        if self._pending_weights is not None and self.weights:
            pending, self._pending_weights = self._pending_weights, None
            self.set_weights(pending)
            outputs = self.call(inputs, *args, **kwargs)
        if self.activity_regularizer is not None:
            self._activity_losses = [
                _per_sample(self.activity_regularizer(out), out)
                for out in _symbolic.flatten(outputs)
                if isinstance(out, Tensor)
            ]
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for ``input_shape`` (None for unknown dimensions).

        Unless a subclass overrides it, the shape is inferred by running ``call``
        on small stand-in inputs.

        Example:
            >>> from pipeline.nn.layers import Flatten
            >>> Flatten().compute_output_shape((None, 2, 3))
            (None, 6)
        """
        if type(self).call is Layer.call:
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a "
                "`compute_output_shape` method implemented."
            )
        return _symbolic.infer_output_shape(self, input_shape)

    def compute_output_spec(self, inputs: Any, **kwargs: Any) -> Any:
        """Symbolic outputs (``KerasTensor``) for symbolic ``inputs``, computed
        from :meth:`compute_output_shape`; nothing is recorded in a graph.

        Example:
            >>> from pipeline.nn.layers import Dense, KerasTensor
            >>> Dense(4).compute_output_spec(KerasTensor((2, 3))).shape
            (2, 4)
        """
        shapes = _symbolic.map_structure(lambda t: tuple(t.shape), inputs)
        return _specs(self.compute_output_shape(shapes), self.dtype)

    # -- configs --------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (extend this in subclasses).

        Example:
            >>> Layer(name="x").get_config()
            {'name': 'x', 'trainable': True, 'dtype': 'float32'}
        """
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            from pipeline.nn.layers._weights import serialize_regularizer  # noqa: PLC0415

            config["activity_regularizer"] = serialize_regularizer(
                self.activity_regularizer
            )
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        """Rebuilds a layer from :meth:`get_config`.

        Raises:
            LayerConfigError: (a ``TypeError`` and a ``ValueError``, Keras's
                class) when the constructor refuses the config.

        Example:
            >>> Layer.from_config({"name": "y", "trainable": False}).trainable
            False
        """
        from pipeline.nn.layers._weights import refused_config  # noqa: PLC0415

        try:
            return cls(**config)
        except (TypeError, ValueError) as e:
            raise refused_config(cls, config, e) from e

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _convert_inputs(inputs: Any) -> Any:
    leaves = _symbolic.flatten(inputs)
    if isinstance(inputs, list | tuple) and all(
        isinstance(x, int | float) for x in leaves
    ):
        return _to_tensor(inputs)
    return _symbolic.map_structure(_to_tensor, inputs)


def _to_tensor(x: Any) -> Any:
    if x is None:
        return x
    tensor = x if isinstance(x, Tensor) else Tensor(x)
    if (
        tensor.dtype.kind == "f"
        and tensor.dtype != "float32"
        and tensor.dtype.itemsize > 4
    ):
        cast = ops.cast(tensor, "float32")
        cast._keras_mask = getattr(x, "_keras_mask", None)
        return cast
    return tensor


def _specs(shapes: Any, dtype: Any) -> Any:
    """``KerasTensor``s for a structure of shapes (a shape: a tuple of ints/None)."""
    if isinstance(shapes, dict):
        return {k: _specs(v, dtype) for k, v in shapes.items()}
    if isinstance(shapes, list | tuple) and all(
        isinstance(d, int | None) for d in shapes
    ):
        return _symbolic.KerasTensor(shapes, dtype)
    if isinstance(shapes, list | tuple):
        return type(shapes)(_specs(v, dtype) for v in shapes)
    raise ValueError(f"compute_output_shape returned {shapes!r}, not a shape")


def _shapes(value: Any) -> Any:
    return _symbolic.map_structure(
        lambda t: None if t is None else tuple(t.shape), value
    )


def _check_positional(args: tuple) -> None:
    for arg in _symbolic.flatten(list(args)):
        if arg is None or (hasattr(arg, "shape") and hasattr(arg, "dtype")):
            continue
        raise ValueError(
            "Only input tensors may be passed as positional arguments. The "
            f"following argument value should be passed as a keyword argument: "
            f"{arg!r} (of type {type(arg)})"
        )


def _per_sample(loss: Any, output: Tensor) -> Any:
    """An activity penalty divided by the batch size, as Keras 3.15 does."""
    if output.ndim == 0 or output.shape[0] == 0:
        return loss
    return ops.divide(loss, float(output.shape[0]))
