"""Helpers for the ported Keras 3 cases (tests/conformance/nn).

The ``keras`` fixture is ``pipeline.nn`` or the ``keras`` package; these
helpers accept both libraries' values (tensors and variables with
``.numpy()``, our tensors, numpy) and state Keras's checks in our own words.

Example:
    >>> import numpy as np
    >>> to_array([1, 2]).tolist()
    [1, 2]
    >>> is_keras(np)
    False
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def is_keras(keras: Any) -> bool:
    """True when the ``keras`` fixture is the real Keras package."""
    return getattr(keras, "__name__", "") == "keras"


def to_array(value: Any) -> np.ndarray:
    """``value`` (tensor, variable, list or numpy) as a numpy array."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        return np.asarray(value.numpy())
    return np.asarray(value)


def assert_close(
    actual: Any, expected: Any, atol: float = 1e-6, rtol: float = 1e-6
) -> None:
    """``actual`` equals ``expected`` elementwise within the tolerances."""
    np.testing.assert_allclose(
        to_array(actual), np.asarray(expected), atol=atol, rtol=rtol
    )


def run_layer_test(
    keras: Any,
    layer_cls: Callable[..., Any],
    init_kwargs: dict[str, Any],
    *,
    input_shape: Sequence[int] | None = None,
    input_data: Any = None,
    input_dtype: str = "float32",
    call_kwargs: dict[str, Any] | None = None,
    expected_output_shape: Sequence[int | None] | None = None,
    expected_output: Any = None,
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    expected_num_losses: int | None = None,
    supports_masking: bool | None = None,
    run_training_check: bool = False,
    atol: float = 1e-6,
) -> Any:
    """Keras's generic layer checks, in a form both libraries run.

    Builds ``layer_cls(**init_kwargs)``, round-trips its config, calls it on
    ``input_data`` (or ones of ``input_shape``), and checks the output shape or
    value, the weight counts, the losses and ``supports_masking``. With
    ``run_training_check``, a one-layer functional model is compiled with MSE
    and fitted for one epoch (the loss must be finite). Returns the output.
    """
    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config
    if supports_masking is not None:
        assert bool(layer.supports_masking) is supports_masking
    if input_data is None:
        input_data = np.ones(tuple(input_shape), dtype=input_dtype)
    output = layer(input_data, **(call_kwargs or {}))
    if expected_output_shape is not None:
        assert tuple(to_array(output).shape) == tuple(expected_output_shape)
    if expected_output is not None:
        assert_close(output, expected_output, atol=atol, rtol=atol)
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    if expected_num_losses is not None:
        assert len(layer.losses) == expected_num_losses
    if run_training_check:
        _training_check(keras, layer_cls, init_kwargs, input_data, output)
    return output


def _training_check(
    keras: Any, layer_cls: Any, init_kwargs: dict, x: Any, y: Any
) -> None:
    x = to_array(x)
    inputs = keras.Input(shape=x.shape[1:], batch_size=x.shape[0], dtype=str(x.dtype))
    outputs = layer_cls(**init_kwargs)(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, np.zeros_like(to_array(y)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
