"""The lazy Dataset graph: immutable nodes, structure utilities, seeding, rewrites.

No threads here. Modules:

- ``base``: `Node`, `NodeIterator`, `IterContext`, calling user functions;
- ``structure`` / ``stacking``: nested elements, TF typing, batching leaves;
- ``failures``: `ElementFailure`, a bad element carried as a value;
- ``sources``: tensors, slices, range, generators and the SOURCE CONTRACT for
  file formats (`BlockSourceNode`);
- ``elementwise``, ``batching``, ``windowing``, ``shuffling``, ``slicing``,
  ``combining``, ``caching``, ``recovery``: the transformations;
- ``optimize``, ``vectorize``, ``gather``: rewrites applied before a run.
"""
