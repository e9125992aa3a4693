"""The threaded executor: the only package that starts threads.

Modules: ``options`` (`Options`), ``plan`` (which nodes run threaded),
``buffers`` (bounded, closable), ``stages`` (block-moving consumer side and
``prefetch``), ``workers`` (parallel ``map``), ``interleave`` (parallel
``interleave``), ``autotune`` (parallelism, block and buffer sizes), ``runner``
(`DatasetIterator`: close, state, stats).
"""
