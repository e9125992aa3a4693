"""Imports flow one way, from the bottom up (DESIGN.md, 'Layers and layout')."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

# Rank of each top-level part of the package: a module may import parts of
# lower or equal rank only (its own part is always allowed).
RANKS = {
    "errors": 0,
    "_config": 0,
    "types": 1,
    "ragged": 1,
    "_kernels": 1,
    "_native": 1,
    "_reference": 1,
    "io": 2,
    "strings": 2,
    "nn": 2,
    "graph": 3,
    "executor": 4,
    "data": 5,
    "feature_column": 6,
    "integrations": 7,
    "cli": 7,
    "demo": 8,
    "tensor_api": 8,
    "tensor_reductions": 8,
    "sparse": 2,
    "debugging": 1,
    "seeding": 0,
    "random": 8,
    "__init__": 9,
    "__main__": 9,
}
# nn imports nothing outside nn but errors, _config and _kernels (crc for event files).
NN_ALLOWED = {"nn", "errors", "_config", "_kernels"}


def _part(module_path: Path) -> str:
    rel = module_path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_parts(tree: ast.AST) -> set[str]:
    parts: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "pipeline":
                names = [f"pipeline.{a.name}" for a in node.names]
        for name in names:
            bits = name.split(".")
            if bits[0] == "pipeline" and len(bits) > 1:
                parts.add(bits[1])
    return parts


def test_every_part_has_a_rank():
    for path in PACKAGE.iterdir():
        if path.name.startswith(".") or path.name == "py.typed":
            continue
        if path.suffix in (".py", "") and path.name != "__pycache__":
            assert path.name.removesuffix(".py") in RANKS, path.name


def test_imports_flow_upwards_only():
    bad = []
    for path in PACKAGE.rglob("*.py"):
        part = _part(path)
        rank = RANKS[part]
        for imported in _imported_parts(ast.parse(path.read_text())):
            if imported == part:
                continue
            if part == "nn" and imported not in NN_ALLOWED:
                bad.append(f"{path}: nn may not import pipeline.{imported}")
            elif RANKS.get(imported, 99) > rank:
                bad.append(f"{path} (rank {rank}) imports pipeline.{imported}")
    assert not bad, "\n".join(bad)
