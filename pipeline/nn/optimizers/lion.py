"""Lion ("EvoLved Sign Momentum"): steps of fixed size along a momentum's sign.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0, 1.0], np.float32)
    >>> _ = Lion(learning_rate=0.5).apply([np.array([3.0, -0.1], np.float32)], [w])
    >>> w.tolist()
    [0.5, 1.5]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _access, _rows
from pipeline.nn.optimizers.base import Optimizer


class Lion(Optimizer):
    """Lion: ``v -= lr·sign(β1·m + (1-β1)·g)``, then ``m = β2·m + (1-β2)·g``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        beta_1: mix of momentum and gradient in the step's sign, in (0, 1].
            Default 0.9.
        beta_2: decay of the momentum. Default 0.99.
        **kwargs: the base ``Optimizer`` arguments.

    Raises:
        ValueError: if ``beta_1`` is not in (0, 1].

    Example:
        >>> Lion(beta_1=0.0)
        Traceback (most recent call last):
        ...
        ValueError: Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1=0.0.
    """  # noqa: E501

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}."
            )
        self._momentums: list[Any] = []

    def build(self, variables: list[Any]) -> None:
        """Create one momentum slot per variable.

        Example:
            >>> import numpy as np
            >>> opt = Lion(); opt.build([np.zeros(2, np.float32)])
            >>> len(opt.variables)
            3
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            self._momentums.append(self.add_variable_from_reference(v, "momentum"))

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Lion step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.zeros(1, np.float32); opt = Lion(); opt.build([w])
            >>> opt.update_step(np.ones(1, np.float32), w, np.float32(0.1))
            >>> w.tolist()
            [-0.10000000149011612]
        """
        g = _rows.densify(gradient)
        f = g.dtype.type
        m = self._momentums[self._get_variable_index(variable)]
        beta_1, beta_2 = f(self.beta_1), f(self.beta_2)
        direction = _access.xp().sign(m.value * beta_1 + g * (f(1) - beta_1))
        self.assign_sub(variable, learning_rate.astype(g.dtype) * direction)
        self.assign(m, m.value * beta_2 + g * (f(1) - beta_2))

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus beta_1 and beta_2.

        Example:
            >>> Lion().get_config()["beta_2"]
            0.99
        """
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
