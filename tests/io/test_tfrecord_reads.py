"""pipeline.io.tfrecord: how chunks are read does not change what is read.

The reader fills one buffer kept across reads (``readinto``); a stream that
returns short reads, or has no ``readinto`` at all, yields the same records,
offsets and errors.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import all_kernels

from pipeline.errors import DataLossError
from pipeline.io import fs, tfrecord


def _file_bytes(records: list[bytes]) -> bytes:
    k = tfrecord._kernels.load("tfrecord")
    return b"".join(k.header(len(r)) + r + k.footer(r) for r in records)


class _Dribble(io.RawIOBase):
    """A stream giving at most ``step`` bytes per read (short reads)."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.pos = data, step, 0

    def readable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = offset
        return offset

    def readinto(self, buffer) -> int:
        piece = self.data[self.pos : self.pos + min(self.step, len(buffer))]
        buffer[: len(piece)] = piece
        self.pos += len(piece)
        return len(piece)


class _ReadOnly:
    """A stream with ``read`` only (no ``readinto``)."""

    def __init__(self, data: bytes) -> None:
        self.f = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self.f.read(size)

    def seek(self, offset: int) -> int:
        return self.f.seek(offset)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def _read_through(monkeypatch, data: bytes, make, **kw):
    """(records, offsets, error) of reading ``data`` through ``make(data)``."""
    monkeypatch.setattr(fs, "file_size", lambda path: len(data))
    monkeypatch.setattr(fs, "open_input", lambda path, kind=None: make(data))
    records, offsets = [], []
    try:
        for block in tfrecord.iter_blocks("mem.tfrecord", **kw):
            records += block.records
            offsets += block.offsets.tolist()
    except DataLossError as e:
        return records, offsets, (e.offset, e.record_index, str(e))
    return records, offsets, None


_RECORDS = [bytes([i % 251]) * (i * 37 % 5000) for i in range(60)]


@pytest.mark.parametrize("side", ["native", "reference"])
@pytest.mark.parametrize("step", [1, 7, 4096, 1 << 20])
def test_short_reads_and_no_readinto_read_the_same(monkeypatch, side, step):
    data = _file_bytes(_RECORDS)
    with all_kernels(side):
        short = _read_through(monkeypatch, data, lambda d: _Dribble(d, step))
        plain = _read_through(monkeypatch, data, _ReadOnly)
    assert short[2] is None and plain[2] is None
    assert short[0] == plain[0] == _RECORDS
    assert all(type(r) is bytes for r in short[0])
    assert short[1] == plain[1]
    assert short[1][1] == 12 + len(_RECORDS[0]) + 4


def test_records_stay_intact_after_the_buffer_is_refilled(monkeypatch):
    data = _file_bytes(_RECORDS)
    blocks = []
    monkeypatch.setattr(fs, "file_size", lambda path: len(data))
    monkeypatch.setattr(fs, "open_input", lambda path, kind=None: io.BytesIO(data))
    for block in tfrecord.iter_blocks("mem.tfrecord", buffer_size=4096):
        blocks.append(block.records)  # kept while later chunks are read
    assert len(blocks) > 10
    assert [r for b in blocks for r in b] == _RECORDS


def test_a_bad_data_crc_keeps_its_raw_bytes_across_refills(monkeypatch):
    data = bytearray(_file_bytes(_RECORDS))
    bad = 12 + sum(12 + len(r) + 4 for r in _RECORDS[:30])  # data of record 30
    data[bad + 3] ^= 0xFF
    got = []
    monkeypatch.setattr(fs, "file_size", lambda path: len(data))
    monkeypatch.setattr(
        fs, "open_input", lambda path, kind=None: _Dribble(bytes(data), 999)
    )
    for item in tfrecord.iter_blocks("m", buffer_size=4096, skip_corrupt=True):
        got.append(item)
    errors = [e for e in got if isinstance(e, DataLossError)]
    assert len(errors) == 1
    assert errors[0].offset == bad and errors[0].record_index == 30
    assert type(errors[0].raw) is bytes
    assert errors[0].raw == bytes(data[bad : bad + len(_RECORDS[30])])
    records = [r for b in got if not isinstance(b, DataLossError) for r in b.records]
    assert records == _RECORDS[:30] + _RECORDS[31:]


@given(
    st.lists(st.binary(max_size=300), max_size=40),
    st.integers(1, 700),
    st.sampled_from([4096, 5000]),
)
def test_any_records_any_read_sizes(records, step, buffer_size):
    data = _file_bytes(records)
    with pytest.MonkeyPatch.context() as mp:
        short = _read_through(
            mp, data, lambda d: _Dribble(d, step), buffer_size=buffer_size
        )
    assert short == (records, short[1], None)
    ends = [12 + len(r) + 4 for r in records]
    assert short[1] == [sum(ends[:i]) for i in range(len(records))]


def test_a_cut_file_read_in_short_steps_names_the_offset(monkeypatch):
    data = _file_bytes(_RECORDS[:5])
    cut = data[:-3]
    records, _, err = _read_through(monkeypatch, cut, lambda d: _Dribble(d, 5))
    assert records == _RECORDS[:4]
    last = sum(12 + len(r) + 4 for r in _RECORDS[:4])
    assert err[0] == last and err[1] == 4
    assert "truncated record at" in err[2] and "mem.tfrecord" in err[2]
