"""FTRL-Proximal ("Follow The Regularized Leader"), as in Keras 3.

Example:
    >>> import numpy as np
    >>> w = np.array([0.5], np.float32)
    >>> _ = Ftrl(learning_rate=0.1).apply([np.array([1.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.2539
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _access, _fused, _rows
from pipeline.nn.optimizers.base import Optimizer

_NON_NEGATIVE = (
    "initial_accumulator_value",
    "l1_regularization_strength",
    "l2_regularization_strength",
    "l2_shrinkage_regularization_strength",
)


class Ftrl(Optimizer):
    """FTRL with p = learning_rate_power and ``l2' = l2 + beta/(2·lr)``:
    ``g' = g + 2·l2_shrinkage·v``; ``acc' = acc + g²``;
    ``lin += g' - (acc'^-p - acc^-p)/lr·v``; ``quad = acc'^-p/lr + 2·l2'``;
    ``v = (clip(lin, -l1, l1) - lin)/quad``; ``acc = acc'``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        learning_rate_power: <= 0. Default -0.5.
        initial_accumulator_value: >= 0. Default 0.1.
        l1_regularization_strength: >= 0. Default 0.0.
        l2_regularization_strength: >= 0. Default 0.0.
        l2_shrinkage_regularization_strength: >= 0. Default 0.0.
        beta: Default 0.0.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Ftrl(l1_regularization_strength=-1.0)
        Traceback (most recent call last):
        ...
        ValueError: `l1_regularization_strength` needs to be positive or zero. Received: l1_regularization_strength=-1.0.
    """  # noqa: E501

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        values = (
            initial_accumulator_value,
            l1_regularization_strength,
            l2_regularization_strength,
            l2_shrinkage_regularization_strength,
        )
        for arg, value in zip(_NON_NEGATIVE, values):
            if value < 0.0:
                raise ValueError(
                    f"`{arg}` needs to be positive or zero. Received: {arg}={value}."
                )
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta
        self._slots: list[tuple[Any, Any]] = []

    def build(self, variables: list[Any]) -> None:
        """Create the accumulator (at ``initial_accumulator_value``) and linear slots.

        Example:
            >>> import numpy as np
            >>> opt = Ftrl(); opt.build([np.zeros(1, np.float32)]); len(opt.variables)
            4
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            acc = self.add_variable_from_reference(
                v, "accumulator", self.initial_accumulator_value
            )
            self._slots.append((acc, self.add_variable_from_reference(v, "linear")))

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One FTRL step for ``variable`` (always a dense write, as in Keras).

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32); opt = Ftrl(); opt.build([w])
            >>> opt.update_step(np.zeros(1, np.float32), w, np.float32(0.1))
            >>> w.tolist()
            [0.0]
        """
        acc, linear = self._slots[self._get_variable_index(variable)]
        lr = learning_rate
        value = _access.read(variable)
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        shrink2 = 2 * self.l2_shrinkage_regularization_strength
        fused = _fused.dense_value(gradient, variable)
        if fused is not None and self.learning_rate_power == -0.5:
            l1 = self.l1_regularization_strength
            _fused.run("ftrl", variable, fused, gradient, [acc, linear],
                       lr, shrink2, 2 * l2, l1)  # fmt: skip
            return
        grad_to_use = _rows.add(gradient, _rows.mul(value, shrink2))
        new_acc = _rows.add(acc.value, _rows.square(gradient))
        new_pow = self._power(new_acc)
        sigma = (new_pow - self._power(acc.value)) / lr
        self.assign_add(linear, _rows.sub(grad_to_use, sigma * value))
        quadratic = new_pow / lr + 2 * l2
        l1 = self.l1_regularization_strength
        clipped = _access.xp().clip(linear.value, -l1, l1)
        self.assign(variable, (clipped - linear.value) / quadratic)
        self.assign(acc, new_acc)

    def _power(self, x: Any) -> Any:
        """``x ** -learning_rate_power``; the default power 0.5 is a square root
        (exactly rounded, as the fused kernel computes it)."""
        xp = _access.xp()
        power = -self.learning_rate_power
        return xp.sqrt(x) if power == 0.5 else xp.power(x, power)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus the FTRL hyperparameters.

        Example:
            >>> Ftrl().get_config()["learning_rate_power"]
            -0.5
        """
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": (
                self.l2_shrinkage_regularization_strength
            ),
            "beta": self.beta,
        }
