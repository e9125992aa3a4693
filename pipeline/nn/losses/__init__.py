"""Loss objects and functions with Keras 3's names, formulas and reductions.

A loss object's ``call(y_true, y_pred)`` is the unreduced loss (usually one
value per sample); calling the object applies the prediction's mask,
``sample_weight`` and the reduction: ``"sum_over_batch_size"`` (default:
weighted sum / number of entries), ``"sum"``, ``"mean"`` (same as
sum_over_batch_size), ``"mean_with_sample_weight"`` (weighted sum / sum of
weights) or ``"none"``/None.

Example:
    >>> from pipeline.nn import losses
    >>> float(losses.MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    >>> losses.get("mse") is losses.mean_squared_error
    True
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import saving_registry
from pipeline.nn.losses.functions import (
    ALIASES,
    FUNCTIONS,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    categorical_hinge,
    cosine_similarity,
    dice,
    hinge,
    kl_divergence,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    poisson,
    squared_hinge,
    tversky,
)
from pipeline.nn.losses.hinge_and_overlap import (
    CategoricalHinge,
    Dice,
    Hinge,
    SquaredHinge,
    Tversky,
)
from pipeline.nn.losses.loss import Loss, LossFunctionWrapper, reduce_values
from pipeline.nn.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from pipeline.nn.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
)
from pipeline.nn.losses.sequence import CTC, ctc
from pipeline.nn.losses.similarity import Circle, circle
from pipeline.nn.ops.loss_functions import (
    binary_crossentropy,
    categorical_crossentropy,
    huber,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy
huber_loss = huber

_NAMED: dict[str, Any] = {**FUNCTIONS, "circle": circle, "ctc": ctc}
_FUNCTIONS: dict[str, Any] = {**_NAMED, **ALIASES, "huber_loss": huber}
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError,
        MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity,
        Huber, LogCosh, KLDivergence, Poisson, BinaryCrossentropy,
        BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy,
        SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, Dice,
        Tversky, Circle, CategoricalGeneralizedCrossEntropy, CTC,
    )
}  # fmt: skip


def get(identifier: Any) -> Any:
    """A loss function (snake_case name or alias) or object (class name, config).

    A callable comes back as is, a class is instantiated, None stays None.
    Names not built in are looked up in ``load_model``'s ``custom_objects`` and
    in the `saving_registry`; nothing else is searched.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown identifier.

    Example:
        >>> type(get("Huber")).__name__, get("mape") is mean_absolute_percentage_error
        ('Huber', True)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier in _FUNCTIONS:
        return _FUNCTIONS[identifier]
    found = identifier if callable(identifier) else _resolve(identifier)
    return found() if isinstance(found, type) else found


def _resolve(name: Any) -> Any:
    return saving_registry.resolve("loss", name, _CLASSES)


def serialize(loss: Any) -> Any:
    """A name (built-in function) or ``{"class_name", "config"}`` (built-in object).

    Custom losses give None.

    Example:
        >>> serialize(mean_squared_error), serialize(Huber())["class_name"]
        ('mean_squared_error', 'Huber')
    """
    for name, fn in _NAMED.items():
        if fn is loss:
            return name
    if type(loss) in _CLASSES.values():
        config = loss.get_config()
        if isinstance(loss, (Huber, CosineSimilarity)):
            config.update(loss._fn_kwargs)
        return {"class_name": type(loss).__name__, "config": config}
    return None


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """The loss a `serialize` result (or Keras's function form) describes.

    Args:
        config: a function name, or a ``{"class_name", "config"}`` dict.
        custom_objects: extra classes and functions by name. Defaults to None.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown name.

    Example:
        >>> deserialize(serialize(Huber(delta=2.0)))._fn_kwargs["delta"]
        2.0
        >>> deserialize("mae") is mean_absolute_error
        True
    """
    custom = dict(custom_objects or {})
    if isinstance(config, str):
        return custom[config] if config in custom else get(config)
    if isinstance(config, dict) and config.get("class_name") == "function":
        return deserialize(config.get("config"), custom_objects)
    name = config.get("class_name") if isinstance(config, dict) else None
    if name in custom:
        return custom[name].from_config(dict(config.get("config", {})))
    return saving_registry.build("loss", config, _CLASSES)


__all__ = [
    "BCE",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CTC",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLD",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "bce",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
    "get",
    "hinge",
    "huber",
    "huber_loss",
    "kl_divergence",
    "kld",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "reduce_values",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
]
