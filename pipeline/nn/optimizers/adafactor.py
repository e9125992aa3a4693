"""Adafactor: second moments kept as row and column factors (Shazeer & Stern).

Example:
    >>> import numpy as np
    >>> w = np.ones((2, 2), np.float32)
    >>> _ = Adafactor(0.5).apply([np.ones((2, 2), np.float32)], [w])
    >>> w.round(4).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.optimizers import _access, _rows, _stepping
from pipeline.nn.optimizers.base import Optimizer


def _rms(x: Any) -> Any:
    xp = _access.xp()
    return xp.sqrt(xp.mean(xp.square(x)))


class Adafactor(Optimizer):
    """Adafactor as Keras 3 computes it, at step t with ``b = 1 - t^beta_2_decay``:
    ``q = g² + ε1``; for a variable of rank >= 2, ``r = b·r + (1-b)·mean(q, -1)``,
    ``c = b·c + (1-b)·mean(q, -2)`` and ``v = (r / mean(r))[..., None]·c[..., None, :]``
    (else ``v = b·v + (1-b)·q``); ``u = g/sqrt(v)`` scaled down to an RMS of at
    most ``clip_threshold``; ``w -= max(ε2, rms(w))·min(lr, 1/sqrt(t))·u``.

    Args:
        learning_rate: float or schedule. Default 0.001.
        beta_2_decay: the decay exponent of the second moment. Default -0.8.
        epsilon_1: added to the squared gradient. Default 1e-30.
        epsilon_2: the smallest step scale. Default 1e-3.
        clip_threshold: the largest RMS of the normalized update. Default 1.0.
        relative_step: also cap a float rate at ``1/sqrt(t)``. Default True.
        **kwargs: the base ``Optimizer`` arguments.

    Example:
        >>> Adafactor().get_config()["beta_2_decay"]
        -0.8
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step
        self._slots: list[tuple[Any, Any, Any]] = []

    def build(self, variables: list[Any]) -> None:
        """Create each variable's row and column factors (placeholders below
        rank 2, as Keras) and its velocity, in Keras's order.

        Example:
            >>> opt = Adafactor(); opt.build([np.zeros((2, 3), np.float32)])
            >>> [v.shape for v in opt.variables[2:]]
            [(2,), (3,), (2, 3)]
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            shape = tuple(_access.read(v).shape)
            dtype = _access.read(v).dtype
            name = _stepping.variable_name(v)
            if len(shape) < 2:
                r = self.add_variable((), dtype=np.int32, name=name)
                c = self.add_variable((), dtype=np.int32, name=name)
            else:
                r = self.add_variable(shape[:-1], dtype=dtype, name=name)
                c = self.add_variable(shape[:-2] + shape[-1:], dtype=dtype, name=name)
            self._slots.append((r, c, self.add_variable_from_reference(v, "velocity")))

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Adafactor step for ``variable``.

        Example:
            >>> w = np.ones(2, np.float32); opt = Adafactor(); opt.build([w])
            >>> opt.update_step(np.zeros(2, np.float32), w, np.float32(0.1))
            >>> w.tolist()
            [1.0, 1.0]
        """
        xp = _access.xp()
        g = _rows.densify(gradient)
        f = g.dtype.type
        r, c, v = self._slots[self._get_variable_index(variable)]
        t = f(int(self.iterations) + 1)
        lr = learning_rate.astype(g.dtype)
        if self.relative_step and not callable(self._learning_rate):
            lr = xp.minimum(lr, f(1) / xp.sqrt(t))
        rho = xp.minimum(lr, f(1) / xp.sqrt(t))
        alpha = xp.maximum(f(self.epsilon_2), _rms(_access.read(variable))) * rho
        squared = g * g + f(self.epsilon_1)
        b = f(1) - t ** f(self.beta_2_decay)
        if g.ndim >= 2:
            self.assign(r, b * r.value + (f(1) - b) * xp.mean(squared, axis=-1))
            self.assign(c, b * c.value + (f(1) - b) * xp.mean(squared, axis=-2))
            rows = r.value / xp.mean(r.value, axis=-1, keepdims=True)
            self.assign(v, rows[..., None] * c.value[..., None, :])
        else:
            self.assign(v, b * v.value + (f(1) - b) * squared)
        u = g / xp.sqrt(v.value)
        u = u / xp.maximum(f(1), _rms(u) / f(self.clip_threshold))
        self.assign_sub(variable, alpha * u)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus Adafactor's five arguments.

        Example:
            >>> Adafactor().get_config()["clip_threshold"]
            1.0
        """
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
