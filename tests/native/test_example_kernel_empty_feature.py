"""``index_features`` on an empty ``Feature{}``: missing, but its body located.

Both twins: ``KIND_NONE`` with no values, and ``start``/``stop`` bounding the
Feature's (empty) body, so ``start > 0`` tells the entry from an absent key.
"""

from __future__ import annotations

import importlib

import pytest

from pipeline import _kernels

TWINS = [
    _kernels.reference("example"),
    importlib.import_module("pipeline._native.example"),
]
# {"a": Feature{}, "b": Feature{}} and b"" (no features); the bodies at 9 and 16
RECORD = bytes.fromhex("0a0e0a050a016112000a050a01621200")


@pytest.mark.parametrize("kernel", TWINS, ids=["reference", "native"])
def test_empty_feature_is_missing_with_its_body_located(kernel):
    kind, count, start, stop, status, _, _ = kernel.index_features(
        [RECORD, b""], [b"a", b"b", b"absent"]
    )
    assert status == kernel.STATUS_OK
    assert (kind == kernel.KIND_NONE).all() and (count == 0).all()
    assert start.tolist() == [[9, 0], [16, 0], [0, 0]]
    assert stop.tolist() == start.tolist()


@pytest.mark.parametrize("kernel", TWINS, ids=["reference", "native"])
def test_a_feature_with_only_unknown_fields_bounds_its_body(kernel):
    # {"a": Feature{9: 1}}: no list set; its 2-byte body at 9..11
    rec = bytes.fromhex("0a090a070a016112024801")
    kind, count, start, stop, *_ = kernel.index_features([rec], [b"a"])
    assert (int(kind[0, 0]), int(count[0, 0])) == (kernel.KIND_NONE, 0)
    assert (int(start[0, 0]), int(stop[0, 0])) == (9, 11)
