"""The lazy Dataset graph: immutable nodes, structure utilities, seeding, rewrites."""
