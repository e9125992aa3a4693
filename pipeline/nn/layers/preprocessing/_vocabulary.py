"""The vocabulary half of `IndexLookup`: setting, checking, reading, saving.

Example:
    >>> from pipeline.nn.layers.preprocessing.lookups import IntegerLookup
    >>> IntegerLookup(vocabulary=[3, 4]).get_vocabulary(include_special_tokens=False)
    [3, 4]
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import numpy as np

from pipeline.nn import saving_registry
from pipeline.nn.layers.preprocessing._common import as_numpy


class VocabularyMixin:
    """``get_vocabulary``, ``set_vocabulary`` and the vocabulary's saving.

    Mixed into `IndexLookup`, which provides the attributes used here.

    Example:
        >>> VocabularyMixin.vocabulary_size.__name__
        'vocabulary_size'
    """

    mask_token: Any
    oov_token: Any
    num_oov_indices: int
    output_mode: str
    max_tokens: int | None
    invert: bool
    pad_to_max_tokens: bool
    vocabulary_dtype: str
    input_vocabulary: Any
    idf_weights: Any
    _tokens: list[Any]
    _index: dict[Any, int]
    _frozen_vocab_size: int | None

    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def _token(self, value: Any) -> Any:
        if self.vocabulary_dtype == "string":
            return value.decode("utf-8") if isinstance(value, bytes) else str(value)
        return int(value)

    def vocabulary_size(self) -> int:
        """The vocabulary's size, mask and OOV indices included.

        Example:
            >>> from pipeline.nn.layers import IntegerLookup
            >>> IntegerLookup(num_oov_indices=2, vocabulary=[5]).vocabulary_size()
            3
        """
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The tokens by index (reserved indices show the mask and OOV tokens).

        Example:
            >>> from pipeline.nn.layers import StringLookup
            >>> StringLookup(oov_token="?", vocabulary=["a"]).get_vocabulary()
            ['?', 'a']
        """
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        return vocab if include_special_tokens else vocab[self._token_start_index() :]

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and, for ``tf_idf``, the IDF weights).

        Args:
            vocabulary: tokens (a list, tuple, array or tensor; the reserved
                tokens may lead, in order), or a text file's path.
            idf_weights: one weight per token, for ``output_mode="tf_idf"``.

        Raises:
            ValueError: missing or unneeded ``idf_weights``, an empty or too
                large vocabulary, repeated tokens, a reserved token elsewhere
                than at the start, a missing file, or a file named while a
                model is loaded.

        Example:
            >>> from pipeline.nn.layers import IntegerLookup
            >>> layer = IntegerLookup()
            >>> layer.set_vocabulary([4, 2]); layer.get_vocabulary()
            [-1, 4, 2]
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                f"Received: output_mode={self.output_mode} and "
                f"idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str | os.PathLike):
            self._set_tokens(self._read_vocabulary_file(os.fspath(vocabulary)))
            return
        vocab = [self._token(v) for v in as_numpy(vocabulary).reshape(-1).tolist()]
        if not vocab:
            raise ValueError(
                f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}"
            )
        start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [
            self.oov_token
        ] * self.num_oov_indices
        found_special = vocab[:start] == special
        tokens = vocab[start:] if found_special else vocab
        self._check_tokens(tokens, special)
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_idf(
                np.asarray(as_numpy(idf_weights), "float32"), len(vocab), found_special
            )

    def _read_vocabulary_file(self, path: str) -> list[Any]:
        scope = saving_registry.current()
        if scope is not None and scope.safe_mode:
            raise ValueError(
                "Requested the loading of a vocabulary file outside of the model "
                "archive while loading a model (safe_mode=True). "
                f"Vocabulary file: {path!r}"
            )
        if not os.path.exists(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError(
                "output_mode `'tf_idf'` does not support loading a "
                "vocabulary from file."
            )
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        try:
            return [self._token(line) for line in lines]
        except ValueError as e:
            raise ValueError(
                f"Vocabulary file {path} holds a token that is not an integer: {e}"
            ) from e

    def _check_tokens(self, tokens: list[Any], special: list[Any]) -> None:
        repeated = sorted({t for t, n in Counter(tokens).items() if n > 1}, key=str)
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please "
                f"uniquify your dataset. The repeated terms are: {repeated}"
            )
        for what, token in (("mask", self.mask_token), ("OOV", self.oov_token)):
            if (
                token is None
                or token not in tokens
                or (what == "OOV" and not self.invert)
            ):
                continue
            raise ValueError(
                f"Found reserved {what} token at unexpected location in "
                "`vocabulary`. Note that passed `vocabulary` does not need to "
                "include the OOV and mask tokens. Either remove all mask and OOV "
                "tokens, or include them only at the start of the vocabulary in "
                f"precisely this order: {special}. Received: {what.lower()}_token="
                f"{token} at vocabulary index {tokens.index(token)}"
            )
        size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab "
                f"size. Received vocabulary size is {size}; "
                f"`max_tokens` is {self.max_tokens}."
            )

    def _set_tokens(self, tokens: list[Any]) -> None:
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._index = {t: i + start for i, t in enumerate(self._tokens)}
        self._frozen_vocab_size = self.vocabulary_size()

    def _set_idf(self, idf: np.ndarray, vocab_len: int, found_special: bool) -> None:
        if len(idf) != vocab_len:
            raise ValueError(
                "`idf_weights` must be the same length as vocabulary. "
                f"len(idf_weights) is {len(idf)}; len(vocabulary) is {vocab_len}"
            )
        if idf.ndim != 1:
            raise ValueError(
                f"TF-IDF data must be a 1-index array. Received: {idf.shape}"
            )
        front = 0 if found_special else self._token_start_index()
        front_value = 0.0 if found_special else float(np.average(idf))
        back = self.max_tokens - front - len(idf) if self.pad_to_max_tokens else 0
        padded = np.pad(idf, (front, back), constant_values=(front_value, 0.0))
        self.idf_weights = padded.astype("float32")

    def save_assets(self, dir_path: str) -> None:
        """Writes the vocabulary (reserved tokens first) to ``dir_path/vocabulary.txt``.

        Nothing is written when the vocabulary is in the config.
        """
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write(
                "\n".join(
                    str(w) for w in self.get_vocabulary(include_special_tokens=True)
                )
            )

    def load_assets(self, dir_path: str) -> None:
        """Reads the vocabulary ``save_assets`` wrote (trailing blank lines ignored)."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        idf = self.idf_weights if self.output_mode == "tf_idf" else None
        self.set_vocabulary([self._token(line) for line in lines], idf_weights=idf)

    def get_assets(self) -> dict[str, Any] | None:
        """The learned state as JSON data for the model archive (None: in the config).

        Example:
            >>> from pipeline.nn.layers import StringLookup
            >>> layer = StringLookup(); layer.adapt(["x"])
            >>> layer.get_assets()
            {'vocabulary': ['x'], 'idf_weights': None}
        """
        if self.input_vocabulary is not None:
            return None
        idf = None if self.idf_weights is None else self.idf_weights.tolist()
        return {"vocabulary": list(self._tokens), "idf_weights": idf}

    def set_assets(self, assets: Any) -> None:
        """Restores what :meth:`get_assets` gave (tokens are checked as data)."""
        if not isinstance(assets, dict) or not isinstance(
            assets.get("vocabulary"), list
        ):
            raise ValueError(
                f"Expected a dict with a 'vocabulary' list, got {type(assets).__name__}"
            )
        tokens = [self._token(t) for t in assets["vocabulary"]]
        self._check_tokens(tokens, [])
        self._set_tokens(tokens)
        idf = assets.get("idf_weights")
        self.idf_weights = None if idf is None else np.asarray(idf, dtype="float32")
