"""Fused dense optimizer updates, in numpy: the twin of ``_ext/optim.pyx``.

Each function reads ``var`` and ``grad`` (1-D), updates the slot arrays in place
and writes the new variable into ``out``, with Keras 3's float operations in
Keras's order and the arrays' precision.

Example:
    >>> import numpy as np
    >>> out = np.empty(1, np.float32)
    >>> sgd(out, np.ones(1, np.float32), np.ones(1, np.float32), np.float32(0.5))
    >>> out.tolist()
    [0.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np


def sgd(out: Any, var: Any, grad: Any, lr: Any) -> None:
    """``out = var - grad·lr``."""
    out[...] = var - grad * lr


def sgd_momentum(
    out: Any, var: Any, grad: Any, m: Any, lr: Any, momentum: Any, nesterov: bool
) -> None:
    """``m = m·momentum - g·lr``; ``out = var + m`` (or Nesterov's step).

    Example:
        >>> f = np.float32
        >>> out, m = np.empty(1, f), np.zeros(1, f)
        >>> sgd_momentum(out, np.ones(1, f), np.ones(1, f), m, f(0.5), f(0.9), False)
        >>> out.tolist(), m.tolist()
        ([0.5], [-0.5])
    """
    step = grad * lr
    m[...] = m * momentum - step
    out[...] = var + (m * momentum - step) if nesterov else var + m


def adam(
    out: Any,
    var: Any,
    grad: Any,
    m: Any,
    v: Any,
    vhat: Any,
    alpha: Any,
    c1: Any,
    c2: Any,
    eps: Any,
    amsgrad: bool,
) -> None:
    """Adam (``c1 = 1-β1``, ``c2 = 1-β2``, ``alpha`` bias-corrected rate).

    Example:
        >>> f = np.float32
        >>> out, m, v = np.empty(1, f), np.zeros(1, f), np.zeros(1, f)
        >>> adam(out, np.ones(1, f), np.ones(1, f), m, v, m, f(0.1), f(0.1),
        ...      f(0.001), f(1e-7), False)
        >>> m.tolist()
        [0.10000000149011612]
    """
    m[...] = m + (grad - m) * c1
    v[...] = v + (np.square(grad) - v) * c2
    velocity = v
    if amsgrad:
        vhat[...] = np.maximum(vhat, v)
        velocity = vhat
    out[...] = var - (m * alpha) / (np.sqrt(velocity) + eps)


def adam_many(
    outs: list[Any],
    vars: list[Any],
    grads: list[Any],
    ms: list[Any],
    vs: list[Any],
    vhats: list[Any],
    alpha: Any,
    c1: Any,
    c2: Any,
    eps: Any,
    amsgrad: bool,
) -> None:
    """``adam`` over several variables (one array per variable in each list, all
    of one dtype); the scalars are rounded to that dtype.

    Example:
        >>> f = np.float32
        >>> outs = [np.empty(1, f), np.empty(2, f)]
        >>> ms, vs = [np.zeros(1, f), np.zeros(2, f)], [np.zeros(1, f), np.zeros(2, f)]
        >>> adam_many(outs, [np.ones(1, f), np.ones(2, f)],
        ...           [np.ones(1, f), np.ones(2, f)], ms, vs, vs, 0.1, 0.1, 0.001,
        ...           1e-7, False)
        >>> [m.tolist() for m in ms]
        [[0.10000000149011612], [0.10000000149011612, 0.10000000149011612]]
    """
    lists = (vars, grads, ms, vs, vhats)
    if any(len(other) != len(outs) for other in lists):
        raise ValueError(f"adam_many: {len(outs)} outputs but lists of other lengths")
    if not outs:
        return
    real = outs[0].dtype.type
    scalars = [real(alpha), real(c1), real(c2), real(eps)]
    for arrays in zip(outs, *lists, strict=True):
        adam(*arrays, *scalars, amsgrad)


def adagrad(out: Any, var: Any, grad: Any, acc: Any, lr: Any, eps: Any) -> None:
    """``acc += g²``; ``out = var - g·lr/sqrt(acc+ε)``."""
    acc[...] = acc + np.square(grad)
    out[...] = var - (grad * lr) / np.sqrt(acc + eps)


def adadelta(
    out: Any,
    var: Any,
    grad: Any,
    eg: Any,
    ed: Any,
    lr: Any,
    rho: Any,
    c: Any,
    eps: Any,
) -> None:
    """Adadelta (``c = 1-ρ``)."""
    eg[...] = eg * rho + np.square(grad) * c
    delta = -((np.sqrt(ed + eps) * grad) / np.sqrt(eg + eps))
    ed[...] = ed * rho + np.square(delta) * c
    out[...] = var + delta * lr


def rmsprop(
    out: Any,
    var: Any,
    grad: Any,
    s: Any,
    a: Any,
    mom: Any,
    lr: Any,
    rho: Any,
    c: Any,
    momentum: Any,
    eps: Any,
    centered: bool,
    use_momentum: bool,
) -> None:
    """RMSprop (``c = 1-ρ``), optionally centered and with momentum."""
    s[...] = s * rho + np.square(grad) * c
    if centered:
        a[...] = a * rho + grad * c
        denominator = s - a * a + eps
    else:
        denominator = s + eps
    increment = (grad * lr) / np.sqrt(denominator)
    if use_momentum:
        mom[...] = mom * momentum + increment
        increment = mom
    out[...] = var - increment


def ftrl(
    out: Any,
    var: Any,
    grad: Any,
    acc: Any,
    linear: Any,
    lr: Any,
    shrink2: Any,
    l2x2: Any,
    l1: Any,
) -> None:
    """FTRL with ``learning_rate_power = -0.5`` (``shrink2 = 2·l2_shrinkage``,
    ``l2x2 = 2·(l2 + β/(2·lr))``).

    Example:
        >>> f = np.float32
        >>> out, acc, lin = np.empty(1, f), np.full(1, 0.1, f), np.zeros(1, f)
        >>> ftrl(out, np.ones(1, f), np.zeros(1, f), acc, lin, f(0.1), 0.0, f(0), 0.0)
        >>> out.tolist()
        [0.0]
    """
    new_acc = acc + np.square(grad)
    new_pow = np.sqrt(new_acc)
    sigma = (new_pow - np.sqrt(acc)) / lr
    linear[...] = linear + ((grad + var * shrink2) - sigma * var)
    quadratic = new_pow / lr + l2x2
    out[...] = (np.clip(linear, -l1, l1) - linear) / quadratic
    acc[...] = new_acc
