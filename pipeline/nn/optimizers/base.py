"""The one general optimizer that every Keras 3 optimizer here is a preset of.

The training loop calls ``optimizer.apply(grads, model.trainable_variables)``
(or ``apply_gradients(zip(grads, variables))``) once per batch. A step clips the
gradients, applies weight decay, calls ``update_step`` for every variable with the
current learning rate, then increments ``iterations``.

Example:
    >>> import numpy as np
    >>> from pipeline.nn.optimizers import SGD
    >>> w = np.array([1.0, 2.0], np.float32)
    >>> opt = SGD(learning_rate=0.5)
    >>> _ = opt.apply([np.array([1.0, 1.0], np.float32)], [w])
    >>> w.tolist(), int(opt.iterations)
    ([0.5, 1.5], 1)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from pipeline.nn import schedules
from pipeline.nn.optimizers import _access, _averaging, _rows, _stepping, clipping
from pipeline.nn.optimizers._state import StateIO, StateVariable


class Optimizer(_averaging.Averaging, StateIO, _stepping.Writes, _stepping.WeightDecay):
    """Base class for optimizers, in Keras 3's shape.

    Subclasses override ``build(variables)`` (call ``super().build`` first, then
    create slots with ``add_variable_from_reference``), ``update_step(gradient,
    variable, learning_rate)`` (use ``self.assign``/``assign_add``/``assign_sub``
    and the functions of ``pipeline.nn.optimizers._rows`` so sparse gradients work)
    and ``get_config``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable of no
            arguments returning the rate. Stored as float32.
        weight_decay: if set, every step first does ``v -= v * weight_decay * lr``.
            Default None.
        clipnorm: clip each gradient to this L2 norm. Default None.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
            Default None.
        global_clipnorm: clip all gradients together to this global norm.
            Default None. Only one of the three clipping options may be set.
        use_ema: keep an exponential moving average of every variable.
            Default False.
        ema_momentum: the average's decay. Default 0.99.
        ema_overwrite_frequency: overwrite the variables with their averages
            every this many steps; None (default) only at the end of ``fit``.
        loss_scale_factor: ``fit`` multiplies the loss by it before the
            gradient, and ``apply`` divides the gradients back. Default None.
        gradient_accumulation_steps: apply the mean of this many steps'
            gradients every this many steps (>= 2). Default None.
            ``pipeline.nn.optimizers._averaging`` has the details.
        name: defaults to the snake-cased class name, made unique.

    Example:
        >>> from pipeline.nn.optimizers import _rows
        >>> class HalfStep(Optimizer):
        ...     def update_step(self, gradient, variable, learning_rate):
        ...         self.assign_sub(variable, _rows.mul(gradient, learning_rate / 2))
        >>> w = np.zeros(1, np.float32)
        >>> _ = HalfStep(1.0).apply([np.ones(1, np.float32)], [w])
        >>> w.tolist()
        [-0.5]
    """

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.",
                stacklevel=2,
            )
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        clips = sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm))
        if clips > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can "
                f"be set. Received: clipnorm={clipnorm}, "
                f"clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        _averaging.check_options(
            use_ema, ema_momentum, ema_overwrite_frequency, gradient_accumulation_steps
        )
        self.name = name or _stepping.auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._iterations = StateVariable(
            np.array(0, np.int64), f"{self.name}/iteration"
        )
        self._learning_rate = _stepping.make_learning_rate(learning_rate, self.name)
        self._slot_variables: list[StateVariable] = []
        self._averages: list[StateVariable] = []
        self._step_constants: Any = None
        self._grad_accumulators: list[StateVariable] = []
        self._trainable_variables: list[Any] = []
        self._index_of: dict[int, int] = {}
        self._decay_excluded_ids: set[int] = set()
        self._decay_excluded_names: list[str] = []

    # ----------------------------------------------------------------- state

    @property
    def iterations(self) -> StateVariable:
        """The number of steps applied so far (an int64 variable).

        With ``gradient_accumulation_steps=n`` it counts applied updates, that
        is steps // n (as a new read-only value), as Keras 3 does.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> int(SGD().iterations)
            0
        """
        if self.gradient_accumulation_steps:
            return _averaging.floor_iterations(
                self._iterations, self.gradient_accumulation_steps
            )
        return self._iterations

    @property
    def learning_rate(self) -> Any:
        """The current learning rate (float32); settable unless it is a schedule.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> opt = SGD(0.1)
            >>> opt.learning_rate = 0.5
            >>> float(opt.learning_rate)
            0.5
        """
        if isinstance(self._learning_rate, StateVariable):
            return self._learning_rate
        return self._current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(value, schedules.LearningRateSchedule) or (
            callable(value) and not hasattr(value, "dtype")
        ):
            self._learning_rate = value
        elif not isinstance(self._learning_rate, StateVariable):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` "
                "object as its `learning_rate` constructor argument, "
                "hence its learning rate is not settable. If you need the "
                "learning rate to be settable, you should instantiate "
                "the optimizer with a float `learning_rate` argument."
            )
        else:
            self._learning_rate.assign(float(_access.to_numpy(value)))

    def _current_learning_rate(self) -> Any:
        return _stepping.current_learning_rate(self._learning_rate, self._iterations)

    @property
    def variables(self) -> list[StateVariable]:
        """Every state variable, in a fixed order: iterations, learning rate
        (unless a schedule), then the slots of each trainable variable in turn.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> [v.name.split("/")[-1] for v in SGD(name="s").variables]
            ['iteration', 'learning_rate']
        """
        head = [self._iterations]
        if isinstance(self._learning_rate, StateVariable):
            head.append(self._learning_rate)
        return head + list(self._slot_variables)

    # ----------------------------------------------------------------- build

    def build(self, variables: list[Any]) -> None:
        """Remember the trainable ``variables``; subclasses then add their slots.

        Example:
            >>> from pipeline.nn.optimizers import Adam
            >>> opt = Adam()
            >>> opt.build([np.zeros((2, 3), np.float32)])
            >>> [v.shape for v in opt.variables[2:]]
            [(2, 3), (2, 3)]
        """
        new = []
        for variable in variables:
            if id(variable) not in self._index_of:
                self._index_of[id(variable)] = len(self._trainable_variables)
                self._trainable_variables.append(variable)
                new.append(variable)
        self._build_averaging(new)
        self.built = True

    def add_variable_from_reference(
        self, reference_variable: Any, name: str, initializer: Any = "zeros"
    ) -> StateVariable:
        """A new slot shaped like ``reference_variable``, filled with zeros or a
        constant ``initializer``.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> s = SGD(name="s").add_variable_from_reference(np.ones(2), "m", 0.5)
            >>> s.name, s.numpy().tolist()
            ('s/variable_m', [0.5, 0.5])
        """
        ref = _access.read(reference_variable)
        fill = 0.0 if initializer == "zeros" else float(initializer)
        value = _access.xp().full(ref.shape, fill, dtype=ref.dtype)
        slot_name = f"{self.name}/{_stepping.variable_name(reference_variable)}_{name}"
        slot = StateVariable(value, slot_name)
        self._slot_variables.append(slot)
        return slot

    def _get_variable_index(self, variable: Any) -> int:
        return self._index_of[id(variable)]

    # ----------------------------------------------------------------- steps

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]]) -> Any:
        """Apply one step from ``(gradient, variable)`` pairs.

        Returns:
            ``iterations`` after the step.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> w = np.ones(1, np.float32)
            >>> int(SGD(1.0).apply_gradients([(np.ones(1, np.float32), w)]))
            1
        """
        pairs = list(grads_and_vars)
        return self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def apply(self, grads: list[Any], trainable_variables: list[Any] | None = None):
        """Apply one step of ``grads`` to ``trainable_variables``.

        Args:
            grads: one gradient per variable: a tensor, a backend array, an
                ``IndexedSlices`` (only its rows are touched where the rule allows)
                or None (the variable is skipped).
            trainable_variables: the variables; default: those the optimizer was
                built with.

        Returns:
            ``iterations`` after the step.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> w = np.ones(2, np.float32)
            >>> _ = SGD(0.5, clipvalue=1.0).apply([np.array([4.0, -1.0])], [w])
            >>> w.tolist()
            [0.5, 1.5]
        """
        grads = list(grads)
        if not grads:
            return self._iterations  # nothing to apply: a no-op, as in Keras
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `trainable_variables`, the "
                    "optimizer must already be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first."
                )
            trainable_variables = self._trainable_variables
        variables = list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"Got {len(grads)} gradients for {len(variables)} variables."
            )
        if not self.built or any(id(v) not in self._index_of for v in variables):
            self.build(variables)
        pairs = _stepping.filter_empty(grads, variables)
        grads = self._unscale([_stepping.prepare_gradient(g, v) for g, v in pairs])
        variables = [v for _, v in pairs]
        if self.gradient_accumulation_steps:
            grads = self._accumulate(grads, variables)
        if grads is not None:
            self._update(grads, variables)
        if self.use_ema:
            self._update_averages()
        _stepping.apply_constraints(variables)
        self._iterations.assign_add(np.int64(1))
        return self._iterations

    def _clip_gradients(self, grads: list[Any]) -> list[Any]:
        """``grads`` clipped as this optimizer's clipping option says (Keras's
        hook, also handy to check the clipping alone)."""
        if (self.clipnorm, self.global_clipnorm, self.clipvalue) == (None, None, None):
            return list(grads)
        grads = [g if isinstance(g, _rows.Rows) else _access.read(g) for g in grads]
        return clipping.clip(grads, self.clipnorm, self.global_clipnorm, self.clipvalue)

    def _update(self, grads: list[Any], variables: list[Any]) -> None:
        grads = self._clip_gradients(grads)
        learning_rate = self._current_learning_rate()
        self._apply_weight_decay(variables, learning_rate)
        self._step_constants = self._constants(learning_rate)
        try:
            if not self._update_all(grads, variables):
                for gradient, variable in zip(grads, variables):
                    self.update_step(gradient, variable, learning_rate)
        finally:
            self._step_constants = None

    def _update_all(self, grads: list[Any], variables: list[Any]) -> bool:
        """Update every variable at once (one fused kernel call) and return
        True, or return False to have ``update_step`` called per variable (the
        default; a rule with a fused many-variable kernel overrides this)."""
        return False

    def _constants(self, learning_rate: Any) -> Any:
        """What ``update_step`` derives from the rate and step alone (e.g. Adam's
        bias-corrected rate): computed once per step, read back as
        ``self._step_constants`` (None outside ``apply``)."""
        return None

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """Update ``variable`` from its (clipped) ``gradient``; subclasses override.

        Example:
            >>> Optimizer(0.1).update_step(None, None, None)
            Traceback (most recent call last):
            ...
            NotImplementedError: Optimizer does not define `update_step`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} does not define `update_step`."
        )

    # ---------------------------------------------------------------- config

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as Keras 3 reports them.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> SGD(0.1).get_config()["learning_rate"]
            0.10000000149011612
        """
        lr = self._learning_rate
        if isinstance(lr, StateVariable):
            lr = float(lr)
        elif isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        """A new optimizer (without state) from ``get_config()``'s output.

        Example:
            >>> from pipeline.nn.optimizers import Adam
            >>> Adam.from_config(Adam(0.01, amsgrad=True).get_config()).amsgrad
            True
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)
