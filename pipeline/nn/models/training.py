"""The training loop: ``compile``, ``fit``, ``evaluate``, ``predict`` and friends.

``fit`` follows Keras 3 exactly where the golden traces check it: each batch's
loss is computed with the weights before that batch's update, as the mean over
the batch; the logs hold running means weighted by batch size, so the last
batch's logs equal the epoch's history entry.

Example:
    >>> import numpy as np
    >>> from pipeline.nn import Sequential, layers
    >>> model = Sequential([layers.Input((2,)), layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0)
    >>> len(history.history["loss"])
    2
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.layers._symbolic import map_structure
from pipeline.nn.models import data_adapter
from pipeline.nn.models.compile_utils import (
    CompiledLoss,
    CompiledMetrics,
    MeanTracker,
    OutputLossTrackers,
    align_labels,
    names_from_outputs,
    per_output,
)
from pipeline.nn.models.loops import run_evaluate, run_fit, run_predict
from pipeline.nn.models.summary import print_summary
from pipeline.nn.tape import GradientTape


def _batch_size(x: Any) -> int:
    return int(data_adapter._length(x))  # skips optional inputs left out


# compute_loss implementations -> whether they take ``training`` (Keras 3 passes it).
_TAKES_TRAINING: dict[Any, bool] = {}


class Trainer:
    """The Keras training API, mixed into ``Model``."""

    def __init__(self) -> None:
        self.optimizer: Any = None
        self.compiled_loss: CompiledLoss | None = None
        self.compiled_metrics: CompiledMetrics | None = None
        self._loss_tracker = MeanTracker()
        self._output_loss_trackers = OutputLossTrackers()
        self._compile_config: dict[str, Any] | None = None
        self.stop_training = False
        self.stop_evaluating = False
        self.stop_predicting = False
        self.history: Any = None
        self._fit_variables: list[Any] | None = None

    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: Any = "auto",
        auto_scale_loss: bool = True,
    ) -> None:
        """Sets the optimizer, the loss(es) and the metrics for training.

        Args:
            optimizer: a name (``"adam"``) or an optimizer instance.
            loss: a name, function or ``Loss``; a list or dict for several outputs.
            loss_weights: optional per-output loss multipliers.
            metrics: names, functions or ``Metric``s (a list, or a dict/list of
                lists per output).
            weighted_metrics: metrics that also get ``sample_weight``.
            run_eagerly, steps_per_execution, jit_compile, auto_scale_loss:
                accepted for compatibility; there is nothing to compile.
        """
        from pipeline.nn import optimizers  # noqa: PLC0415  (written separately)

        self.optimizer = optimizers.get(optimizer)
        self._compile_config = {
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
        }
        self.compiled = True
        # the losses and metrics are laid out over the outputs at the first
        # step (a subclassed model's outputs are known then), as Keras does
        self._compile_deferred = True
        self.compiled_loss, self.compiled_metrics = None, None
        self._output_loss_trackers = OutputLossTrackers()

    def _build_compiled(
        self, names: list[str], dict_outputs: bool, unnamed: bool = False
    ) -> None:
        cfg = self._compile_config or {}
        loss = cfg.get("loss")
        self.compiled_loss = (
            CompiledLoss(loss, cfg.get("loss_weights"), names, dict_outputs, unnamed)
            if loss is not None
            else None
        )
        self.compiled_metrics = CompiledMetrics(
            cfg.get("metrics"), cfg.get("weighted_metrics"), names
        )

    def _ensure_compiled_for(self, y_pred: Any) -> None:
        """A subclassed model's per-output specs follow its first outputs."""
        if getattr(self, "_compile_deferred", False):
            self._compile_deferred = False
            names = self._output_names_for_compile()
            count = len(y_pred) if isinstance(y_pred, list | tuple) else 1
            own = not getattr(self, "_functional", False) or len(names) != count
            if own:
                names = names_from_outputs(y_pred)  # the outputs' own layout
            dict_outputs = isinstance(y_pred, dict)
            self._build_compiled(names, dict_outputs, own and not dict_outputs)

    def _output_names_for_compile(self) -> list[str]:
        names = getattr(self, "output_names", None)
        if getattr(self, "_functional", False) and names:
            return list(names)
        return ["output"]

    # -- steps ----------------------------------------------------------------
    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> Any:
        """The compiled loss plus the model's regularization losses."""
        self._ensure_compiled_for(y_pred)
        total: Any = None
        if self.compiled_loss is not None:
            names = self.compiled_loss.names
            total = self.compiled_loss(
                self._labels(y), per_output(y_pred, names), sample_weight
            )
        for extra in self.losses:  # add_loss() terms, e.g. regularizers
            total = extra if total is None else ops.add(total, extra)
        if total is None:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()` "
                "or add losses with `add_loss()`."
            )
        return total

    def _labels(self, y: Any) -> list[Any]:
        """Per-output labels; labels for only the outputs that have a loss
        are spread over those outputs, as Keras does."""
        compiled = self.compiled_loss
        if compiled is None:
            names = self.compiled_metrics.names if self.compiled_metrics else None
            return per_output(y, names)
        return align_labels(per_output(y, compiled.names), compiled.losses)

    def _compute_loss(
        self, x: Any, y: Any, y_pred: Any, sw: Any, training: bool
    ) -> Any:
        """``compute_loss``, without ``training`` for overrides that lack it."""
        method = type(self).compute_loss
        takes = _TAKES_TRAINING.get(method)
        if takes is None:
            takes = "training" in inspect.signature(self.compute_loss).parameters
            _TAKES_TRAINING[method] = takes
        if takes:
            return self.compute_loss(x, y, y_pred, sw, training=training)
        return self.compute_loss(x, y, y_pred, sw)

    def _update_logs(
        self, x: Any, y: Any, y_pred: Any, loss: Any, sw: Any
    ) -> dict[str, float]:
        size = _batch_size(x)
        self._loss_tracker.update(float(loss), size)
        self._output_loss_trackers.update(self.compiled_loss, size)
        if self.compiled_metrics is not None and y is not None:
            names = self.compiled_metrics.names
            preds = [
                None if p is None else np.asarray(p) for p in per_output(y_pred, names)
            ]
            self.compiled_metrics.update_state(self._labels(y), preds, sw)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict[str, float]:
        """The current logs: ``loss`` and every compiled metric's result."""
        logs = {"loss": self._loss_tracker.result()}
        logs.update(self._output_loss_trackers.results())
        for metric in self._all_metrics():
            value = np.asarray(metric.result())  # F1Score gives one per class
            logs[metric.name] = float(value) if value.ndim == 0 else value
        return logs

    def _all_metrics(self) -> list[Any]:
        """The compiled metrics, then the model's own (attributes), as Keras
        (found once per epoch: ``reset_metrics`` forgets the list)."""
        cached = self.__dict__.get("_all_metrics_cache")
        if cached is not None and cached[0] is self.compiled_metrics:
            return cached[1]
        compiled = self.compiled_metrics
        out = list(compiled.metrics) if compiled is not None else []
        for metric in getattr(self, "metrics", []):
            if metric is compiled or isinstance(metric, MeanTracker):
                continue
            if not (hasattr(metric, "result") and hasattr(metric, "name")):
                continue
            if all(metric is not m for m in out):
                out.append(metric)
        self.__dict__["_all_metrics_cache"] = (compiled, out)
        return out

    def reset_metrics(self) -> None:
        """Resets the loss tracker and every compiled metric."""
        self.__dict__.pop("_all_metrics_cache", None)
        self._loss_tracker.reset_state()
        self._output_loss_trackers.reset_state()
        for metric in self._all_metrics():
            metric.reset_state()

    def train_step(self, data: Any) -> dict[str, float]:
        """One optimizer step on ``data`` = ``(x, y, sample_weight)``; returns
        the running logs. Override it as in Keras (``x, y = data``...)."""
        x, y, sample_weight = data_adapter.unpack(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, True)
            scaled = self.optimizer.scale_loss(loss)
        variables = self._fit_variables or self.trainable_weights
        if variables:  # a model with no trainable weights still reports its loss
            grads = tape.gradient(scaled, variables)
            pairs = [
                (g, v) for g, v in zip(grads, variables, strict=True) if g is not None
            ]
            self.optimizer.apply_gradients(pairs)
        return self._update_logs(x, y, y_pred, loss, sample_weight)

    def test_step(self, data: Any) -> dict[str, float]:
        """Loss and metrics on ``data`` = ``(x, y, sample_weight)``, in
        inference mode."""
        x, y, sample_weight = data_adapter.unpack(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, False)
        return self._update_logs(x, y, y_pred, loss, sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs for the ``x`` of ``data``, in inference mode."""
        x, _, _ = data_adapter.unpack(data)
        return self(x, training=False)

    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: Any = None,
        return_dict: bool = False,
    ) -> Any:
        """One training step on one batch; the loss (and metrics) of that batch."""
        self.reset_metrics()
        if class_weight is not None:
            sample_weight = data_adapter.class_weights_for(y, class_weight)
        logs = self.train_step(self._host(x, y, sample_weight))
        return self._format_logs(logs, return_dict)

    def test_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        return_dict: bool = False,
    ) -> Any:
        """Loss (and metrics) of one batch in inference mode."""
        self.reset_metrics()
        logs = self.test_step(self._host(x, y, sample_weight))
        return self._format_logs(logs, return_dict)

    @staticmethod
    def _host(x: Any, y: Any, sw: Any) -> tuple[Any, Any, Any]:
        return tuple(data_adapter._as_numpy(v) for v in (x, y, sw))  # type: ignore[return-value]

    @staticmethod
    def _format_logs(logs: dict[str, float], return_dict: bool) -> Any:
        if return_dict:
            return dict(logs)
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    # -- loops ------------------------------------------------------------------
    def _callbacks(self, callbacks: Any, verbose: int, **params: Any) -> Any:
        from pipeline.nn.callbacks import CallbackList  # noqa: PLC0415  (written separately)

        if isinstance(callbacks, CallbackList):
            callbacks.set_model(self)
            callbacks.set_params(dict(params, verbose=verbose))
            return callbacks
        return CallbackList(
            callbacks,
            add_history=True,
            add_progbar=bool(verbose),
            model=self,
            verbose=verbose,
            **params,
        )

    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: Any = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
    ) -> Any:
        """Trains for ``epochs`` epochs; returns the ``History`` callback.

        Args mirror Keras 3's ``Model.fit``: ``x``/``y`` are numpy arrays (or
        lists/dicts of them), or ``x`` is a ``pl.data.Dataset`` or any iterable
        of ``(features, labels)`` batches (``y`` None). ``validation_split``
        holds out the last fraction of array data before shuffling.
        """
        return run_fit(self, locals())

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Any = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Loss and metrics over the data: a scalar, a list, or a dict."""
        logs = run_evaluate(
            self, x, y, batch_size, verbose, sample_weight, steps, callbacks
        )
        return self._format_logs(logs, return_dict)

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: Any = None,
    ) -> Any:
        """Outputs for ``x`` in inference mode, as numpy (a list if several)."""
        return run_predict(self, x, batch_size, verbose, steps, callbacks)

    def predict_on_batch(self, x: Any) -> Any:
        """Outputs for one batch, as numpy (in the structure the model returns)."""
        out = self.predict_step((data_adapter._as_numpy(x),))
        return map_structure(np.asarray, out)

    def summary(
        self, line_length: int = 80, print_fn: Any = None, **kwargs: Any
    ) -> None:
        """Prints a table of the layers, output shapes and parameter counts."""
        print_summary(self, line_length, print_fn)

    def save(self, filepath: Any, overwrite: bool = True, **kwargs: Any) -> None:
        """Saves config, weights and optimizer state in one zip file (atomically)."""
        from pipeline.nn.saving import save_model  # noqa: PLC0415

        save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        """Saves the weights only (an ``.npz`` file, atomically)."""
        from pipeline.nn.saving import save_weights  # noqa: PLC0415

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: Any) -> None:
        """Loads weights written by ``save_weights`` (or ``save``)."""
        from pipeline.nn.saving import load_weights  # noqa: PLC0415

        load_weights(self, filepath)
