"""Differential check: ``pl.io.decode_csv`` against ``tf.io.decode_csv`` on
random batches, values and errors compared.

    .venv-bench/bin/python -m benchmarks.diff_decode_csv --cases 2000 --seed 1

Each case is a batch of 1-300 records of 1-6 fields drawn from a mix of
plain decimals (the csv_plain kernel's fast path), long mantissas, float32
halfway values, exponents, whitespace, signs, hex, inf/nan, overflowing
integers, empty fields and na markers, with random column types and
defaults (some required). A case matches when both sides give the same
columns (bit for bit, NaN sign included) or both raise an error of the same
name. Prints the count and
the first mismatches; exits 1 if any.
"""

from __future__ import annotations

import argparse
import random
import sys

import numpy as np

_PIECES = [
    "0", "-0", "1", "-7", "+5", "12345", "2147483647", "2147483648", "-2147483649",
    "9223372036854775807", "9223372036854775808", "0.1", "-73.99371", "40.744583",
    "3.4028235e38", "3.5e38", "1e-46", "16777217", "16777219", "0.30000001192092896",
    "1.00000005960464477539062500001", "123456789012345678901234567890", "1e22",
    "1e23", "4.9e-324", ".5", "5.", "1e", "1e+", " 7", "7 ", "0x1F", "inf", "-nan",
    "NA", "", "abc", "1,5", "1_000",
]  # fmt: skip
_TYPES = ["int32", "int64", "float32", "float64", "string"]


def _value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(_PIECES)
    if roll < 0.7:
        digits = rng.randint(1, 20)
        text = str(rng.randrange(10**digits))
        if rng.random() < 0.7:
            cut = rng.randint(0, len(text))
            text = text[:cut] + "." + text[cut:]
        if rng.random() < 0.3:
            text += f"e{rng.randint(-40, 40)}"
        return ("-" if rng.random() < 0.3 else "") + text
    return repr(rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-30, 30))


def _case(rng: random.Random) -> tuple[list[str], list, str]:
    ncols = rng.randint(1, 6)
    types = [rng.choice(_TYPES) for _ in range(ncols)]
    records = [
        ",".join(_value(rng).replace(",", "") for _ in range(ncols))
        for _ in range(rng.randint(1, 300))
    ]
    defaults = []
    for t in types:
        if rng.random() < 0.15:
            defaults.append(np.array([], dtype=object if t == "string" else t))
        elif t == "string":
            defaults.append(np.array([b"dflt"], dtype=object))
        else:
            defaults.append(np.array([rng.choice([0, 1, -3])], dtype=t))
    na = rng.choice(["", "", "NA"])
    return records, defaults, na


def _tf_defaults(defaults: list) -> list:
    import tensorflow as tf

    out = []
    for d in defaults:
        dtype = tf.string if d.dtype == object else tf.as_dtype(d.dtype)
        out.append(tf.constant(list(d), dtype=dtype))
    return out


def _outcome(decode, *args, **kwargs) -> tuple[str, object]:
    try:
        return "ok", [np.asarray(c) for c in decode(*args, **kwargs)]
    except Exception as e:  # noqa: BLE001 - both sides' errors are compared
        return "error", type(e).__name__


def _same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1] == b[1]
    for x, y in zip(a[1], b[1]):
        if x.dtype.kind == "f":
            if not (np.array_equal(x, y, equal_nan=True)
                    and np.array_equal(np.signbit(x), np.signbit(y))):  # fmt: skip
                return False
        elif x.tolist() != y.tolist():
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    import tensorflow as tf

    import pipeline as pl

    rng = random.Random(args.seed)
    bad = []
    for i in range(args.cases):
        records, defaults, na = _case(rng)
        ours = _outcome(pl.io.decode_csv, records, defaults, na_value=na)
        theirs = _outcome(
            tf.io.decode_csv, records, _tf_defaults(defaults), na_value=na
        )
        if not _same(ours, theirs):
            bad.append((i, records[:3], [str(d.dtype) for d in defaults], na))
    print(f"{args.cases - len(bad)} passed, {len(bad)} failed")
    for case in bad[:10]:
        print("mismatch:", case)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
