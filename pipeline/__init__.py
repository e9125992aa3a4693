"""pipeline: tf.data, tf.feature_column and a compact Keras, without TensorFlow.

``import pipeline as pl`` gives TensorFlow's names with numpy values:
``pl.data.Dataset``, ``pl.io.decode_csv``, ``pl.io.parse_example``,
``pl.feature_column``, ``pl.nn`` and ``pl.strings``. Importing starts no
thread and imports no optional dependency.

Example:
    >>> import pipeline as pl
    >>> pl.errors.DataLossError.__mro__[1].__name__
    'PipelineError'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from pipeline import errors
from pipeline.ragged import RaggedTensor, RaggedTensorSpec
from pipeline.types import (
    SparseTensor,
    SparseTensorSpec,
    TensorShape,
    TensorSpec,
    string,
)

if TYPE_CHECKING:
    from pipeline import data, feature_column, io, nn, strings

# Subpackages load on first use, so `import pipeline` (and the CLI's start-up)
# does not pay for pyarrow, the NN core and the feature columns it may not need.
_LAZY_SUBPACKAGES = (
    "data",
    "debugging",
    "feature_column",
    "io",
    "nn",
    "random",
    "sparse",
    "strings",
)
# TensorFlow's top-level tensor names (pl.reduce_mean, pl.GradientTape, ...) live
# in pipeline.tensor_api, imported on first use; tests check this list is its __all__.
_TENSOR_API_NAMES = frozenset(
    """GradientTape Variable abs add argmax argmin bool cast clip_by_value concat
    constant convert_to_tensor divide exp expand_dims fingerprint float16 float32
    float64 gather
    int16 int32 int64 int8 log matmul maximum minimum multiply negative ones
    ones_like pow range reduce_max reduce_mean reduce_min reduce_sum reshape shape
    sigmoid sign sqrt square squeeze stack subtract tanh transpose uint16 uint32
    uint64 uint8 where zeros zeros_like""".split()
)

__version__ = "0.1.0"

__all__ = [
    "RaggedTensor",
    "RaggedTensorSpec",
    "SparseTensor",
    "SparseTensorSpec",
    "TensorShape",
    "TensorSpec",
    "data",
    "debugging",
    "errors",
    "feature_column",
    "io",
    "nn",
    "random",
    "sparse",
    "string",
    "strings",
]


def __getattr__(name: str) -> object:
    if name in _LAZY_SUBPACKAGES:
        return importlib.import_module(f"pipeline.{name}")
    if name in _TENSOR_API_NAMES:
        return getattr(importlib.import_module("pipeline.tensor_api"), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _TENSOR_API_NAMES)
