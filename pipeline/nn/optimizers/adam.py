"""Adam, with optional AMSGrad.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0], np.float32)
    >>> _ = Adam(learning_rate=0.1).apply([np.array([2.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.9
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _access, _fused, _rows
from pipeline.nn.optimizers.base import Optimizer


class Adam(Optimizer):
    """Adam: ``m += (g-m)(1-β1)``, ``u += (g²-u)(1-β2)``,
    ``v -= m·lr·sqrt(1-β2^t)/(1-β1^t) / (sqrt(u)+ε)``.

    With ``amsgrad``, ``û = max(û, u)`` replaces ``u`` in the last step.

    Args:
        learning_rate: float or schedule. Default 0.001.
        beta_1: decay of the first moment. Default 0.9.
        beta_2: decay of the second moment. Default 0.999.
        epsilon: added to ``sqrt(u)`` (not bias-corrected). Default 1e-7.
        amsgrad: use AMSGrad. Default False.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Adam().get_config()["beta_2"]
        0.999
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        self._slots: list[tuple[Any, ...]] = []

    def build(self, variables: list[Any]) -> None:
        """Create momentum and velocity slots (and velocity_hat with amsgrad).

        Example:
            >>> import numpy as np
            >>> opt = Adam(amsgrad=True); opt.build([np.zeros(2, np.float32)])
            >>> [v.name.split("_")[-1] for v in opt.variables[2:]]
            ['momentum', 'velocity', 'hat']
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        # Keras's order: momentum and velocity of each variable in turn, then
        # every velocity_hat
        pairs = [
            tuple(
                self.add_variable_from_reference(v, n) for n in ("momentum", "velocity")
            )
            for v in new
        ]
        hats = [
            (self.add_variable_from_reference(v, "velocity_hat"),)
            if self.amsgrad
            else ()
            for v in new
        ]
        self._slots += [pair + hat for pair, hat in zip(pairs, hats)]

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Adam step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32); opt = Adam(); opt.build([w])
            >>> opt.update_step(np.ones(1, np.float32), w, np.float32(0.1))
            >>> round(float(w[0]), 4)
            0.9
        """
        xp = _access.xp()
        f = learning_rate.dtype.type
        slots = self._slots[self._get_variable_index(variable)]
        m, u = slots[0], slots[1]
        alpha = self._step_constants
        if alpha is None:
            alpha = self._constants(learning_rate)
        value = _fused.dense_value(gradient, variable)
        if value is not None:
            hat = slots[2] if self.amsgrad else slots[1]
            _fused.run(
                "adam",
                variable,
                value,
                gradient,
                [m, u, hat],
                alpha,
                1 - self.beta_1,
                1 - self.beta_2,
                self.epsilon,
                self.amsgrad,
            )
            return
        self.assign_add(m, _rows.mul(_rows.sub(gradient, m.value), 1 - self.beta_1))
        self.assign_add(
            u, _rows.mul(_rows.sub(_rows.square(gradient), u.value), 1 - self.beta_2)
        )
        velocity = u.value
        if self.amsgrad:
            self.assign(slots[2], _rows.maximum(slots[2].value, u.value))
            velocity = slots[2].value
        self.assign_sub(
            variable, (m.value * alpha) / (xp.sqrt(velocity) + f(self.epsilon))
        )

    def _update_all(self, grads: list[Any], variables: list[Any]) -> bool:
        """Every variable's step in one fused kernel call, when they are all
        dense and of one float dtype and ``update_step`` is Adam's own."""
        if type(self).update_step is not Adam.update_step:
            return False
        values = _fused.dense_values(grads, variables)
        if values is None:
            return False
        slots = [self._slots[self._index_of[id(v)]] for v in variables]
        hats = [s[2] for s in slots] if self.amsgrad else [s[1] for s in slots]
        _fused.run_many(
            "adam",
            variables,
            values,
            grads,
            [[s[0] for s in slots], [s[1] for s in slots], hats],
            self._step_constants,
            1 - self.beta_1,
            1 - self.beta_2,
            self.epsilon,
            self.amsgrad,
        )
        return True

    def _constants(self, learning_rate: Any) -> Any:
        """The bias-corrected rate ``lr·sqrt(1-β2^t)/(1-β1^t)`` of this step."""
        xp = _access.xp()
        f = learning_rate.dtype.type
        t = f(int(self.iterations) + 1)
        beta_1_power = xp.power(f(self.beta_1), t)
        beta_2_power = xp.power(f(self.beta_2), t)
        return learning_rate * xp.sqrt(f(1) - beta_2_power) / (f(1) - beta_1_power)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus beta_1, beta_2, epsilon, amsgrad.

        Example:
            >>> Adam(amsgrad=True).get_config()["amsgrad"]
            True
        """
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


class AdamW(Adam):
    """Adam with decoupled weight decay: each step first does
    ``v -= v·weight_decay·lr``, then Adam's update.

    Args:
        learning_rate: float or schedule. Default 0.001.
        weight_decay: Default 0.004.
        beta_1, beta_2, epsilon, amsgrad: as ``Adam``.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> AdamW().get_config()["weight_decay"]
        0.004
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs: Any,
    ) -> None:
        if weight_decay is None:
            raise ValueError(
                "Argument `weight_decay` must be a float. Received: weight_decay=None"
            )
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            **kwargs,
        )
