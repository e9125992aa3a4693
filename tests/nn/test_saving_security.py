"""load_model never imports or calls what a file names outside the registry.

Each test saves a real model, rewrites one place of its config.json to name
code (``os.system``, ``builtins.eval``, ``subprocess.Popen``, or a canary
module of the test's own that records being imported), loads it, and checks
that the load is refused with an error naming the config path, that no module
outside ``pipeline.*`` was imported by the loader, and that the target never
ran.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import json
import os
import subprocess
import sys
import uuid
import zipfile

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import ModelFormatError, UnregisteredObjectError
from pipeline.nn import layers, saving_registry

fc = pl.feature_column
_X = {"x": np.array([[1.0], [2.0], [4.0]], np.float32)}


def _scale(x):
    return np.asarray(x, np.float32) * 3.0


def _columns_model(normalizer=None):
    column = fc.numeric_column("x", normalizer_fn=normalizer)
    model = pl.nn.Sequential([fc.DenseFeatures([column]), layers.Dense(1, "relu")])
    model.compile("adam", "mse", metrics=["mae"])
    model.fit(_X, np.ones((3, 1), np.float32), epochs=1, verbose=0)
    return model


def _dense_model():
    model = pl.nn.Sequential(
        [
            layers.Input((2,)),
            layers.Dense(3, activation="relu", kernel_regularizer="l2"),
            layers.Dense(1),
        ]
    )
    model.compile(pl.nn.optimizers.Adam(0.01), "mse", metrics=["mae"])
    model.fit(np.ones((4, 2), np.float32), np.ones((4, 1)), epochs=1, verbose=0)
    return model


def _rewrite(path, mutate):
    """Applies ``mutate`` to the archive's decoded config.json, in place."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    config = json.loads(members["config.json"])
    mutate(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _layer_index(config, class_name):
    entries = config["config"]["layers"]
    return next(i for i, e in enumerate(entries) if e["class_name"] == class_name)


@pytest.fixture
def canary(tmp_path, monkeypatch):
    """A module of our own that leaves a marker file if it is ever imported."""
    name = f"pl_canary_{uuid.uuid4().hex}"
    marker = tmp_path / "imported.marker"
    (tmp_path / f"{name}.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "def boom(*a, **k):\n    raise SystemExit('canary called')\n"
        "class Boom:\n    def __init__(self, *a, **k):\n"
        "        raise SystemExit('canary built')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    assert not marker.exists(), "the canary module was imported"
    assert name not in sys.modules


class _Guard:
    """Spies on imports and traps os.system, subprocess.Popen and eval."""

    def __init__(self, canary):
        self.canary = canary

    @contextlib.contextmanager
    def loading(self):
        called, requested = [], []
        real_import, real_import_module = builtins.__import__, importlib.import_module

        def spy_import(name, *args, **kwargs):
            requested.append(name)
            return real_import(name, *args, **kwargs)

        def spy_import_module(name, package=None):
            requested.append(name)
            assert name.startswith("pipeline."), f"loader imported {name!r}"
            return real_import_module(name, package)

        def trap(label):
            def run(*args, **kwargs):
                called.append(label)
                raise AssertionError(f"{label} was called")

            return run

        before = set(sys.modules)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "system", trap("os.system"))
            patch.setattr(subprocess, "Popen", trap("subprocess.Popen"))
            patch.setattr(builtins, "eval", trap("eval"))
            patch.setattr(builtins, "__import__", spy_import)
            patch.setattr(importlib, "import_module", spy_import_module)
            try:
                yield
            finally:
                new = set(sys.modules) - before
        assert all(m.startswith("pipeline") for m in new), sorted(new)
        assert self.canary not in requested
        assert not called


@pytest.fixture
def guard(canary):
    return _Guard(canary)


def _load(guard, path, **kwargs):
    with guard.loading():
        return pl.nn.load_model(path, **kwargs)


def _load_refused(guard, path, where, **kwargs):
    with pytest.raises(UnregisteredObjectError) as info:
        _load(guard, path, **kwargs)
    assert info.value.config_path == where, str(info.value)
    assert where in str(info.value) and "custom_objects" in str(info.value)
    assert info.value.path == str(path)
    return info.value


_OS_SYSTEM = {"module": "os", "class_name": "system", "config": {"command": "true"}}
_POPEN = {"module": "subprocess", "class_name": "Popen", "config": {"args": ["true"]}}


@pytest.mark.parametrize(
    "target",
    [
        _OS_SYSTEM,
        _POPEN,
        {"function": "builtins:eval"},
        {"function": "os:system"},
        "CANARY_FUNCTION",
        "CANARY_CLASS",
    ],
)
def test_column_normalizer_naming_code_is_refused(tmp_path, guard, target):
    path = tmp_path / "m.keras"
    _columns_model(fc.Normalization(1.0, 4.0)).save(path)
    if target == "CANARY_FUNCTION":
        target = {"function": f"{guard.canary}:boom"}
    elif target == "CANARY_CLASS":
        target = {"module": guard.canary, "class_name": "Boom", "config": {}}
    index = {}

    def mutate(config):
        index["i"] = _layer_index(config, "DenseFeatures")
        entry = config["config"]["layers"][index["i"]]
        entry["config"]["feature_columns"][0]["config"]["normalizer_fn"] = target

    _rewrite(path, mutate)
    where = (
        f"config.layers[{index['i']}].config.feature_columns[0].config.normalizer_fn"
    )
    error = _load_refused(
        guard, path, where if "function" not in target else where + ".function"
    )
    assert error.member == "config.json"


def test_column_class_naming_code_is_refused(tmp_path, guard):
    path = tmp_path / "m.keras"
    _columns_model().save(path)

    def mutate(config):
        entry = config["config"]["layers"][_layer_index(config, "DenseFeatures")]
        entry["config"]["feature_columns"][0] = {"class_name": "Popen", **_POPEN}

    _rewrite(path, mutate)
    with pytest.raises(UnregisteredObjectError, match=r"feature_columns\[0\]"):
        _load(guard, path)


def _set_layer_field(key, value):
    def mutate(config):
        entry = config["config"]["layers"][_layer_index(config, "Dense")]
        entry["config"][key] = value

    return mutate


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("activation", "builtins:eval"),
        ("activation", "eval"),
        ("activation", "CANARY"),
        ("kernel_initializer", {"class_name": "Popen", **_POPEN}),
        ("kernel_initializer", "os:system"),
        ("bias_initializer", {"class_name": "CANARY", "module": "CANARY"}),
        ("kernel_regularizer", {"class_name": "system", **_OS_SYSTEM}),
        ("kernel_regularizer", "builtins:eval"),
        ("activity_regularizer", "CANARY"),
    ],
)
def test_layer_function_fields_naming_code_are_refused(tmp_path, guard, key, value):
    path = tmp_path / "m.keras"
    _dense_model().save(path)
    if value == "CANARY":
        value = f"{guard.canary}:boom"
    elif isinstance(value, dict) and value.get("module") == "CANARY":
        value = {"class_name": "Boom", "module": guard.canary, "config": {}}
    _rewrite(path, _set_layer_field(key, value))
    with open(path, "rb") as f:
        index = _layer_index(
            json.loads(zipfile.ZipFile(f).read("config.json")), "Dense"
        )
    where = f"config.layers[{index}].config.{key}"
    with pytest.raises(UnregisteredObjectError) as info:
        _load(guard, path)
    assert info.value.config_path.startswith(where), str(info.value)
    assert "custom_objects" in str(info.value)


@pytest.mark.parametrize(
    "entry",
    [
        {"class_name": "Popen", **_POPEN},
        {"class_name": "Boom", "module": "CANARY", "config": {}},
        {"class_name": "Dense", "module": "CANARY", "config": "not a dict"},
    ],
)
def test_layer_class_naming_code_is_refused(tmp_path, guard, entry):
    path = tmp_path / "m.keras"
    _dense_model().save(path)
    entry = {k: guard.canary if v == "CANARY" else v for k, v in entry.items()}

    def mutate(config):
        config["config"]["layers"][1] = entry

    _rewrite(path, mutate)
    with pytest.raises(ModelFormatError, match=r"config\.layers\[1\]"):
        _load(guard, path)


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("optimizer", {"class_name": "Popen", **_POPEN}, "compile_config.optimizer"),
        ("optimizer", "builtins:eval", "compile_config.optimizer"),
        ("loss", "builtins:eval", "compile_config.loss"),
        ("loss", {"class_name": "system", **_OS_SYSTEM}, "compile_config.loss"),
        ("loss", ["CANARY"], "compile_config.loss[0]"),
        ("metrics", ["mae", "CANARY"], "compile_config.metrics[1]"),
        ("metrics", [{"class_name": "Popen", **_POPEN}], "compile_config.metrics[0]"),
    ],
)
def test_compile_config_naming_code_is_refused(tmp_path, guard, field, value, where):
    path = tmp_path / "m.keras"
    _dense_model().save(path)
    value = json.loads(json.dumps(value).replace("CANARY", f"{guard.canary}:boom"))

    def mutate(config):
        config["compile_config"][field] = value

    _rewrite(path, mutate)
    with pytest.raises(UnregisteredObjectError) as info:
        _load(guard, path)
    assert info.value.config_path.startswith(where), str(info.value)


@pytest.mark.parametrize(
    "schedule", [_OS_SYSTEM, {"class_name": "Boom", "module": "C"}]
)
def test_learning_rate_schedule_naming_code_is_refused(tmp_path, guard, schedule):
    path = tmp_path / "m.keras"
    _dense_model().save(path)

    def mutate(config):
        config["compile_config"]["optimizer"]["config"]["learning_rate"] = schedule

    _rewrite(path, mutate)
    with pytest.raises(ModelFormatError, match="compile_config.optimizer"):
        _load(guard, path)


def test_callbacks_are_never_read_from_the_archive(tmp_path, guard):
    # Callbacks are not part of a saved model: a config that names some is
    # loaded without looking at them (nothing imported, nothing called).
    path = tmp_path / "m.keras"
    model = _dense_model()
    model.save(path)

    def mutate(config):
        config["callbacks"] = [{"class_name": "Popen", **_POPEN}]
        config["compile_config"]["callbacks"] = [{"function": f"{guard.canary}:boom"}]

    _rewrite(path, mutate)
    loaded = _load(guard, path)
    x = np.ones((2, 2), np.float32)
    np.testing.assert_array_equal(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )


def test_own_functions_round_trip_by_name(tmp_path, guard):
    path = tmp_path / "m.keras"
    model = _columns_model(np.log1p)
    model.save(path)
    loaded = _load(guard, path)
    assert loaded.layers[0]._columns[0].normalizer_fn is np.log1p
    np.testing.assert_array_equal(
        loaded.predict(_X, verbose=0), model.predict(_X, verbose=0)
    )


def test_user_function_loads_only_through_custom_objects(tmp_path, guard):
    path = tmp_path / "m.keras"
    model = _columns_model(_scale)
    model.save(path)
    error = _load_refused(
        guard,
        path,
        "config.layers[0].config.feature_columns[0].config.normalizer_fn.function",
    )
    assert "_scale" in str(error)
    loaded = _load(guard, path, custom_objects={"_scale": _scale})
    assert loaded.layers[0]._columns[0].normalizer_fn is _scale
    np.testing.assert_array_equal(
        loaded.predict(_X, verbose=0), model.predict(_X, verbose=0)
    )


def test_registered_function_loads_without_custom_objects(tmp_path, guard):
    package = f"Test{uuid.uuid4().hex[:8]}"

    @saving_registry.register_serializable(package)
    def triple(x):
        return x * 3.0

    path = tmp_path / "m.keras"
    model = pl.nn.Sequential([layers.Input((2,)), layers.Dense(2, activation=triple)])
    model.save(path)
    loaded = _load(guard, path)
    assert loaded.layers[-1].activation is triple
    x = np.ones((1, 2), np.float32)
    np.testing.assert_array_equal(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )


@pytest.mark.parametrize("saved", ["mod:<lambda>", "mod:make.<locals>.norm"])
def test_safe_mode_refuses_lambda_names_and_false_takes_them_from_custom_objects(
    tmp_path, guard, saved
):
    path = tmp_path / "m.keras"
    _columns_model(fc.Normalization(0.0, 1.0)).save(path)

    def mutate(config):
        entry = config["config"]["layers"][0]
        entry["config"]["feature_columns"][0]["config"]["normalizer_fn"] = {
            "function": saved
        }

    _rewrite(path, mutate)
    short = saved.rpartition(":")[2].rpartition(".")[2]
    objects = {saved: _scale, short: _scale}
    with pytest.raises(UnregisteredObjectError, match="safe_mode") as info:
        _load(guard, path, custom_objects=objects)
    assert info.value.config_path.endswith(
        "feature_columns[0].config.normalizer_fn.function"
    )
    loaded = _load(guard, path, custom_objects=objects, safe_mode=False)
    assert loaded.layers[0]._columns[0].normalizer_fn is _scale
    with pytest.raises(UnregisteredObjectError, match="custom_objects"):
        _load(guard, path, safe_mode=False)


def test_safe_mode_applies_to_activation_names_too(tmp_path, guard):
    path = tmp_path / "m.keras"
    _dense_model().save(path)
    _rewrite(path, _set_layer_field("activation", "<lambda>"))
    with pytest.raises(UnregisteredObjectError, match="safe_mode=True refuses"):
        _load(guard, path, custom_objects={"<lambda>": _scale})
    loaded = _load(
        guard, path, custom_objects={"<lambda>": pl.nn.activations.elu}, safe_mode=False
    )
    assert pl.nn.activations.elu in [
        getattr(x, "activation", None) for x in loaded.layers
    ]


def test_deserialize_function_alone_is_constrained(guard):
    with pytest.raises(UnregisteredObjectError, match="builtins:eval"):
        fc.deserialize_feature_column(
            {
                "class_name": "NumericColumn",
                "config": {
                    "key": "x",
                    "shape": [1],
                    "default_value": None,
                    "dtype": "float32",
                    "normalizer_fn": {"function": "builtins:eval"},
                },
            }
        )
    with pytest.raises(UnregisteredObjectError, match="os:system"):
        pl.nn.activations.get("os:system")
