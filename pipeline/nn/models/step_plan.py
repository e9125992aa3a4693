"""A precomputed training step for ``Dense`` stacks (``fit``'s fast path).

When a model is a ``Sequential`` of ``Dense`` layers, or a single-input,
single-output functional graph of ``Dense``, ``Add`` and ``Flatten`` (on 2-D
values) nodes where each intermediate value feeds one node (a chain, or
branches joined by ``Add`` as in wide-and-deep), compiled with sparse
categorical crossentropy or mean squared error (mean reduction, no other
option), ``fit`` runs each training step after the first as straight
numpy/BLAS code: forward, loss, backward, then the optimizer's own ``apply``
(so clipping, schedules, EMA and the fused Adam kernel are the optimizer's).
There is no tape, no ``Layer.__call__`` and no loss object; the logs and
metrics get the same values. Hidden ``Dense`` activations: linear or relu; the
output's may also be softmax (crossentropy only).

The arithmetic follows the general path's ops in their order (the same numpy
calls on the same operands), so weights, losses and metrics are bit-identical
to a fit with the plan off (``tests/nn/test_step_plan.py`` checks it). Anything
else -- another layer, loss or activation, regularizers, constraints, a
custom ``train_step``/``compute_loss``/``call``, ``sample_weight`` or
``class_weight``, non-float32 inputs, loss scaling -- takes the general path.

The switches, for comparison: ``ENABLED`` (module level; ``disabled()`` turns
it off for a block) and the environment variable ``PIPELINE_STEP_PLAN=off``
(read at each ``fit``). Only the numpy backend is planned.

Example:
    >>> import numpy as np
    >>> from pipeline.nn import Sequential, layers
    >>> model = Sequential([layers.Input((3,)), layers.Dense(2, activation="softmax")])
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    >>> _ = model.fit(np.ones((4, 3), np.float32), np.zeros(4), verbose=0)
    >>> build(model) is not None
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline import _config
from pipeline.nn import activations, backend
from pipeline.nn.layers.core import Dense
from pipeline.nn.layers.merging import Add
from pipeline.nn.layers.reshaping import Flatten
from pipeline.nn.models import step_plan_losses
from pipeline.nn.optimizers import _access

ENABLED = True
_F32 = np.dtype(np.float32)
_HIDDEN = {activations.relu: "relu", activations.linear: None}
_LAST = {**_HIDDEN, activations.softmax: "softmax"}


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Runs the block with the step plan off (every step on the general path).

    Example:
        >>> from pipeline.nn.models import step_plan
        >>> with disabled():
        ...     step_plan.ENABLED
        False
        >>> step_plan.ENABLED
        True
    """
    global ENABLED
    saved, ENABLED = ENABLED, False
    try:
        yield
    finally:
        ENABLED = saved


def _sequential_ops(model: Any) -> tuple[list[Any], int] | None:
    """A ``Sequential``'s layers as ``(layer, inputs, output)`` value ids."""
    stack = list(model.layers)
    if not stack or type(stack[-1]) is not Dense:
        return None
    return [(layer, [i], i + 1) for i, layer in enumerate(stack)], len(stack)


def _functional_ops(model: Any) -> tuple[list[Any], int] | None:
    """A one-input, one-output functional model's nodes as value ids, when
    every node is called on symbolic inputs alone, with equal ``Add`` shapes."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return None
    ids = {id(model.inputs[0]): 0}
    ops = []
    for node in model._nodes:
        inputs = node.inputs if isinstance(node.inputs, list | tuple) else [node.inputs]
        outputs = (
            node.outputs if isinstance(node.outputs, list | tuple) else [node.outputs]
        )
        if node.args or node.kwargs or len(outputs) != 1:
            return None
        if any(id(t) not in ids for t in inputs):
            return None
        if len({tuple(t.shape) for t in inputs}) != 1:
            return None  # Add broadcasting: not planned
        ids[id(outputs[0])] = len(ids)
        ops.append((node.layer, [ids[id(t)] for t in inputs], ids[id(outputs[0])]))
    output = ids.get(id(model.outputs[0]))
    if output is None or not ops or type(ops[-1][0]) is Flatten:
        return None  # the output must be an array of its own (no reused one)
    return ops, output


def _graph(model: Any) -> tuple[list[Any], int] | None:
    from pipeline.nn.models.functional import Model  # noqa: PLC0415
    from pipeline.nn.models.sequential import Sequential  # noqa: PLC0415

    if type(model) is Sequential:
        return _sequential_ops(model)
    if type(model) is Model and model._functional:
        return _functional_ops(model)
    return None


def _dense_ok(layer: Any, table: dict[Any, Any]) -> bool:
    return (
        layer.built
        and layer.trainable
        and layer.activation in table
        and layer.kernel_regularizer is None
        and layer.bias_regularizer is None
        and layer.activity_regularizer is None
        and layer.kernel_constraint is None
        and layer.bias_constraint is None
        and layer._pending_weights is None
        and _access.read(layer.kernel).dtype == _F32
    )


def _op_ok(op: Any, output: int, softmax_ok: bool) -> bool:
    layer, inputs, out = op
    kind = type(layer)
    if kind is Dense:
        table = (_LAST if softmax_ok else _HIDDEN) if out == output else _HIDDEN
        return len(inputs) == 1 and _dense_ok(layer, table)
    if kind is Flatten:  # on the 2-D values the plan takes: the identity
        return len(inputs) == 1
    return kind is Add and len(inputs) >= 2 and layer.activity_regularizer is None


def _ops(model: Any, softmax_ok: bool) -> tuple[list[Any], int] | None:
    """The model's planned ops and output id, or None when they are outside
    the plan (other layers, a layer used twice, a value feeding two nodes)."""
    graph = _graph(model)
    if graph is None:
        return None
    ops, output = graph
    used = [i for _, inputs, _ in ops for i in inputs if i != 0]
    if sorted(used + [output]) != list(range(1, len(ops) + 1)):
        return None  # every value but the input feeds exactly one node
    if len({id(layer) for layer, _, _ in ops}) != len(ops):
        return None
    if not all(_op_ok(op, output, softmax_ok) for op in ops):
        return None
    return ops, output


def _model_ok(model: Any) -> bool:
    from pipeline.nn.models.training import Trainer  # noqa: PLC0415
    from pipeline.nn.optimizers._averaging import Averaging  # noqa: PLC0415

    kind = type(model)
    optimizer = model.optimizer
    return (
        kind.train_step is Trainer.train_step
        and kind.compute_loss is Trainer.compute_loss
        and optimizer is not None
        and optimizer.built
        and getattr(optimizer, "loss_scale_factor", None) is None
        and type(optimizer).scale_loss is Averaging.scale_loss
        and not model.losses
    )


def build(model: Any) -> StepPlan | None:
    """The model's step plan, or None when the general path must run.

    Example:
        >>> from pipeline.nn import Sequential, layers
        >>> build(Sequential([layers.Input((2,)), layers.Dense(1)])) is None
        True
    """
    compiled = model.compiled_loss
    if not (ENABLED and _config.step_plan()) or backend.name() != "numpy":
        return None
    if compiled is None or not _model_ok(model):
        return None
    if len(compiled.losses) != 1 or compiled.weights != [1.0]:
        return None
    kind = step_plan_losses.loss_kind(compiled.losses[0])
    found = None if kind is None else _ops(model, kind[0] == "scce")
    if kind is None or found is None:
        return None
    ops, output = found
    last = ops[-1][0] if ops[-1][2] == output else None
    softmax = (
        last is not None
        and type(last) is Dense
        and last.activation is activations.softmax
    )
    if kind == ("scce", False) and not softmax:
        return None  # probabilities read through log(clip(p)): not planned
    variables = list(model._fit_variables or model.trainable_weights)
    planned = [
        w
        for layer, _, _ in ops
        if type(layer) is Dense
        for w in (layer.kernel, layer.bias)
    ]
    if sorted(id(v) for v in variables) != sorted(
        id(v) for v in planned if v is not None
    ):
        return None
    return StepPlan(model, ops, variables, kind[0], softmax)


class StepPlan:
    """One training step of a planned model, as plain numpy calls.

    Built by :func:`build`; ``accepts`` tells whether a batch can take it.

    Example:
        >>> StepPlan.__name__
        'StepPlan'
    """

    def __init__(
        self, model: Any, ops: list[Any], variables: list[Any], loss: str, softmax: bool
    ) -> None:
        self.model = model
        self.compiled_loss = model.compiled_loss
        self.optimizer = model.optimizer
        self.ops = ops
        self.variables = variables
        self.loss = loss
        self.softmax = softmax
        denses = [layer for layer, _, _ in ops if type(layer) is Dense]
        functional = getattr(model, "_functional", False)
        width = model.inputs[0].shape[-1] if functional else None
        self.in_features = int(width or denses[0].kernel.shape[0])
        out = model.outputs[0].shape[-1] if functional else None
        self.out_units = int(out or ops[-1][0].units)
        # the values a gradient flows to: those computed from a weight (the
        # tape tracks no other, so e.g. a Flatten of the input gets none)
        self._arrays: dict[tuple[Any, ...], Any] = {}
        self.tracked: set[int] = set()
        for layer, inputs, out_id in ops:
            if type(layer) is Dense or self.tracked.intersection(inputs):
                self.tracked.add(out_id)

    def current(self, model: Any) -> bool:
        """Whether the model still has the loss and optimizer the plan was made for."""
        return (
            ENABLED
            and model.compiled_loss is self.compiled_loss
            and model.optimizer is self.optimizer
        )

    def accepts(self, x: Any, y: Any, sample_weight: Any) -> Any:
        """The batch's labels as the loss reads them when it can take the
        plan, else None."""
        if sample_weight is not None or type(x) is not np.ndarray:
            return None
        if x.dtype != _F32 or x.ndim != 2 or x.shape[1] != self.in_features:
            return None
        n = x.shape[0]
        if type(y) is not np.ndarray or n == 0 or y.dtype.kind not in "iuf":
            return None
        if self.loss == "mse":
            return y.astype(_F32) if y.shape == (n, self.out_units) else None
        if y.shape not in ((n,), (n, 1)):
            return None
        # the loss reads labels as float32, then as int64 (the general path's
        # casts); integers in the class range pass through float32 unchanged
        if y.dtype.kind == "f":
            y = y.astype(_F32)
        labels = y.astype(np.int64, copy=False).reshape(-1)
        if int(labels.min()) < 0 or int(labels.max()) >= self.out_units:
            return None  # the general path raises its error
        return labels

    def step(self, x: Any, y: Any, labels: Any) -> dict[str, float]:
        """One training step; returns the logs as ``train_step`` does."""
        values, masks = self._forward(x)
        output = values[self.ops[-1][2]]
        if self.loss == "mse":
            y_pred, loss, grad = step_plan_losses.mean_squared_error(labels, output)
        else:
            y_pred, loss, grad = step_plan_losses.softmax_crossentropy(output, labels)
            y_pred = y_pred if self.softmax else output
        grads = self._backward(values, masks, grad)
        self.optimizer.apply([grads[id(v)] for v in self.variables], self.variables)
        self.compiled_loss.last_values = [loss]
        return self.model._update_logs(x, y, y_pred, loss, None)

    def _scratch(self, key: tuple[Any, ...], shape: tuple[int, ...], dtype: Any) -> Any:
        """A reused array for an intermediate value of this batch shape (never
        one that leaves the step: outputs and weight gradients are fresh)."""
        array = self._arrays.get(key)
        if array is None:
            array = self._arrays[key] = np.empty(shape, dtype)
        return array

    def _forward(self, x: Any) -> tuple[dict[int, Any], dict[int, Any]]:
        values: dict[int, Any] = {0: x}
        masks: dict[int, Any] = {}
        n, final = x.shape[0], self.ops[-1][2]
        for layer, inputs, out in self.ops:
            kind = type(layer)
            if kind is Flatten:
                values[out] = values[inputs[0]]
                continue
            if kind is Add:
                total = values[inputs[0]]
                for i in inputs[1:]:
                    total = total + values[i]
                values[out] = total
                continue
            kernel = _access.read(layer.kernel)
            if out == final:
                value = values[inputs[0]] @ kernel
            else:
                shape = (n, kernel.shape[1])
                value = self._scratch(("v", out, n), shape, _F32)
                np.matmul(values[inputs[0]], kernel, out=value)
            if layer.bias is not None:
                value += _access.read(layer.bias)
            if layer.activation is activations.relu:
                mask = self._scratch(("m", out, n), value.shape, np.bool_)
                masks[out] = np.greater(value, _F32.type(0), out=mask)
                np.maximum(value, _F32.type(0), out=value)
            values[out] = value  # a softmax output keeps its logits
        return values, masks

    def _backward(
        self, values: dict[int, Any], masks: dict[int, Any], g: Any
    ) -> dict[int, Any]:
        upstream = {self.ops[-1][2]: g}
        grads: dict[int, Any] = {}
        for layer, inputs, out in reversed(self.ops):
            g = upstream.pop(out, None)
            if g is None:  # computed from the input alone: no gradient
                continue
            if type(layer) is not Dense:
                upstream.update((i, g) for i in inputs if i in self.tracked)
                continue
            if out in masks:
                g = np.multiply(
                    g,
                    masks[out],
                    out=self._scratch(("g", out, g.shape[0]), g.shape, _F32),
                )
            grads[id(layer.kernel)] = values[inputs[0]].T @ g
            if layer.bias is not None:
                grads[id(layer.bias)] = g.sum(axis=0)
            if inputs[0] in self.tracked:
                kernel = _access.read(layer.kernel)
                shape = (g.shape[0], kernel.shape[0])
                dx = self._scratch(("d", out, g.shape[0]), shape, _F32)
                upstream[inputs[0]] = np.matmul(g, kernel.T, out=dx)
        return grads
