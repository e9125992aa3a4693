"""The main job on built-in data: ``make demo`` runs ``python -m pipeline.demo``."""

from __future__ import annotations


def main() -> int:
    """Run the demo; return the exit code."""
    from pipeline import _kernels

    crc = _kernels.load("crc32c")
    value = crc.crc32c(b"123456789")
    print(f"crc32c kernel: {crc.__name__}; crc32c(b'123456789') = {value:#x}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
