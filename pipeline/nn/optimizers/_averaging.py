"""The optional parts of a Keras 3 optimizer step that average over time.

* ``gradient_accumulation_steps=n``: each step adds its gradients to per-variable
  accumulators; every n-th step applies ``(g + accumulated) / n`` (clipped and
  weight-decayed as usual) and resets them. ``iterations`` then counts applied
  updates (``steps // n``), while learning-rate schedules see every step.
* ``use_ema``: after every step, each variable's average becomes
  ``m·average + (1 - m)·value`` (``m = ema_momentum``, but 0 while
  ``iterations`` is 0, so the average starts at the value). Every
  ``ema_overwrite_frequency`` steps the variables are overwritten with their
  averages; ``finalize_variable_values`` (called at the end of ``fit``) does it
  once more.
* ``loss_scale_factor``: ``scale_loss`` multiplies the loss before the gradient;
  the step divides the gradients back before anything else.

Example:
    >>> import numpy as np
    >>> from pipeline.nn.optimizers import SGD
    >>> w = np.zeros(1, np.float32)
    >>> opt = SGD(1.0, gradient_accumulation_steps=2)
    >>> _ = opt.apply([np.array([1.0], np.float32)], [w]); w.tolist()
    [0.0]
    >>> _ = opt.apply([np.array([3.0], np.float32)], [w]); w.tolist()
    [-2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.optimizers import _access, _rows
from pipeline.nn.optimizers._state import StateVariable


def check_options(
    use_ema: bool,
    ema_momentum: float,
    ema_overwrite_frequency: int | None,
    gradient_accumulation_steps: int | None,
) -> None:
    """Keras 3's argument checks for the averaging options.

    Example:
        >>> check_options(False, 0.99, None, 1)
        Traceback (most recent call last):
        ...
        ValueError: `gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps=1
    """  # noqa: E501
    if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
        raise ValueError(
            "`gradient_accumulation_steps` must be an integer >= 2. "
            f"Received: gradient_accumulation_steps={gradient_accumulation_steps}"
        )
    if not use_ema:
        return
    if ema_momentum > 1 or ema_momentum < 0:
        raise ValueError(
            "`ema_momentum` must be in the range [0, 1]. "
            f"Received: ema_momentum={ema_momentum}"
        )
    if ema_overwrite_frequency and (
        not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
    ):
        raise ValueError(
            "`ema_overwrite_frequency` must be an integer >= 1 or None. "
            f"Received: ema_overwrite_frequency={ema_overwrite_frequency}"
        )


class Averaging:
    """Gradient accumulation, EMA and loss scaling, mixed into ``Optimizer``.

    The optimizer provides ``use_ema``, ``ema_momentum``,
    ``ema_overwrite_frequency``, ``gradient_accumulation_steps``,
    ``loss_scale_factor``, ``_iterations``, ``_trainable_variables``,
    ``_get_variable_index`` and ``add_variable_from_reference``.

    Example:
        >>> from pipeline.nn.optimizers import SGD
        >>> float(SGD(loss_scale_factor=4.0).scale_loss(np.float32(0.5)))
        2.0
    """

    _averages: list[StateVariable]
    _grad_accumulators: list[StateVariable]

    def _build_averaging(self, new_variables: list[Any]) -> None:
        """Create the EMA slots, then the accumulators, of ``new_variables``."""
        if self.use_ema:
            self._averages += [
                self.add_variable_from_reference(v, "average") for v in new_variables
            ]
        if self.gradient_accumulation_steps:
            self._grad_accumulators += [
                self.add_variable_from_reference(v, "gradient_accumulator")
                for v in new_variables
            ]

    @property
    def _model_variables_moving_average(self) -> list[StateVariable]:
        """The EMA slots, one per trainable variable (Keras's attribute name)."""
        return list(self._averages)

    @property
    def _accumulated_gradients(self) -> list[StateVariable]:
        """The gradient accumulators, one per trainable variable (Keras's name)."""
        return list(self._grad_accumulators)

    def scale_loss(self, loss: Any) -> Any:
        """``loss · loss_scale_factor`` (the loss itself when no factor is set).

        The training step differentiates the scaled loss; ``apply`` divides the
        gradients by the factor again.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> SGD().scale_loss(3.0)
            3.0
        """
        if self.loss_scale_factor is None:
            return loss
        return loss * self.loss_scale_factor

    def _unscale(self, grads: list[Any]) -> list[Any]:
        if self.loss_scale_factor is None:
            return grads
        return [_rows.div(g, self.loss_scale_factor) for g in grads]

    def _accumulate(self, grads: list[Any], variables: list[Any]) -> list[Any] | None:
        """Add ``grads`` to the accumulators; on every n-th step, return the
        averaged gradients and reset the accumulators (else None)."""
        steps = self.gradient_accumulation_steps
        index = self._get_variable_index
        accumulators = [self._grad_accumulators[index(v)] for v in variables]
        if (int(self._iterations) + 1) % steps:
            for accumulator, g in zip(accumulators, grads, strict=True):
                accumulator.value = _rows.add(g, accumulator.value)
            return None
        averaged = [
            _rows.div(_rows.add(g, a.value), steps)
            for g, a in zip(grads, accumulators, strict=True)
        ]
        for accumulator in self._grad_accumulators:
            accumulator.value = _access.xp().zeros_like(accumulator.value)
        return averaged

    def _update_averages(self) -> None:
        """The EMA step over every variable, then the periodic overwrite."""
        first = int(self.iterations) == 0
        for variable, average in zip(
            self._trainable_variables, self._averages, strict=True
        ):
            value = _access.read(variable)
            one = value.dtype.type(1)
            momentum = value.dtype.type(0.0 if first else self.ema_momentum)
            average.value = momentum * average.value + (one - momentum) * value
        frequency = self.ema_overwrite_frequency
        if frequency and (int(self.iterations) + 1) % frequency == 0:
            self.finalize_variable_values(self._trainable_variables)

    def finalize_variable_values(self, var_list: list[Any]) -> None:
        """With ``use_ema``, overwrite each variable with its moving average.

        ``fit`` calls this once training ends. Variables the optimizer was not
        built with are left alone.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> w = np.ones(1, np.float32)
            >>> opt = SGD(0.5, use_ema=True, ema_momentum=0.5)
            >>> _ = opt.apply([np.ones(1, np.float32)], [w])  # average = w = 0.5
            >>> _ = opt.apply([np.ones(1, np.float32)], [w])  # w = 0, average 0.25
            >>> opt.finalize_variable_values([w]); w.tolist()
            [0.25]
        """
        if not self.use_ema:
            return
        for variable in var_list:
            index = self._index_of.get(id(variable))
            if index is not None:
                _access.write(variable, self._averages[index].value.copy())


def floor_iterations(iterations: StateVariable, steps: int) -> StateVariable:
    """The applied-update count under accumulation: ``iterations // steps``.

    Example:
        >>> int(floor_iterations(StateVariable(np.array(7, np.int64), "i"), 2))
        3
    """
    return StateVariable(iterations.value // np.int64(steps), iterations.name)
