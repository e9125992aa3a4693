"""TensorFlow-exact feature columns, `DenseFeatures` and `LinearModel`.

Columns are plain data (``get_config``/``from_config``) that turn a batch of
parsed features into ids and dense values with TensorFlow's exact numbers;
`DenseFeatures` and `LinearModel` are ``pipeline.nn`` layers over them, and
`adapt` fits what the columns need in one streaming pass.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> cols = [fc.numeric_column("sq_footage"),
    ...         fc.indicator_column(fc.categorical_column_with_vocabulary_list(
    ...             "type", ["house", "apt"]))]
    >>> feats = {"sq_footage": np.array([1000.0, 2000.0]),
    ...          "type": np.array([b"apt", b"house"], dtype=object)}
    >>> fc.dense_features(cols, feats).tolist()
    [[1000.0, 0.0, 1.0], [2000.0, 1.0, 0.0]]
"""

from __future__ import annotations

from pipeline.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureColumn,
    deserialize_feature_column,
    serialize_feature_column,
)
from pipeline.feature_column.analyzers import (
    AdaptResult,
    adapt,
    normalized_numeric_column,
    quantile_bucketized_column,
    vocabulary_column,
)
from pipeline.feature_column.columns_categorical import (
    HashedCategoricalColumn,
    IdentityCategoricalColumn,
    categorical_column_with_hash_bucket,
    categorical_column_with_identity,
)
from pipeline.feature_column.columns_crossed import (
    CrossedColumn,
    WeightedCategoricalColumn,
    crossed_column,
    weighted_categorical_column,
)
from pipeline.feature_column.columns_dense import (
    EmbeddingColumn,
    IndicatorColumn,
    embedding_column,
    indicator_column,
)
from pipeline.feature_column.columns_numeric import (
    BucketizedColumn,
    Normalization,
    NumericColumn,
    bucketized_column,
    numeric_column,
)
from pipeline.feature_column.columns_shared import (
    SharedEmbeddingColumn,
    shared_embeddings,
)
from pipeline.feature_column.columns_vocabulary import (
    VocabularyFileCategoricalColumn,
    VocabularyListCategoricalColumn,
    categorical_column_with_vocabulary_file,
    categorical_column_with_vocabulary_list,
)
from pipeline.feature_column.layers import DenseFeatures, LinearModel
from pipeline.feature_column.transform import (
    dense_features,
    embedding_dimension,
    make_parse_example_spec,
    transform_dense,
    transform_ids,
)
from pipeline.feature_column.vocabulary import load_vocabulary, write_vocabulary

__all__ = [
    "AdaptResult",
    "BucketizedColumn",
    "CategoricalColumn",
    "CrossedColumn",
    "DenseColumn",
    "DenseFeatures",
    "EmbeddingColumn",
    "FeatureColumn",
    "HashedCategoricalColumn",
    "IdentityCategoricalColumn",
    "IndicatorColumn",
    "LinearModel",
    "Normalization",
    "NumericColumn",
    "SharedEmbeddingColumn",
    "VocabularyFileCategoricalColumn",
    "VocabularyListCategoricalColumn",
    "WeightedCategoricalColumn",
    "adapt",
    "bucketized_column",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list",
    "crossed_column",
    "dense_features",
    "deserialize_feature_column",
    "embedding_column",
    "embedding_dimension",
    "indicator_column",
    "load_vocabulary",
    "make_parse_example_spec",
    "normalized_numeric_column",
    "numeric_column",
    "quantile_bucketized_column",
    "serialize_feature_column",
    "shared_embeddings",
    "transform_dense",
    "transform_ids",
    "vocabulary_column",
    "weighted_categorical_column",
    "write_vocabulary",
]
