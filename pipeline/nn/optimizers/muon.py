"""Muon: momentum orthogonalized by a Newton-Schulz iteration, for 2-D weights;
AdamW for every other variable (embeddings, biases, excluded layers).

Example:
    >>> import numpy as np
    >>> opt = Muon(learning_rate=0.1)
    >>> k = np.ones((2, 2), np.float32); b = np.ones(2, np.float32)
    >>> _ = opt.apply([np.eye(2, dtype=np.float32), np.ones(2, np.float32)], [k, b])
    >>> opt._should_use_adamw(k), opt._should_use_adamw(b)
    (False, True)
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.nn.optimizers import _access, _rows, _stepping
from pipeline.nn.optimizers.base import Optimizer


def _swap_last(x: Any) -> Any:
    return _access.xp().swapaxes(x, -1, -2)


class Muon(Optimizer):
    """Muon as Keras 3 computes it.

    For a 2-D variable (not an embedding, not in ``exclude_layers``):
    ``m += g + (momentum-1)·m``; ``u = g + momentum·m`` (``m`` without
    ``nesterov``); ``v -= lr·NS(u)·sqrt(max(rows, cols))·rms_rate`` where ``NS``
    is ``ns_steps`` quintic Newton-Schulz iterations (coefficients ``muon_a``,
    ``muon_b``, ``muon_c``). Every other variable takes an AdamW step at
    ``lr·adam_lr_ratio``. Weight decay is ``weight_decay`` for Muon's variables
    and ``adam_weight_decay`` for the others.

    Args:
        learning_rate: float or schedule. Default 0.001.
        adam_beta_1, adam_beta_2: AdamW's moment decays. Defaults 0.9, 0.999.
        adam_weight_decay: AdamW's weight decay. Default 0.004.
        epsilon: AdamW's epsilon. Default 1e-7.
        weight_decay: Muon's weight decay. Default 0.004.
        exclude_layers: regular expressions; a variable whose path matches one
            takes AdamW steps. Default None.
        exclude_embeddings: embeddings take AdamW steps. Default True.
        muon_a, muon_b, muon_c: Newton-Schulz coefficients. Defaults 3.4445,
            -4.7750, 2.0315.
        adam_lr_ratio: AdamW's rate as a fraction of ``learning_rate``. Default 1.
        momentum: Muon's momentum. Default 0.95.
        ns_steps: Newton-Schulz iterations. Default 5.
        nesterov: Nesterov momentum. Default True.
        rms_rate: the update's RMS scale; None for none. Default 0.2.
        **kwargs: the other base ``Optimizer`` arguments.

    Example:
        >>> Muon().get_config()["ns_steps"]
        5
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float | None = 0.004,
        epsilon: float = 1e-7,
        weight_decay: float | None = 0.004,
        exclude_layers: list[str] | None = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.7750,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: float | None = 0.2,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, **kwargs
        )
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate
        self._slots: list[tuple[Any, Any]] = []

    def _should_use_adamw(self, variable: Any) -> bool:
        """Whether ``variable`` takes AdamW steps: not 2-D, an embedding, or
        matched by ``exclude_layers``.

        Example:
            >>> import numpy as np
            >>> Muon()._should_use_adamw(np.zeros((2, 3)))
            False
        """
        if len(_access.read(variable).shape) != 2:
            return True
        path = _stepping.variable_path(variable)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, variables: list[Any]) -> None:
        """Create each variable's momentum, and a velocity for AdamW's.

        Example:
            >>> import numpy as np
            >>> opt = Muon(); opt.build([np.zeros((2, 2)), np.zeros(2)])
            >>> len(opt.variables)
            5
        """
        new = [v for v in variables if id(v) not in self._index_of]
        super().build(variables)
        for v in new:
            m = self.add_variable_from_reference(v, "momentum")
            u = None
            if self._should_use_adamw(v):
                u = self.add_variable_from_reference(v, "velocity")
            self._slots.append((m, u))

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """One Muon (or AdamW) step for ``variable``.

        Example:
            >>> import numpy as np
            >>> w = np.ones(2, np.float32); opt = Muon(); opt.build([w])
            >>> opt.update_step(np.ones(2, np.float32), w, 0.5)
            >>> w.round(4).tolist()
            [0.5, 0.5]
        """
        dtype = _access.read(variable).dtype
        xp = _access.xp()
        if not isinstance(gradient, _rows.Rows):
            gradient = _access.read(gradient)  # a tensor, when called directly
        g = xp.asarray(_rows.densify(gradient), dtype=dtype)
        lr = xp.asarray(_access.to_numpy(learning_rate), dtype=dtype)
        m, u = self._slots[self._get_variable_index(variable)]
        if u is not None:
            self._adamw_step(g, variable, lr * dtype.type(self.adam_lr_ratio), m, u)
            return
        f = dtype.type
        self.assign_add(m, g + m.value * f(self.momentum - 1))
        direction = g + f(self.momentum) * m.value if self.nesterov else m.value
        update = self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        self.assign_sub(variable, self.lr_adjust(lr * update))

    def _adamw_step(self, g: Any, variable: Any, lr: Any, m: Any, u: Any) -> None:
        xp = _access.xp()
        f = g.dtype.type
        t = f(int(self.iterations) + 1)
        beta_1_power = f(self.adam_beta_1) ** t
        beta_2_power = f(self.adam_beta_2) ** t
        alpha = lr * xp.sqrt(f(1) - beta_2_power) / (f(1) - beta_1_power)
        self.assign_add(m, (g - m.value) * f(1 - self.adam_beta_1))
        self.assign_add(u, (g * g - u.value) * f(1 - self.adam_beta_2))
        self.assign_sub(
            variable, m.value * alpha / (xp.sqrt(u.value) + f(self.epsilon))
        )

    def lr_adjust(self, x: Any) -> Any:
        """Scale a 2-D update by ``sqrt(max(rows, cols))·rms_rate`` (Moonlight's
        rule, so Muon can share AdamW's rate); unchanged when ``rms_rate`` is None.

        Example:
            >>> import numpy as np
            >>> Muon(rms_rate=0.5).lr_adjust(np.ones((4, 1))).ravel().tolist()
            [1.0, 1.0, 1.0, 1.0]
        """
        if self.rms_rate is None:
            return x
        x = _access.read(x)
        scale = max(x.shape[0], x.shape[1]) ** 0.5 * self.rms_rate
        return x * x.dtype.type(scale)

    def zeropower_via_newtonschulz5(self, x: Any, steps: int) -> Any:
        """``steps`` quintic Newton-Schulz iterations towards the orthogonal
        factor of ``x`` (over its last two axes), from ``x/‖x‖``.

        Raises:
            ValueError: if ``x`` has fewer than 2 dimensions.

        Example:
            >>> import numpy as np
            >>> out = Muon().zeropower_via_newtonschulz5(np.eye(2) * 3.0, 5)
            >>> bool(np.allclose(out, out.T)) and out.shape
            (2, 2)
        """
        x = _access.read(x)
        if x.ndim < 2:
            raise ValueError(
                "Expected gradient or momentum to have at least 2 dimensions. "
                f"Received: shape={tuple(x.shape)}"
            )
        xp = _access.xp()
        f = x.dtype.type
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = _swap_last(x)
        norm = xp.sqrt(xp.sum(xp.square(x), axis=(-2, -1), keepdims=True))
        x = x / (norm + f(1e-7))
        a, b, c = f(self.muon_a), f(self.muon_b), f(self.muon_c)
        for _ in range(steps):
            gram = x @ _swap_last(x)
            x = a * x + (b * gram + c * gram @ gram) @ x
        return _swap_last(x) if tall else x

    def _apply_weight_decay(
        self, variables: list[Any], learning_rate: Any = None
    ) -> None:
        """Decay Muon's variables by ``weight_decay`` and AdamW's by
        ``adam_weight_decay`` (each ``v -= v·wd·lr``), exclusions honoured."""
        if learning_rate is None:
            learning_rate = self._current_learning_rate()
        excluded = (self._decay_excluded_ids, self._decay_excluded_names)
        for variable in _stepping.decayed(variables, *excluded):
            adamw = self._should_use_adamw(variable)
            rate = self.adam_weight_decay if adamw else self.weight_decay
            if rate is not None:
                _stepping.decay(variable, rate, learning_rate)

    def get_config(self) -> dict[str, Any]:
        """Keras 3's config: the base keys plus Muon's arguments.

        Example:
            >>> Muon().get_config()["rms_rate"]
            0.2
        """
        return {
            **super().get_config(),
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
