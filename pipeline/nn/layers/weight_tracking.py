"""Keras 3's weight bookkeeping for layers: sublayers, weights, ``trainable``,
``get_weights``/``set_weights``, ``count_params`` and tracked metrics.

Example:
    >>> from pipeline.nn.layers import Dense
    >>> layer = Dense(2)
    >>> _ = layer([[1.0, 2.0, 3.0]])
    >>> [w.shape for w in layer.weights], layer.count_params()
    ([(3, 2), (2,)], 8)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import initializers, saving_registry
from pipeline.nn.layers import call_context
from pipeline.nn.tensor import Variable


class WeightTracking:
    """The weight methods of :class:`~pipeline.nn.layers.Layer`.

    Sublayers are found in attributes, directly or inside lists, tuples and
    dicts; weights come as this layer's trainable, then non-trainable, then the
    sublayers'.

    Example:
        >>> from pipeline.nn.layers import Layer
        >>> Layer().weights
        []
    """

    _trainable: bool
    _trainable_vars: list[Variable]
    _non_trainable_vars: list[Variable]
    _pending_weights: list[Any] | None
    built: bool
    name: str
    dtype: Any
    _regularized: list[tuple[Variable, Any]]

    def add_weight(
        self,
        *args: Any,
        shape: Any = None,
        initializer: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        name: str | None = None,
        regularizer: Any = None,
        constraint: Any = None,
        **kwargs: Any,
    ) -> Variable:
        """Creates a weight and tracks it (trainable first in ``weights``).

        As Keras 3: ``shape``, ``initializer`` and ``dtype`` may come by
        position; the initializer defaults to ``"glorot_uniform"`` for floats
        and ``"zeros"`` otherwise; the variable's ``path`` is the open layer
        scopes, this layer's name and ``name``.

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> Layer().add_weight(shape=(2,), initializer="zeros").numpy().tolist()
            [0.0, 0.0]
        """
        shape, initializer, dtype = _positional_weight_args(
            args, shape, initializer, dtype
        )
        unknown = set(kwargs) - {"autocast", "aggregation", "overwrite_with_gradient"}
        if unknown:
            raise TypeError(f"add_weight() got unexpected arguments {sorted(unknown)}")
        shape = () if shape is None else tuple(shape)
        saving_registry.check_size(shape, f"weight {name!r}", lasting=True)
        dtype = str(np.dtype(dtype or self.dtype))
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        value = initializers.get(initializer)(shape, dtype=dtype)
        var = Variable(value, trainable=trainable, name=name, dtype=dtype)
        with call_context.name_scope(self.name):
            var.path = f"{call_context.scope_path()}/{var.name}"
        (self._trainable_vars if trainable else self._non_trainable_vars).append(var)
        if regularizer is not None and not callable(regularizer):
            from pipeline.nn import regularizers  # noqa: PLC0415  (imports layers)

            regularizer = regularizers.get(regularizer)
        var.regularizer = regularizer
        if regularizer is not None:
            self._regularized.append((var, regularizer))
        if constraint is not None:
            from pipeline.nn import constraints  # noqa: PLC0415  (imports layers' peers)

            var.constraint = constraints.get(constraint)
        return var

    def _sublayers(self) -> list[Any]:
        """The layers held in attributes, directly or in lists, tuples and dicts
        (cached; the cache is dropped on assignment and after ``build``)."""
        cached = self.__dict__.get("_sublayer_cache")
        if cached is not None:
            return cached
        out: list[Any] = []
        for value in vars(self).values():
            if isinstance(value, dict):
                items = list(value.values())
            else:
                items = value if isinstance(value, list | tuple) else [value]
            for v in items:
                if (
                    isinstance(v, WeightTracking)
                    and v is not self
                    and all(v is not o for o in out)
                ):
                    out.append(v)
        self.__dict__["_sublayer_cache"] = out
        return out

    @property
    def metrics(self) -> list[Any]:
        """The metrics held in attributes of this layer and its sublayers.

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> Layer().metrics
            []
        """
        out = [
            v
            for v in vars(self).values()
            if not isinstance(v, WeightTracking)
            and callable(getattr(v, "update_state", None))
        ]
        for layer in self._sublayers():
            out += [m for m in layer.metrics if all(m is not o for o in out)]
        return out

    @property
    def metrics_variables(self) -> list[Any]:
        """The state variables of :attr:`metrics`."""
        return [v for m in self.metrics for v in m.variables]

    @property
    def trainable(self) -> bool:
        """Whether the layer's weights are trained."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for var in self._trainable_vars:  # created trainable: follows the layer
            var.trainable = bool(value)
        for layer in self._sublayers():
            layer.trainable = value

    @property
    def weights(self) -> list[Variable]:
        """All weights: this layer's trainable, then non-trainable, then sublayers'."""
        out: list[Variable] = []
        for v in self._trainable_vars + self._non_trainable_vars:
            if all(v is not w for w in out):
                out.append(v)
        for layer in self._sublayers():
            out.extend(w for w in layer.weights if all(w is not o for o in out))
        return out

    @property
    def trainable_weights(self) -> list[Variable]:
        """The weights a training step updates."""
        if not self.trainable:
            return []
        own = [v for v in self._trainable_vars if v.trainable]
        subs = [w for layer in self._sublayers() for w in layer.trainable_weights]
        return _unique(own + subs)

    @property
    def non_trainable_weights(self) -> list[Variable]:
        """The weights a training step leaves alone (e.g. moving statistics)."""
        trainable = self.trainable_weights
        return [w for w in self.weights if all(w is not t for t in trainable)]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def get_weights(self) -> list[Any]:
        """The weights as numpy arrays, in ``weights`` order.

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> Layer().get_weights()
            []
        """
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Sets the weights from numpy arrays, in ``weights`` order.

        Raises:
            ValueError: on a count or shape mismatch.

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> Layer().set_weights([])
        """
        own = self.weights
        if not own and weights and not self.built:
            # A model rebuilt from its config whose input shapes are only known
            # from data (dict inputs into feature columns): the weights are set
            # right after the first call builds it.
            self._pending_weights = list(weights)
            return
        if len(weights) != len(own):
            raise ValueError(
                f"Layer {self.name!r} expected {len(own)} weights, but received "
                f"{len(weights)} weights."
            )
        for var, value in zip(own, weights, strict=True):
            shape = tuple(getattr(value, "shape", ()))
            if shape != var.shape:
                raise ValueError(
                    f"Layer {self.name!r} weight shape {var.shape} is not compatible "
                    f"with provided weight shape {shape}."
                )
            var.assign(value)

    def count_params(self) -> int:
        """The number of scalars in all weights.

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> Layer().count_params()
            0
        """
        total = 0
        for w in self.weights:
            n = 1
            for d in w.shape:
                n *= d
            total += n
        return total


def _positional_weight_args(
    args: tuple, shape: Any, initializer: Any, dtype: Any
) -> tuple[Any, Any, Any]:
    """``add_weight``'s legacy positional form (shape, initializer, dtype)."""
    if len(args) > 3:
        raise TypeError(
            f"add_weight() takes at most 3 positional arguments but {len(args)} "
            "were given."
        )
    if args and isinstance(args[0], str):
        raise ValueError(
            "`name` must be passed as a keyword argument. Received: "
            f"add_weight('{args[0]}', ...). Use: add_weight(shape=..., "
            f"name='{args[0]}')."
        )
    given = {"shape": shape, "initializer": initializer, "dtype": dtype}
    for key, value in zip(given, args, strict=False):
        if given[key] is not None:
            raise ValueError(
                f"`{key}` was passed both positionally and as a keyword argument."
            )
        given[key] = value
    return given["shape"], given["initializer"], given["dtype"]


def _unique(items: list[Variable]) -> list[Variable]:
    out: list[Variable] = []
    for v in items:
        if all(v is not o for o in out):
            out.append(v)
    return out
