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
from libc.stdlib cimport free, malloc

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


cdef inline void _adam_loop(real* out, const real* var, const real* grad, real* m,
                            real* v, real* vhat, Py_ssize_t n, real alpha, real c1,
                            real c2, real eps, bint amsgrad) noexcept nogil:
    cdef Py_ssize_t i
    cdef real g, mi, vi
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


def adam(real[::1] out, const real[::1] var, const real[::1] grad, real[::1] m,
         real[::1] v, real[::1] vhat, real alpha, real c1, real c2, real eps,
         bint amsgrad):
    """Adam (``c1 = 1-β1``, ``c2 = 1-β2``, ``alpha`` bias-corrected rate)."""
    cdef Py_ssize_t n = var.shape[0]
    if n == 0:
        return
    _check_same(n, out.shape[0], grad.shape[0], m.shape[0], v.shape[0],
                vhat.shape[0])
    with nogil:
        _adam_loop(&out[0], &var[0], &grad[0], &m[0], &v[0], &vhat[0], n, alpha,
                   c1, c2, eps, amsgrad)


cdef inline void _check_same(Py_ssize_t n, Py_ssize_t a, Py_ssize_t b, Py_ssize_t c,
                             Py_ssize_t d, Py_ssize_t e) except *:
    if a != n or b != n or c != n or d != n or e != n:
        raise ValueError(f"adam: arrays of different lengths ({n}, {a}, {b}, {c}, "
                         f"{d}, {e})")


cdef void _adam_many_typed(real kind, list outs, list vars, list grads, list ms,
                           list vs, list vhats, real alpha, real c1, real c2,
                           real eps, bint amsgrad) except *:
    cdef Py_ssize_t k, n, count = len(outs)
    cdef real[::1] o, m, v, h
    cdef const real[::1] w, g
    cdef real** ptrs = <real**>malloc(6 * count * sizeof(real*))
    cdef Py_ssize_t* sizes = <Py_ssize_t*>malloc(count * sizeof(Py_ssize_t))
    if ptrs == NULL or sizes == NULL:
        free(ptrs)
        free(sizes)
        raise MemoryError()
    try:
        for k in range(count):
            o, w, g, m, v, h = outs[k], vars[k], grads[k], ms[k], vs[k], vhats[k]
            n = w.shape[0]
            _check_same(n, o.shape[0], g.shape[0], m.shape[0], v.shape[0],
                        h.shape[0])
            sizes[k] = n
            if n:
                ptrs[6 * k] = &o[0]
                ptrs[6 * k + 1] = <real*>&w[0]
                ptrs[6 * k + 2] = <real*>&g[0]
                ptrs[6 * k + 3] = &m[0]
                ptrs[6 * k + 4] = &v[0]
                ptrs[6 * k + 5] = &h[0]
        with nogil:
            for k in range(count):
                if sizes[k]:
                    _adam_loop(ptrs[6 * k], ptrs[6 * k + 1], ptrs[6 * k + 2],
                               ptrs[6 * k + 3], ptrs[6 * k + 4], ptrs[6 * k + 5],
                               sizes[k], alpha, c1, c2, eps, amsgrad)
    finally:
        free(ptrs)
        free(sizes)


def adam_many(list outs, list vars, list grads, list ms, list vs, list vhats,
              double alpha, double c1, double c2, double eps, bint amsgrad):
    """``adam`` over several variables in one call, the GIL released once.

    The lists hold one 1-D contiguous array per variable, all float32 or all
    float64; the scalars are rounded to that precision, as ``adam``'s are.
    The arrays the lists refer to must stay alive for the call (they do: the
    lists hold them).
    """
    cdef Py_ssize_t count = len(outs)
    for other in (vars, grads, ms, vs, vhats):
        if len(other) != count:
            raise ValueError(f"adam_many: {count} outputs but a list of {len(other)}")
    if count == 0:
        return
    if outs[0].dtype.itemsize == 4:
        _adam_many_typed(<float>0, outs, vars, grads, ms, vs, vhats, <float>alpha,
                         <float>c1, <float>c2, <float>eps, amsgrad)
    else:
        _adam_many_typed(<double>0, outs, vars, grads, ms, vs, vhats, alpha, c1,
                         c2, eps, amsgrad)


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
