"""The optimizer's own state: iterations, learning rate and per-variable slots.

Example:
    >>> import numpy as np
    >>> v = StateVariable(np.zeros(2, np.float32), "m")
    >>> v.assign_add(np.ones(2, np.float32)); v.numpy().tolist()
    [1.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.optimizers import _access


class StateVariable:
    """A named backend array owned by an optimizer (never trained).

    Supports ``numpy()``, ``np.asarray``, ``int()`` and ``float()`` so callbacks
    and checkpoints can read it, and ``assign`` to restore it.

    Args:
        value: the initial backend array.
        name: the variable's name, e.g. ``"adam/dense_kernel_momentum"``.

    Example:
        >>> int(StateVariable(np.array(3, np.int64), "iteration"))
        3
    """

    trainable = False

    def __init__(self, value: Any, name: str) -> None:
        self.value = value
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape.

        Example:
            >>> StateVariable(np.zeros((2, 3)), "s").shape
            (2, 3)
        """
        return tuple(self.value.shape)

    @property
    def dtype(self) -> Any:
        """The array's dtype.

        Example:
            >>> StateVariable(np.zeros(1, np.float32), "s").dtype
            dtype('float32')
        """
        return self.value.dtype

    def numpy(self) -> np.ndarray:
        """A host numpy copy of the value.

        Example:
            >>> StateVariable(np.ones(1), "s").numpy().tolist()
            [1.0]
        """
        return _access.to_numpy(self.value).copy()

    def assign(self, value: Any) -> None:
        """Replace the value (cast to this variable's dtype and shape).

        Example:
            >>> s = StateVariable(np.zeros(2, np.float32), "s")
            >>> s.assign([1, 2]); s.numpy().tolist()
            [1.0, 2.0]
        """
        xp = _access.xp()
        new = xp.array(
            _access.to_numpy(value), dtype=self.value.dtype, order="C", copy=True
        )
        if new.shape != self.value.shape:
            raise ValueError(
                f"Cannot assign a value of shape {new.shape} to optimizer variable "
                f"'{self.name}' of shape {self.value.shape}."
            )
        self.value = new

    def assign_add(self, value: Any) -> None:
        """Add ``value`` in place.

        Example:
            >>> s = StateVariable(np.zeros((), np.float32), "s")
            >>> s.assign_add(2.0); float(s)
            2.0
        """
        self.value = (self.value + value).astype(self.value.dtype, copy=False)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.numpy()
        return out if dtype is None else out.astype(dtype)

    def __float__(self) -> float:
        return float(_access.to_numpy(self.value))

    def __int__(self) -> int:
        return int(_access.to_numpy(self.value))

    def __index__(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return f"<StateVariable '{self.name}' shape={self.shape} value={self.numpy()}>"


class StateIO:
    """Saving and restoring an optimizer's ``variables`` (mixed into ``Optimizer``).

    Example:
        >>> from pipeline.nn.optimizers import SGD
        >>> store = {}
        >>> SGD(0.1).save_own_variables(store); sorted(store)
        ['0', '1']
    """

    name: str
    built: bool
    variables: list[StateVariable]
    _slot_variables: list[StateVariable]

    def add_variable(
        self,
        shape: tuple[int, ...],
        initializer: Any = "zeros",
        dtype: Any = None,
        name: str | None = None,
    ) -> StateVariable:
        """A new state variable of ``shape``, filled with zeros or a constant
        ``initializer``, listed in ``variables`` after those made before.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> v = SGD(name="s").add_variable((2,), 1.5, "float32", "scale")
            >>> v.name, v.numpy().tolist()
            ('s/scale', [1.5, 1.5])
        """
        fill = 0.0 if initializer == "zeros" else float(initializer)
        value = _access.xp().full(tuple(shape), fill, dtype=dtype or np.float32)
        variable = StateVariable(value, f"{self.name}/{name or 'variable'}")
        self._slot_variables.append(variable)
        return variable

    def set_weights(self, weights: list[Any]) -> None:
        """Set every state variable, in ``variables``' order, from ``weights``
        (arrays, or another optimizer's ``variables``).

        Raises:
            ValueError: if the optimizer is not built yet (Keras's words), or a
                weight's shape differs from its variable's.

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> opt = SGD(0.1); opt.build([np.zeros(2, np.float32)])
            >>> opt.set_weights([np.array(3), np.array(0.5)])
            >>> int(opt.iterations), float(opt.learning_rate)
            (3, 0.5)
        """
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not "
                "yet been built. Please call "
                "`optimizer.build(trainable_variables)` to create the "
                "optimizer weights before calling `set_weights()`."
            )
        for variable, weight in zip(self.variables, weights):
            value = _access.to_numpy(weight)
            if tuple(value.shape) != variable.shape:
                raise ValueError(
                    f"Optimizer variable {variable.name} has shape "
                    f"{variable.shape} not compatible with provided weight "
                    f"shape {tuple(value.shape)}."
                )
            variable.assign(value)

    def save_own_variables(self, store: dict[str, Any]) -> None:
        """Write every state array into ``store`` under the keys "0", "1", ...

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> store = {}
            >>> SGD(0.1).save_own_variables(store); sorted(store)
            ['0', '1']
        """
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: dict[str, Any]) -> None:
        """Restore the state saved by ``save_own_variables``.

        Build the optimizer on the model's trainable variables first
        (``optimizer.build(model.trainable_variables)``).

        Example:
            >>> from pipeline.nn.optimizers import SGD
            >>> opt = SGD(0.1)
            >>> opt.load_own_variables({"0": np.array(7), "1": np.array(0.2)})
            >>> int(opt.iterations), round(float(opt.learning_rate), 3)
            (7, 0.2)
        """
        variables = self.variables
        if len(store) != len(variables):
            raise ValueError(
                f"Optimizer '{self.name}' has {len(variables)} variables but the "
                f"saved state has {len(store)}. Build the optimizer on the model's "
                "trainable variables before loading its state."
            )
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])
