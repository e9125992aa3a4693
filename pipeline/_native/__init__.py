"""Compiled kernels built from ``_ext/*.pyx`` by setup.py (see ``_kernels``)."""
