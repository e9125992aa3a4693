# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: extra_compile_args = -ffp-contract=off -fno-math-errno
"""Fused dense optimizer updates: one pass over a variable, GIL released.

Each function reads the variable and its gradient (1-D, contiguous), updates
the slot arrays in place and writes the new variable into ``out``. The float
operations are Keras 3's, in Keras's order and precision (float32 or float64,
no fused multiply-add), so results are bit-identical to the numpy rules in
``pipeline.nn.optimizers``. Twin: pipeline/_reference/optim.py.
"""

from libc.math cimport sqrt, sqrtf

ctypedef fused real:
    float
    double


cdef inline real _sqrt(real x) noexcept nogil:
    if real is float:
        return sqrtf(x)
    else:
        return sqrt(x)


cdef inline real _max_nan(real a, real b) noexcept nogil:
    # numpy.maximum: NaN if either is NaN
    if a != a or b != b:
        return a + b
    return a if a > b else b


def sgd(real[::1] out, const real[::1] var, const real[::1] grad, real lr):
    """``out = var - grad·lr``."""
    cdef Py_ssize_t i, n = var.shape[0]
    with nogil:
        for i in range(n):
            out[i] = var[i] - grad[i] * lr


def sgd_momentum(real[::1] out, const real[::1] var, const real[::1] grad,
                 real[::1] m, real lr, real momentum, bint nesterov):
    """``m = m·momentum - g·lr``; ``out = var + m`` (or Nesterov's step)."""
    cdef Py_ssize_t i, n = var.shape[0]
    cdef real step, mi
    with nogil:
        for i in range(n):
            step = grad[i] * lr
            mi = m[i] * momentum - step
            m[i] = mi
            if nesterov:
                out[i] = var[i] + (mi * momentum - step)
            else:
                out[i] = var[i] + mi


def adam(real[::1] out, const real[::1] var, const real[::1] grad, real[::1] m,
         real[::1] v, real[::1] vhat, real alpha, real c1, real c2, real eps,
         bint amsgrad):
    """Adam (``c1 = 1-β1``, ``c2 = 1-β2``, ``alpha`` bias-corrected rate)."""
    cdef Py_ssize_t i, n = var.shape[0]
    cdef real g, mi, vi
    with nogil:
        for i in range(n):
            g = grad[i]
            mi = m[i] + (g - m[i]) * c1
            vi = v[i] + (g * g - v[i]) * c2
            m[i] = mi
            v[i] = vi
            if amsgrad:
                vi = _max_nan(vhat[i], vi)
                vhat[i] = vi
            out[i] = var[i] - (mi * alpha) / (_sqrt(vi) + eps)


def adagrad(real[::1] out, const real[::1] var, const real[::1] grad,
            real[::1] acc, real lr, real eps):
    """``acc += g²``; ``out = var - g·lr/sqrt(acc+ε)``."""
    cdef Py_ssize_t i, n = var.shape[0]
    cdef real g, a
    with nogil:
        for i in range(n):
            g = grad[i]
            a = acc[i] + g * g
            acc[i] = a
            out[i] = var[i] - (g * lr) / _sqrt(a + eps)


def adadelta(real[::1] out, const real[::1] var, const real[::1] grad,
             real[::1] eg, real[::1] ed, real lr, real rho, real c, real eps):
    """Adadelta (``c = 1-ρ``)."""
    cdef Py_ssize_t i, n = var.shape[0]
    cdef real g, egi, delta
    with nogil:
        for i in range(n):
            g = grad[i]
            egi = eg[i] * rho + (g * g) * c
            eg[i] = egi
            delta = -((_sqrt(ed[i] + eps) * g) / _sqrt(egi + eps))
            ed[i] = ed[i] * rho + (delta * delta) * c
            out[i] = var[i] + delta * lr


cdef inline void _rmsprop_loop(real* out, const real* var, const real* grad, real* s,
                               real* a, real* mom, Py_ssize_t n, real lr, real rho,
                               real c, real momentum, real eps, bint centered,
                               bint use_momentum) noexcept nogil:
    cdef Py_ssize_t i
    cdef real g, si, ai, den, inc
    for i in range(n):
        g = grad[i]
        si = s[i] * rho + (g * g) * c
        s[i] = si
        if centered:
            ai = a[i] * rho + g * c
            a[i] = ai
            den = si - ai * ai + eps
        else:
            den = si + eps
        inc = (g * lr) / _sqrt(den)
        if use_momentum:
            inc = mom[i] * momentum + inc
            mom[i] = inc
        out[i] = var[i] - inc


def rmsprop(real[::1] out, const real[::1] var, const real[::1] grad,
            real[::1] s, real[::1] a, real[::1] mom, real lr, real rho, real c,
            real momentum, real eps, bint centered, bint use_momentum):
    """RMSprop (``c = 1-ρ``), optionally centered and with momentum.

    Each flag combination runs its own loop (constant flags let the compiler
    vectorize it).
    """
    cdef Py_ssize_t n = var.shape[0]
    if n == 0:
        return
    cdef real* po = &out[0]
    cdef const real* pv = &var[0]
    cdef const real* pg = &grad[0]
    cdef real* ps = &s[0]
    cdef real* pa = &a[0]
    cdef real* pm = &mom[0]
    with nogil:
        if centered and use_momentum:
            _rmsprop_loop(po, pv, pg, ps, pa, pm, n, lr, rho, c, momentum, eps, 1, 1)
        elif centered:
            _rmsprop_loop(po, pv, pg, ps, pa, pm, n, lr, rho, c, momentum, eps, 1, 0)
        elif use_momentum:
            _rmsprop_loop(po, pv, pg, ps, pa, pm, n, lr, rho, c, momentum, eps, 0, 1)
        else:
            _rmsprop_loop(po, pv, pg, ps, pa, pm, n, lr, rho, c, momentum, eps, 0, 0)


cdef inline real _clip_nan(real x, real lo, real hi) noexcept nogil:
    # numpy.clip: min(max(x, lo), hi), NaN propagating
    if x != x:
        return x
    x = x if x > lo else lo
    return x if x < hi else hi


def ftrl(real[::1] out, const real[::1] var, const real[::1] grad, real[::1] acc,
         real[::1] linear, real lr, real shrink2, real l2x2, real l1):
    """FTRL with ``learning_rate_power = -0.5`` (``shrink2 = 2·l2_shrinkage``,
    ``l2x2 = 2·(l2 + β/(2·lr))``)."""
    cdef Py_ssize_t i, n = var.shape[0]
    cdef real v, g, a, na, new_pow, sigma, lin, quadratic
    with nogil:
        for i in range(n):
            v = var[i]
            g = grad[i]
            a = acc[i]
            na = a + g * g
            new_pow = _sqrt(na)
            sigma = (new_pow - _sqrt(a)) / lr
            lin = linear[i] + ((g + v * shrink2) - sigma * v)
            linear[i] = lin
            quadratic = new_pow / lr + l2x2
            out[i] = (_clip_nan(lin, -l1, l1) - lin) / quadratic
            acc[i] = na
