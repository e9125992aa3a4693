"""A precomputed training step for a chain of ``Dense`` layers (``fit``'s fast path).

When a model is a ``Sequential`` or a single-input, single-output functional
chain of ``Dense`` layers (and ``Flatten`` on 2-D input), compiled with sparse
categorical crossentropy (default reduction, no ``ignore_class``), ``fit`` runs
each training step (after the first) as straight numpy/BLAS code: forward,
loss, backward, then the optimizer's own ``apply``. There is no tape, no
``Layer.__call__`` and no loss object; the logs and metrics get the same values.

The arithmetic follows the general path's ops in their order (the same numpy
calls on the same operands), so weights, losses and metrics are bit-identical
to a fit with the plan off (``tests/nn/test_step_plan.py`` checks it). Anything
else -- another layer, loss or activation, regularizers, constraints, a
custom ``train_step``/``compute_loss``/``call``, ``sample_weight`` or
``class_weight``, non-float32 inputs, loss scaling -- takes the general path.

``ENABLED`` is the switch (module level; ``disabled()`` turns it off for a
block), for comparison.

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

from pipeline.nn import activations
from pipeline.nn.layers.core import Dense
from pipeline.nn.layers.reshaping import Flatten
from pipeline.nn.losses.loss import LossFunctionWrapper
from pipeline.nn.losses.probabilistic import SparseCategoricalCrossentropy
from pipeline.nn.ops.loss_functions import sparse_categorical_crossentropy
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


def _chain_layers(model: Any) -> list[Any] | None:
    """The model's layers in call order when it is a plain chain, else None."""
    from pipeline.nn.models.functional import Model  # noqa: PLC0415
    from pipeline.nn.models.sequential import Sequential  # noqa: PLC0415

    if type(model) is Sequential:
        return list(model.layers)
    if type(model) is not Model or not model._functional or len(model.inputs) != 1:
        return None
    previous, chain = model.inputs[0], []
    for node in model._nodes:
        if node.inputs is not previous or node.args or node.kwargs:
            return None
        outputs = node.outputs
        previous = outputs[0] if isinstance(outputs, list | tuple) else outputs
        if isinstance(outputs, list | tuple) and len(outputs) != 1:
            return None
        chain.append(node.layer)
    if len(model.outputs) != 1 or model.outputs[0] is not previous:
        return None
    return chain


def _dense_ok(layer: Any, last: bool) -> bool:
    table = _LAST if last else _HIDDEN
    return (
        type(layer) is Dense
        and layer.built
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


def _denses(model: Any) -> list[Any] | None:
    chain = _chain_layers(model)
    if not chain:
        return None
    denses = [layer for layer in chain if type(layer) is not Flatten]
    flattens_first = all(type(layer) is Flatten for layer in chain[: -len(denses)])
    if not denses or not flattens_first:
        return None
    if not all(_dense_ok(d, i == len(denses) - 1) for i, d in enumerate(denses)):
        return None
    return denses


def _scce_from_logits(loss: Any) -> bool | None:
    """Whether a supported SCCE loss reads logits; None for another loss."""
    if type(loss) not in (SparseCategoricalCrossentropy, LossFunctionWrapper):
        return None
    if loss.fn is not sparse_categorical_crossentropy or loss.dtype != "float32":
        return None
    if loss.reduction not in ("sum_over_batch_size", "mean"):
        return None
    kwargs = dict(loss._fn_kwargs)
    from_logits = bool(kwargs.pop("from_logits", False))
    if kwargs.pop("ignore_class", None) is not None or kwargs.pop("axis", -1) != -1:
        return None
    return None if kwargs else from_logits


def _model_ok(model: Any) -> bool:
    from pipeline.nn.models.training import Trainer  # noqa: PLC0415

    kind = type(model)
    optimizer = model.optimizer
    return (
        kind.train_step is Trainer.train_step
        and kind.compute_loss is Trainer.compute_loss
        and optimizer is not None
        and optimizer.built
        and getattr(optimizer, "loss_scale_factor", None) is None
        and type(optimizer).scale_loss is _scale_loss_of(optimizer)
        and not model.losses
    )


def _scale_loss_of(optimizer: Any) -> Any:
    from pipeline.nn.optimizers._averaging import Averaging  # noqa: PLC0415

    for cls in type(optimizer).__mro__:
        if "scale_loss" in cls.__dict__:
            return cls.__dict__["scale_loss"] if cls is Averaging else None
    return None


def build(model: Any) -> StepPlan | None:
    """The model's step plan, or None when the general path must run.

    Example:
        >>> from pipeline.nn import Sequential, layers
        >>> build(Sequential([layers.Input((2,)), layers.Dense(1)])) is None
        True
    """
    compiled = model.compiled_loss
    if not ENABLED or compiled is None or not _model_ok(model):
        return None
    if len(compiled.losses) != 1 or compiled.weights != [1.0]:
        return None
    from_logits = _scce_from_logits(compiled.losses[0])
    denses = _denses(model)
    if from_logits is None or denses is None:
        return None
    if denses[-1].activation is not activations.softmax and not from_logits:
        return None  # probabilities read through log(clip(p)): not planned
    variables = [w for d in denses for w in (d.kernel, d.bias) if w is not None]
    fit_variables = model._fit_variables or model.trainable_weights
    if [id(v) for v in fit_variables] != [id(v) for v in variables]:
        return None
    return StepPlan(model, denses, variables)


class StepPlan:
    """One training step of a Dense chain with SCCE, as plain numpy calls.

    Built by :func:`build`; ``accepts`` tells whether a batch can take it.

    Example:
        >>> StepPlan.__name__
        'StepPlan'
    """

    def __init__(self, model: Any, denses: list[Any], variables: list[Any]) -> None:
        self.model = model
        self.compiled_loss = model.compiled_loss
        self.optimizer = model.optimizer
        self.denses = denses
        self.variables = variables
        self.acts = [_LAST[d.activation] for d in denses]
        self.in_features = int(denses[0].kernel.shape[0])
        self.classes = int(denses[-1].kernel.shape[1])

    def current(self, model: Any) -> bool:
        """Whether the model still has the loss and optimizer the plan was made for."""
        return (
            ENABLED
            and model.compiled_loss is self.compiled_loss
            and model.optimizer is self.optimizer
        )

    def accepts(self, x: Any, y: Any, sample_weight: Any) -> Any:
        """The batch's int64 labels when it can take the plan, else None."""
        if sample_weight is not None or type(x) is not np.ndarray:
            return None
        if x.dtype != _F32 or x.ndim != 2 or x.shape[1] != self.in_features:
            return None
        n = x.shape[0]
        if type(y) is not np.ndarray or n == 0 or y.shape not in ((n,), (n, 1)):
            return None
        if y.dtype.kind not in "iuf":
            return None
        # the loss reads labels as float32, then as int64 (the general path's casts)
        labels = y.astype(_F32).astype(np.int64).reshape(-1)
        if int(labels.min()) < 0 or int(labels.max()) >= self.classes:
            return None  # the general path raises its error
        return labels

    def step(self, x: Any, y: Any, labels: Any) -> dict[str, float]:
        """One training step; returns the logs as ``train_step`` does."""
        outs, masks = self._forward(x)
        p, loss, grad = _softmax_ce(outs[-1], labels)
        grads = self._backward(x, outs, masks, grad)
        self.optimizer.apply(grads, self.variables)
        model = self.model
        self.compiled_loss.last_values = [loss]
        y_pred = p if self.acts[-1] == "softmax" else outs[-1]
        return model._update_logs(x, y, y_pred, loss, None)

    def _forward(self, x: Any) -> tuple[list[Any], list[Any]]:
        outs: list[Any] = []
        masks: list[Any] = []
        h = x
        for dense, act in zip(self.denses, self.acts, strict=True):
            out = h @ _access.read(dense.kernel)
            if dense.bias is not None:
                out += _access.read(dense.bias)
            mask = None
            if act == "relu":
                mask = out > 0
                np.maximum(out, _F32.type(0), out=out)
            outs.append(out)
            masks.append(mask)
            h = out
        return outs, masks

    def _backward(self, x: Any, outs: list[Any], masks: list[Any], g: Any) -> list[Any]:
        grads: list[Any] = []
        for i in range(len(self.denses) - 1, -1, -1):
            dense = self.denses[i]
            if masks[i] is not None:
                g = g * masks[i]
            a = outs[i - 1] if i else x
            pair = [a.T @ g]
            if dense.bias is not None:
                pair.append(g.sum(axis=0))
            grads[:0] = pair
            if i:
                g = g @ _access.read(dense.kernel).T
        return grads


def _softmax_ce(logits: Any, labels: Any) -> tuple[Any, Any, Any]:
    """The softmax, the mean crossentropy and its gradient wrt the logits, in
    the general path's order (``softmax``, then the fused sparse softmax
    crossentropy op, ``sum``, ``divide``; backward: ``1/n`` from the divide,
    broadcast by the sum, times ``softmax - onehot``)."""
    n = logits.shape[0]
    rows = np.arange(n)
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    total = e.sum(axis=-1, keepdims=True)
    p = e / total
    picked = z[rows, labels].reshape(total.shape)
    values = (np.log(total) - picked)[..., 0]
    count = _F32.type(n)
    loss = np.asarray(values.sum(axis=(0,))) / count
    scale = np.ones_like(loss) / count
    grad = p.copy()
    grad[rows, labels] -= _F32.type(1)
    return p, loss, grad * scale
