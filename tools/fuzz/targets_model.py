"""Fuzz target for saved models: `load_model` on damaged archives.

Seeds are small models saved by ``model.save`` (Sequential and functional,
trained one step so the optimizer state is in the archive, and a weights-only
file), repacked with fixed timestamps so they are the same bytes in every
process. Mutations damage the zip bytes, or open the archive and damage one
member (JSON trees: values of the wrong type, names outside the registry,
deep nesting; ``.npz`` bytes), drop, add or rename members, and repack.
Allowed: `DataLossError`, `InvalidArgumentError` and `NotFoundError`, the
errors `load_model` documents.

Example:
    >>> pool = model_seeds()
    >>> len(load_case(pool[0]).get_weights())
    4
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import tempfile
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from tools.fuzz import mutate as m
from tools.fuzz.target import Target, scratch_file

_STAMP = (2020, 1, 1, 0, 0, 0)
_DEEP = "@deep-list@"
_DEEP_RE = re.compile(f'"{_DEEP}([0-9]+)"')
_MEMBERS = ("config.json", "metadata.json", "model.weights.npz", "optimizer.npz")
_NAMES = (
    "os.system",
    "builtins.eval",
    "__import__",
    "subprocess.Popen",
    "Dense",
    "Sequential",
    "Functional",
    "Model",
    "Layer",
    "InputLayer",
    "",
    "../x",
)


def load_case(data: bytes) -> Any:
    """`load_model` of the archive ``data``."""
    from pipeline.nn import load_model

    return load_model(scratch_file("case.keras", data))


def _run(data: bytes) -> None:
    load_case(data)


def repack(members: dict[str, bytes], deflate: bool = True) -> bytes:
    """A zip of ``members`` with fixed timestamps (the same bytes every time)."""
    buffer = io.BytesIO()
    kind = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, blob in members.items():
            archive.writestr(zipfile.ZipInfo(name, _STAMP), blob, compress_type=kind)
    return buffer.getvalue()


def _members(path: str) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _fixed_weights(model: Any) -> Any:
    model.set_weights(
        [
            np.full(w.shape, 0.25 * (j + 1), w.dtype)
            for j, w in enumerate(model.get_weights())
        ]
    )
    return model


def _models() -> list[tuple[Any, str]]:
    """Small models; every layer named, so configs do not depend on name counters."""
    from pipeline import nn
    from pipeline.nn import layers

    seq = nn.Sequential(
        [
            layers.Input((3,), name="x"),
            layers.Dense(4, activation="relu", name="hidden"),
            layers.Dropout(0.1, seed=1, name="drop"),
            layers.Dense(1, name="out"),
        ],
        name="seq",
    )
    seq.compile(optimizer=nn.optimizers.Adam(name="adam"), loss="mse", metrics=["mae"])
    a, b = layers.Input((2,), name="a"), layers.Input((3,), name="b")
    left = layers.Dense(2, name="left")(a)
    right = layers.BatchNormalization(name="norm")(b)
    joined = layers.Concatenate(name="join")([left, right])
    out = layers.Dense(1, activation="sigmoid", name="prob")(joined)
    fn = nn.Model([a, b], out, name="fn")
    fn.compile(optimizer=nn.optimizers.SGD(name="sgd"), loss="binary_crossentropy")
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 3)), rng.random((8, 1))
    _fixed_weights(seq).fit(x, y, epochs=1, shuffle=False, verbose=0)
    xs, labels = [rng.random((8, 2)), rng.random((8, 3))], rng.random((8, 1)) > 0.5
    _fixed_weights(fn).fit(xs, labels, epochs=1, shuffle=False, verbose=0)
    return [(seq, "model"), (fn, "model"), (seq, "weights")]


def model_seeds() -> list[bytes]:
    """Saved models (trained from fixed weights), repacked deterministically."""
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for i, (model, kind) in enumerate(_models()):
            path = os.path.join(folder, f"m{i}.keras")
            (model.save if kind == "model" else model.save_weights)(path)
            out.append(repack(_members(path), deflate=i % 2 == 0))
    return out


def _open(data: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {n: archive.read(n) for n in archive.namelist()}
    except Exception:  # noqa: BLE001 - any damage: fall back to byte mutation
        return None


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(11)
    if pick == 0:
        return rng.choice((None, True, False))
    if pick == 1:
        return rng.choice(m.INTERESTING_INTS) * rng.choice((1, -1))
    if pick == 2:
        return rng.choice((0.5, -1.0, 1e308, -1e-320, 3.0))
    if pick in (3, 4):
        return rng.choice(_NAMES)
    if pick == 5:
        return "x" * rng.choice((0, 1, 1000))
    if pick == 6 and depth < 3:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if pick == 7 and depth < 3:
        return {
            "class_name": rng.choice(_NAMES),
            "config": _random_value(rng, depth + 1),
        }
    if pick == 8:
        return f"{_DEEP}{rng.choice((10, 100, 5000))}"  # nesting, spelled out on dump
    if pick == 9:
        return [rng.randint(-2, 5) for _ in range(rng.randint(0, 4))]
    return {}


def _nodes(tree: Any, out: list) -> list:
    """Every (container, key) pair of a JSON tree, depth first."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in list(items):
        out.append((tree, key))
        if isinstance(value, (dict, list)):
            _nodes(value, out)
    return out


def mutate_json(rng: random.Random, blob: bytes) -> bytes:
    """A JSON member with one value replaced or removed, or a key added."""
    try:
        tree = json.loads(blob)
    except (ValueError, RecursionError):
        return m.flip_bit(rng, blob)
    nodes = _nodes(tree, []) if isinstance(tree, (dict, list)) else []
    if not nodes:
        return _dump(_random_value(rng))
    parent, key = rng.choice(nodes)
    action = rng.randrange(4)
    if action == 0 and isinstance(parent, dict):
        del parent[key]
    elif action == 1 and isinstance(parent, dict):
        parent[rng.choice(("class_name", "config", "name", "units", "x"))] = (
            _random_value(rng)
        )
    else:
        parent[key] = _random_value(rng)
    return _dump(tree)


def _dump(tree: Any) -> bytes:
    text = json.dumps(tree)
    return _DEEP_RE.sub(
        lambda g: "[" * int(g[1]) + "1" + "]" * int(g[1]), text
    ).encode()


def mutate_member(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """One member of the archive damaged, dropped, added or renamed; repacked."""
    members = _open(data)
    if not members:
        return m.flip_bit(rng, data)
    name = rng.choice(sorted(members))
    action = rng.randrange(10)
    if action == 0:
        del members[name]
    elif action == 1:
        members[rng.choice(("extra.json", "../evil.json", name + "/"))] = b"{}"
    elif action == 2:
        members[rng.choice(_MEMBERS)] = members.pop(name)
    elif name.endswith(".json"):
        members[name] = mutate_json(rng, members[name])
    else:
        members[name] = rng.choice(m.GENERIC)(rng, members[name], ())
    return repack(members, deflate=rng.random() < 0.5)


TARGETS = (
    Target(
        "model_archive",
        run=_run,
        seeds=model_seeds,
        allowed=(DataLossError, InvalidArgumentError, NotFoundError),
        mutators=(mutate_member, mutate_member, mutate_member, mutate_member),
        weight=3,
        batch=50,
        base_ms=50.0,
        random_share=0.01,
    ),
)
