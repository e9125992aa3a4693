"""Merge layers along axes: Concatenate and Dot.

Example:
    >>> from pipeline.nn import constant
    >>> Concatenate()([constant([[1.0]]), constant([[2.0]])]).numpy().tolist()
    [[1.0, 2.0]]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn import backend, ops
from pipeline.nn.layers.merging import _array, _check_mask_lists, _Merge
from pipeline.nn.tensor import Tensor


class Concatenate(_Merge):
    """Joins inputs along ``axis`` (default -1); other dims must match.

    The output mask concatenates the inputs' masks (all True for an input
    without one), reduced with ``any`` over the last axis.

    Raises:
        ValueError: for inputs whose shapes differ off the concatenation axis.

    Example:
        >>> from pipeline.nn import constant
        >>> Concatenate(axis=0)([constant([1.0]), constant([2.0])]).numpy().tolist()
        [1.0, 2.0]
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def _merge(self, items: list[Any]) -> Tensor:
        shapes = [tuple(x.shape) for x in items]
        ranks = {len(s) for s in shapes}
        rest = {s[: self.axis % len(s)] + s[self.axis % len(s) + 1 :] for s in shapes}
        if len(ranks) != 1 or len(rest) != 1:
            raise ValueError(
                "A `Concatenate` layer requires inputs with matching shapes except "
                f"for the concatenation axis. Received: input_shape={shapes}"
            )
        return ops.concatenate(items, axis=self.axis)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The inputs' masks joined along ``axis``, then ``any`` over the last axis.

        Example:
            >>> import numpy as np
            >>> x = np.zeros((1, 2, 1))
            >>> mask = Concatenate(axis=1).compute_mask([x, x], [[[True, False]], None])
            >>> mask.numpy().tolist()
            [[True, False, True, True]]
        """
        if mask is None:
            return None
        _check_mask_lists(inputs, mask)
        if all(m is None for m in mask):
            return None
        xp = backend.xp()
        parts = []
        for x, m in zip(inputs, mask, strict=True):
            shape = tuple(x.shape)
            if m is None:
                parts.append(xp.ones(shape, dtype=bool))
                continue
            m = _array(m).astype(bool)
            if m.ndim < len(shape):
                m = xp.broadcast_to(m[..., None], shape)
            parts.append(m)
        return Tensor(xp.any(xp.concatenate(parts, axis=self.axis), axis=-1))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def _check_axes(axes: Any) -> Any:
    if isinstance(axes, int | np.integer):
        return int(axes)
    if not isinstance(axes, list | tuple):
        raise TypeError(
            "Invalid type for argument `axes`: it should be a list or an int. "
            f"Received: axes={axes!r}"
        )
    if len(axes) != 2:
        raise ValueError(
            "Invalid format for argument `axes`: it should contain two elements. "
            f"Received: axes={axes!r}"
        )
    if not all(isinstance(a, int | np.integer) for a in axes):
        raise ValueError(
            "Invalid format for argument `axes`: list elements should be integers. "
            f"Received: axes={axes!r}"
        )
    return tuple(int(a) for a in axes)


def _l2_normalize(x: Any, axis: int) -> Tensor:
    norm = ops.sqrt(
        ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), 1e-12)
    )
    return ops.divide(x, norm)


def batch_dot(x: Any, y: Any, axes: tuple[int, int]) -> Tensor:
    """Per-sample ``tensordot`` of ``x`` and ``y`` over ``axes`` (batch axis kept).

    The result has ``x``'s remaining axes then ``y``'s; a result with only the
    batch axis gets a trailing axis of 1.

    Example:
        >>> import numpy as np
        >>> batch_dot(np.ones((2, 3)), np.ones((2, 3)), (1, 1)).numpy().tolist()
        [[3.0], [3.0]]
    """
    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    ax, ay = axes[0] % x.ndim, axes[1] % y.ndim
    if x.shape[ax] != y.shape[ay]:
        raise ValueError(
            "Incompatible input shapes for `Dot`: "
            f"x.shape[{ax}] != y.shape[{ay}] ({x.shape[ax]} != {y.shape[ay]}). "
            f"Received: shapes {x.shape} and {y.shape}"
        )
    rest_x = [d for i, d in enumerate(x.shape) if i not in (0, ax)]
    rest_y = [d for i, d in enumerate(y.shape) if i not in (0, ay)]
    xt = ops.transpose(x, (0, *[i for i in range(1, x.ndim) if i != ax], ax))
    yt = ops.transpose(y, (0, ay, *[i for i in range(1, y.ndim) if i != ay]))
    batch, k = x.shape[0], x.shape[ax]
    xt = ops.reshape(xt, (batch, math.prod(rest_x), k))
    yt = ops.reshape(yt, (batch, k, math.prod(rest_y)))
    out = ops.reshape(ops.matmul(xt, yt), (batch, *rest_x, *rest_y))
    return out if out.ndim > 1 else ops.reshape(out, (batch, 1))


class Dot(_Merge):
    """Per-sample dot product of two inputs along ``axes``.

    Args:
        axes: an int (the same axis of both) or a pair ``(axis_x, axis_y)``.
        normalize: whether to L2-normalize along ``axes`` first (cosine
            proximity). Defaults to False.

    Raises:
        TypeError, ValueError: for malformed ``axes``; ValueError for other
            than two inputs or mismatched sizes.

    Example:
        >>> import numpy as np
        >>> Dot(axes=1)([np.ones((1, 3)), np.ones((1, 3))]).numpy().tolist()
        [[3.0]]
    """

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axes = _check_axes(axes)
        self.normalize = normalize

    def _merge(self, items: list[Any]) -> Tensor:
        if len(items) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. "
                f"Received: {len(items)} inputs"
            )
        x, y = (ops.convert_to_tensor(v) for v in items)
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        axes = (axes[0] % x.ndim, axes[1] % y.ndim)
        if self.normalize:
            x, y = _l2_normalize(x, axes[0]), _l2_normalize(y, axes[1])
        return batch_dot(x, y, axes)

    def compute_mask(self, inputs: Any, mask: Any = None) -> None:
        """Always None: a dot product has no timesteps to mask.

        Example:
            >>> Dot(axes=1).compute_mask([[1.0], [1.0]], [None, None]) is None
            True
        """
        return None

    def get_config(self) -> dict[str, Any]:
        axes = list(self.axes) if isinstance(self.axes, tuple) else self.axes
        return {**super().get_config(), "axes": axes, "normalize": self.normalize}
