"""Nadam: Adam with Nesterov momentum and a momentum schedule.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0], np.float32)
    >>> _ = Nadam(learning_rate=0.5).apply([np.array([1.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.4686
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.optimizers import _access, _rows
from pipeline.nn.optimizers._state import StateVariable
from pipeline.nn.optimizers.base import Optimizer


class Nadam(Optimizer):
    """Nadam (Dozat 2016), as Keras 3 computes it.

    With ``μ_t = β1·(1 - 0.5·0.96^t)`` and ``Π_t = μ_1···μ_t`` (kept in
    ``_u_product``): ``m += (g-m)(1-β1)``, ``u += (g²-u)(1-β2)``,
    ``m̂ = μ_{t+1}·m/(1-Π_{t+1}) + (1-μ_t)·g/(1-Π_t)``, ``û = u/(1-β2^t)``,
    ``v -= lr·m̂/(sqrt(û)+ε)``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        beta_1: decay of the first moment. Default 0.9.
        beta_2: decay of the second moment. Default 0.999.
        epsilon: added to ``sqrt(û)``. Default 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Nadam().get_config()["beta_1"]
        0.9
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
        self._u_product: StateVariable | None = None

    def build(self, variables: list[Any]) -> None:
        """Create momentum and velocity slots, then (once) the running product
        ``_u_product``, in the first variable's dtype (float32 without any).

        Example:
            >>> opt = Nadam(); opt.build([])
            >>> opt._u_product.dtype
            dtype('float32')
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            self._slots.append(
                (
                    self.add_variable_from_reference(v, "momentum"),
                    self.add_variable_from_reference(v, "velocity"),
                )
            )
        if self._u_product is None:
            dtype = _access.read(variables[0]).dtype if variables else np.float32
            value = _access.xp().asarray(1.0, dtype=dtype)
            self._u_product = StateVariable(value, f"{self.name}/u_product")
            self._slot_variables.append(self._u_product)

    def _update(self, grads: list[Any], variables: list[Any]) -> None:
        """Advance ``Π`` once per applied step, then step every variable."""
        product = self._u_product
        f = product.dtype.type
        t = f(int(self.iterations) + 1)
        mu = f(self.beta_1) * (f(1) - f(0.5) * f(0.96) ** t)
        product.value = (product.value * mu).astype(product.dtype)
        super()._update(grads, variables)

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Nadam step for ``variable``; ``apply`` calls it once it has
        advanced ``_u_product`` for the step.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32)
            >>> _ = Nadam(0.1).apply([np.zeros(1, np.float32)], [w]); w.tolist()
            [1.0]
        """
        g = _rows.densify(gradient)
        f = g.dtype.type
        m, u = self._slots[self._get_variable_index(variable)]
        t = int(self.iterations) + 1
        beta_1, beta_2 = f(self.beta_1), f(self.beta_2)
        mu_t = beta_1 * (f(1) - f(0.5) * f(0.96) ** f(t))
        mu_next = beta_1 * (f(1) - f(0.5) * f(0.96) ** f(t + 1))
        product = self._u_product.value.astype(g.dtype)
        self.assign_add(m, (g - m.value) * (f(1) - beta_1))
        self.assign_add(u, (g * g - u.value) * (f(1) - beta_2))
        m_hat = mu_next * m.value / (f(1) - product * mu_next) + (f(1) - mu_t) * g / (
            f(1) - product
        )
        u_hat = u.value / (f(1) - beta_2 ** f(t))
        step = m_hat * learning_rate.astype(g.dtype)
        self.assign_sub(variable, step / (_access.xp().sqrt(u_hat) + f(self.epsilon)))

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus beta_1, beta_2, epsilon.

        Example:
            >>> Nadam().get_config()["epsilon"]
            1e-07
        """
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
