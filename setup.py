"""Declares the Cython extensions; all metadata lives in pyproject.toml.

Every ``_ext/<name>.pyx`` becomes ``pipeline._native.<name>``.

Environment switches:
    PIPELINE_EXTENSIONS=a,b    build only these extensions (developer loop).
    PIPELINE_DEBUG_BUILD=1     -O0 -g, bounds checks on.
    PIPELINE_SANITIZE=1        AddressSanitizer + UBSan (with a debug build).
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import Extension, setup


def _extensions() -> list[Extension]:
    only = {n for n in os.environ.get("PIPELINE_EXTENSIONS", "").split(",") if n}
    debug = os.environ.get("PIPELINE_DEBUG_BUILD") == "1"
    compile_args = ["-O0", "-g"] if debug else ["-O3"]
    link_args: list[str] = []
    if os.environ.get("PIPELINE_SANITIZE") == "1":
        compile_args += ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"]
        link_args += ["-fsanitize=address,undefined"]
    exts = []
    for pyx in sorted(Path("_ext").glob("*.pyx")):
        if only and pyx.stem not in only:
            continue
        exts.append(
            Extension(
                f"pipeline._native.{pyx.stem}",
                [str(pyx)],
                extra_compile_args=compile_args,
                extra_link_args=link_args,
            )
        )
    if not exts:
        return []
    from Cython.Build import cythonize

    directives = {
        "language_level": "3",
        "boundscheck": debug,
        "wraparound": False,
        "cdivision": True,
        "initializedcheck": debug,
    }
    return cythonize(exts, compiler_directives=directives, quiet=True)


setup(ext_modules=_extensions())
