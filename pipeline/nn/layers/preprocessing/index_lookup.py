"""``IndexLookup``: the shared engine of ``StringLookup`` and ``IntegerLookup``.

Tokens map to indices after the reserved ones: the mask index 0 (when a
``mask_token`` is set), then ``num_oov_indices`` out-of-vocabulary indices,
then the vocabulary in order. ``adapt`` counts tokens in one streaming pass
and keeps the most frequent (ties: the larger token first), as Keras 3 does;
the vocabulary travels in the saved model's archive as data.

Example:
    >>> layer = IndexLookup(None, 1, None, "[UNK]", "string", vocabulary=["a", "b"])
    >>> layer(["b", "z"]).numpy().tolist()
    [2, 0]
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.nn.layers.preprocessing._common import (
    PreprocessingLayer,
    as_numpy,
    batches,
    check_output_mode,
    check_salt,
    encode,
)
from pipeline.nn.layers.preprocessing._vocabulary import VocabularyMixin
from pipeline.nn.layers.preprocessing.hashing import hash_to_bins
from pipeline.nn.tensor import Tensor

_LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_MASKED = -2  # a masked token outside int mode: counts nowhere
_TF_IDF_NEEDS_WEIGHTS = (
    "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
    "`idf_weights` argument must also be provided."
)


def _listify(value: Any) -> Any:
    if isinstance(value, np.ndarray | Tensor):
        return np.asarray(value).tolist()
    return list(value) if isinstance(value, tuple) else value


class IndexLookup(VocabularyMixin, PreprocessingLayer):
    """Maps tokens to indices or encodings (Keras 3's ``IndexLookup``).

    Args:
        max_tokens: the largest vocabulary, reserved indices included.
        num_oov_indices: indices for out-of-vocabulary tokens (hashed among
            them when more than one).
        mask_token: a token that maps to index 0, or None.
        oov_token: the token ``get_vocabulary`` and ``invert`` show for OOV indices.
        vocabulary_dtype: ``"string"`` or ``"int64"``.
        vocabulary: tokens (a list or array; the reserved tokens may lead), or
            the path of a text file with one token per line.
        idf_weights: with ``output_mode="tf_idf"`` and a ``vocabulary``.
        invert: map indices back to tokens.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"``
            or ``"tf_idf"``.
        sparse: accepted for Keras compatibility (not with ``"int"``); dense outputs.
        pad_to_max_tokens: encodings have ``max_tokens`` entries.
        oov_method: ``"floormod"`` (integers) or ``"farmhash"``.
        name: optional name.
        salt: SipHash key (an int or two) for hashing OOV tokens.

    Example:
        >>> IndexLookup(None, 1, 0, -1, "int64", vocabulary=[7]).get_vocabulary()
        [0, -1, 7]
    """

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary_dtype: str,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ) -> None:
        frozen = kwargs.pop("vocabulary_size", None)
        has_vocab = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        _check_no_other_kwargs(kwargs)
        super().__init__(name=name)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(
            output_mode, output_mode
        )
        _check_args(max_tokens, num_oov_indices, pad_to_max_tokens, invert, output_mode,
                    sparse, idf_weights)  # fmt: skip
        _check_oov_method(oov_method, salt, vocabulary_dtype, type(self).__name__)
        self.salt = check_salt(salt, "IndexLookup")
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self._frozen_vocab_size = frozen
        self.input_vocabulary = None if isinstance(vocabulary, str) else vocabulary
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_vocab
        self._tokens: list[Any] = []
        self._index: dict[Any, int] = {}
        self.idf_weights: np.ndarray | None = None
        self.reset_state()
        if output_mode == "tf_idf" and has_vocab and idf_weights is None:
            raise ValueError(_TF_IDF_NEEDS_WEIGHTS)
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- adapt ------------------------------------------------------------------------
    def reset_state(self) -> None:
        """Forgets the counts gathered by ``adapt``."""
        self._counts: Counter = Counter()
        self._doc_counts: Counter = Counter()
        self._num_documents = 0

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns the vocabulary (and IDF weights) from ``data`` in one pass.

        Args:
            data: tokens as an array, a list or a tensor (a 1-D one holds one
                token per document), or an iterable of batches (a generator,
                a ``pl.data.Dataset``; a 1-D batch is one document).
            steps: read at most this many batches of an iterable.

        Raises:
            ValueError: the layer was given a fixed ``vocabulary``.

        Example:
            >>> layer = IndexLookup(None, 1, None, "?", "string")
            >>> layer.adapt(["b", "a", "b"]); layer.get_vocabulary()
            ['?', 'b', 'a']
        """
        self.reset_state()
        if isinstance(
            data, list | tuple | np.ndarray | Tensor | str | bytes
        ) or not hasattr(data, "__iter__"):
            array = as_numpy(data)
            self.update_state(array[:, None] if array.ndim == 1 else array)
        else:
            for batch in batches(data, steps):
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Counts the tokens of one batch (rows are documents).

        Raises:
            ValueError: the layer was given a fixed ``vocabulary``.
        """
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static "
                "vocabulary via `vocabulary` argument or `set_vocabulary()` method."
            )
        array = as_numpy(data)
        if array.ndim < 2:
            array = array.reshape(1, -1)
        array = array.reshape(len(array), -1)
        self._counts.update(self._tokens_of(array))
        if self.output_mode == "tf_idf":
            width = array.shape[1]
            flat = self._tokens_of(array)
            for start in range(0, len(flat), width):
                self._doc_counts.update(set(flat[start : start + width]))
            self._num_documents += len(array)

    def _tokens_of(self, array: np.ndarray) -> list[Any]:
        """The elements of ``array`` as tokens (``str`` or ``int``), flattened."""
        if self.vocabulary_dtype != "string":
            return np.asarray(array).astype(np.int64).reshape(-1).tolist()
        flat = array.reshape(-1).tolist()
        if set(map(type, flat)) <= {str}:
            return flat
        return [self._token(t) for t in flat]

    def finalize_state(self) -> None:
        """Keeps the most frequent tokens as the vocabulary."""
        if self._has_input_vocabulary or not self._counts:
            return
        for token in (self.mask_token, self.oov_token):
            if token is not None:
                self._counts.pop(self._token(token), None)
        ranked = sorted(
            self._counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True
        )
        if self.max_tokens:
            ranked = ranked[: self.max_tokens - self._token_start_index()]
        tokens = [t for t, _ in ranked]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            docs = np.array([self._doc_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + docs)).astype("float32")
            front = np.full(
                self._token_start_index(), np.mean(idf) if idf.size else 0.0
            )
            idf = np.concatenate([front, idf]).astype("float32")
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - idf.size))
            self.idf_weights = idf.astype("float32")
        self.reset_state()

    # -- calling ---------------------------------------------------------------------
    @property
    def output_dtype(self) -> str:
        """int64 indices, the vocabulary's tokens when inverting, else float32."""
        if self.invert:
            return self.vocabulary_dtype
        return "int64" if self.output_mode == "int" else "float32"

    def call(self, inputs: Any) -> np.ndarray:
        """Indices (or tokens, inverted), encoded per ``output_mode``."""
        if (
            self.output_mode != "int"
            and not self.pad_to_max_tokens
            and (self._frozen_vocab_size is None)
        ):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and "
                "`pad_to_max_tokens=False`, you must set the layer's vocabulary "
                "before calling it. Either pass a `vocabulary` argument to the "
                "layer, or call `adapt` with some sample data."
            )
        values = as_numpy(inputs)
        if self.invert:
            return self._invert(values)
        indices = self._lookup(values)
        if self.output_mode == "int":
            return indices
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode != "tf_idf":
            return encode(indices, self.output_mode, depth, "float32")
        if self.idf_weights is None:
            raise ValueError(
                "When `output_mode` is `'tf_idf'`, `idf_weights` must be provided."
            )
        counts = encode(indices, "count", depth, "float32")
        return (counts * self.idf_weights[:depth]).astype("float32")

    def _lookup(self, values: np.ndarray) -> np.ndarray:
        flat = self._tokens_of(values)
        get = self._index.get
        found = np.array([get(t, -1) for t in flat], dtype=np.int64)
        masked = np.zeros(len(flat), bool)
        if self.mask_token is not None:
            mask = self._token(self.mask_token)
            masked = np.array([t == mask for t in flat], dtype=bool)
        missing = (found == -1) & ~masked
        if missing.any():
            found[missing] = self._oov_indices(values.reshape(-1)[missing])
        found[masked] = 0 if self.output_mode == "int" else _MASKED
        return found.reshape(values.shape)

    def _oov_indices(self, values: np.ndarray) -> np.ndarray:
        start = self._oov_start_index()
        if self.num_oov_indices == 0:
            raise InvalidArgumentError(
                "When `num_oov_indices=0` all inputs should be in vocabulary, "
                f"found OOV values {values.tolist()}, consider setting "
                "`num_oov_indices=1`."
            )
        if self.num_oov_indices == 1:
            return np.full(len(values), start, np.int64)
        if self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            return np.mod(values.astype(np.int64), self.num_oov_indices) + start
        return hash_to_bins(values, self.num_oov_indices, self.salt) + start

    def _invert(self, values: np.ndarray) -> np.ndarray:
        start = self._token_start_index()
        flat = values.reshape(-1).astype(np.int64).tolist()
        out = []
        for i in flat:
            if self.mask_token is not None and i == 0:
                out.append(self.mask_token)
            elif start <= i < start + len(self._tokens):
                out.append(self._tokens[i - start])
            else:
                out.append(self.oov_token)
        if self.vocabulary_dtype == "string":
            array = np.empty(len(out), dtype=object)
            array[:] = [str(t).encode("utf-8") for t in out]
        else:
            array = np.asarray(out, dtype=np.int64)
        return array.reshape(values.shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        """Keras's output shape for ``output_mode``.

        Example:
            >>> layer = IndexLookup(None, 1, None, "?", "string", vocabulary=["a"])
            >>> layer.compute_output_shape((None, 3))
            (None, 3)
        """
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    # -- configs ---------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Keras's config; an adapted vocabulary is not in it (see ``save_assets``)."""
        return {**super().get_config(), "invert": self.invert,
                "max_tokens": self.max_tokens, "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token, "mask_token": self.mask_token,
                "output_mode": self.output_mode, "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": _listify(self.input_idf_weights),
                "vocabulary": _listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method, "salt": self.salt}  # fmt: skip


def _check_args(
    max_tokens: Any,
    num_oov: Any,
    pad: bool,
    invert: bool,
    mode: Any,
    sparse: bool,
    idf: Any,
) -> None:
    if max_tokens is not None and max_tokens <= 1:
        raise ValueError(
            "If set, `max_tokens` must be greater than 1. "
            f"Received: max_tokens={max_tokens}"
        )
    if pad and max_tokens is None:
        raise ValueError(
            "If pad_to_max_tokens is True, must set `max_tokens`. "
            f"Received: max_tokens={max_tokens}"
        )
    if num_oov < 0:
        raise ValueError(
            "`num_oov_indices` must be greater than or equal to 0. "
            f"Received: num_oov_indices={num_oov}"
        )
    check_output_mode(mode, _LOOKUP_MODES, "IndexLookup")
    if invert and mode != "int":
        raise ValueError(
            "`output_mode` must be `'int'` when `invert` is true. "
            f"Received: output_mode={mode}"
        )
    if sparse and mode == "int":
        raise ValueError(
            "`sparse` may only be true if `output_mode` is `'one_hot'`, "
            f"`'multi_hot'`, `'count'` or `'tf_idf'`. Received: sparse={sparse} "
            f"and output_mode={mode}"
        )
    if idf is not None and mode != "tf_idf":
        raise ValueError(
            "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. "
            f"Received: idf_weights={idf} and output_mode={mode}"
        )


def _check_no_other_kwargs(kwargs: dict[str, Any]) -> None:
    kwargs.pop("trainable", None)
    kwargs.pop("dtype", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")


def _check_oov_method(
    oov_method: Any, salt: Any, vocabulary_dtype: str, caller: str
) -> None:
    check_output_mode(oov_method, ("floormod", "farmhash"), caller)
    if salt is not None and vocabulary_dtype != "string" and oov_method != "farmhash":
        raise ValueError(
            "`salt` can only be used when `oov_method='farmhash'`. "
            f"Received: oov_method={oov_method}"
        )
