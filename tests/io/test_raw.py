"""pipeline.io.raw.decode_raw: byte order, shapes, padding and TF's errors."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.io import decode_raw


def test_byte_order_and_shapes():
    data = b"\x01\x02\x03\x04"
    assert decode_raw([data], np.int16).tolist() == [[513, 1027]]
    assert decode_raw([data], np.int16, little_endian=False).tolist() == [[258, 772]]
    assert decode_raw(b"ab", np.uint8).tolist() == [97, 98]
    assert decode_raw([[b"ab"], [b"cd"]], np.uint8).shape == (2, 1, 2)
    assert decode_raw([], np.uint8).shape == (0, 0)
    assert decode_raw([np.float32(1.5).tobytes()], "float32").tolist() == [[1.5]]


def test_fixed_length_pads_and_cuts():
    out = decode_raw([b"\x01\x02\x03"], np.int16, fixed_length=6)
    assert out.tolist() == [[513, 3, 0]]
    assert decode_raw(["abc"], np.uint8, fixed_length=2).tolist() == [[97, 98]]


@pytest.mark.parametrize(
    "args, match",
    [
        (([b"ab", b"abc"], np.uint8), "element 1 has size 2 != 3"),
        (([b"abc"], np.int16), "length 3 that is not a multiple of 2"),
        (([b"abc"], np.int16, True, 3), r"fixed_length \(3\) must be a multiple"),
        (([b"ab"], object), "not in the list of allowed values"),
    ],
)
def test_errors(args, match):
    with pytest.raises(InvalidArgumentError, match=match):
        decode_raw(*args)
