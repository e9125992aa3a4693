"""Fuzz targets for CSV: `decode_csv` on records, `CsvDataset` and
`make_csv_dataset` on files.

A case's first byte picks the configuration (column defaults, delimiter,
quoting, ``na_value``, ``select_cols``; for files the header and the reader);
the rest is CSV text, split into records at ``\\n`` for `decode_csv`. The
only allowed error is `InvalidArgumentError`.

Example:
    >>> [c.tolist() for c in decode_case(b"\\x001,2.5,x\\n3,,y")]
    [[1, 3], [2.5, 0.0], [b'x', b'y']]
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from pipeline.data import CsvDataset, make_csv_dataset
from pipeline.errors import InvalidArgumentError
from pipeline.io.csv import decode_csv
from tools.fuzz import mutate as m
from tools.fuzz.target import Target, scratch_file, with_reference_kernels

_STR = np.array([], dtype=object)
#: (record_defaults, field_delim, use_quote_delim, na_value, select_cols)
_CONFIGS = (
    ([[0], [0.0], [""]], ",", True, "", None),
    ([np.int64, np.float64, _STR], ",", True, "", None),
    (
        [np.array([7], np.int32), np.array([0.5], np.float32), [b"?"]],
        "|",
        False,
        "NA",
        None,
    ),
    ([[0], [""]], ",", True, "", [0, 2]),
    ([np.array([], np.float32), np.array([-1], np.int64), [""]], "\t", True, "-", None),
    ([[0.0], [0.0], [0.0]], ";", True, "nan", None),
)
_TEXT = (
    b"1,2.5,x\n3,,y",
    b'4,"5.25","a,b"\n-6,1e3,""""',
    b"7|8.5|z\nNA|NA|NA",
    b"1,skip,b\n2,,c",
    b"1\t2\tq\n-\t-\t-",
    b"1.5;nan;-inf\n1e-45;3.4e38;0x1p3",
    b"+00012,-0.000e+0005,\xc3\xa9\n99999999999,.5,",
    b'1,2,"multi\nline"',
)


def _config(pick: int) -> tuple:
    return _CONFIGS[pick % len(_CONFIGS)]


def decode_case(data: bytes) -> list:
    """`decode_csv` of the case's records with the configuration of ``data[0]``."""
    defaults, delim, quotes, na, select = _config(data[0] if data else 0)
    records = data[1:].split(b"\n")
    return decode_csv(records, defaults, delim, quotes, na_value=na, select_cols=select)


def dataset_case(data: bytes) -> list:
    """Every element of a CSV file read by `CsvDataset` or `make_csv_dataset`."""
    pick = data[0] if data else 0
    defaults, delim, quotes, na, select = _config(pick)
    path = scratch_file("case.csv", data[1:])
    if pick & 0x80:
        ds = make_csv_dataset(
            path,
            batch_size=3,
            field_delim=delim,
            use_quote_delim=quotes,
            na_value=na,
            num_epochs=1,
            shuffle=False,
            header=bool(pick & 0x40),
            column_names=None if pick & 0x40 else ["a", "b", "c"],
        )
    else:
        ds = CsvDataset(
            path,
            defaults,
            header=bool(pick & 0x40),
            field_delim=delim,
            use_quote_delim=quotes,
            na_value=na,
            select_cols=select,
        )
    with ds.as_numpy_iterator() as it:
        return list(it)


def csv_seeds() -> list[bytes]:
    """Each sample text behind every configuration byte that reads it."""
    return [
        bytes([pick]) + text
        for text in _TEXT
        for pick in range(len(_CONFIGS))
        if pick == _TEXT.index(text) % len(_CONFIGS) or pick == 0
    ]


def file_seeds() -> list[bytes]:
    """`csv_seeds` with header lines, as `CsvDataset` and `make_csv_dataset` cases."""
    out = []
    for seed in csv_seeds():
        pick, text = seed[0], seed[1:]
        delim = _config(pick)[1].encode()
        out.append(bytes([pick]) + text + b"\n")
        out.append(bytes([pick | 0x40]) + delim.join([b"a", b"b", b"c"]) + b"\n" + text)
        out.append(bytes([pick | 0xC0]) + delim.join([b"a", b"b", b"c"]) + b"\n" + text)
    return out


def csv_noise(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A CSV-shaped token inserted: quotes, delimiters, newlines, NA words, numbers."""
    token = rng.choice(
        (
            b'"',
            b'""',
            b",",
            b"|",
            b"\t",
            b";",
            b"\n",
            b"\r\n",
            b"\r",
            b"NA",
            b"nan",
            b"-inf",
            b"1e99999",
            b"-0",
            b"0x1F",
            b"1_000",
            b"\xff",
            b"\x00",
            b"\xef\xbb\xbf",
            b"9223372036854775808",
            b"-2147483649",
            b"1.7976931348623157e309",
            b" 1 ",
        )
    )
    at = rng.randint(1, max(1, len(data)))
    return data[:at] + token * rng.choice((1, 1, 2, 50)) + data[at:]


#: The kind of each file column of each configuration (i int, f float, s string).
_KINDS = ("ifs", "ifs", "ifs", "iss", "fis", "fff")


def _field(rng: random.Random, kind: str, quotes: bool) -> bytes:
    if rng.random() < 0.1:
        return b""
    if rng.random() < 0.05:
        kind = rng.choice("ifs")
    if kind == "i":
        return str(rng.randint(-(1 << 31), (1 << 31) - 1)).encode()
    if kind == "f":
        value = rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-40, 30)
        return (
            repr(value) if rng.random() < 0.5 else f"{value:.{rng.randint(0, 9)}e}"
        ).encode()
    text = rng.randbytes(rng.randint(0, 6)).replace(b"\n", b"").replace(b"\r", b"")
    if quotes and rng.random() < 0.5:
        return b'"' + text.replace(b'"', b'""') + b'"'
    return bytes(c for c in text if c not in b'",|\t;') or b"x"


def fresh_csv(rng: random.Random) -> bytes:
    """New CSV text in a random configuration: numbers, empty and quoted fields."""
    pick = rng.randrange(256)
    delim, quotes = _config(pick)[1:3]
    kinds = _KINDS[pick % len(_KINDS)]
    rows = [
        delim.encode().join(_field(rng, k, quotes) for k in kinds)
        for _ in range(rng.randint(1, 8))
    ]
    return bytes([pick]) + b"\n".join(rows)


def _csv_target(name: str, run, seeds, weight: float, batch: int, base_ms: float):
    return Target(
        name,
        run=run,
        seeds=seeds,
        allowed=(InvalidArgumentError,),
        mutators=(m.digit_run, csv_noise, csv_noise, m.duplicate_range),
        twin=with_reference_kernels(["csv_plain", "csv_record_ends", "csv_lines"], run),
        weight=weight,
        batch=batch,
        base_ms=base_ms,
        twin_max_bytes=4096,
        fresh=fresh_csv,
    )


TARGETS = (
    _csv_target("csv", decode_case, csv_seeds, weight=30, batch=500, base_ms=5.0),
    _csv_target(
        "csv_dataset", dataset_case, file_seeds, weight=2, batch=50, base_ms=50.0
    ),
)
