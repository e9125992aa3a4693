"""``Hashing`` and ``HashedCrossing``: TensorFlow's string hashes into bins.

``Hashing`` gives TensorFlow's ``to_hash_bucket_fast`` (FarmHash Fingerprint64)
or, with a ``salt``, ``to_hash_bucket_strong`` (SipHash-2-4) of each value,
integers hashed as their decimal text. ``HashedCrossing`` gives
``tf.sparse.cross_hashed``: Fingerprint64 of strings (integers as they are)
chained with ``FingerprintCat64`` from TensorFlow's default key.

Example:
    >>> from pipeline.nn import layers
    >>> layers.Hashing(num_bins=3)([["A"], ["B"]]).numpy().tolist()
    [[1], [0]]
    >>> layers.HashedCrossing(num_bins=5)((["A", "B"], [101, 101])).numpy().tolist()
    [1, 4]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.nn.layers.preprocessing._common import (
    OUTPUT_MODES,
    PreprocessingLayer,
    as_numpy,
    check_salt,
    encode,
    is_text,
)

_CROSS_KEY = 0xDECAFCAFFE  # tf.sparse.cross_hashed's default hash_key
_U64 = (1 << 64) - 1


def hash_to_bins(
    values: np.ndarray, num_bins: int, salt: list[int] | None
) -> np.ndarray:
    """TensorFlow's hash bucket of every value (numbers hashed as decimal text).

    Example:
        >>> hash_to_bins(np.array([0, 1]), 3, None).tolist()
        [1, 0]
    """
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = values.astype(np.int64)
    if not is_text(values):
        values = np.array(
            [str(int(v)) for v in values.reshape(-1)], dtype=object
        ).reshape(values.shape)
    flat = [
        v if isinstance(v, bytes) else str(v).encode("utf-8")
        for v in values.reshape(-1)
    ]
    k = _kernels.load("farmhash")
    if salt is None:
        out = k.fingerprint64_objects(flat, num_bins)
    else:
        out = k.siphash24_objects(salt[0], salt[1], flat, num_bins)
    return np.asarray(out, dtype=np.int64).reshape(values.shape)


class Hashing(PreprocessingLayer):
    """Hashes strings or integers into ``num_bins`` bins (Keras 3's ``Hashing``).

    Args:
        num_bins: the number of bins, including the mask bin when
            ``mask_value`` is set.
        mask_value: a value that maps to bin 0 (the others then use bins
            ``1..num_bins-1``).
        salt: an int or a pair of ints: SipHash with that key instead of FarmHash.
        output_mode: ``"int"`` (default), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: accepted for Keras compatibility (not with ``"int"``); dense outputs.
        **kwargs: ``name``, ``dtype`` (int64 for ``"int"``, else float32).

    Example:
        >>> Hashing(num_bins=3, mask_value="")([["A"], [""]]).numpy().tolist()
        [[1], [0]]
    """

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: Any = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive "
                f"values. Received: num_bins={num_bins}."
            )
        if output_mode == "int" and str(self.dtype) not in ("int32", "int64"):
            raise ValueError(
                'When `output_mode="int"`, `dtype` should be an integer type, '
                f"'int32' or 'in64'. Received: dtype={kwargs['dtype']}"
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{OUTPUT_MODES}. Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, '
                f'`"multi_hot"`, or `"count"`. Received: sparse={sparse} and '
                f"output_mode={output_mode}"
            )
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = check_salt(salt, "Hashing")
        self.strong_hash = self.salt is not None
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs: Any) -> np.ndarray:
        """The bins of ``inputs``, encoded per ``output_mode``."""
        values = as_numpy(inputs)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values.reshape(values.shape[:-1])
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        out = hash_to_bins(values, bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return encode(out, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The output shape: ``input_shape``, or its last axis as ``num_bins``.

        Example:
            >>> Hashing(4, output_mode="one_hot").compute_output_shape((None, 1))
            (None, 4)
        """
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self) -> dict[str, Any]:
        """Keras's config."""
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode,
                "sparse": self.sparse}  # fmt: skip


class HashedCrossing(PreprocessingLayer):
    """Crosses two or more features into ``num_bins`` hash bins (Keras 3's).

    Args:
        num_bins: the number of bins.
        output_mode: ``"int"`` (default) or ``"one_hot"``.
        sparse: accepted for Keras compatibility; dense outputs.
        name: optional name.
        dtype: int64 for ``"int"``, else float32 by default.

    Example:
        >>> HashedCrossing(5, "one_hot")((["A"], [101])).numpy().tolist()
        [[0.0, 1.0, 0.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        num_bins: int,
        output_mode: str = "int",
        sparse: bool = False,
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"('int', 'one_hot'). Received: output_mode={output_mode}"
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs: Any) -> np.ndarray:
        """The crossed bins of the features in ``inputs`` (a list or tuple)."""
        if not isinstance(inputs, list | tuple):
            raise ValueError(
                "`HashedCrossing` should be called on a list or tuple of "
                f"inputs. Received: inputs={inputs}"
            )
        if len(inputs) < 2:
            raise ValueError(
                "`HashedCrossing` should be called on at least two inputs. "
                f"Received: inputs={inputs}"
            )
        arrays = [as_numpy(x) for x in inputs]
        _check_cross_inputs(arrays)
        shape = arrays[0].shape
        crossed = np.full(int(np.prod(shape)), _CROSS_KEY, dtype=object)
        k = _kernels.load("farmhash")
        for array in arrays:
            feats = _cross_values(array.reshape(-1), k)
            crossed = [
                k.fingerprint_cat64(int(h), int(f)) for h, f in zip(crossed, feats)
            ]
        out = np.array([h % self.num_bins for h in crossed], dtype=np.int64).reshape(
            shape
        )
        return encode(out, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The first input's shape (one-hot: its last axis of 1 becomes ``num_bins``).

        Example:
            >>> HashedCrossing(3).compute_output_shape([(None,), (None,)])
            (None,)
        """
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] == 1:
            return first[:-1] + (self.num_bins,)
        return first + (self.num_bins,)

    def get_config(self) -> dict[str, Any]:
        """Keras's config."""
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name,
                "dtype": self.dtype}  # fmt: skip


def _cross_values(values: np.ndarray, k: Any) -> list[int]:
    if is_text(values):
        return [k.fingerprint64(str(v).encode("utf-8")) for v in values]
    return [int(v) & _U64 for v in values]


def _check_cross_inputs(arrays: list[np.ndarray]) -> None:
    first = arrays[0].shape
    if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
        raise ValueError(
            "All `HashedCrossing` inputs should have shape `()`, `(batch_size)` "
            f"or `(batch_size, 1)`. Received: input shapes {[a.shape for a in arrays]}"
        )
    if any(a.shape != first for a in arrays[1:]):
        raise ValueError(
            "All `HashedCrossing` inputs should have equal shape. Received: "
            f"input shapes {[a.shape for a in arrays]}"
        )
    if not all(is_text(a) or a.dtype.kind in "iu" for a in arrays):
        raise ValueError(
            "All `HashedCrossing` inputs should have an integer or string "
            f"dtype. Received dtypes {[str(a.dtype) for a in arrays]}"
        )
