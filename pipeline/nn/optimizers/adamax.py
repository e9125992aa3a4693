"""Adamax: Adam with the infinity norm in place of the second moment.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0], np.float32)
    >>> _ = Adamax(learning_rate=0.5).apply([np.array([2.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.5
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _access, _rows
from pipeline.nn.optimizers.base import Optimizer


class Adamax(Optimizer):
    """Adamax: ``m += (g-m)(1-β1)``, ``u = max(β2·u, |g|)``,
    ``v -= lr·m / ((1-β1^t)(u+ε))``.

    Sparse gradients are applied densely (rows outside the gradient still see
    their moments decay), as in Keras.

    Args:
        learning_rate: float or schedule. Default 0.001.
        beta_1: decay of the first moment. Default 0.9.
        beta_2: decay of the infinity norm. Default 0.999.
        epsilon: added to ``u``. Default 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Adamax().get_config()["beta_2"]
        0.999
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self._slots: list[tuple[Any, Any]] = []

    def build(self, variables: list[Any]) -> None:
        """Create the momentum and norm slots of each variable.

        Example:
            >>> import numpy as np
            >>> opt = Adamax(name="a"); opt.build([np.zeros(2, np.float32)])
            >>> [v.name for v in opt.variables[2:]]
            ['a/variable_momentum', 'a/variable_norm']
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            self._slots.append(
                (
                    self.add_variable_from_reference(v, "momentum"),
                    self.add_variable_from_reference(v, "norm"),
                )
            )

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Adamax step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32); opt = Adamax(); opt.build([w])
            >>> opt.update_step(np.ones(1, np.float32), w, np.float32(0.1))
            >>> round(float(w[0]), 4)
            0.9
        """
        xp = _access.xp()
        g = _rows.densify(gradient)
        f = g.dtype.type
        m, u = self._slots[self._get_variable_index(variable)]
        beta_1_power = f(self.beta_1) ** f(int(self.iterations) + 1)
        self.assign_add(m, (g - m.value) * f(1 - self.beta_1))
        self.assign(u, xp.maximum(f(self.beta_2) * u.value, xp.abs(g)))
        lr = learning_rate.astype(g.dtype)
        denominator = (f(1) - beta_1_power) * (u.value + f(self.epsilon))
        self.assign_sub(variable, lr * m.value / denominator)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus beta_1, beta_2, epsilon.

        Example:
            >>> Adamax().get_config()["epsilon"]
            1e-07
        """
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
