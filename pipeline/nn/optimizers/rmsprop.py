"""RMSprop, with optional momentum and centering.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0], np.float32)
    >>> _ = RMSprop(learning_rate=0.01).apply([np.array([1.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.9684
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _fused, _rows
from pipeline.nn.optimizers.base import Optimizer


class RMSprop(Optimizer):
    """RMSprop: ``s = ρs + (1-ρ)g²``; ``inc = lr·g/sqrt(s+ε)`` (centered:
    ``a = ρa + (1-ρ)g`` and ``s - a² + ε`` under the sqrt); ``v -= inc``, or with
    momentum ``mom = momentum·mom + inc`` and ``v -= mom``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        rho: decay of the squared-gradient average. Default 0.9.
        momentum: Default 0.0.
        epsilon: added inside the sqrt. Default 1e-7.
        centered: normalize by the estimated variance. Default False.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> RMSprop().get_config()["rho"]
        0.9
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        self._slots: list[dict[str, Any]] = []

    def build(self, variables: list[Any]) -> None:
        """Create velocity (and momentum, average_gradient when used) slots.

        Example:
            >>> import numpy as np
            >>> opt = RMSprop(momentum=0.5, centered=True)
            >>> opt.build([np.zeros(1, np.float32)]); len(opt.variables)
            5
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        names = ["velocity"]
        names += ["momentum"] if self.momentum > 0 else []
        names += ["average_gradient"] if self.centered else []
        # Keras's order: every velocity, then every momentum, then every
        # average_gradient
        slots: list[dict[str, Any]] = [{} for _ in new]
        for n in names:
            for slot, v in zip(slots, new):
                slot[n] = self.add_variable_from_reference(v, n)
        self._slots += slots

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One RMSprop step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32); opt = RMSprop(); opt.build([w])
            >>> opt.update_step(np.zeros(1, np.float32), w, np.float32(0.1))
            >>> w.tolist()
            [1.0]
        """
        slots = self._slots[self._get_variable_index(variable)]
        rho = self.rho
        if self._fused_step(gradient, variable, learning_rate, slots):
            return
        s = slots["velocity"]
        eps = s.dtype.type(self.epsilon)
        self.assign(
            s, _rows.add(s.value * rho, _rows.mul(_rows.square(gradient), 1 - rho))
        )
        if self.centered:
            a = slots["average_gradient"]
            self.assign(a, _rows.add(a.value * rho, _rows.mul(gradient, 1 - rho)))
            denominator = s.value - a.value * a.value + eps
        else:
            denominator = s.value + eps
        increment = _rows.div(
            _rows.mul(gradient, learning_rate), _rows.sqrt(denominator)
        )
        if self.momentum > 0:
            mom = slots["momentum"]
            self.assign(mom, _rows.add(mom.value * self.momentum, increment))
            self.assign_sub(variable, mom.value)
        else:
            self.assign_sub(variable, increment)

    def _fused_step(
        self, gradient: Any, variable: Any, learning_rate: Any, slots: dict[str, Any]
    ) -> bool:
        value = _fused.dense_value(gradient, variable)
        if value is None:
            return False
        s = slots["velocity"]
        state = [s, slots.get("average_gradient", s), slots.get("momentum", s)]
        _fused.run(
            "rmsprop",
            variable,
            value,
            gradient,
            state,
            learning_rate,
            self.rho,
            1 - self.rho,
            self.momentum,
            self.epsilon,
            self.centered,
            self.momentum > 0,
        )
        return True

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus rho, momentum, epsilon, centered.

        Example:
            >>> RMSprop(centered=True).get_config()["centered"]
            True
        """
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
