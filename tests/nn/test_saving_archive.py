"""load_model reads only the members it needs, each under a size cap.

Bad archives (missing members, bad JSON, values of the wrong type, arrays that
do not fit the model, zip bombs) raise `pipeline.errors` classes naming the
file and the member, and a bomb never costs more than a bounded amount of
memory or time (measured in a subprocess with ``resource.getrusage``).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
import zlib

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import DataLossError, ModelFormatError
from pipeline.nn import layers
from pipeline.nn.saving_archive import ModelArchive

_GIB = 1 << 30
_CHUNK = 16 << 20


def _model():
    model = pl.nn.Sequential([layers.Input((2,)), layers.Dense(3), layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(np.ones((4, 2), np.float32), np.ones((4, 1)), epochs=1, verbose=0)
    return model


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _stored(name, data):
    return (name, data, 0, zlib.crc32(data), len(data))


def _write_zip(path, entries):
    """A zip written by hand: ``(name, payload, method, crc, declared_size)``."""
    out, central = bytearray(), bytearray()
    for name, payload, method, crc, size in entries:
        raw = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc,
            len(payload), size, len(raw), 0,
        )  # fmt: skip
        out += raw + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
            len(payload), size, len(raw), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries),
        len(entries), len(central), len(out), 0,
    )  # fmt: skip
    path.write_bytes(bytes(out + central + end))


@pytest.fixture(scope="module")
def zeros_bomb():
    """A raw deflate stream of 3 GiB of zeros (about 3 MB), and its CRC."""
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = block.compress(bytes(_CHUNK)) + block.flush(zlib.Z_FULL_FLUSH)
    count = 3 * _GIB // _CHUNK
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc, zeros = 0, bytes(_CHUNK)
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    return piece * count + final, crc, count * _CHUNK


def _measure(tmp_path, bomb_path):
    """Loads ``bomb_path`` in a fresh process; peak RSS growth (KiB), seconds."""
    good = tmp_path / "good.keras"
    _model().save(good)
    code = (
        "import json, resource, sys, time\n"
        "import pipeline as pl\n"
        "pl.nn.load_model(sys.argv[1])\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "start = time.perf_counter()\n"
        "try:\n"
        "    pl.nn.load_model(sys.argv[2]); outcome = 'loaded'\n"
        "except Exception as e:\n"
        "    outcome = type(e).__name__ + ': ' + str(e)\n"
        "seconds = time.perf_counter() - start\n"
        "grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before\n"
        "print(json.dumps({'outcome': outcome, 'grew_kib': grew, 's': seconds}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(good), str(bomb_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_missing_members_name_the_file_and_member(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    for missing in ("config.json", "model.weights.npz", "metadata.json"):
        broken = tmp_path / f"no-{missing}.keras"
        _write_zip(broken, [_stored(n, d) for n, d in members.items() if n != missing])
        with pytest.raises(ModelFormatError, match=missing) as info:
            pl.nn.load_model(broken)
        assert info.value.path == str(broken) and str(broken) in str(info.value)


@pytest.mark.parametrize("member", ["config.json", "metadata.json"])
def test_bad_json_names_the_member(tmp_path, member):
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    members[member] = b'{"class_name": "Sequential", '
    _write_zip(path, [_stored(n, d) for n, d in members.items()])
    with pytest.raises(ModelFormatError, match=f"bad JSON in member '{member}'"):
        pl.nn.load_model(path)


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda c: c.update(config=[1, 2]), r"config of 'Sequential'"),
        (lambda c: c["config"]["layers"][1]["config"].update(units="three"), "units"),
        (lambda c: c["config"]["layers"].__setitem__(1, 7), r"config\.layers\[1\]"),
        (lambda c: c["compile_config"].update(metrics=5), "compile_config.metrics"),
        (lambda c: c["compile_config"].update(loss=3), "compile_config.loss"),
        (lambda c: c.update(compile_config="adam"), "compile_config"),
    ],
)
def test_wrong_types_in_config_raise_model_format_error(tmp_path, mutate, where):
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    config = json.loads(members["config.json"])
    mutate(config)
    members["config.json"] = json.dumps(config).encode()
    _write_zip(path, [_stored(n, d) for n, d in members.items()])
    with pytest.raises(ModelFormatError, match=where) as info:
        pl.nn.load_model(path)
    assert info.value.member == "config.json"
    assert "m.keras" in str(info.value)


def test_top_level_config_of_the_wrong_type(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    members["config.json"] = b"[]"
    _write_zip(path, [_stored(n, d) for n, d in members.items()])
    with pytest.raises(ModelFormatError, match="expected a model config"):
        pl.nn.load_model(path)


def test_arrays_that_do_not_fit_the_model_are_refused(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    other = tmp_path / "other.keras"
    pl.nn.Sequential([layers.Input((5,)), layers.Dense(3), layers.Dense(1)]).save(other)
    members = _members(path)
    members["model.weights.npz"] = _members(other)["model.weights.npz"]
    _write_zip(path, [_stored(n, d) for n, d in members.items()])
    with pytest.raises(ModelFormatError, match=r"model.weights.npz/0.npy.*\(2, 3\)"):
        pl.nn.load_model(path)


def test_huge_unused_member_is_never_read(tmp_path, zeros_bomb):
    payload, crc, size = zeros_bomb
    path = tmp_path / "bomb.keras"
    _model().save(path)
    entries = [_stored(n, d) for n, d in _members(path).items()]
    _write_zip(path, [*entries, ("junk.bin", payload, 8, crc, size)])
    assert path.stat().st_size < 5 << 20
    result = _measure(tmp_path, path)
    assert result["outcome"] == "loaded"
    assert result["grew_kib"] < 64 << 10, result
    assert result["s"] < 5.0, result


@pytest.mark.parametrize("member", ["config.json", "model.weights.npz"])
def test_needed_member_declaring_a_huge_size_is_refused_before_reading(
    tmp_path, zeros_bomb, member
):
    payload, crc, size = zeros_bomb
    path = tmp_path / "bomb.keras"
    _model().save(path)
    entries = [_stored(n, d) for n, d in _members(path).items() if n != member]
    _write_zip(path, [*entries, (member, payload, 8, crc, size)])
    result = _measure(tmp_path, path)
    assert result["outcome"].startswith("ModelFormatError"), result
    assert f"'{member}'" in result["outcome"] and "cap" in result["outcome"]
    assert result["grew_kib"] < 64 << 10, result
    assert result["s"] < 5.0, result


def test_needed_member_whose_header_lies_stops_at_the_cap(tmp_path, zeros_bomb):
    payload, crc, _ = zeros_bomb
    path = tmp_path / "liar.keras"
    _model().save(path)
    entries = [_stored(n, d) for n, d in _members(path).items() if n != "config.json"]
    _write_zip(path, [*entries, ("config.json", payload, 8, crc, 1000)])
    result = _measure(tmp_path, path)
    assert result["outcome"].startswith("DataLossError"), result
    assert "'config.json'" in result["outcome"]
    assert result["grew_kib"] < 64 << 10, result
    assert result["s"] < 5.0, result


def test_bomb_inside_the_weights_npz_is_refused(tmp_path):
    # 64 MiB of zeros in about 64 KB: small enough to pass the outer cap.
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = block.compress(bytes(_CHUNK)) + block.flush(zlib.Z_FULL_FLUSH)
    payload = piece * 4 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = zlib.crc32(bytes(4 * _CHUNK))
    path = tmp_path / "nested.keras"
    _model().save(path)
    inner = tmp_path / "inner.npz"
    arrays = _members(path)
    (tmp_path / "real.npz").write_bytes(arrays["model.weights.npz"])
    rest = [_stored(n, d) for n, d in _members(tmp_path / "real.npz").items()]
    _write_zip(inner, [("0.npy", payload, 8, crc, 4 * _CHUNK), *rest[1:]])
    entries = [
        _stored(n, d) for n, d in _members(path).items() if n != "model.weights.npz"
    ]
    _write_zip(path, [*entries, _stored("model.weights.npz", inner.read_bytes())])
    with pytest.raises(ModelFormatError, match=r"model.weights.npz/0.npy.*cap"):
        pl.nn.load_model(path)


def test_corrupt_member_is_data_loss(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    data = members["config.json"]
    entries = [_stored(n, d) for n, d in members.items() if n != "config.json"]
    bad_crc = ("config.json", data, 0, zlib.crc32(data) ^ 1, len(data))
    _write_zip(path, [*entries, bad_crc])
    with pytest.raises(DataLossError, match="config.json"):
        pl.nn.load_model(path)


def test_load_weights_reads_under_the_same_caps(tmp_path):
    model = _model()
    path = tmp_path / "w.weights"
    model.save_weights(path)
    other = pl.nn.Sequential([layers.Input((5,)), layers.Dense(3), layers.Dense(1)])
    with pytest.raises(ModelFormatError, match="model.weights.npz"):
        other.load_weights(path)
    fresh = _model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def _patched(path, find, offset, value):
    """Overwrites 2 bytes at ``offset`` after each ``find`` signature (little end)."""
    data = bytearray(path.read_bytes())
    at = data.find(find)
    while at != -1:
        data[at + offset : at + offset + 2] = struct.pack("<H", value)
        at = data.find(find, at + 1)
    path.write_bytes(bytes(data))


def test_zip_offsets_before_the_start_of_the_npz_are_data_loss(tmp_path):
    # Reproducer: the end record of model.weights.npz claims its central
    # directory starts 64 bytes later than it does, so zipfile seeks the
    # in-memory npz to a negative offset ("negative seek value", ValueError)
    # when it opens the first array.
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    npz = bytearray(members["model.weights.npz"])
    end = npz.rfind(b"PK\x05\x06")
    (start,) = struct.unpack_from("<I", npz, end + 16)
    struct.pack_into("<I", npz, end + 16, start + 64)
    members["model.weights.npz"] = bytes(npz)
    _write_zip(path, [_stored(n, d) for n, d in members.items()])
    with pytest.raises(
        DataLossError, match=r"corrupt member 'model.weights.npz/0.npy'.*negative seek"
    ) as info:
        pl.nn.load_model(path)
    assert info.value.path == str(path) and "m.keras" in str(info.value)
    assert type(info.value.__cause__) is ValueError


@pytest.mark.parametrize(
    ("flags", "method", "why"),
    [
        (0, 99, "compression method is not supported"),
        (1, 0, "encrypted"),
        (0x20, 8, "patched data"),
    ],
)
def test_zip_features_never_written_are_model_format_errors(
    tmp_path, flags, method, why
):
    # Reproducers: an unknown compression method (NotImplementedError), the
    # encryption flag (RuntimeError), compressed patched data (flag bit 5).
    path = tmp_path / "m.keras"
    _model().save(path)
    entries = [_stored(n, d) for n, d in _members(path).items()]
    _write_zip(path, entries)
    _patched(path, b"PK\x01\x02", 8, flags)  # central directory: flag bits
    _patched(path, b"PK\x01\x02", 10, method)  # and compression method
    _patched(path, b"PK\x03\x04", 6, flags)
    _patched(path, b"PK\x03\x04", 8, method)
    with pytest.raises(ModelFormatError, match=f"'metadata.json'.*{why}") as info:
        pl.nn.load_model(path)
    assert info.value.member == "metadata.json" and info.value.path == str(path)


def test_zip_version_never_written_is_a_model_format_error(tmp_path):
    # Reproducer: "zip file version 25.5" (NotImplementedError) on opening.
    path = tmp_path / "m.keras"
    _model().save(path)
    _patched(path, b"PK\x01\x02", 6, 255)  # version needed to extract
    with pytest.raises(ModelFormatError, match=r"m\.keras.*zip file version 25\.5"):
        pl.nn.load_model(path)


@pytest.mark.parametrize("member", ["metadata.json", "config.json"])
@pytest.mark.parametrize("depth", [101, 100_000])
def test_deeply_nested_json_is_refused(tmp_path, member, depth):
    # Reproducer: 5000 nested lists made msgspec raise RecursionError; 101
    # levels decode but are past the cap the builders rely on.
    path = tmp_path / "m.keras"
    _model().save(path)
    members = _members(path)
    members[member] = b"[" * depth + b"1" + b"]" * depth
    _write_zip(path, [_stored(n, d) for n, d in members.items()])
    with pytest.raises(ModelFormatError, match=f"'{member}'.*nested deeper than 100"):
        pl.nn.load_model(path)


def test_json_nested_to_the_cap_still_decodes(tmp_path):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.json", "[" * 100 + "]" * 100)
    with ModelArchive(str(path)) as archive:
        tree = archive.json("a.json")
    for _ in range(99):
        (tree,) = tree
    assert tree == []
