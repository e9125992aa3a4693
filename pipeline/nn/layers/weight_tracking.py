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


def _unique(items: list[Variable]) -> list[Variable]:
    out: list[Variable] = []
    for v in items:
        if all(v is not o for o in out):
            out.append(v)
    return out
