"""Every code block of README.md is run or checked, so the README cannot rot.

A block's check follows from its language, or from an HTML comment on the line
just above its fence (invisible on the rendered page):

- ```` ```python ````: run, in a fresh namespace;
- ``<!-- readme: subprocess -->`` ```` ```python ````: run by a fresh interpreter
  in a fresh folder (for snippets that set up a framework: a Keras backend,
  worker processes, a local Ray);
- ```` ```sh ````: run by ``sh -e`` in a fresh folder, with the ``pipeline``
  command of this environment first on ``PATH``;
- ``<!-- readme: venv -->`` ```` ```sh ````: run by ``sh -e`` in a fresh folder
  where ``.venv`` is this environment (a link) and ``PATH`` is left as it is, so
  the block itself must find ``pipeline`` through ``.venv`` (as a new user does);
- ``<!-- readme: make-targets -->`` ```` ```sh ````: each line is ``make
  TARGET`` and TARGET is a rule of the Makefile (not run: ``make test`` would
  run this very test);
- ``<!-- readme: output -->`` ```` ```text ````: what the block above it prints,
  once the temporary folder it wrote into reads ``/tmp/...``;
- ``<!-- readme: paths -->`` ```` ```text ````: every path it names exists (in
  the repository or in ``pipeline/``), and a parenthesised list of names
  after a folder (``_ext/  kernels (crc32c, tfrecord)``) names entries of it.

Any other block fails `test_every_block_has_a_check`.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_FENCE = re.compile(r"(?:<!-- readme: ([\w-]+) -->\n)?```(\w*)\n(.*?)```", re.S)
_RUN = {("python", None), ("sh", None), ("sh", "venv"), ("python", "subprocess")}
_CHECKED = {("sh", "make-targets"), ("text", "output"), ("text", "paths")}


class Block(NamedTuple):
    index: int
    lang: str
    check: str | None
    code: str


BLOCKS = [
    Block(i, m.group(2), m.group(1), m.group(3))
    for i, m in enumerate(_FENCE.finditer(README.read_text()))
]


def _ids(blocks: list[Block]) -> list[str]:
    return [f"block{b.index}-{b.lang}" for b in blocks]


def _kind(*kinds: tuple[str, str | None]) -> list[Block]:
    return [b for b in BLOCKS if (b.lang, b.check) in kinds]


def test_every_block_has_a_check():
    unchecked = [b for b in BLOCKS if (b.lang, b.check) not in _RUN | _CHECKED]
    assert not unchecked, f"add a run or a check for these blocks: {unchecked}"
    assert _kind(("python", None)) and _kind(("text", "output"))


def _python_output(code: str, folder: str) -> str:
    out = io.StringIO()
    previous, tempfile.tempdir = tempfile.tempdir, folder
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    finally:
        tempfile.tempdir = previous
    return re.sub(re.escape(folder) + r"/[^/\s]+", "/tmp/...", out.getvalue())


def _subprocess_output(code: str, folder: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _sh_output(code: str, folder: str, venv: bool = False) -> str:
    env = dict(os.environ)
    if venv:
        os.symlink(sys.prefix, os.path.join(folder, ".venv"))
    else:
        bin_dir = str(Path(sys.executable).parent)
        env["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    env["COLUMNS"] = "80"  # the width rich draws tables at, and no colours
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        ["sh", "-ec", code], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@cache
def run_block(index: int) -> str:
    """The stdout of README block ``index`` (run once per test session)."""
    block = BLOCKS[index]
    with tempfile.TemporaryDirectory() as folder:
        if block.check == "subprocess":
            return _subprocess_output(block.code, folder)
        if block.lang == "python":
            return _python_output(block.code, folder)
        return _sh_output(block.code, folder, venv=block.check == "venv")


@pytest.mark.parametrize("block", _kind(*_RUN), ids=_ids(_kind(*_RUN)))
def test_block_runs(block):
    assert run_block(block.index)


def _strip(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


OUTPUTS = _kind(("text", "output"))


@pytest.mark.parametrize("block", OUTPUTS, ids=_ids(OUTPUTS))
def test_output_block_is_what_the_block_above_prints(block):
    above = BLOCKS[block.index - 1]
    assert (above.lang, above.check) in _RUN, "an output block follows a run block"
    assert _strip(run_block(above.index)) == _strip(block.code)


def _make_rules() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([\w.-]+):", text, flags=re.M))


TARGETS = _kind(("sh", "make-targets"))


@pytest.mark.parametrize("block", TARGETS, ids=_ids(TARGETS))
def test_make_lines_name_makefile_targets(block):
    rules = _make_rules()
    for line in block.code.splitlines():
        command = line.split("#", 1)[0].split()
        assert command[:1] == ["make"] and len(command) == 2, line
        assert command[1] in rules, f"no Makefile rule {command[1]!r}: {line}"


_PATH = re.compile(r"(?<![\w./<-])(?:\.\./)*[\w.]+(?:/[\w.]+)*/?(?=[\s;,)]|$)")


def _exists(path: str) -> bool:
    bases = (ROOT, ROOT / "pipeline")
    return any((b / path).exists() or (b / f"{path}.py").exists() for b in bases)


def _path_tokens(line: str) -> list[str]:
    return [t for t in _PATH.findall(line) if "/" in t and "://" not in t]


PATHS = _kind(("text", "paths"))


@pytest.mark.parametrize("block", PATHS, ids=_ids(PATHS))
def test_paths_in_the_picture_exist(block):
    missing = [
        (token, line)
        for line in block.code.splitlines()
        for token in _path_tokens(line)
        if not _exists(token)
    ]
    assert not missing, missing


@pytest.mark.parametrize("block", PATHS, ids=_ids(PATHS))
def test_listed_entries_of_a_folder_exist(block):
    for line in block.code.splitlines():
        head = re.match(r"\s*([\w.]+/)\s.*?\((\w+(?:, \w+)+)\)", line)
        if head is None:
            continue
        folder = next(
            b / head[1] for b in (ROOT, ROOT / "pipeline") if (b / head[1]).is_dir()
        )
        names = {p.name.split(".")[0] for p in folder.iterdir()}
        listed = [n.strip() for n in head[2].split(",")]
        assert set(listed) <= names, (line, set(listed) - names)


def test_path_tokens_and_checks_catch_rot():
    line = "  io/  formats (fsspec, gzip and zlib); see pipeline/_native, s3://b/k"
    assert _path_tokens(line) == ["io/", "pipeline/_native"]
    assert (
        _exists("graph/optimize")
        and _exists("../shared") == (ROOT.parent / "shared").exists()
    )
    assert not _exists("pipeline/no_such_module")
    assert _strip("a  \nb\n\n") == "a\nb"
