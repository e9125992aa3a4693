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

from pipeline import data, errors, feature_column, io, nn, strings
from pipeline.types import SparseTensor, TensorSpec, string

__version__ = "0.1.0"

__all__ = [
    "SparseTensor",
    "TensorSpec",
    "data",
    "errors",
    "feature_column",
    "io",
    "nn",
    "string",
    "strings",
]
