"""Gradient clipping as Keras 3 does it: per-variable norm, global norm, value.

Every function takes and returns a list of gradients (backend arrays or row
slices), computing in the gradients' dtype (float32 for float32 models).

Example:
    >>> import numpy as np
    >>> g = [np.array([3.0, 4.0], np.float32)]
    >>> clip_by_norm(g, 1.0)[0].tolist()
    [0.6000000238418579, 0.800000011920929]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.optimizers import _access, _rows


def _values(g: Any) -> Any:
    return g.values if isinstance(g, _rows.Rows) else g


def _norm_of(g: Any) -> Any:
    """The L2 norm, 0 for an all-zero gradient (never the sqrt of 0's gradient)."""
    xp = _access.xp()
    return xp.sqrt(xp.sum(xp.square(_values(g))))


def clip_by_norm(grads: list[Any], clipnorm: float) -> list[Any]:
    """Scale each gradient to an L2 norm of at most ``clipnorm``: ``g·c/max(‖g‖, c)``.

    Args:
        grads: gradients, one per variable.
        clipnorm: the largest norm allowed for any single gradient.

    Returns:
        The clipped gradients.

    Example:
        >>> import numpy as np
        >>> clip_by_norm([np.array([0.3, 0.4], np.float32)], 1.0)[0].tolist()
        [0.30000001192092896, 0.4000000059604645]
    """
    out = []
    for g in grads:
        values = _values(g)
        c = values.dtype.type(clipnorm)
        clipped = values * c / _access.xp().maximum(_norm_of(g), c)
        out.append(g.with_values(clipped) if isinstance(g, _rows.Rows) else clipped)
    return out


def global_norm(grads: list[Any]) -> Any:
    """``sqrt(Σ ‖g‖²)`` over every gradient.

    Example:
        >>> import numpy as np
        >>> float(global_norm([np.array([3.0], np.float32), np.array([4.0])]))
        5.0
    """
    xp = _access.xp()
    return xp.sqrt(sum(_rows.sum_squares(g) for g in grads))


def clip_by_global_norm(grads: list[Any], clipnorm: float) -> list[Any]:
    """Scale all gradients together so their global norm is at most ``clipnorm``.

    The scale is ``c·min(1/N, 1/c)``; it is NaN when ``N`` is infinite or NaN,
    as in Keras.

    Example:
        >>> import numpy as np
        >>> g = [np.array([3.0], np.float32), np.array([4.0], np.float32)]
        >>> [x.tolist() for x in clip_by_global_norm(g, 1.0)]
        [[0.6000000238418579], [0.800000011920929]]
    """
    xp = _access.xp()
    norm = global_norm(grads)
    dtype = norm.dtype.type
    c = dtype(clipnorm)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = c * xp.minimum(dtype(1.0) / norm, dtype(1.0) / c) + (norm - norm)
    return [_rows.mul(g, scale.astype(_values(g).dtype)) for g in grads]


def clip_by_value(grads: list[Any], clipvalue: float) -> list[Any]:
    """Clip every gradient element to ``[-clipvalue, clipvalue]``.

    Example:
        >>> import numpy as np
        >>> clip_by_value([np.array([-2.0, 0.1, 3.0])], 0.5)[0].tolist()
        [-0.5, 0.1, 0.5]
    """
    return [_rows.clip(g, -clipvalue, clipvalue) for g in grads]


def clip(
    grads: list[Any],
    clipnorm: float | None,
    global_clipnorm: float | None,
    clipvalue: float | None,
) -> list[Any]:
    """The one clipping an optimizer asks for (at most one option is set).

    Example:
        >>> clip([np.array([3.0, 4.0], np.float32)], None, None, 1.0)[0].tolist()
        [1.0, 1.0]
    """
    if clipnorm and clipnorm > 0:
        return clip_by_norm(grads, clipnorm)
    if global_clipnorm and global_clipnorm > 0:
        return clip_by_global_norm(grads, global_clipnorm)
    if clipvalue and clipvalue > 0:
        return clip_by_value(grads, clipvalue)
    return grads
