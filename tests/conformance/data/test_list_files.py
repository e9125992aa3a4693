"""Cases of tensorflow/python/data/kernel_tests/list_files_test.py."""

from __future__ import annotations

import os

import pytest
from conformance_support import elements


@pytest.fixture
def touch(tmp_path):
    def make(names):
        for name in names:
            open(os.path.join(str(tmp_path), name), "a").close()
        return str(tmp_path)

    return make


def _paths(root, names):
    return [os.path.join(root, n).encode() for n in names]


def _listed(ds):
    return [bytes(x) for x in elements(ds)]


def test_empty_directory(api, tmp_path):
    with pytest.raises(api.errors.InvalidArgumentError, match="No files matched"):
        ds = api.data.Dataset.list_files(os.path.join(str(tmp_path), "*"))
        list(ds)


def test_simple_directory(api, touch):
    root = touch(["a", "b", "c"])
    ds = api.data.Dataset.list_files(os.path.join(root, "*"))
    assert sorted(_listed(ds)) == _paths(root, ["a", "b", "c"])


def test_simple_directory_not_shuffled(api, touch):
    root = touch(["b", "c", "a"])
    ds = api.data.Dataset.list_files(os.path.join(root, "*"), shuffle=False)
    assert _listed(ds) == _paths(root, ["a", "b", "c"])


def test_fixed_seed_gives_a_repeatable_order(api, touch):
    root = touch(["a", "b", "c"])
    runs = [
        _listed(
            api.data.Dataset.list_files(os.path.join(root, "*"), shuffle=True, seed=37)
        )
        for _ in range(3)
    ]
    assert sorted(runs[0]) == _paths(root, ["a", "b", "c"])
    assert runs[0] == runs[1] == runs[2]


@pytest.mark.parametrize(
    ("names", "pattern", "expected"),
    [
        (["a.txt", "b.py", "c.py", "d.pyc"], "*.py", ["b.py", "c.py"]),
        (["a.txt", "b.py", "c.pyc"], "*.py*", ["b.py", "c.pyc"]),
    ],
)
def test_file_suffixes_and_middles(api, touch, names, pattern, expected):
    root = touch(names)
    ds = api.data.Dataset.list_files(os.path.join(root, pattern))
    assert sorted(_listed(ds)) == _paths(root, expected)


def test_no_shuffle_repeats_the_same_order(api, touch):
    root = touch(["a", "b", "c"])
    ds = api.data.Dataset.list_files(os.path.join(root, "*"), shuffle=False).repeat(2)
    got = _listed(ds)
    assert sorted(got) == sorted(_paths(root, ["a", "b", "c"]) * 2)
    assert got[:3] == got[3:]


def test_multiple_patterns_as_a_list(api, touch):
    root = touch(["a.txt", "b.py", "c.py", "d.pyc"])
    patterns = [os.path.join(root, p) for p in ["*.py", "*.txt"]]
    ds = api.data.Dataset.list_files(patterns)
    assert sorted(_listed(ds)) == _paths(root, ["a.txt", "b.py", "c.py"])
