"""A compact Keras 3: tensors, tape autodiff, layers, models, optimizers."""
