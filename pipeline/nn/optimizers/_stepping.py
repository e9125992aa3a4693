"""Helpers of one optimizer step: naming, gradient preparation, writes.

Example:
    >>> auto_name("RMSprop").startswith("rm_sprop")
    True
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np

from pipeline.nn import schedules
from pipeline.nn.optimizers import _access, _rows
from pipeline.nn.optimizers._state import StateVariable
from pipeline.nn.tensor import Tensor

_NAME_COUNTS: dict[str, int] = {}


def auto_name(class_name: str) -> str:
    snake = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", snake).lower()
    count = _NAME_COUNTS.get(snake, 0)
    _NAME_COUNTS[snake] = count + 1
    return snake if count == 0 else f"{snake}_{count}"


def variable_path(variable: Any) -> str:
    """The variable's ``path`` (Keras's "layer/weight"), else its name, else
    "variable".

    Example:
        >>> variable_path(np.zeros(1))
        'variable'
    """
    return str(
        getattr(variable, "path", None) or getattr(variable, "name", None) or "variable"
    )


def variable_name(variable: Any) -> str:
    name = getattr(variable, "path", None) or getattr(variable, "name", None)
    return str(name or "variable").replace("/", "_").replace(":", "_")


def write(target: Any, value: Any, sign: int | None) -> None:
    """Set (sign None), add (1) or subtract (-1) ``value`` into ``target``.

    Row slices touch only their rows; ``target`` is a model variable or a
    ``StateVariable``. Model variables are never changed in place: they get a
    new array through ``assign``.

    Example:
        >>> w = np.ones(2, np.float32)
        >>> write(w, np.ones(2), -1); w.tolist()
        [0.0, 0.0]
    """
    is_state = isinstance(target, StateVariable)
    current = target.value if is_state else _access.read(target)
    if isinstance(value, _rows.Rows):
        # the optimizer's own slots are scattered in place (O(rows)); a model
        # variable gets a new array, since tensors may share its current one
        new = current if is_state else current.copy()
        values = value.values.astype(current.dtype, copy=False)
        if sign is None:
            _access.scatter_set(new, value.indices, values)
        else:
            _access.scatter_add(new, value.indices, values if sign > 0 else -values)
    elif sign is None:
        new = value
    else:
        new = current + value if sign > 0 else current - value
    new = new.astype(current.dtype, copy=False)
    if is_state:
        target.value = new
    else:
        _access.write(target, new)


def filter_empty(grads: list[Any], variables: list[Any]) -> list[tuple[Any, Any]]:
    pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
    if not pairs:
        names = [variable_name(v) for v in variables]
        raise ValueError(f"No gradients provided for any variable: {names}.")
    if len(pairs) < len(variables):
        missing = [variable_name(v) for g, v in zip(grads, variables) if g is None]
        warnings.warn(
            f"Gradients do not exist for variables {missing} when minimizing the "
            "loss. If you're using `model.compile()`, did you forget to provide "
            "a `loss` argument?",
            stacklevel=3,
        )
    return pairs


def prepare_gradient(gradient: Any, variable: Any) -> Any:
    """A backend array (or row slices) of ``gradient`` in ``variable``'s dtype."""
    dtype = _access.read(variable).dtype
    if type(gradient) is Tensor and gradient._array.dtype == dtype:
        return gradient._array  # what the tape returns, as is
    xp = _access.xp()
    if _access.is_indexed_slices(gradient):
        values = xp.asarray(_access.read(gradient.values), dtype=dtype)
        indices = xp.asarray(_access.read(gradient.indices))
        return _rows.Rows(values, indices, _access.to_numpy(gradient.dense_shape))
    return xp.asarray(_access.read(gradient), dtype=dtype)


def make_learning_rate(learning_rate: Any, name: str) -> Any:
    """A schedule or callable as is; a number as a float32 ``StateVariable``.

    Example:
        >>> float(make_learning_rate(0.1, "opt"))
        0.10000000149011612
    """
    if isinstance(learning_rate, schedules.LearningRateSchedule):
        return learning_rate
    if callable(learning_rate) and not hasattr(learning_rate, "dtype"):
        return learning_rate
    if isinstance(learning_rate, StateVariable):
        learning_rate = float(learning_rate)
    if isinstance(learning_rate, bool) or not isinstance(
        learning_rate, (int, float, np.integer, np.floating)
    ):
        raise ValueError(
            "Argument `learning_rate` should be float, or an instance "
            "of LearningRateSchedule, or a callable "
            "(that takes in the current iteration value "
            "and returns the corresponding learning rate value). "
            f"Received instead: learning_rate={learning_rate}"
        )
    value = _access.xp().asarray(learning_rate, dtype=np.float32)
    return StateVariable(value, f"{name}/learning_rate")


def current_learning_rate(learning_rate: Any, iterations: StateVariable) -> Any:
    """The float32 rate for the next step: the variable's value, the schedule at
    ``iterations``, or the callable's result.

    Example:
        >>> it = StateVariable(np.array(2, np.int64), "it")
        >>> float(current_learning_rate(lambda: 0.5, it))
        0.5
    """
    if isinstance(learning_rate, StateVariable):
        return learning_rate.value
    if isinstance(learning_rate, schedules.LearningRateSchedule):
        value = learning_rate(iterations.value)
    else:
        value = learning_rate()
    return _access.xp().asarray(_access.to_numpy(value), dtype=np.float32)


def apply_constraints(variables: list[Any]) -> None:
    """Project each variable that carries a ``constraint`` (Keras's
    ``variable.constraint``, set by layers from ``kernel_constraint=``...) onto
    it, as Keras's optimizer does after every step.

    Example:
        >>> class Weight(np.ndarray):
        ...     constraint = staticmethod(lambda w: np.minimum(w, 1.0))
        >>> w = np.array([0.5, 3.0]).view(Weight)
        >>> apply_constraints([w]); np.asarray(w).tolist()
        [0.5, 1.0]
    """
    for variable in variables:
        constraint = getattr(variable, "constraint", None)
        if constraint is not None:
            projected = _access.read(constraint(variable))
            _access.write(variable, projected.astype(_access.read(variable).dtype))


def decayed(variables: list[Any], ids: set[int], names: list[str]) -> list[Any]:
    """The variables weight decay applies to: not excluded by id or name part.

    Example:
        >>> w = np.ones(1)
        >>> decayed([w], {id(w)}, []) == []
        True
    """
    return [
        v
        for v in variables
        if id(v) not in ids and not any(n in variable_name(v) for n in names)
    ]


def decay(variable: Any, weight_decay: float, learning_rate: Any) -> None:
    """Weight decay: ``v -= v · weight_decay · lr``.

    Example:
        >>> w = np.ones(1, np.float32)
        >>> decay(w, 0.5, np.float32(0.5)); w.tolist()
        [0.75]
    """
    value = _access.read(variable)
    wd = value.dtype.type(weight_decay)
    _access.write(variable, value - (value * wd) * learning_rate.astype(value.dtype))


class Writes:
    """The writes an update rule may make: to a model variable or a slot.

    Example:
        >>> w = np.zeros(1, np.float32)
        >>> Writes().assign_add(w, np.ones(1)); w.tolist()
        [1.0]
    """

    def assign(self, target: Any, value: Any) -> None:
        """``target = value``; row slices overwrite only their rows.

        Example:
            >>> w = np.zeros(2, np.float32)
            >>> Writes().assign(w, np.ones(2)); w.tolist()
            [1.0, 1.0]
        """
        write(target, value, None)

    def assign_add(self, target: Any, value: Any) -> None:
        """``target += value``; row slices add into their rows only.

        Example:
            >>> w = np.zeros(2, np.float32)
            >>> Writes().assign_add(w, np.ones(2)); w.tolist()
            [1.0, 1.0]
        """
        write(target, value, 1)

    def assign_sub(self, target: Any, value: Any) -> None:
        """``target -= value``; row slices subtract from their rows only.

        Example:
            >>> w = np.zeros(2, np.float32)
            >>> Writes().assign_sub(w, np.ones(2)); w.tolist()
            [-1.0, -1.0]
        """
        write(target, value, -1)


class WeightDecay:
    """Weight decay with Keras's exclusions (mixed into ``Optimizer``, which
    provides ``weight_decay`` and the two exclusion sets).

    Example:
        >>> from pipeline.nn.optimizers import SGD
        >>> w = np.ones(1, np.float32)
        >>> _ = SGD(0.5, weight_decay=0.5).apply([np.zeros(1, np.float32)], [w])
        >>> w.tolist()
        [0.75]
    """

    weight_decay: float | None
    _decay_excluded_ids: set[int]
    _decay_excluded_names: list[str]
    _current_learning_rate: Any

    def exclude_from_weight_decay(
        self, var_list: list[Any] | None = None, var_names: list[str] | None = None
    ) -> None:
        """Exclude variables (or any whose name contains one of ``var_names``)
        from weight decay. Call before the first step.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> w = np.ones(1, np.float32)
            >>> opt = SGD(0.5, weight_decay=0.1)
            >>> opt.exclude_from_weight_decay(var_list=[w])
            >>> _ = opt.apply([np.zeros(1, np.float32)], [w]); w.tolist()
            [1.0]
        """
        self._decay_excluded_ids.update(id(v) for v in var_list or ())
        self._decay_excluded_names.extend(var_names or ())

    def _apply_weight_decay(
        self, variables: list[Any], learning_rate: Any = None
    ) -> None:
        """``v -= v·weight_decay·lr`` for each variable not excluded; ``lr`` is
        the current rate unless given (Keras's hook takes the variables only)."""
        if learning_rate is None:
            learning_rate = self._current_learning_rate()
        if self.weight_decay is not None:
            excluded = (self._decay_excluded_ids, self._decay_excluded_names)
            for variable in decayed(variables, *excluded):
                decay(variable, self.weight_decay, learning_rate)
