"""LAMB: Adam's step rescaled per variable by a trust ratio (large batches).

Example:
    >>> import numpy as np
    >>> w = np.array([3.0, 4.0], np.float32)
    >>> _ = Lamb(learning_rate=0.1).apply([np.array([1.0, 1.0], np.float32)], [w])
    >>> [round(float(x), 4) for x in w]
    [2.6464, 3.6464]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _access, _rows
from pipeline.nn.optimizers.base import Optimizer


class Lamb(Optimizer):
    """LAMB: Adam's moments ``m``, ``u`` and step ``s = m̂/(sqrt(û)+ε)``, then
    ``v -= r·lr·s`` with the trust ratio ``r = ‖v‖/‖s‖`` (1 when either is 0).

    Args:
        learning_rate: float or schedule. Default 0.001.
        beta_1: decay of the first moment. Default 0.9.
        beta_2: decay of the second moment. Default 0.999.
        epsilon: added to ``sqrt(û)``. Default 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Lamb().get_config()["beta_1"]
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

    def build(self, variables: list[Any]) -> None:
        """Create the momentum and velocity slots of each variable.

        Example:
            >>> import numpy as np
            >>> opt = Lamb(); opt.build([np.zeros(2, np.float32)])
            >>> len(opt.variables)
            4
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

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One LAMB step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.zeros(2, np.float32); opt = Lamb(); opt.build([w])
            >>> opt.update_step(np.ones(2, np.float32), w, np.float32(0.1))
            >>> [round(float(x), 4) for x in w]  # ‖w‖ = 0: ratio 1
            [-0.1, -0.1]
        """
        xp = _access.xp()
        g = _rows.densify(gradient)
        f = g.dtype.type
        m, u = self._slots[self._get_variable_index(variable)]
        t = f(int(self.iterations) + 1)
        self.assign_add(m, (g - m.value) * f(1 - self.beta_1))
        self.assign_add(u, (g * g - u.value) * f(1 - self.beta_2))
        m_hat = m.value / (f(1) - f(self.beta_1) ** t)
        u_hat = u.value / (f(1) - f(self.beta_2) ** t)
        step = m_hat / (xp.sqrt(u_hat) + f(self.epsilon))
        w_norm = xp.sqrt(xp.sum(xp.square(_access.read(variable))))
        s_norm = xp.sqrt(xp.sum(xp.square(step)))
        ratio = w_norm / s_norm if w_norm > 0 and s_norm > 0 else f(1)
        self.assign_sub(variable, ratio * learning_rate.astype(g.dtype) * step)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus beta_1, beta_2, epsilon.

        Example:
            >>> Lamb().get_config()["epsilon"]
            1e-07
        """
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
