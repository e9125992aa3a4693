"""The threaded executor: the only package that starts threads."""
