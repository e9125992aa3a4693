"""Sample files shaped like the real ones the CLI was tried on (issue 15).

Nothing here is third-party data: each writer makes a small file with the shape
that mattered in the real one (TFX's gzip shards with empty ``Feature{}``
values, SequenceExamples, palmerpenguins' "NA", a spreadsheet export's BOM and
quoted multi-line fields, a semicolon CSV, comment lines before a
space-separated table, vega's "information" header, a 65-column CSV, Parquet with
float64 and float32 columns, diamonds' ``carat`` 0.23). Example protos are
encoded here by hand from the protobuf wire format, independently of
``pipeline.io.example``; every expected value is written out below.
"""

from __future__ import annotations

import gzip
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.io.tfrecord_writer import TFRecordWriter


@dataclass(frozen=True)
class Sample:
    """One sample kind: where its files are and what is true about them.

    ``kinds``: the kind ``schema`` must give each feature; ``missing``: how many
    records lack each feature; ``first``: the first record as ``head --json``
    must show it (a one-value list shown as the value); ``shown``: text ``head``
    must print; ``options``: the input options a user needs for these files;
    ``not_indexed``: the reason ``pipeline index`` gives for not indexing them
    (Parquet has row groups, a gzip stream cannot be entered at an offset);
    ``lossy``: the float64 features that ``convert --to tfrecord`` (FloatList:
    float32) must warn about, one warning each (39.1 is not a float32; 1.5 is).
    """

    name: str
    pattern: str
    records: int
    kinds: dict[str, str]
    missing: dict[str, int] = field(default_factory=dict)
    first: dict[str, object] = field(default_factory=dict)
    shown: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    sequence: bool = False
    not_indexed: str = ""  # what ``pipeline index`` says when it refuses the files
    lossy: tuple[str, ...] = ()  # float64 features with values float32 cannot hold


# -- protobuf wire format, by hand ------------------------------------------


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _len_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def feature(values: list | None) -> bytes:
    """A Feature message: bytes, float or int64 list by the values' type;
    ``None`` is TFX's empty ``Feature{}`` (no kind set: zero bytes)."""
    if values is None:
        return b""
    if isinstance(values[0], bytes):
        return _len_field(1, b"".join(_len_field(1, v) for v in values))
    if isinstance(values[0], float):
        packed = struct.pack(f"<{len(values)}f", *values)
        return _len_field(2, _len_field(1, packed))
    return _len_field(3, _len_field(1, b"".join(_varint(v) for v in values)))


def features(values: dict[str, list | None]) -> bytes:
    """A Features message (the map ``name -> Feature``)."""
    return b"".join(
        _len_field(1, _len_field(1, k.encode()) + _len_field(2, feature(v)))
        for k, v in values.items()
    )


def example(values: dict[str, list | None]) -> bytes:
    return _len_field(1, features(values))


def sequence_example(context: dict, lists: dict[str, list[list]]) -> bytes:
    """A SequenceExample: context Features (1), FeatureLists (2)."""
    feature_lists = b"".join(
        _len_field(
            1,
            _len_field(1, k.encode())
            + _len_field(2, b"".join(_len_field(1, feature(s)) for s in steps)),
        )
        for k, steps in lists.items()
    )
    return _len_field(1, features(context)) + _len_field(2, feature_lists)


# -- the samples --------------------------------------------------------------

TFX_RECORDS = 26  # 9 of 26 empty: TFX's 34.6% of the issue
_COMPANIES = [b"Flash Cab", b"Sun Taxi", b"Taxi Affiliation Services"]


def _tfx_record(i: int) -> bytes:
    return example(
        {
            "trip_seconds": None if i % 3 == 0 else [60 * i + 7],
            "company": None if i % 3 == 1 else [_COMPANIES[i % 3]],
            "fare": [[6.45, 12.3, 7.05][i % 3]],
            "trip_miles": [i * 0.25],
            "payment_type": [b"Cash" if i % 2 else b"Credit Card"],
            "trip_start_hour": [i % 24],
        }
    )


def write_tfx(root: Path) -> Sample:
    """TFX ExampleGen output: 3 gzip shards, empty Feature{} in two features."""
    folder = root / "tfx" / "Split-train"
    folder.mkdir(parents=True)
    bounds = [0, 9, 18, TFX_RECORDS]
    for k in range(3):
        path = folder / f"data_tfrecord-{k:05d}-of-00003.gz"
        with TFRecordWriter(str(path), "GZIP") as w:
            for i in range(bounds[k], bounds[k + 1]):
                w.write(_tfx_record(i))
    return Sample(
        "tfx",
        str(folder / "data_tfrecord-*"),
        TFX_RECORDS,
        {
            "trip_seconds": "int64",
            "company": "string",
            "fare": "float",
            "trip_miles": "float",
            "payment_type": "string",
            "trip_start_hour": "int64",
        },
        missing={"trip_seconds": 9, "company": 9, "fare": 0},
        first={"fare": 6.45, "trip_miles": 0.0, "payment_type": "Credit Card"},
        shown=("trip_seconds", "Flash Cab", "6.45"),
    )


SEQ_RECORDS = 12


def write_sequence(root: Path) -> Sample:
    """SequenceExamples: context user/country, per-step item ids and dwell times."""
    (root / "seq").mkdir()
    path = root / "seq" / "sessions.tfrecord"
    with TFRecordWriter(str(path)) as w:
        for i in range(SEQ_RECORDS):
            steps = range(1 + i % 3)
            context = {"user_id": [1000 + i], "country": [[b"NO", b"FR"][i % 2]]}
            lists = {
                "item_id": [[10 * i + t] for t in steps],
                "dwell_s": [[0.5 * (t + 1)] for t in steps],
            }
            w.write(sequence_example(context, lists))
    return Sample(
        "sequence",
        str(path),
        SEQ_RECORDS,
        {
            "user_id": "int64",
            "country": "string",
            "item_id": "int64",
            "dwell_s": "float",
        },
        first={"user_id": 1000, "country": "NO", "item_id": [[0]], "dwell_s": [[0.5]]},
        shown=("item_id", "1000"),
        sequence=True,
    )


PENGUIN_ROWS = [
    "Adelie,Torgersen,39.1,18.7,181,3750,male,2007",
    "Adelie,Torgersen,39.5,17.4,186,3800,female,2007",
    "Adelie,Torgersen,40.3,18,195,3250,female,2007",
    "Adelie,Torgersen,NA,NA,NA,NA,NA,2007",
    "Adelie,Torgersen,36.7,19.3,193,3450,female,2007",
    "Gentoo,Biscoe,46.1,13.2,211,4500,female,2007",
    "Gentoo,Biscoe,50,16.3,230,5700,male,2007",
    "Gentoo,Biscoe,44.5,14.3,216,4100,NA,2007",
    "Chinstrap,Dream,46.5,17.9,192,3500,female,2007",
    "Chinstrap,Dream,50,19.5,196,3900,male,2007",
    "Gentoo,Biscoe,NA,NA,NA,NA,NA,2009",
    "Chinstrap,Dream,49.5,19,200,3800,male,2008",
]


def write_penguins(root: Path) -> Sample:
    """palmerpenguins' CSV: R's "NA" for missing numbers and sexes."""
    path = root / "penguins.csv"
    header = "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,"
    header += "body_mass_g,sex,year"
    path.write_text("\n".join([header, *PENGUIN_ROWS]) + "\n")
    kinds = {"species": "string", "island": "string", "bill_length_mm": "float"}
    kinds.update(bill_depth_mm="float", flipper_length_mm="int64")
    kinds.update(body_mass_g="int64", sex="string", year="int64")
    return Sample(
        "penguins",
        str(path),
        len(PENGUIN_ROWS),
        kinds,
        missing={"bill_length_mm": 2, "body_mass_g": 2, "sex": 3, "year": 0},
        first={"species": "Adelie", "bill_length_mm": 39.1, "body_mass_g": 3750},
        shown=("Torgersen", "39.1"),
        options=("--na-value", "NA"),
        lossy=("bill_length_mm", "bill_depth_mm"),
    )


BOM_ROWS = [
    ('"Smith, J."', '"fine, thanks"', "1.5"),
    ("Jones", "plain", "20"),
    ('"Lee ""the 2nd"""', '"two\r\nlines, one field"', "3.25"),
    ("Ng", '""', "4"),
    ('"O\'Brien"', '"a, b, c"', "5.75"),
]


def write_bom_quotes(root: Path) -> Sample:
    """A spreadsheet's export: UTF-8 BOM, CRLF, quoted commas, quotes, newlines."""
    path = root / "export.csv"
    lines = ["name,comment,price", *(",".join(r) for r in BOM_ROWS)]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    return Sample(
        "bom_quotes",
        str(path),
        len(BOM_ROWS),
        {"name": "string", "comment": "string", "price": "float"},
        first={"name": "Smith, J.", "comment": "fine, thanks", "price": 1.5},
        shown=("Smith, J.", "fine, thanks"),
    )


def write_semicolon(root: Path) -> Sample:
    """A semicolon-separated file, as European spreadsheets write them."""
    path = root / "cities.csv"
    rows = ["city;population;area_km2", "Oslo;709037;454.03", "Lyon;522250;47.87"]
    rows += ["Graz;291134;127.57", "Porto;231962;41.42"]
    path.write_text("\n".join(rows) + "\n")
    return Sample(
        "semicolon",
        str(path),
        4,
        {"city": "string", "population": "int64", "area_km2": "float"},
        first={"city": "Oslo", "population": 709037, "area_km2": 454.03},
        shown=("Oslo", "454.03"),
        options=("--delimiter", ";"),
        lossy=("area_km2",),
    )


def write_preamble_spaces(root: Path) -> Sample:
    """An instrument's export: two comment lines, then space-separated columns."""
    path = root / "readings.txt"
    rows = ["# exported by logger v2.1", "# units: mm, degC", "station depth temp"]
    rows += ["A1 12.5 4.25", "A2 13 3.5", "B7 8.75 5.125"]
    path.write_text("\n".join(rows) + "\n")
    return Sample(
        "preamble_spaces",
        str(path),
        3,
        {"station": "string", "depth": "float", "temp": "float"},
        first={"station": "A1", "depth": 12.5, "temp": 4.25},
        shown=("A1", "12.5"),
        options=("--skip-rows", "2", "--delimiter", " "),
    )


def write_employment(root: Path) -> Sample:
    """vega's us-employment.csv shape: a header with "information" (starts with
    "inf") and a date column; every other column holds integers."""
    path = root / "us-employment.csv"
    rows = ["month,nonfarm,information,nan_sector,financial_activities"]
    rows += ["2006-01-01,135450,3054,17,8237", "2006-02-01,135762,3048,18,8246"]
    rows += ["2006-03-01,136059,3043,21,8263"]
    path.write_text("\n".join(rows) + "\n")
    kinds = {"month": "string", "nonfarm": "int64", "information": "int64"}
    kinds.update(nan_sector="int64", financial_activities="int64")
    return Sample(
        "employment",
        str(path),
        3,
        kinds,
        first={"month": "2006-01-01", "information": 3054, "nan_sector": 17},
        shown=("information", "3054"),
    )


WIDE_COLUMNS = 65


def write_wide(root: Path) -> Sample:
    """65 columns: an id, then 64 float measurements (a sensor table)."""
    path = root / "wide.csv"
    names = ["id"] + [f"m{j:02d}" for j in range(1, WIDE_COLUMNS)]
    rows = [",".join(names)]
    for i in range(8):
        rows.append(",".join([str(i)] + [f"{i}.{j:02d}" for j in range(1, 65)]))
    path.write_text("\n".join(rows) + "\n")
    kinds = {"id": "int64", **{n: "float" for n in names[1:]}}
    return Sample(
        "wide",
        str(path),
        8,
        kinds,
        first={"id": 0, "m01": 0.01, "m64": 0.64},
        shown=("m01", "m32", "m64", "0.64"),
        lossy=tuple(n for n in names[1:] if n not in ("m25", "m50", "m75")),
    )


def write_parquet(root: Path) -> Sample:
    """Two Parquet files: float64 and float32 columns, int64, strings, nulls."""
    (root / "pq").mkdir()
    for k, rows in enumerate((range(0, 8), range(8, 15))):
        table = pa.table(
            {
                "carat": pa.array(
                    [round(0.23 + i / 100, 2) for i in rows], pa.float64()
                ),
                "depth": pa.array([61.5 + i / 4 for i in rows], pa.float32()),
                "price": pa.array([326 + i for i in rows], pa.int64()),
                "cut": pa.array([None if i % 5 == 2 else "Ideal" for i in rows]),
            }
        )
        pq.write_table(table, root / "pq" / f"part-{k:05d}.parquet")
    return Sample(
        "parquet",
        str(root / "pq" / "part-*.parquet"),
        15,
        {"carat": "float", "depth": "float", "price": "int64", "cut": "string"},
        missing={"cut": 3, "carat": 0},
        first={"carat": 0.23, "depth": 61.5, "price": 326, "cut": "Ideal"},
        shown=("carat", "0.23", "Ideal"),
        not_indexed="only TFRecord, text and CSV files can be indexed",
        lossy=("carat",),
    )


DIAMOND_ROWS = [
    "0.23,Ideal,E,SI2,61.5,55,326,3.95,3.98,2.43",
    "0.21,Premium,E,SI1,59.8,61,326,3.89,3.84,2.31",
    "0.23,Good,E,VS1,56.9,65,327,4.05,4.07,2.31",
    "0.29,Premium,I,VS2,62.4,58,334,4.2,4.23,2.63",
    "0.31,Good,J,SI2,63.3,57.5,335,4.34,4.35,2.75",
]


def write_diamonds(root: Path) -> Sample:
    """diamonds.csv's shape, gzip-compressed: carat 0.23 must stay 0.23."""
    path = root / "diamonds.csv.gz"
    header = "carat,cut,color,clarity,depth,table,price,x,y,z"
    path.write_bytes(
        gzip.compress(("\n".join([header, *DIAMOND_ROWS]) + "\n").encode())
    )
    kinds = {n: "float" for n in ("carat", "depth", "table", "x", "y", "z")}
    kinds.update(cut="string", color="string", clarity="string", price="int64")
    return Sample(
        "diamonds",
        str(path),
        len(DIAMOND_ROWS),
        kinds,
        first={"carat": 0.23, "cut": "Ideal", "price": 326, "x": 3.95},
        shown=("0.23", "Ideal"),
        not_indexed="is compressed: only uncompressed files can be indexed",
        lossy=("carat", "depth", "x", "y", "z"),
    )


WRITERS: dict[str, Callable[[Path], Sample]] = {
    "tfx": write_tfx,
    "sequence": write_sequence,
    "penguins": write_penguins,
    "bom_quotes": write_bom_quotes,
    "semicolon": write_semicolon,
    "preamble_spaces": write_preamble_spaces,
    "employment": write_employment,
    "wide": write_wide,
    "parquet": write_parquet,
    "diamonds": write_diamonds,
}
