"""Adapters to PyTorch, JAX, Keras and Ray Data (optional, imported lazily)."""
