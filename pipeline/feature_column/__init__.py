"""TensorFlow-exact feature columns, `DenseFeatures` and `LinearModel`."""
