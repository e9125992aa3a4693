"""``StringLookup`` and ``IntegerLookup`` (Keras 3's), over `IndexLookup`.

Example:
    >>> from pipeline.nn import layers
    >>> layers.StringLookup(vocabulary=["a", "b"])(["b", "c"]).numpy().tolist()
    [2, 0]
    >>> layers.IntegerLookup(vocabulary=[10, 20], invert=True)([1, 0]).numpy().tolist()
    [10, -1]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to indices or encodings, learned by ``adapt`` or given.

    Args:
        max_tokens: the largest vocabulary, reserved indices included.
        num_oov_indices: indices for unknown strings (default 1).
        mask_token: a string that maps to index 0 (default none).
        oov_token: the string shown for OOV indices (default ``"[UNK]"``).
        vocabulary: strings, or a text file's path.
        idf_weights: IDF weights, with ``output_mode="tf_idf"``.
        invert: map indices back to strings (as UTF-8 bytes, as TensorFlow).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"``
            or ``"tf_idf"``.
        pad_to_max_tokens: encodings have ``max_tokens`` entries.
        sparse: accepted for Keras compatibility; dense outputs.
        encoding: the text encoding (UTF-8).
        name: optional name.
        salt: SipHash key for hashing unknown strings among several OOV indices.
        **kwargs: ``oov_method`` and config fields.

    Example:
        >>> layer = StringLookup(vocabulary=["a"], output_mode="one_hot")
        >>> layer(["a"]).numpy().tolist()
        [[0.0, 1.0]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ) -> None:
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices,
            mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
            idf_weights=idf_weights, invert=invert, output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
            salt=salt, vocabulary_dtype="string", **kwargs,
        )  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        """Keras's config (``encoding`` in place of ``vocabulary_dtype``)."""
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Maps integers to indices or encodings, learned by ``adapt`` or given.

    Args:
        max_tokens: the largest vocabulary, reserved indices included.
        num_oov_indices: indices for unknown integers (default 1).
        mask_token: an integer that maps to index 0 (default none).
        oov_token: the integer shown for OOV indices (default -1).
        vocabulary: integers, or a text file's path.
        vocabulary_dtype: only ``"int64"``.
        idf_weights: IDF weights, with ``output_mode="tf_idf"``.
        invert: map indices back to integers.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"``
            or ``"tf_idf"``.
        sparse: accepted for Keras compatibility; dense outputs.
        pad_to_max_tokens: encodings have ``max_tokens`` entries.
        oov_method: ``"floormod"`` (default) or ``"farmhash"``, to spread
            unknown integers over several OOV indices.
        salt: SipHash key for ``"farmhash"``.
        name: optional name.
        **kwargs: config fields.

    Example:
        >>> IntegerLookup(vocabulary=[7, 8], mask_token=0)([0, 8, 9]).numpy().tolist()
        [0, 3, 1]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater "
                f"than 1. Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` "
                f"must >= 0. Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. "
                f"Received: vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices,
            mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights,
            invert=invert, output_mode=output_mode, sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method,
            salt=salt, name=name, **kwargs,
        )  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        """Keras's config, tokens as Python ints."""
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
