"""What ``compile`` sets up: per-output losses and metrics, and their logs.

The loss of a batch is the weighted sum of each output's loss (reduced with
``"sum_over_batch_size"``) plus the model's regularization losses. Metrics are
created on the first batch, when the label and prediction shapes are known
(``"accuracy"`` then resolves to binary, sparse or categorical accuracy).

Example:
    >>> import numpy as np
    >>> c = CompiledLoss("mse", None, ["out"])
    >>> float(c([np.ones((2, 1))], [np.zeros((2, 1), np.float32)], None))
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import losses as losses_module
from pipeline.nn import ops
from pipeline.nn.tensor import Tensor


def _per_output(
    spec: Any, names: list[str], what: str, dict_outputs: bool = False
) -> list[Any]:
    if isinstance(spec, dict):
        unknown = [key for key in spec if key not in names]
        if what == "loss" and not dict_outputs and len(spec) != len(names):
            unknown = unknown or [n for n in names if n not in spec]  # Keras: all
        if unknown:
            _unknown_keys(spec, unknown, names, what, dict_outputs)
        return [spec.get(name) for name in names]
    if isinstance(spec, list | tuple) and len(names) > 1:
        if len(spec) != len(names):
            raise ValueError(
                f"`{what}` has {len(spec)} entries for {len(names)} outputs."
            )
        return list(spec)
    return [spec] + [spec] * (len(names) - 1) if what == "loss" else [spec]


def _unknown_keys(
    spec: dict, unknown: list[str], names: list[str], what: str, dict_outputs: bool
) -> None:
    """Keras's errors for dict keys that name no output."""
    if what != "loss":
        raise ValueError(
            f"Unknown output names {unknown}.\nInvalid `{what}`. `{what}` should "
            "contain metrics objects and either be a dict or a list matching the "
            f"output names of the functional model {names}.\nReceived: "
            f"{what}={spec}"
        )
    if dict_outputs:
        raise KeyError(
            f"The path: ({unknown[0]!r},) in the `loss` argument, can't be found "
            "in either the model's output (`y_pred`) or in the labels (`y_true`)."
        )
    raise ValueError(
        f"Expected keys {names} in loss dict, but found loss.keys()={list(spec)}"
    )


def per_output_weights(sample_weight: Any, names: list[str]) -> list[Any]:
    """One ``sample_weight`` per output: a dict follows the output names, a
    list the outputs' order; anything else is shared by every output.

    Example:
        >>> per_output_weights({"b": 2, "a": 1}, ["a", "b"])
        [1, 2]
    """
    if isinstance(sample_weight, dict):
        return [sample_weight.get(name) for name in names]
    if isinstance(sample_weight, list | tuple) and len(names) > 1:
        return list(sample_weight) + [None] * (len(names) - len(sample_weight))
    return [sample_weight] * len(names)


_CROSSENTROPY = ("crossentropy", "ce")


def _crossentropy_for(y_true: Any, y_pred: Any) -> Any:
    """Keras's "crossentropy": binary for one output unit, sparse categorical
    for integer-like labels of lower rank (or one column), else categorical."""
    t, p = np.shape(y_true), np.shape(y_pred)
    if p and p[-1] == 1:
        return losses_module.get("binary_crossentropy")
    if len(t) < len(p) or (t and t[-1] == 1 and p and p[-1] > 1):
        return losses_module.get("sparse_categorical_crossentropy")
    return losses_module.get("categorical_crossentropy")


def _loss_name(spec: Any, loss: Any, default: str) -> str:
    while isinstance(spec, list | tuple) and len(spec) == 1:
        spec = spec[0]
    if isinstance(spec, str):
        return spec
    return getattr(loss, "name", None) or default


def _loss_object(identifier: Any) -> Any:
    while isinstance(identifier, list | tuple) and len(identifier) == 1:
        identifier = identifier[0]  # Keras accepts [loss] for one output
    if identifier is None:
        return None
    if isinstance(identifier, list | tuple):  # several losses on one output
        return LossSum([_loss_object(item) for item in identifier])
    if isinstance(identifier, str) and identifier.lower() in _CROSSENTROPY:
        return identifier  # resolved from the first batch's shapes
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    return losses_module.LossFunctionWrapper(loss, name=getattr(loss, "__name__", None))


class LossSum:
    """Several losses on one output (Keras's nested list entry), summed.

    Example:
        >>> total = LossSum([_loss_object("mse"), _loss_object("mae")])
        >>> float(total(np.ones((2, 1)), np.zeros((2, 1), np.float32), None))
        2.0
    """

    def __init__(self, losses: list[Any]) -> None:
        self.losses = [loss for loss in losses if loss is not None]
        self.name = getattr(self.losses[0], "name", "loss") if self.losses else "loss"

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        total: Any = None
        for loss in self.losses:
            value = loss(y_true, y_pred, sample_weight)
            total = value if total is None else ops.add(total, value)
        return total


class CompiledLoss:
    """Per-output losses times ``loss_weights``, summed. A "crossentropy"
    loss becomes binary, sparse or categorical from the first batch's shapes.

    Example:
        >>> CompiledLoss("mae", None, ["a"]).names
        ['a']
    """

    def __init__(
        self,
        loss: Any,
        loss_weights: Any,
        names: list[str],
        dict_outputs: bool = False,
        unnamed: bool = False,
    ) -> None:
        self.names = names
        specs = _per_output(loss, names, "loss", dict_outputs)
        self.losses = [_loss_object(item) for item in specs]
        # what Keras logs as "<name>_loss": the output's name, or for outputs
        # without one (a subclassed model's list) the loss's own name
        self.log_names = [
            _loss_name(spec, loss_object, name) if unnamed else name
            for name, spec, loss_object in zip(names, specs, self.losses, strict=True)
        ]
        weights = (
            _per_output(loss_weights, names, "loss")
            if loss_weights is not None
            else None
        )
        self.weights = [
            1.0 if w is None else float(w) for w in (weights or [None] * len(names))
        ]
        self.last_values: list[Any] = []

    def _resolve(self, name: str, y_true: Any, y_pred: Any) -> Any:
        loss = _loss_object(_crossentropy_for(y_true, y_pred))
        self.losses = [loss if item is name else item for item in self.losses]
        return loss

    def __call__(
        self, y_true: list[Any], y_pred: list[Any], sample_weight: Any
    ) -> Tensor:
        total: Any = None
        self.last_values = []
        weights = per_output_weights(sample_weight, self.names)
        for loss, weight, t, p, sw in zip(
            self.losses, self.weights, y_true, y_pred, weights, strict=False
        ):
            if loss is None or t is None:
                self.last_values.append(None)
                continue
            if isinstance(loss, str):
                loss = self._resolve(loss, t, p)
            value = loss(t, p, sw)
            self.last_values.append(value)
            value = ops.multiply(value, weight) if weight != 1.0 else value
            total = value if total is None else ops.add(total, value)
        if total is None:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()`."
            )
        return total


class CompiledMetrics:
    """The compiled metrics of every output, built on the first batch.

    Example:
        >>> CompiledMetrics(None, None, ["out"]).metrics
        []
    """

    def __init__(self, metrics: Any, weighted_metrics: Any, names: list[str]) -> None:
        self.names = names
        self._specs = [
            _per_output(metrics, names, "metrics"),
            _per_output(weighted_metrics, names, "weighted_metrics"),
        ]
        self.metrics: list[Any] = []
        self._slots: list[tuple[int, bool, Any]] = []
        self.built = False

    def build(self, y_true: list[Any], y_pred: list[Any]) -> None:
        from pipeline.nn import metrics as metrics_module  # noqa: PLC0415  (written separately)

        prefix = len(self.names) > 1
        for weighted, specs in ((False, self._specs[0]), (True, self._specs[1])):
            for out, spec in enumerate(specs):
                items = spec if isinstance(spec, list | tuple) else [spec]
                for item in items:
                    if item is None or out >= len(y_true):
                        continue
                    metric = metrics_module.get_metric(item, y_true[out], y_pred[out])
                    metric.name = self._name(metric.name, out, weighted, prefix)
                    self.metrics.append(metric)
                    self._slots.append((out, weighted, metric))
        self.built = True

    def _name(self, name: str, out: int, weighted: bool, prefix: bool) -> str:
        """Keras's log name: ``<output>_`` for several outputs, ``weighted_``
        when an unweighted metric has the name already, ``_1``... if taken."""
        full = f"{self.names[out]}_{name}" if prefix else name
        if weighted and any(m.name == full for m in self.metrics):
            name = f"weighted_{name}"
            full = f"{self.names[out]}_{name}" if prefix else name
        return self._unique(full)

    def _unique(self, name: str) -> str:
        """``name``, or ``name_1``, ``name_2``... if taken (Keras's rule)."""
        taken = {m.name for m in self.metrics}
        candidate, i = name, 0
        while candidate in taken:
            i += 1
            candidate = f"{name}_{i}"
        return candidate

    def update_state(
        self, y_true: list[Any], y_pred: list[Any], sample_weight: Any
    ) -> None:
        """Updates every metric with numpy labels and predictions."""
        if not self.built:
            self.build(y_true, y_pred)
        weights = per_output_weights(sample_weight, self.names)
        for out, weighted, metric in self._slots:
            metric.update_state(
                y_true[out],
                y_pred[out],
                sample_weight=weights[out] if weighted else None,
            )

    def reset_state(self) -> None:
        """Resets every metric."""
        for metric in self.metrics:
            metric.reset_state()


class MeanTracker:
    """A running weighted mean (the ``loss`` entry of the logs), as float32.

    Example:
        >>> t = MeanTracker(); t.update(2.0, 3); t.update(4.0, 1); t.result()
        2.5
    """

    def __init__(self) -> None:
        self.total = np.float64(0.0)
        self.count = np.float64(0.0)

    def update(self, value: float, weight: float) -> None:
        self.total += np.float64(value) * weight
        self.count += weight

    def result(self) -> float:
        return float(np.float32(self.total / self.count)) if self.count else 0.0

    def reset_state(self) -> None:
        self.total = np.float64(0.0)
        self.count = np.float64(0.0)


def per_output(x: Any, names: list[str] | None = None) -> list[Any]:
    """``x`` as a list of per-output values; a dict follows ``names`` (the
    model's output names) when it holds them all, else its sorted keys.

    Example:
        >>> per_output({"a": 1, "b": 2}, ["b", "a"]), per_output(None)
        ([2, 1], [None])
    """
    if x is None:
        return [None]
    if isinstance(x, dict):
        if names and all(name in x for name in names):
            return [x[name] for name in names]
        return [x[k] for k in sorted(x)]
    if isinstance(x, list | tuple):
        return list(x)
    return [x]


def align_labels(labels: list[Any], losses: list[Any]) -> list[Any]:
    """``labels`` laid over the outputs: one per output, or one per output
    that has a loss (the others get None).

    Raises:
        ValueError: when the labels fit neither layout.

    Example:
        >>> align_labels(["y"], [None, "mse", None])
        [None, 'y', None]
    """
    if len(labels) == len(losses) or (len(labels) == 1 and labels[0] is None):
        return labels + [None] * (len(losses) - len(labels))
    active = [i for i, loss in enumerate(losses) if loss is not None]
    if len(labels) != len(active):
        raise ValueError(
            "y_true and y_pred have different structures. "
            f"Got {len(labels)} labels for {len(losses)} outputs "
            f"({len(active)} with a loss)."
        )
    out: list[Any] = [None] * len(losses)
    for i, label in zip(active, labels, strict=True):
        out[i] = label
    return out


def names_from_outputs(y_pred: Any) -> list[str]:
    """Output names of a subclassed model from its outputs' structure.

    Example:
        >>> names_from_outputs({"b": 0, "a": 1}), names_from_outputs([0, 1])
        (['a', 'b'], ['output_1', 'output_2'])
    """
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    if isinstance(y_pred, list | tuple) and len(y_pred) > 1:
        return [f"output_{i + 1}" for i in range(len(y_pred))]
    return ["output"]


class OutputLossTrackers:
    """Running means of each output's (unweighted) loss, logged by Keras as
    ``<output>_loss`` when several outputs have a loss.

    Example:
        >>> c = CompiledLoss(["mse", "mse"], None, ["a", "b"])
        >>> _ = c([np.ones(2), np.ones(2)], [np.zeros(2), np.ones(2)], None)
        >>> t = OutputLossTrackers(); t.update(c, 2); t.results()
        {'a_loss': 1.0, 'b_loss': 0.0}
    """

    def __init__(self) -> None:
        self._trackers: dict[str, MeanTracker] = {}

    def update(self, compiled: CompiledLoss | None, batch_size: int) -> None:
        values = compiled.last_values if compiled is not None else []
        if compiled is None or sum(v is not None for v in values) < 2:
            return
        for name, value in zip(compiled.log_names, values, strict=False):
            if value is not None:
                tracker = self._trackers.setdefault(name, MeanTracker())
                tracker.update(float(value), batch_size)

    def results(self) -> dict[str, float]:
        return {f"{name}_loss": t.result() for name, t in self._trackers.items()}

    def reset_state(self) -> None:
        for tracker in self._trackers.values():
            tracker.reset_state()
