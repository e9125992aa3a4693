"""Whether the two sides of each ``bench_csv`` row give the same batches.

``bench_csv --check`` runs this before timing anything. Compared, batch by
batch over the whole of each case's files:

* ours against TensorFlow's run of the same code, for every row that has both
  (the control ``per_line_no_rewrite`` included): the same structure, dtypes
  and values, bit for bit (NaN sign included);
* ours with the types given against ours inferring them, for each idiom;
* every typed idiom of ours against ``pyarrow.csv.read_csv`` given the same
  column types, an empty cell read as the default (0, 0.0, b"").

It also prints the types each side infers: pyarrow's are not ours (float64,
int64 and utf8 strings against float32, int32 and bytes).

Example:
    >>> a = {"x": np.array([1.0, np.nan], np.float32)}
    >>> differs([a], [{"x": np.array([1.0, np.nan], np.float32)}]) is None
    True
    >>> differs([a], [{"x": np.array([1.0, np.nan])}])
    'batch 0, x: dtype float32 against float64'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import zip_longest
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.bench_csv import IDIOMS, case_key, rows_of, tf_pair
from benchmarks.taxi_data import COLUMNS, LABEL

_END = object()


def flat(batch: Any, path: str = "") -> list[tuple[str, np.ndarray]]:
    """``(path, array)`` of every leaf; dicts by key, lists and tuples by index.

    Example:
        >>> [p for p, _ in flat(({"b": 1, "a": 2}, [3]))]
        ['0/a', '0/b', '1/0']
    """
    if isinstance(batch, dict):
        items = sorted(batch.items())
    elif isinstance(batch, (tuple, list)):
        items = list(enumerate(batch))
    else:
        return [(path, np.asarray(batch))]
    out = []
    for key, value in items:
        out += flat(value, f"{path}/{key}" if path else str(key))
    return out


def same_array(a: np.ndarray, b: np.ndarray) -> str | None:
    """Why two columns differ, or None when they are the same."""
    if a.dtype != b.dtype:
        return f"dtype {a.dtype} against {b.dtype}"
    if a.shape != b.shape:
        return f"shape {a.shape} against {b.shape}"
    if a.dtype.kind == "f":
        equal = np.array_equal(a, b, equal_nan=True) and np.array_equal(
            np.signbit(a), np.signbit(b)
        )
    elif a.dtype == object:
        equal = a.tolist() == b.tolist()
    else:
        equal = np.array_equal(a, b)
    if equal:
        return None
    x, y = a.ravel().tolist(), b.ravel().tolist()
    where = next(
        i for i, pair in enumerate(zip(x, y)) if repr(pair[0]) != repr(pair[1])
    )
    return f"row {where}: {x[where]!r} against {y[where]!r}"


def differs(left: Iterable, right: Iterable) -> str | None:
    """The first difference between two streams of batches, or None."""
    for i, (a, b) in enumerate(zip_longest(left, right, fillvalue=_END)):
        if a is _END or b is _END:
            return f"batch {i}: only one side has it"
        fa, fb = flat(a), flat(b)
        if [p for p, _ in fa] != [p for p, _ in fb]:
            return (
                f"batch {i}: leaves {[p for p, _ in fa]} against {[p for p, _ in fb]}"
            )
        for (path, x), (_, y) in zip(fa, fb):
            why = same_array(x, y)
            if why:
                return f"batch {i}, {path or 'value'}: {why}"
    return None


def named_columns(batch: Any) -> dict[str, np.ndarray]:
    """A batch of any idiom as ``{column name: array}``."""
    if len(batch) == 2 and isinstance(batch[0], dict):
        return {**batch[0], LABEL: batch[1]}
    return dict(zip(COLUMNS, batch))


def _arrow_slices(tables: Iterable[pa.Table], sizes: list[int]) -> Iterable[dict]:
    table = pa.concat_tables(list(tables))
    offset = 0
    for n in sizes:
        out = {}
        for name in COLUMNS:
            col = table.column(name).slice(offset, n)
            default = b"" if pa.types.is_binary(col.type) else 0
            filled = pc.fill_null(col, pa.scalar(default, col.type))
            out[name] = filled.to_numpy()
        offset += n
        yield out
    if offset != table.num_rows:
        yield {"rows": np.array([table.num_rows])}


def differs_from_arrow(batches: Iterable, tables: Iterable[pa.Table]) -> str | None:
    """Ours against pyarrow's tables, sliced as our batches are."""
    ours = [named_columns(b) for b in batches]
    return differs(ours, _arrow_slices(tables, [rows_of(b) for b in ours]))


def _pairs(keys: list[str]) -> list[tuple[str, str]]:
    pairs = [(k, tf_pair(k)) for k in keys if tf_pair(k) in keys]
    for idiom in IDIOMS:
        pairs.append((case_key("pipeline", idiom, "typed"),
                      case_key("pipeline", idiom, "inferred")))  # fmt: skip
    return [(a, b) for a, b in pairs if a in keys and b in keys]


def _inferred_types(cases: dict[str, Callable[[], Iterable]]) -> None:
    ours = next(iter(cases[case_key("pipeline", "make_csv_dataset", "inferred")]()))
    theirs = next(iter(cases[case_key("pyarrow", "read_csv", "inferred")]()))
    ours_types = {n: str(c.dtype) for n, c in named_columns(ours).items()}
    print(f"check: types ours infers: {ours_types}")
    theirs_types = dict(zip(theirs.column_names, map(str, theirs.schema.types)))
    print(f"check: types pyarrow infers: {theirs_types}")


def check_cases(cases: dict[str, Callable[[], Iterable]]) -> bool:
    """Compare the sides of every row of ``cases``; print each verdict."""
    ok = True
    arrow = case_key("pyarrow", "read_csv", "typed")
    checks = [(a, b, differs) for a, b in _pairs(list(cases))]
    checks += [(case_key("pipeline", i, "typed"), arrow, differs_from_arrow)
               for i in IDIOMS]  # fmt: skip
    for a, b, compare in checks:
        why = compare(cases[a](), cases[b]())
        print(f"check: {a} {'==' if why is None else '!='} {b}"
              + ("" if why is None else f": {why}"), flush=True)  # fmt: skip
        ok = ok and why is None
    _inferred_types(cases)
    return ok
