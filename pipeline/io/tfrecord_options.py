"""`TFRecordOptions`: the compression settings of a TFRecord file, as TF's.

Example:
    >>> options = TFRecordOptions("ZLIB", compression_level=9)
    >>> TFRecordOptions.get_compression_type_string(options)
    'ZLIB'
    >>> options.compressor() is not None
    True
"""

from __future__ import annotations

import zlib
from typing import Any

from pipeline.errors import InvalidArgumentError

__all__ = ["TFRecordOptions"]

# TFRecordCompressionType's values, as tf.compat.v1 numbers them
_BY_NUMBER = {0: "", 1: "ZLIB", 2: "GZIP"}
_NAMES = ("", "ZLIB", "GZIP")
# TF's zlib defaults (memLevel 9, unlike Python's 8): the same bytes as TF
_DEFAULTS = {
    "flush_mode": zlib.Z_NO_FLUSH,
    "window_bits": zlib.MAX_WBITS,
    "compression_level": zlib.Z_DEFAULT_COMPRESSION,
    "compression_method": zlib.DEFLATED,
    "mem_level": 9,
    "compression_strategy": zlib.Z_DEFAULT_STRATEGY,
}


def _type_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, TFRecordOptions):
        return value.compression_type
    if isinstance(value, str):
        upper = value.upper()
        if upper in _NAMES:
            return upper
    elif isinstance(value, int) and not isinstance(value, bool):
        if value in _BY_NUMBER:
            return _BY_NUMBER[value]
    elif hasattr(value, "value") and value.value in _BY_NUMBER:  # an enum member
        return _BY_NUMBER[value.value]
    raise InvalidArgumentError(f'Not a valid compression_type: "{value}"')


class TFRecordOptions:
    """Options of a TFRecord file, as ``tf.io.TFRecordOptions``.

    The zlib settings apply when writing a GZIP or ZLIB file; None keeps TF's
    default (no flush, 15 window bits, level 6, memory level 9, default
    strategy), so files are byte-for-byte those TensorFlow writes.

    Args:
        compression_type: None or ``""`` (none), ``"GZIP"``, ``"ZLIB"``, the
            numbers 0, 1, 2 of ``TFRecordCompressionType``, or another
            ``TFRecordOptions`` (its type is taken).
        flush_mode: the zlib flush applied after each record (``zlib.Z_*``).
        input_buffer_size: bytes handed to the compressor at a time.
        output_buffer_size: accepted for TF's signature (Python's zlib sizes
            its own output).
        window_bits: zlib window size, 8 to 15.
        compression_level: 0 to 9, or -1 for the default (6).
        compression_method: only ``zlib.DEFLATED``.
        mem_level: zlib memory level, 1 to 9.
        compression_strategy: ``zlib.Z_DEFAULT_STRATEGY``, ``Z_FILTERED``, ...

    Raises:
        InvalidArgumentError: (a ValueError) an unknown compression type.

    Example:
        >>> TFRecordOptions("GZIP").compression_type
        'GZIP'
        >>> TFRecordOptions(5)
        Traceback (most recent call last):
        ...
        pipeline.errors.InvalidArgumentError: Not a valid compression_type: "5"
    """

    def __init__(
        self,
        compression_type: Any = None,
        flush_mode: int | None = None,
        input_buffer_size: int | None = None,
        output_buffer_size: int | None = None,
        window_bits: int | None = None,
        compression_level: int | None = None,
        compression_method: int | None = None,
        mem_level: int | None = None,
        compression_strategy: int | None = None,
    ) -> None:
        self.compression_type = _type_string(compression_type)
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """``""``, ``"ZLIB"`` or ``"GZIP"`` for options, a type or None.

        Example:
            >>> TFRecordOptions.get_compression_type_string(None)
            ''
        """
        return _type_string(options)

    def _setting(self, name: str) -> int:
        value = getattr(self, name)
        return _DEFAULTS[name] if value is None else int(value)

    def compressor(self) -> Any:
        """A fresh zlib compressor for these options (None when uncompressed).

        Raises:
            ValueError: a setting zlib rejects.
        """
        if not self.compression_type:
            return None
        bits = self._setting("window_bits")
        if self.compression_type == "GZIP":
            bits = 16 + max(bits, 9)  # zlib's gzip writer needs 9 or more
        try:
            return zlib.compressobj(
                self._setting("compression_level"),
                self._setting("compression_method"),
                bits,
                self._setting("mem_level"),
                self._setting("compression_strategy"),
            )
        except (ValueError, zlib.error) as e:
            raise ValueError(f"invalid zlib options in {self!r}: {e}") from e

    def __repr__(self) -> str:
        set_ = {k: v for k, v in vars(self).items() if v is not None}
        inner = ", ".join(f"{k}={v!r}" for k, v in set_.items())
        return f"TFRecordOptions({inner})"
