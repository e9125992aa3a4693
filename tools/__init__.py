"""Developer tools of the `pipeline` repository (not part of the package)."""
