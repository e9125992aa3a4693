"""The epoch and batch loops behind ``fit``, ``evaluate`` and ``predict``.

Example:
    >>> resolve_verbose("auto")
    1
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from pipeline.nn.backend.threads import LoopThreads
from pipeline.nn.layers._symbolic import _rebuild, flatten
from pipeline.nn.models import data_adapter, step_plan


def loop_threads(model: Any, kind: str) -> LoopThreads:
    """The model's BLAS thread policy for ``kind`` ("train", "test", "predict").

    Example:
        >>> class M: pass
        >>> loop_threads(M(), "train") is loop_threads(M(), "train")
        False
    """
    table = model.__dict__.setdefault("_loop_threads", {})
    if kind not in table:
        table[kind] = LoopThreads()
    return table[kind]


def _examples(x: Any) -> int:
    shape = getattr(x, "shape", None)
    return int(shape[0]) if shape else int(data_adapter._length(x))


def timed_step(threads: LoopThreads, step: Any, x: Any, *args: Any) -> Any:
    """``step(x, *args)``, timed for the thread tuner.

    Example:
        >>> with LoopThreads() as threads:
        ...     timed_step(threads, lambda x: x + 1, np.zeros(2)).tolist()
        [1.0, 1.0]
    """
    threads.before_step()
    start = time.perf_counter()
    out = step(x, *args)
    threads.after_step(time.perf_counter() - start, _examples(x))
    return out


def resolve_verbose(verbose: Any) -> int:
    """Keras's ``"auto"`` means 1 (a progress bar).

    Example:
        >>> resolve_verbose(0)
        0
    """
    return 1 if verbose == "auto" else int(verbose)


def _validation(model: Any, args: dict[str, Any], train: Any) -> tuple[Any, Any]:
    data = args["validation_data"]
    split = args["validation_split"]
    if split and data is None:
        if not isinstance(train, data_adapter.ArrayData):
            raise ValueError("`validation_split` is only supported for numpy inputs.")
        return train.split(split)
    if data is None:
        return train, None
    if isinstance(data, tuple) and len(data) in (2, 3):
        x, y, sw = data_adapter.unpack(data)
        batch = args["validation_batch_size"] or args["batch_size"]
        return train, data_adapter.adapt(x, y, sw, batch, args["validation_steps"])
    return train, data_adapter.IterableData(data, args["validation_steps"])


def run_fit(model: Any, args: dict[str, Any]) -> Any:
    """The body of ``Model.fit`` (``args`` are its arguments).

    Example:
        >>> callable(run_fit)
        True
    """
    if model.optimizer is None:
        raise ValueError("You must call `compile()` before using the model.")
    sample_weight = args["sample_weight"]
    if args["class_weight"] is not None and sample_weight is None:
        sample_weight = data_adapter.class_weights_for(args["y"], args["class_weight"])
    train = data_adapter.adapt(
        args["x"], args["y"], sample_weight, args["batch_size"], args["steps_per_epoch"]
    )
    train, val = _validation(model, args, train)
    verbose = resolve_verbose(args["verbose"])
    steps = args["steps_per_epoch"] or getattr(train, "steps", None)
    callbacks = model._callbacks(
        args["callbacks"], verbose, epochs=args["epochs"], steps=steps
    )
    model.stop_training = False
    rng = np.random.default_rng()
    model._initial_epoch = None
    callbacks.on_train_begin({})
    # a callback (BackupAndRestore) may resume from a later epoch
    args["initial_epoch"] = model._initial_epoch or args["initial_epoch"]
    try:
        return _epochs(model, args, train, val, callbacks, rng)
    finally:
        model._fit_variables = None


def _epochs(
    model: Any, args: dict[str, Any], train: Any, val: Any, callbacks: Any, rng: Any
) -> Any:
    epoch_logs: dict[str, float] = {}
    model._fit_variables = model.trainable_weights
    args["_epoch_batches"] = _EpochBatches(
        train, args["shuffle"] is True, rng, args["steps_per_epoch"]
    )
    for epoch in range(args["initial_epoch"], args["epochs"]):
        model.reset_metrics()
        callbacks.on_epoch_begin(epoch, {})
        with loop_threads(model, "train") as threads:
            logs = _train_epoch(model, args, train, callbacks, rng, threads)
        epoch_logs = dict(logs)
        if val is not None and (epoch + 1) % args["validation_freq"] == 0:
            val_logs = _evaluate_with_hooks(model, val, callbacks)
            epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
        callbacks.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    if args["epochs"] > 0 and model.optimizer.built:
        model.optimizer.finalize_variable_values(model.trainable_weights)
    callbacks.on_train_end(epoch_logs if args["epochs"] > args["initial_epoch"] else {})
    model.history = next(c for c in callbacks if type(c).__name__ == "History")
    return model.history


_RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your "
    "dataset or generator can generate at least `steps_per_epoch * epochs` "
    "batches."
)


class _EpochBatches:
    """Training batches, epoch by epoch, as Keras's epoch iterator gives them.

    With ``steps_per_epoch`` over arrays, one pass over the data spans epochs:
    an epoch takes up to ``steps`` batches and ends early, with Keras's "ran
    out of data" warning, when the pass runs out; the next epoch then starts
    a new (reshuffled) pass.

    Example:
        >>> data = data_adapter.ArrayData(np.zeros(10), batch_size=1)
        >>> epochs = _EpochBatches(data, False, None, 5)
        >>> [sum(1 for _ in epochs.epoch()) for _ in range(3)]
        [5, 5, 5]
    """

    def __init__(self, data: Any, shuffle: bool, rng: Any, steps: int | None) -> None:
        self.data, self.shuffle, self.rng, self.steps = data, shuffle, rng, steps
        self._pass: Any = None

    def _new_pass(self) -> Any:
        return self.data.batches(self.shuffle, self.rng)

    def epoch(self) -> Any:
        """Yields this epoch's ``(x, y, sample_weight)`` batches."""
        if self.steps is None or not isinstance(self.data, data_adapter.ArrayData):
            yield from self._new_pass()
            return
        first = next(self._pass, None) if self._pass is not None else None
        if first is None:
            self._pass = self._new_pass()
            first = next(self._pass, None)
        taken = 0
        while first is not None:
            yield first
            taken += 1
            if taken == self.steps:
                return
            first = next(self._pass, None)
        self._pass = None
        warnings.warn(_RAN_OUT, stacklevel=2)


def _train_epoch(
    model: Any, args: dict[str, Any], train: Any, callbacks: Any, rng: Any, threads: Any
) -> dict[str, float]:
    logs: dict[str, float] = {}
    batches = args["_epoch_batches"]
    for step, (x, y, sw) in enumerate(batches.epoch()):
        callbacks.on_train_batch_begin(step, {})
        logs = timed_step(threads, lambda *d: _train_step(model, args, d), x, y, sw)
        callbacks.on_train_batch_end(step, dict(logs))
        if model.stop_training or step + 1 == args["steps_per_epoch"]:
            break
    return logs


def _train_step(model: Any, args: dict[str, Any], data: Any) -> dict[str, float]:
    """One training step: the model's step plan when it has one that takes
    this batch (``step_plan``: a Dense chain's step as plain numpy calls,
    bit-identical), else ``model.train_step``. The plan is made once per fit,
    once the loss and the optimizer are built (after the first step)."""
    plan = args.get("_step_plan")
    if plan is None and model.compiled_loss is not None and model.optimizer.built:
        plan = args["_step_plan"] = step_plan.build(model) or False
    if plan and plan.current(model):
        labels = plan.accepts(*data)
        if labels is not None:
            return plan.step(data[0], data[1], labels)
    return model.train_step(data)


def _evaluate_loop(model: Any, data: Any, callbacks: Any) -> dict[str, float]:
    model.reset_metrics()
    model.stop_evaluating = False
    logs: dict[str, float] = {}
    with loop_threads(model, "test") as threads:
        for step, (x, y, sw) in enumerate(data.batches(False)):
            callbacks.on_test_batch_begin(step, {})
            logs = timed_step(threads, lambda *d: model.test_step(d), x, y, sw)
            callbacks.on_test_batch_end(step, dict(logs))
            if model.stop_evaluating:
                break
    return logs


def _evaluate_with_hooks(model: Any, data: Any, callbacks: Any) -> dict[str, float]:
    """One evaluation pass with Keras's ``on_test_*`` hooks (validation too)."""
    callbacks.on_test_begin({})
    logs = _evaluate_loop(model, data, callbacks)
    callbacks.on_test_end(dict(logs))
    return logs


def run_evaluate(
    model: Any,
    x: Any,
    y: Any,
    batch_size: Any,
    verbose: Any,
    sample_weight: Any,
    steps: Any,
    callbacks: Any,
) -> dict[str, float]:
    """The body of ``Model.evaluate``; returns the logs.

    Example:
        >>> callable(run_evaluate)
        True
    """
    data = data_adapter.adapt(x, y, sample_weight, batch_size, steps)
    verbose = resolve_verbose(verbose)
    cbs = model._callbacks(
        callbacks, verbose, steps=steps or getattr(data, "steps", None)
    )
    return _evaluate_with_hooks(model, data, cbs)


def run_predict(
    model: Any, x: Any, batch_size: Any, verbose: Any, steps: Any, callbacks: Any
) -> Any:
    """The body of ``Model.predict``: batched inference, outputs concatenated.

    Example:
        >>> callable(run_predict)
        True
    """
    data = data_adapter.adapt(x, None, None, batch_size, steps)
    verbose = resolve_verbose(verbose)
    cbs = None
    if callbacks is not None or verbose:
        cbs = model._callbacks(callbacks, verbose, steps=getattr(data, "steps", None))
        cbs.on_predict_begin({})
    chunks: list[Any] = []
    model.stop_predicting = False
    with loop_threads(model, "predict") as threads:
        for step, (xb, _, _) in enumerate(data.batches(False)):
            if cbs is not None:
                cbs.on_predict_batch_begin(step, {})
            out = timed_step(threads, model.predict_on_batch, xb)
            chunks.append(out)
            if cbs is not None:
                cbs.on_predict_batch_end(step, {"outputs": out})
            if model.stop_predicting:
                break
    if cbs is not None:
        cbs.on_predict_end({})
    if not chunks:
        raise ValueError("Expected input data to be non-empty.")
    return _concatenate(chunks)


def _concatenate(chunks: list[Any]) -> Any:
    """The batches' outputs joined along the batch axis, in their structure.

    Example:
        >>> _concatenate([{"a": np.zeros(1)}, {"a": np.ones(1)}])["a"].tolist()
        [0.0, 1.0]
    """
    leaves = [flatten(chunk) for chunk in chunks]
    joined = [np.concatenate([c[i] for c in leaves]) for i in range(len(leaves[0]))]
    return _rebuild(chunks[0], joined)
