"""Adamax, Nadam, Lion, Lamb, Adafactor and Muon against their update rules,
written out here in float64 from the papers' formulas as Keras 3 states them."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import optimizers
from pipeline.nn.tensor import IndexedSlices, Variable


def _gradients(steps: int) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [rng.normal(size=(3,)).astype(np.float32) for _ in range(steps)]


def _run(optimizer, grads):
    w = Variable(np.array([0.5, -1.0, 2.0], np.float32))
    for g in grads:
        optimizer.apply([g], [w])
    return w.numpy()


def test_adamax_rule():
    grads = _gradients(5)
    lr, b1, b2, eps = 0.1, 0.8, 0.9, 1e-3
    w = np.array([0.5, -1.0, 2.0])
    m, u = np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g))
        w = w - lr * m / ((1 - b1**t) * (u + eps))
    got = _run(optimizers.Adamax(lr, beta_1=b1, beta_2=b2, epsilon=eps), grads)
    np.testing.assert_allclose(got, w, rtol=1e-5, atol=1e-6)


def test_lion_rule():
    grads = _gradients(5)
    lr, b1, b2 = 0.1, 0.7, 0.95
    w = np.array([0.5, -1.0, 2.0])
    m = np.zeros(3)
    for g in grads:
        w = w - lr * np.sign(b1 * m + (1 - b1) * g)
        m = b2 * m + (1 - b2) * g
    got = _run(optimizers.Lion(lr, beta_1=b1, beta_2=b2), grads)
    np.testing.assert_allclose(got, w, rtol=1e-5, atol=1e-6)


def test_nadam_rule():
    grads = _gradients(5)
    lr, b1, b2, eps = 0.05, 0.85, 0.95, 1e-4
    w = np.array([0.5, -1.0, 2.0])
    m, v, product = np.zeros(3), np.zeros(3), 1.0

    def mu(t):
        return b1 * (1 - 0.5 * 0.96**t)

    for t, g in enumerate(grads, start=1):
        product *= mu(t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = mu(t + 1) * m / (1 - product * mu(t + 1)) + (1 - mu(t)) * g / (
            1 - product
        )
        v_hat = v / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    opt = optimizers.Nadam(lr, beta_1=b1, beta_2=b2, epsilon=eps)
    got = _run(opt, grads)
    np.testing.assert_allclose(got, w, rtol=1e-5, atol=1e-6)
    assert float(opt._u_product) == pytest.approx(product, rel=1e-6)


def test_lamb_rule():
    grads = _gradients(5)
    lr, b1, b2, eps = 0.05, 0.8, 0.9, 1e-6
    w = np.array([0.5, -1.0, 2.0])
    m, v = np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        step = (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        ratio = np.linalg.norm(w) / np.linalg.norm(step)
        w = w - ratio * lr * step
    got = _run(optimizers.Lamb(lr, beta_1=b1, beta_2=b2, epsilon=eps), grads)
    np.testing.assert_allclose(got, w, rtol=1e-5, atol=1e-6)


def _adafactor_reference(w, grads, lr, decay, eps1, eps2, clip):
    """Adafactor in float64 with a float rate and relative_step on."""
    factored = w.ndim >= 2
    r = np.zeros(w.shape[:-1])
    c = np.zeros(w.shape[:-2] + w.shape[-1:]) if factored else None
    v = np.zeros(w.shape)
    for t, g in enumerate(grads, start=1):
        step_lr = min(lr, 1 / np.sqrt(t))
        alpha = max(eps2, np.sqrt(np.mean(w * w))) * step_lr
        q = g.astype(np.float64) ** 2 + eps1
        b = 1 - t**decay
        if factored:
            r = b * r + (1 - b) * q.mean(axis=-1)
            c = b * c + (1 - b) * q.mean(axis=-2)
            v = np.outer(r / r.mean(), c)
        else:
            v = b * v + (1 - b) * q
        u = g / np.sqrt(v)
        u = u / max(1.0, np.sqrt(np.mean(u * u)) / clip)
        w = w - alpha * u
    return w


@pytest.mark.parametrize("shape", [(3,), (3, 4)])
def test_adafactor_rule(shape):
    rng = np.random.default_rng(3)
    grads = [rng.normal(size=shape).astype(np.float32) for _ in range(4)]
    start = rng.normal(size=shape).astype(np.float32)
    want = _adafactor_reference(
        start.astype(np.float64), grads, 0.3, -0.7, 1e-20, 1e-3, 0.8
    )
    opt = optimizers.Adafactor(
        0.3, beta_2_decay=-0.7, epsilon_1=1e-20, epsilon_2=1e-3, clip_threshold=0.8
    )
    w = Variable(start)
    for g in grads:
        opt.apply([g], [w])
    np.testing.assert_allclose(w.numpy(), want, rtol=1e-4, atol=1e-6)


def test_adafactor_state_order_as_keras():
    opt = optimizers.Adafactor(name="f")
    opt.build(
        [
            Variable(np.ones(3, np.float32), name="a"),
            Variable(np.ones((2, 3), np.float32), name="k"),
        ]
    )
    shapes = [(v.name, v.shape, str(v.dtype)) for v in opt.variables[2:]]
    assert shapes == [
        ("f/a", (), "int32"),
        ("f/a", (), "int32"),
        ("f/a_velocity", (3,), "float32"),
        ("f/k", (2,), "float32"),
        ("f/k", (3,), "float32"),
        ("f/k_velocity", (2, 3), "float32"),
    ]


def _newton_schulz(x, steps, a=3.4445, b=-4.7750, c=2.0315):
    tall = x.shape[0] > x.shape[1]
    x = x.T if tall else x
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


def test_muon_rule_on_a_matrix_and_adamw_on_a_vector():
    rng = np.random.default_rng(5)
    k0 = rng.normal(size=(4, 3)).astype(np.float32)
    b0 = rng.normal(size=3).astype(np.float32)
    grads = [
        (
            rng.normal(size=(4, 3)).astype(np.float32),
            rng.normal(size=3).astype(np.float32),
        )
        for _ in range(3)
    ]
    lr, mom, wd, adam_wd = 0.05, 0.9, 0.01, 0.02
    k, b = k0.astype(np.float64), b0.astype(np.float64)
    mk, mb, vb = np.zeros_like(k), np.zeros_like(b), np.zeros_like(b)
    for t, (gk, gb) in enumerate(grads, start=1):
        k = k - k * wd * lr
        b = b - b * adam_wd * lr
        mk = mk + gk + (mom - 1) * mk
        update = _newton_schulz(gk + mom * mk, 5)
        k = k - lr * update * np.sqrt(4) * 0.2
        mb = mb + (gb - mb) * 0.1
        vb = vb + (gb * gb - vb) * 0.001
        alpha = lr * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        b = b - mb * alpha / (np.sqrt(vb) + 1e-7)
    opt = optimizers.Muon(lr, momentum=mom, weight_decay=wd, adam_weight_decay=adam_wd)
    kv, bv = Variable(k0), Variable(b0)
    for gk, gb in grads:
        opt.apply([gk, gb], [kv, bv])
    np.testing.assert_allclose(kv.numpy(), k, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bv.numpy(), b, rtol=1e-4, atol=1e-5)
    # momentum for both, velocity only for the AdamW variable
    assert [v.shape for v in opt.variables[2:]] == [(4, 3), (3,), (3,)]


def test_muon_newton_schulz_needs_a_matrix():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        optimizers.Muon().zeropower_via_newtonschulz5(np.ones(3, np.float32), 5)


def test_muon_exclusions_by_name_and_embeddings():
    opt = optimizers.Muon(exclude_layers=["^head"])
    assert opt._should_use_adamw(Variable(np.ones((2, 2)), name="head_kernel"))
    assert opt._should_use_adamw(Variable(np.ones((2, 2)), name="Embedding_table"))
    assert not opt._should_use_adamw(Variable(np.ones((2, 2)), name="body_kernel"))
    keep = optimizers.Muon(exclude_embeddings=False)
    assert not keep._should_use_adamw(Variable(np.ones((2, 2)), name="embeddings"))


def test_nadam_product_advances_only_on_applied_updates():
    opt = optimizers.Nadam(gradient_accumulation_steps=2)
    w = Variable(np.ones(2, np.float32))
    opt.apply([np.ones(2, np.float32)], [w])
    assert float(opt._u_product) == 1.0  # accumulated only
    opt.apply([np.ones(2, np.float32)], [w])
    assert float(opt._u_product) == pytest.approx(0.9 * (1 - 0.5 * 0.96))


@pytest.mark.parametrize(
    "name", ["adamax", "nadam", "lion", "lamb", "adafactor", "muon"]
)
def test_sparse_gradient_moves_like_its_dense_twin(name):
    sparse_w = Variable(np.ones((4, 2), np.float32))
    dense_w = Variable(np.ones((4, 2), np.float32))
    sparse_opt, dense_opt = optimizers.get(name), optimizers.get(name)
    for step in range(3):
        values = np.full((2, 2), 1.0 + step, np.float32)
        rows = np.array([0, 3])
        dense = np.zeros((4, 2), np.float32)
        dense[rows] = values
        sparse_opt.apply([IndexedSlices(values, rows, (4, 2))], [sparse_w])
        dense_opt.apply([dense], [dense_w])
    np.testing.assert_allclose(sparse_w.numpy(), dense_w.numpy(), rtol=1e-6)


def test_names_resolve_and_configs_round_trip():
    for name, cls in [
        ("adamax", optimizers.Adamax),
        ("nadam", optimizers.Nadam),
        ("lion", optimizers.Lion),
        ("lamb", optimizers.Lamb),
        ("adafactor", optimizers.Adafactor),
        ("muon", optimizers.Muon),
    ]:
        opt = optimizers.get(name)
        assert type(opt) is cls
        again = optimizers.deserialize(optimizers.serialize(opt))
        assert again.get_config() == opt.get_config()
