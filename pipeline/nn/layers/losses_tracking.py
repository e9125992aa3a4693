"""Keras 3's loss bookkeeping for layers: ``add_loss``, ``losses``, per-call reset.

Example:
    >>> from pipeline.nn.layers import Layer
    >>> layer = Layer()
    >>> layer.add_loss(lambda: 2.0)
    >>> layer.losses
    [2.0]
"""

from __future__ import annotations

from typing import Any


class LossTracking:
    """The loss methods of :class:`~pipeline.nn.layers.Layer`.

    A layer keeps the losses its last call added (``add_loss`` inside ``call``,
    and activity penalties) and recomputes its weight penalties from the
    weights; the outermost call clears the previous call's losses, as Keras 3.

    Example:
        >>> from pipeline.nn.layers import Layer
        >>> Layer().losses
        []
    """

    _added_losses: list[Any]
    _activity_losses: list[Any]
    _regularized: list[tuple[Any, Any]]
    trainable: bool

    def _sublayers(self) -> list[Any]:  # provided by Layer
        raise NotImplementedError

    def add_loss(self, loss: Any) -> None:
        """Adds a loss (a scalar tensor, or a zero-argument callable) to ``losses``.

        Example:
            >>> from pipeline.nn.layers import Layer
            >>> layer = Layer(); layer.add_loss(lambda: 1.0); layer.losses
            [1.0]
        """
        self._added_losses.append(loss)

    @property
    def losses(self) -> list[Any]:
        """Losses as Keras 3 lists them: this layer's added and activity losses,
        its sublayers', then the weight penalties, recomputed from the weights."""
        out = self._own_losses()
        for layer in self._all_sublayers():
            out += layer._own_losses()
        out += [reg(var) for var, reg in self._all_regularized() if var.trainable]
        return out

    def _own_losses(self) -> list[Any]:
        added = [loss() if callable(loss) else loss for loss in self._added_losses]
        return added + list(self._activity_losses)

    def _all_sublayers(self) -> list[Any]:
        out: list[Any] = []
        for layer in self._sublayers():
            if all(layer is not o for o in out):
                out.append(layer)
                out += [
                    s for s in layer._all_sublayers() if all(s is not o for o in out)
                ]
        return out

    def _all_regularized(self) -> list[tuple[Any, Any]]:
        if not self.trainable:
            return []
        pairs = list(self._regularized)
        for layer in self._sublayers():
            pairs += [
                p
                for p in layer._all_regularized()
                if all(p[0] is not q[0] for q in pairs)
            ]
        return pairs

    def _clear_losses(self) -> None:
        """Drops the losses of the previous call (Keras resets them per call);
        zero-argument callables added outside a call stay."""
        self._added_losses = [loss for loss in self._added_losses if callable(loss)]
        self._activity_losses = []
        for layer in self._sublayers():
            layer._clear_losses()
