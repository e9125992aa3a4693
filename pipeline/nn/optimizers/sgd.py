"""Stochastic gradient descent, with optional (Nesterov) momentum.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0], np.float32)
    >>> opt = SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     _ = opt.apply([np.array([1.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.71
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _fused, _rows
from pipeline.nn.optimizers.base import Optimizer


class SGD(Optimizer):
    """Gradient descent: ``v -= lr·g``, or with momentum ``m = momentum·m - lr·g``
    then ``v += m`` (or ``v += momentum·m - lr·g`` when ``nesterov``).

    Args:
        learning_rate: float or schedule. Default 0.01.
        momentum: float >= 0. Default 0.0.
        nesterov: use Nesterov momentum. Default False.
        **kwargs: the base ``Optimizer`` arguments (clipnorm, clipvalue, ...).

    Example:
        >>> import numpy as np
        >>> w = np.array([1.0], np.float32)
        >>> _ = SGD(0.5).apply([np.array([1.0], np.float32)], [w]); w.tolist()
        [0.5]
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov
        self._momentums: list[Any] = []

    def build(self, variables: list[Any]) -> None:
        """Create one momentum slot per variable (none without momentum).

        Example:
            >>> import numpy as np
            >>> opt = SGD(momentum=0.5); opt.build([np.zeros(2, np.float32)])
            >>> len(opt.variables)
            3
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        if self.momentum != 0:
            for v in new:
                self._momentums.append(self.add_variable_from_reference(v, "momentum"))

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One SGD step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32)
            >>> SGD().update_step(np.ones(1, np.float32), w, np.float32(0.5))
            >>> w.tolist()
            [0.5]
        """
        value = _fused.dense_value(gradient, variable)
        if value is not None:
            if self.momentum == 0:
                _fused.run("sgd", variable, value, gradient, [], learning_rate)
            else:
                m = self._momentums[self._get_variable_index(variable)]
                _fused.run(
                    "sgd_momentum",
                    variable,
                    value,
                    gradient,
                    [m],
                    learning_rate,
                    self.momentum,
                    self.nesterov,
                )
            return
        step = _rows.mul(gradient, learning_rate)
        if self.momentum == 0:
            self.assign_sub(variable, step)
            return
        m = self._momentums[self._get_variable_index(variable)]
        momentum = learning_rate.dtype.type(self.momentum)
        self.assign(m, _rows.sub(m.value * momentum, step))
        if self.nesterov:
            self.assign_add(variable, _rows.sub(m.value * momentum, step))
        else:
            self.assign_add(variable, m.value)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus momentum and nesterov.

        Example:
            >>> SGD(momentum=0.9).get_config()["momentum"]
            0.9
        """
        return {
            **super().get_config(),
            "momentum": self.momentum,
            "nesterov": self.nesterov,
        }
