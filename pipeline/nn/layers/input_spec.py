"""``InputSpec``: the rank, shape and dtype a layer accepts, and Keras's checks.

A functional model derives one spec per ``Input`` (its shape without the
batch size, a trailing 1 optional) unless ``model.input_spec`` is set.

Example:
    >>> import numpy as np
    >>> spec = InputSpec(shape=(None, 4))
    >>> assert_input_spec_compatibility(spec, np.zeros((2, 4)), "dense")
    >>> assert_input_spec_compatibility(spec, np.zeros((2, 3)), "dense")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Input 0 ... expected shape=(None, 4), found shape=(2, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.layers._symbolic import flatten


class InputSpec:
    """Specifies the rank, dtype and shape of every input to a layer (Keras 3's).

    Args:
        dtype: expected dtype. Defaults to None (any).
        shape: expected shape, batch axis included (None for any size).
        ndim: expected rank (implied by ``shape``).
        max_ndim: maximum rank.
        min_ndim: minimum rank.
        axes: ``{axis: size}`` the input must have.
        allow_last_axis_squeeze: accept one rank more with a trailing 1, or one
            less where the spec ends in 1. Defaults to False.
        name: the key of this input when inputs come as a dict.
        optional: whether None is accepted. Defaults to False.

    Raises:
        TypeError: when ``axes`` keys are not integers.
        ValueError: when an axis lies past the rank.

    Example:
        >>> InputSpec(shape=(None, 3)).ndim
        2
    """

    def __init__(
        self,
        dtype: Any = None,
        shape: Any = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict[int, int] | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ) -> None:
        self.dtype = None if dtype is None else str(np.dtype(dtype))
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.name, self.optional = name, bool(optional)
        self.allow_last_axis_squeeze = bool(allow_last_axis_squeeze)
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError, AttributeError) as error:
            raise TypeError(
                "Argument `axes` must be a dict with integer keys. "
                f"Received: axes={axes}"
            ) from error
        top = self.ndim if self.ndim else self.max_ndim
        if self.axes and top is not None and max(self.axes) > top - 1:
            raise ValueError(
                f"Axis {max(self.axes)} is greater than the maximum allowed value: "
                f"{top - 1}"
            )

    def __repr__(self) -> str:
        fields = ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
        shown = [f"{f}={getattr(self, f)}" for f in fields if getattr(self, f)]
        return f"InputSpec({', '.join(shown)})"

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> InputSpec(ndim=2).get_config()["ndim"]
            2
        """
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputSpec:
        """Rebuilds a spec from :meth:`get_config`.

        Example:
            >>> InputSpec.from_config({"ndim": 3}).ndim
            3
        """
        return cls(**config)


def _by_name(specs: list[InputSpec], inputs: dict[str, Any]) -> list[Any]:
    names = [spec.name for spec in specs]
    for name in names:
        if name not in inputs:
            raise ValueError(
                f'Missing data for input "{name}". You passed a data dictionary '
                f"with keys {list(inputs)}. Expected the following keys: {names}"
            )
    return [inputs[name] for name in names]


def _count_error(specs: list[InputSpec], count: int, layer: str) -> ValueError:
    names = [spec.name for spec in specs if spec is not None]
    if len(names) == len(specs) and all(names):
        example = ", ".join(f"'{n}': ..." for n in names)
        return ValueError(
            f'Layer "{layer}" expects {len(specs)} named input(s) with keys '
            f"{names}, but it received {count} input tensors. Pass inputs as a "
            f"dict, e.g. `layer({{{example}}})`."
        )
    return ValueError(
        f'Layer "{layer}" expects {len(specs)} input(s), but it received {count} '
        "input tensors."
    )


def assert_input_spec_compatibility(spec: Any, inputs: Any, layer_name: str) -> None:
    """Raises Keras's ``ValueError`` when ``inputs`` do not fit ``spec``.

    Args:
        spec: an ``InputSpec``, a list of them, or None (no check).
        inputs: a tensor, or a list or dict of tensors.
        layer_name: named in the messages.

    Example:
        >>> assert_input_spec_compatibility(None, 1, "any")
    """
    if not spec:
        return
    specs = flatten(spec)
    if isinstance(inputs, dict) and all(s is not None and s.name for s in specs):
        inputs = _by_name(specs, inputs)
    flat = flatten(inputs)
    if len(flat) != len(specs):
        raise _count_error(specs, len(flat), layer_name)
    for index, (x, one) in enumerate(zip(flat, specs, strict=True)):
        if one is None or (x is None and one.optional):
            continue
        if not hasattr(x, "shape"):
            raise ValueError(
                f"Inputs to a layer should be tensors. Got '{x!r}' (of type "
                f"{type(x)}) as input for layer '{layer_name}'."
            )
        _check_one(one, index, tuple(x.shape), getattr(x, "dtype", None), layer_name)


def _check_one(
    spec: InputSpec, index: int, shape: tuple, dtype: Any, layer: str
) -> None:
    where = (
        f"Input {index} with name '{spec.name}' of layer '{layer}' is "
        "incompatible with the layer"
    )
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(
            f"{where}: expected ndim={spec.ndim}, found ndim={ndim}. "
            f"Full shape received: {shape}"
        )
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(
            f"{where}: expected max_ndim={spec.max_ndim}, found ndim={ndim}"
        )
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(
            f"{where}: expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
            f"Full shape received: {shape}"
        )
    if (
        spec.dtype is not None
        and dtype is not None
        and str(np.dtype(dtype)) != spec.dtype
    ):
        raise ValueError(f"{where}: expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, value in spec.axes.items():
        if value is not None and shape[axis] not in (value, None):
            raise ValueError(
                f"{where}: expected axis {axis} of input shape to have value "
                f"{value}, but received input with shape {shape}"
            )
    if spec.shape is not None:
        _check_shape(spec, shape, where)


def _check_shape(spec: InputSpec, shape: tuple, where: str) -> None:
    expected = tuple(spec.shape or ())
    if spec.allow_last_axis_squeeze:
        shape = shape[:-1] if shape and shape[-1] == 1 else shape
        expected = expected[:-1] if expected and expected[-1] == 1 else expected
    for want, got in zip(expected, shape):
        if want is not None and got is not None and want != got:
            raise ValueError(
                f"{where}: expected shape={spec.shape}, found shape={shape}"
            )
