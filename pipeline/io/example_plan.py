"""Parse specs of ``parse_example`` checked and digested once, then cached.

A `Plan` holds what parsing a spec needs on every batch: the encoded keys,
the plan of its FixedLenFeatures and, unless it has SparseFeatures or
RaggedFeatures, the one-walk ``example_fused.DenseParser`` (which fills the
FixedLenFeatures and locates the other features). `plan_of` caches plans by the spec
dict's identity and rebuilds one when the dict was changed in place.

Example:
    >>> from pipeline.io.example_spec import FixedLenFeature
    >>> spec = {"x": FixedLenFeature([], "int64", 0)}
    >>> plan_of(spec) is plan_of(spec), plan_of(spec).parser is not None
    (True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_columns import DensePlan
from pipeline.io.example_features import RaggedFeature, SparseFeature
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    check_fixed_shape,
    check_parse_dtype,
)

__all__ = ["BASE", "COMPOSITE", "Plan", "check_features", "check_item_shape", "plan_of"]

BASE = (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)
COMPOSITE = (SparseFeature, RaggedFeature)


def check_features(features: Any) -> None:
    """TF's up-front checks of a parse spec (ValueError, as TF's Python layer).

    Example:
        >>> check_features({"x": VarLenFeature("int64")})
    """
    if not isinstance(features, Mapping):
        raise InvalidArgumentError(
            f"`features` must be a dict of feature specs. Received: {features!r}"
        )
    for key, spec in features.items():
        if not isinstance(spec, BASE + COMPOSITE):
            raise InvalidArgumentError(
                f"Feature {key!r}: unsupported spec {spec!r} (use FixedLenFeature, "
                "VarLenFeature, FixedLenSequenceFeature, SparseFeature or "
                "RaggedFeature)"
            )
        if isinstance(spec, BASE):
            attr = "sparse_types" if isinstance(spec, VarLenFeature) else "Tdense"
            check_parse_dtype(key, spec, attr)
        if isinstance(spec, FixedLenFeature):
            check_fixed_shape(key, spec)
        elif isinstance(spec, FixedLenSequenceFeature):
            if not spec.allow_missing:
                raise ValueError(
                    "Unsupported: FixedLenSequenceFeature requires allow_missing "
                    "to be True."
                )
            check_item_shape(key, spec)


def check_item_shape(key: str, spec: FixedLenSequenceFeature) -> None:
    """Raise TF's ValueError for a FixedLenSequenceFeature with unknown dims.

    Example:
        >>> check_item_shape("s", FixedLenSequenceFeature([2], "int64"))
    """
    if spec.shape is None or any(d is None for d in spec.shape):
        raise ValueError(
            f"All dimensions of shape for feature {key} need to be known but "
            f"received {spec.shape}."
        )


class Plan:
    """A parse spec digested once: keys, the dense plan, the other features.

    ``parser`` is the one-walk parser (FixedLenFeatures filled, the others
    located) unless the spec has SparseFeatures or RaggedFeatures
    (``composite``), else None.

    Example:
        >>> spec = {"x": FixedLenFeature([2], "float32", 0.0)}
        >>> Plan(spec).columns(1, [np.zeros(2, np.float32)])["x"].shape
        (1, 2)
    """

    def __init__(self, features: Mapping[str, Any]) -> None:
        check_features(features)
        self.items = tuple(features.items())
        self.keys = list(features)
        self.encoded = [k.encode() for k in self.keys]
        self.composite = any(isinstance(s, COMPOSITE) for s in features.values())
        dense = [
            f
            for f, k in enumerate(self.keys)
            if isinstance(features[k], FixedLenFeature)
        ]
        names = [self.keys[f] for f in dense]
        self.dense = DensePlan(dense, names, [features[k] for k in names])
        self.others = [
            (f, k, features[k]) for f, k in enumerate(self.keys) if f not in dense
        ]
        self._parser: tuple[Any, Any] | None = None  # (kernel module, its parser)
        #: False sends every batch through the two passes (tests compare them)
        self.one_walk = not self.composite
        self._shapes = [(k, tuple(s.shape)) for k, s in zip(names, self.dense.specs)]
        self._flat = not self.others and not any(shape for _, shape in self._shapes)

    @property
    def parser(self) -> Any:
        """The ``example_fused`` parser of this plan (None for composite specs),
        built from the kernel in use now: a twin bound in `_kernels` (tests,
        the fuzzer's comparisons) gets a parser of its own."""
        if not self.one_walk:
            return None
        kernel = _kernels.load("example_fused")
        built = self._parser
        if built is None or built[0] is not kernel:
            built = self._parser = (kernel, self._one_walk_parser(kernel))
        return built[1]

    def _one_walk_parser(self, kernel: Any) -> Any:
        """The ``example_fused`` parser: dense features filled, others located."""
        n = len(self.keys)
        expected, sizes, defaults = [kernel.LOCATE] * n, [0] * n, [None] * n
        for j, f in enumerate(self.dense.positions):
            expected[f] = self.dense.expected[j]
            sizes[f], defaults[f] = self.dense.sizes[j], self.dense.defaults[j]
        return kernel.DenseParser(self.encoded, expected, sizes, defaults)

    def matches(self, features: Mapping[str, Any]) -> bool:
        """Whether ``features`` still holds the keys and specs of this plan."""
        items = tuple(features.items())
        try:
            return items == self.items  # identical specs compare without __eq__
        except ValueError:  # == of array defaults with more than one element
            return False

    def columns(self, batch: int, outs: list[np.ndarray]) -> dict[str, np.ndarray]:
        """The ``[B] + shape`` FixedLenFeature columns of the parser's outputs."""
        if self._flat:
            return dict(zip(self.keys, outs))
        return {
            key: outs[f].reshape((batch, *shape)) if shape else outs[f]
            for f, (key, shape) in zip(self.dense.positions, self._shapes)
        }


_PLANS: dict[int, Plan] = {}
_MAX_PLANS = 256


def plan_of(features: Any) -> Plan:
    """The cached plan of ``features``; rebuilt when its keys or specs change.

    Example:
        >>> spec = {"x": FixedLenFeature([], "int64", 0)}
        >>> first = plan_of(spec)
        >>> spec["y"] = VarLenFeature("int64")
        >>> plan_of(spec) is first, [f for f, *_ in plan_of(spec).others]
        (False, [1])
    """
    if type(features) is not dict and not isinstance(features, Mapping):
        check_features(features)
    plan = _PLANS.get(id(features))
    if plan is None or not plan.matches(features):
        plan = Plan(features)
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        _PLANS[id(features)] = plan
    return plan
