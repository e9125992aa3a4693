"""The registry of fuzz targets: the project's parsers, or any module's.

``load_targets()`` gives the project's targets (TFRecord files plain and
compressed, the TFRecord kernel, Examples, CSV records and files, model
archives). ``load_targets("path/to/file.py")`` or ``load_targets("pkg.mod")``
gives the targets of another module, which lists them in ``TARGETS``: the
harness's own tests use that to fuzz targets that crash on purpose.

Example:
    >>> sorted(load_targets())[:2]
    ['csv', 'csv_dataset']
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

from tools.fuzz.target import Target

DEFAULT_MODULE = "tools.fuzz.targets"


def _import(spec: str) -> ModuleType:
    if not spec.endswith(".py"):
        return importlib.import_module(spec)
    name = "_fuzz_targets_" + str(abs(hash(spec)))
    if name in sys.modules:
        return sys.modules[name]
    loader = importlib.util.spec_from_file_location(name, spec)
    if loader is None or loader.loader is None:
        raise ImportError(f"cannot load fuzz targets from {spec!r}")
    module = importlib.util.module_from_spec(loader)
    sys.modules[name] = module
    loader.loader.exec_module(module)
    return module


def _project_targets() -> tuple[Target, ...]:
    from tools.fuzz import (
        targets_csv,
        targets_example,
        targets_model,
        targets_tfrecord,
    )

    return (
        targets_tfrecord.TARGETS
        + targets_example.TARGETS
        + targets_csv.TARGETS
        + targets_model.TARGETS
    )


def load_targets(spec: str = DEFAULT_MODULE) -> dict[str, Target]:
    """The targets of module ``spec`` (a dotted name or a ``.py`` path), by name."""
    if spec == DEFAULT_MODULE:
        found = _project_targets()
    else:
        found = tuple(_import(spec).TARGETS)
    return {t.name: t for t in found}
