"""load_model on configs of the wrong shape, oversized configs, and optimizer
state saved before the first training step.

Each damaged file is built here from a fuzz reproducer (``tools.fuzz``,
target ``model_archive``): the error must be `ModelFormatError` naming the
file, the member and the config path, never IndexError/AttributeError/
MemoryError from model code.
"""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import ModelFormatError
from pipeline.nn import layers


def _functional():
    a, b = layers.Input((2,), name="a"), layers.Input((3,), name="b")
    left = layers.Dense(2, name="left")(a)
    joined = layers.Concatenate(name="join")([left, b])
    out = layers.Dense(1, name="prob")(joined)
    return pl.nn.Model([a, b], out, name="fn")


def _rewrite(path, member, change):
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[member] = change(members[member])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _with_config(path, mutate):
    def change(blob):
        config = json.loads(blob)
        mutate(config["config"])
        return json.dumps(config).encode()

    _rewrite(path, "config.json", change)


def _node(config, layer, index=0):
    return config["layers"][layer]["inbound_nodes"][index]


@pytest.mark.parametrize(
    ("mutate", "match", "cause"),
    [
        # graph_config.py:96 IndexError: a tensor index past the call's outputs
        (
            lambda c: _node(c, 4)["args"].update(__keras_tensor__=["join", 0, 5]),
            r"a tensor made by a layer call.* at config\.layers\[4\]"
            r"\.inbound_nodes\[0\]\.__keras_tensor__",
            None,
        ),
        (
            lambda c: _node(c, 1)["args"].update(__keras_tensor__=["a", "0", 0]),
            r"\[layer_name, node_index, tensor_index\] at "
            r"config\.layers\[1\]\.inbound_nodes\[0\]\.__keras_tensor__",
            None,
        ),
        # a layer called on None: Dense builds on an unknown input width
        # (initializers' compute_fans: TypeError)
        (
            lambda c: _node(c, 4).update(args=[None]),
            r"a call of layer 'prob' from the config at "
            r"config\.layers\[4\]\.inbound_nodes\[0\]",
            TypeError,
        ),
        # core.py:76 IndexError: Dense built on a rank-0 input
        (
            lambda c: c["layers"][0]["config"].update(batch_shape=[]),
            r"a call of layer 'left' .*config\.layers\[1\]\.inbound_nodes\[0\]",
            IndexError,
        ),
        # ops/shape.py:97 ZeroDivisionError: Concatenate of rank-0 inputs
        (
            lambda c: (
                c["layers"][2]["config"].update(batch_shape=[])
                or _node(c, 3).update(args=[_node(c, 3)["args"][1]] * 2)
            ),
            r"a call of layer 'join' .*config\.layers\[3\]\.inbound_nodes\[0\]",
            ZeroDivisionError,
        ),
        # functional.py:33 AttributeError: outputs that are not tensors
        (
            lambda c: c.update(output_layers=7),
            r"symbolic tensors of this model at config\.output_layers, got int 7",
            None,
        ),
        (
            lambda c: c.update(input_layers=[[[1]]]),
            r"symbolic tensors of this model at config\.input_layers",
            None,
        ),
        (
            lambda c: c["layers"][1].update(inbound_nodes="x"),
            r"a list of layer calls at config\.layers\[1\]\.inbound_nodes, got str",
            None,
        ),
        (
            lambda c: _node(c, 1).update(kwargs=[]),
            r"a layer call .* at config\.layers\[1\]\.inbound_nodes\[0\]",
            None,
        ),
        (
            lambda c: c.update(layers={}),
            r"a list of layer configs at config\.layers, got dict",
            None,
        ),
    ],
)
def test_functional_config_of_the_wrong_shape(tmp_path, mutate, match, cause):
    path = tmp_path / "fn.keras"
    _functional().save(path)
    _with_config(path, mutate)
    with pytest.raises(ModelFormatError, match=match) as info:
        pl.nn.load_model(path)
    assert info.value.member == "config.json"
    assert info.value.path == str(path) and "fn.keras" in str(info.value)
    if cause is not None:
        assert type(info.value.__cause__) is cause


def _sequential_with(path, change):
    model = pl.nn.Sequential([layers.Input((3,)), layers.Dense(2), layers.Dense(1)])
    model.save(path)

    def mutate(config):
        change(config["layers"])

    _with_config(path, mutate)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        # _symbolic.py MemoryError: a stand-in input of 2 x 4294967295 floats
        (
            lambda ls: ls[0]["config"].update(batch_shape=[None, 4294967295]),
            r"a symbolic input of shape \(2, 4294967295\)",
        ),
        (
            lambda ls: ls[1]["config"].update(units=4294967295),
            r"weight 'kernel' of shape \(3, 4294967295\)",
        ),
        (
            lambda ls: ls[2]["config"].update(units=3_000_000),
            r"weight 'kernel' of shape \(2, 3000000\)",
        ),
    ],
)
def test_config_asking_for_more_than_the_weights_justify(tmp_path, change, match):
    path = tmp_path / "big.keras"
    _sequential_with(path, change)
    with pytest.raises(ModelFormatError, match=match) as info:
        pl.nn.load_model(path)
    assert "more than the weights stored in the file justify" in str(info.value)
    assert info.value.path == str(path)


def test_large_model_within_its_weights_still_loads(tmp_path):
    # 4096 x 1100 float32 weights: past the 4M-element allowance for small files.
    model = pl.nn.Sequential([layers.Input((4096,)), layers.Dense(1100)])
    path = tmp_path / "large.keras"
    model.save(path)
    loaded = pl.nn.load_model(path)
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def _data():
    rng = np.random.default_rng(3)
    return rng.random((16, 2)).astype(np.float32), rng.random((16, 1))


@pytest.mark.parametrize(
    "optimizer",
    [lambda: pl.nn.optimizers.Adam(0.05), lambda: pl.nn.optimizers.SGD(0.1, 0.9)],
)
def test_model_saved_after_compile_before_fit_reloads_and_trains_alike(
    tmp_path, optimizer
):
    model = pl.nn.Sequential([layers.Input((2,)), layers.Dense(3), layers.Dense(1)])
    model.compile(optimizer(), "mse")
    path = tmp_path / "compiled.keras"
    model.save(path)
    loaded = pl.nn.load_model(path)
    assert not loaded.optimizer.built
    assert len(loaded.optimizer.variables) == len(model.optimizer.variables)
    x, y = _data()
    kwargs = {"epochs": 2, "batch_size": 4, "shuffle": False, "verbose": 0}
    want = model.fit(x, y, **kwargs).history["loss"]
    got = loaded.fit(x, y, **kwargs).history["loss"]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) == 8


def test_optimizer_state_of_neither_layout_is_refused(tmp_path):
    # Reproducer: 10 state arrays for an optimizer of 2 (not built) or 10.
    model = pl.nn.Sequential([layers.Input((2,)), layers.Dense(3), layers.Dense(1)])
    model.compile("adam", "mse")
    path = tmp_path / "m.keras"
    model.save(path)
    state = tmp_path / "state.npz"
    np.savez(state, **{str(i): np.zeros(()) for i in range(3)})
    _rewrite(path, "optimizer.npz", lambda _: state.read_bytes())
    with pytest.raises(
        ModelFormatError, match=r"'optimizer.npz'.*expected 2 or 10 arrays, got 3"
    ) as info:
        pl.nn.load_model(path)
    assert info.value.member == "optimizer.npz"


def test_a_config_naming_the_bare_base_layer_is_refused(tmp_path):
    # Reproducer: a Sequential layer entry replaced by {"class_name": "Layer"}.
    model = pl.nn.Sequential(
        [layers.Input((3,)), layers.Dense(4), layers.Dense(1)], name="seq"
    )
    path = tmp_path / "m.keras"
    model.save(path)
    _with_config(
        path, lambda c: c["layers"].insert(2, {"class_name": "Layer", "config": {}})
    )
    with pytest.raises(
        ModelFormatError, match=r"does not have a `call` method"
    ) as info:
        pl.nn.load_model(path)
    assert info.value.member == "config.json"
    assert type(info.value.__cause__) is NotImplementedError


def test_optimizer_state_without_an_optimizer_is_refused(tmp_path):
    # Reproducer: compile_config without its optimizer, optimizer.npz kept.
    model = pl.nn.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile("adam", "mse", metrics=["mae"])
    path = tmp_path / "m.keras"
    model.save(path)

    def drop_optimizer(blob):
        config = json.loads(blob)
        del config["compile_config"]["optimizer"]
        return json.dumps(config).encode()

    _rewrite(path, "config.json", drop_optimizer)
    with pytest.raises(ModelFormatError, match=r"names no optimizer") as info:
        pl.nn.load_model(path)
    assert info.value.member == "optimizer.npz"
