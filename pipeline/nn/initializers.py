"""Weight initializers with Keras 3's names, arguments and defaults.

Every initializer is called as ``init(shape, dtype=None)`` and returns a
:class:`~pipeline.nn.tensor.Tensor` (float32 by default). With ``seed`` set, the
values are reproducible (numpy's PCG64 stream; not TensorFlow's).

Example:
    >>> from pipeline.nn import initializers
    >>> w = initializers.GlorotUniform(seed=1)((3, 2))
    >>> w.shape, w.dtype
    ((3, 2), dtype('float32'))
    >>> initializers.get("zeros")((2,)).numpy().tolist()
    [0.0, 0.0]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn import saving_registry
from pipeline.nn.initializers_base import (
    TRUNCATED_STDDEV,
    Initializer,
    compute_fans,
)
from pipeline.nn.initializers_base import Seeded as _Seeded
from pipeline.nn.initializers_base import to_tensor as _out
from pipeline.nn.initializers_matrix import Identity, Orthogonal
from pipeline.nn.tensor import Tensor

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform",
    "Identity", "IdentityInitializer", "Initializer", "LecunNormal",
    "LecunUniform", "Ones", "Orthogonal", "OrthogonalInitializer",
    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling",
    "Zeros", "compute_fans", "constant", "deserialize", "get", "glorot_normal",
    "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal",
    "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
    "serialize", "truncated_normal", "variance_scaling", "zeros",
]  # fmt: skip


class Zeros(Initializer):
    """All zeros.

    Example:
        >>> Zeros()((2,)).numpy().tolist()
        [0.0, 0.0]
    """

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return _out(np.zeros(tuple(shape)), dtype)


class Ones(Initializer):
    """All ones.

    Example:
        >>> Ones()((1,)).numpy().tolist()
        [1.0]
    """

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return _out(np.ones(tuple(shape)), dtype)


class Constant(Initializer):
    """A constant ``value`` (default 0.0).

    Example:
        >>> Constant(3.0)((1,)).numpy().tolist()
        [3.0]
    """

    def __init__(self, value: float = 0.0) -> None:
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return _out(np.full(tuple(shape), self.value, dtype=np.float64), dtype)

    def get_config(self) -> dict[str, Any]:
        return {"value": self.value}


class RandomNormal(_Seeded):
    """Normal(mean=0.0, stddev=0.05).

    Example:
        >>> RandomNormal(seed=0)((100,)).numpy().std() < 0.1
        np.True_
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        values = self._rng().normal(self.mean, self.stddev, tuple(shape))
        return _out(values, dtype)

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(_Seeded):
    """Uniform(minval=-0.05, maxval=0.05).

    Example:
        >>> abs(RandomUniform(seed=0)((100,)).numpy()).max() <= 0.05
        np.True_
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        values = self._rng().uniform(self.minval, self.maxval, tuple(shape))
        return _out(values, dtype)

    def get_config(self) -> dict[str, Any]:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(_Seeded):
    """Normal(mean=0.0, stddev=0.05) redrawn beyond two standard deviations.

    Example:
        >>> abs(TruncatedNormal(seed=0)((100,)).numpy()).max() <= 0.1
        np.True_
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return _out(self._truncated(tuple(shape), self.mean, self.stddev), dtype)

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(_Seeded):
    """Scale ``scale / fan`` (fan_in, fan_out or fan_avg) as variance, as Keras.

    Args:
        scale: variance multiplier (positive). Defaults to 1.0.
        mode: ``"fan_in"`` (default), ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"`` (default; ``"normal"`` is the
            same), ``"untruncated_normal"`` or ``"uniform"``.
        seed: optional int seed.
        input_axes, output_axes: optional lists of axes whose sizes multiply
            into fan_in and fan_out (both needed); by default the fans are
            Keras's (``compute_fans``).

    Raises:
        ValueError: a non-positive ``scale``, an unknown ``mode`` or
            ``distribution``.

    Example:
        >>> VarianceScaling(seed=0)((4, 4)).shape
        (4, 4)
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: Any = None,
        input_axes: list[int] | None = None,
        output_axes: list[int] | None = None,
    ) -> None:
        super().__init__(seed)
        if scale <= 0.0:
            raise ValueError(
                f"Argument `scale` must be positive float. Received: scale={scale}"
            )
        modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in modes:
            raise ValueError(
                f"Invalid `mode` argument: {mode}. Please use one of {modes}"
            )
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        kinds = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in kinds:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}. "
                f"Please use one of {kinds}"
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = tuple(shape)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out}.get(
            self.mode, (fan_in + fan_out) / 2
        )
        scale = self.scale / max(1.0, fan)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * scale)
            values = self._rng().uniform(-limit, limit, shape)
        elif self.distribution == "untruncated_normal":
            values = self._rng().normal(0.0, math.sqrt(scale), shape)
        else:
            values = self._truncated(shape, 0.0, math.sqrt(scale) / TRUNCATED_STDDEV)
        return _out(values, dtype)

    def get_config(self) -> dict[str, Any]:
        return {"scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "seed": self.seed,
                "input_axes": self.input_axes,
                "output_axes": self.output_axes}  # fmt: skip


def _preset(name: str, scale: float, mode: str, distribution: str) -> type:
    def __init__(self: VarianceScaling, seed: Any = None) -> None:
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self: VarianceScaling) -> dict[str, Any]:
        return {"seed": self.seed}

    doc = (
        f"VarianceScaling(scale={scale}, mode={mode!r}, distribution={distribution!r})."
    )
    return type(name, (VarianceScaling,), {"__init__": __init__, "__doc__": doc,
                                           "get_config": get_config})  # fmt: skip


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform")

# Keras's lowercase and former names for the same classes.
zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform = RandomNormal, RandomUniform
truncated_normal, variance_scaling = TruncatedNormal, VarianceScaling
glorot_normal, glorot_uniform = GlorotNormal, GlorotUniform
he_normal, he_uniform = HeNormal, HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform
identity, orthogonal = Identity, Orthogonal
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal

_BY_NAME: dict[str, type] = {
    "zeros": Zeros, "ones": Ones, "constant": Constant,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "normal": RandomNormal, "uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_normal": HeNormal, "he_uniform": HeUniform,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "identity": Identity, "orthogonal": Orthogonal,
}  # fmt: skip
_CLASSES: dict[str, type] = {
    **_BY_NAME,
    **{cls.__name__: cls for cls in _BY_NAME.values()},
    "one": Ones, "zero": Zeros,
    # Keras's older class names, kept for compatibility.
    "IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal,
}  # fmt: skip


def get(identifier: Any) -> Any:
    """An initializer from a name, a class name, a config dict, a class
    (instantiated), an array (its own values) or a callable.

    Names not built in are looked up in ``load_model``'s ``custom_objects`` and
    in the `saving_registry`; nothing else is searched.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown name.

    Example:
        >>> type(get("he_normal")).__name__, type(get("GlorotUniform")).__name__
        ('HeNormal', 'GlorotUniform')
    """
    if identifier is None:
        return None
    if isinstance(identifier, np.ndarray) or hasattr(identifier, "__array__"):
        return _from_array(np.asarray(identifier))
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    found = saving_registry.resolve("initializer", identifier, _CLASSES)
    return found() if isinstance(found, type) else found


def _from_array(value: np.ndarray) -> Any:
    """An initializer giving ``value`` itself (Keras's ``get(array)``)."""

    def initialize(shape: Any, dtype: Any = None) -> Tensor:
        if tuple(shape) != value.shape:
            raise ValueError(
                f"Expected `shape` to be {value.shape} for direct tensor as "
                f"initializer. Received shape={tuple(shape)}"
            )
        return _out(value.copy(), dtype)

    return initialize


def serialize(initializer: Any) -> Any:
    """A config dict for a built-in initializer (None for others).

    Example:
        >>> serialize(Constant(2.0))
        {'class_name': 'Constant', 'config': {'value': 2.0}}
    """
    if isinstance(initializer, Initializer) and type(initializer) in _BY_NAME.values():
        return {
            "class_name": type(initializer).__name__,
            "config": initializer.get_config(),
        }
    return None


def deserialize(config: dict[str, Any]) -> Initializer:
    """The initializer a ``{"class_name", "config"}`` dict describes.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown class name.

    Example:
        >>> deserialize({"class_name": "Identity", "config": {"gain": 3.0}}).gain
        3.0
    """
    return saving_registry.build("initializer", config, _CLASSES)
