"""Pure-Python twins of the compiled kernels: slow, obvious, the living spec."""
