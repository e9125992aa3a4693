"""A randomized fuzzing harness for the project's parsers (``make fuzz``).

Targets (`tools.fuzz.targets`) are functions from bytes to a result that may
raise only the errors they list. Cases are valid seeds damaged by
`tools.fuzz.mutate` (or fresh valid inputs), each a pure function of the
run's seed, the target and the case number, and run in worker processes
(`tools.fuzz.worker`) watched by `tools.fuzz.runner`: a dead worker is a
crash, a case past its hang limit is a hang (unless it passes when re-run
alone: then the machine stalled), a case past its time-per-byte bound in CPU
time twice is slow, an error of another class is a wrong class, and a result
that differs from the pure-Python twin's is a twin mismatch. Inputs of
findings are saved under ``.fuzz-findings/run-<seed>/`` for
``python -m tools.fuzz --replay FILE --target NAME``.
"""
