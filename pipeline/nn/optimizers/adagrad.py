"""Adagrad and Adadelta: per-coordinate rates from accumulated squared gradients.

Example:
    >>> import numpy as np
    >>> w = np.array([1.0], np.float32)
    >>> _ = Adagrad(learning_rate=0.1).apply([np.array([1.0], np.float32)], [w])
    >>> round(float(w[0]), 4)
    0.9047
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.optimizers import _fused, _rows
from pipeline.nn.optimizers.base import Optimizer


class Adagrad(Optimizer):
    """Adagrad: ``acc += g²``, ``v -= lr·g/sqrt(acc+ε)``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        initial_accumulator_value: starting value of ``acc``. Default 0.1.
        epsilon: added inside the sqrt. Default 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Adagrad().get_config()["initial_accumulator_value"]
        0.1
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon
        self._accumulators: list[Any] = []

    def build(self, variables: list[Any]) -> None:
        """Create one accumulator per variable.

        Example:
            >>> import numpy as np
            >>> opt = Adagrad(); opt.build([np.zeros(1, np.float32)])
            >>> opt.variables[-1].numpy().tolist()
            [0.10000000149011612]
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            self._accumulators.append(
                self.add_variable_from_reference(
                    v, "accumulator", self.initial_accumulator_value
                )
            )

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Adagrad step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32); opt = Adagrad(); opt.build([w])
            >>> opt.update_step(np.zeros(1, np.float32), w, np.float32(0.1))
            >>> w.tolist()
            [1.0]
        """
        acc = self._accumulators[self._get_variable_index(variable)]
        value = _fused.dense_value(gradient, variable)
        if value is not None:
            _fused.run(
                "adagrad", variable, value, gradient, [acc], learning_rate, self.epsilon
            )
            return
        self.assign_add(acc, _rows.square(gradient))
        denominator = _rows.sqrt(acc.value + acc.dtype.type(self.epsilon))
        self.assign_sub(
            variable, _rows.div(_rows.mul(gradient, learning_rate), denominator)
        )

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus initial_accumulator_value, epsilon.

        Example:
            >>> Adagrad().get_config()["epsilon"]
            1e-07
        """
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }


class Adadelta(Optimizer):
    """Adadelta: ``Eg = ρEg + (1-ρ)g²``, ``d = -sqrt(Ed+ε)·g/sqrt(Eg+ε)``,
    ``Ed = ρEd + (1-ρ)d²``, ``v += lr·d``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        rho: decay rate. Default 0.95.
        epsilon: added inside both square roots. Default 1e-7.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Adadelta().get_config()["rho"]
        0.95
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon
        self._slots: list[tuple[Any, Any]] = []

    def build(self, variables: list[Any]) -> None:
        """Create the accumulated_grad and accumulated_delta_var slots.

        Example:
            >>> import numpy as np
            >>> opt = Adadelta(); opt.build([np.zeros(1, np.float32)])
            >>> len(opt.variables)
            4
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            self._slots.append(
                (
                    self.add_variable_from_reference(v, "accumulated_grad"),
                    self.add_variable_from_reference(v, "accumulated_delta_var"),
                )
            )

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Adadelta step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(1, np.float32); opt = Adadelta(); opt.build([w])
            >>> opt.update_step(np.ones(1, np.float32), w, np.float32(1.0))
            >>> round(float(w[0]), 5)
            0.99859
        """
        eg, ed = self._slots[self._get_variable_index(variable)]
        rho = self.rho
        value = _fused.dense_value(gradient, variable)
        if value is not None:
            _fused.run(
                "adadelta",
                variable,
                value,
                gradient,
                [eg, ed],
                learning_rate,
                rho,
                1 - rho,
                self.epsilon,
            )
            return
        eps = eg.dtype.type(self.epsilon)
        self.assign(
            eg, _rows.add(eg.value * rho, _rows.mul(_rows.square(gradient), 1 - rho))
        )
        rms_ed = _rows.sqrt(ed.value + eps)
        rms_eg = _rows.sqrt(eg.value + eps)
        delta = _rows.neg(_rows.div(_rows.mul(rms_ed, gradient), rms_eg))
        self.assign(
            ed, _rows.add(ed.value * rho, _rows.mul(_rows.square(delta), 1 - rho))
        )
        self.assign_add(variable, _rows.mul(delta, learning_rate))

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus rho, epsilon.

        Example:
            >>> Adadelta().get_config()["epsilon"]
            1e-07
        """
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
