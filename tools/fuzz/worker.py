"""The worker process: runs batches of cases in-process and reports on them.

A batch is ``(target name, batch seed, n, skip)``: the worker builds case
``i`` from ``case_seed(batch_seed, i)`` itself, so only counts and findings
cross the pipe. Before each case it writes the case index and start time to a
shared array; when the worker dies or overruns, the parent reads them to know
which input was at fault, rebuilds that input, and re-runs the batch without it.
The third cell is the case's own hang limit: 20 times its time bound (0 while
the input is being built).

Example:
    >>> from tools.fuzz.targets import load_targets
    >>> t = load_targets()["csv"]
    >>> stats, found = run_batch(t, t.seeds(), 1, 20, frozenset(), [0.0] * 3, True)
    >>> stats["cases"]
    20
"""

from __future__ import annotations

import collections
import resource
import tempfile
import time
import traceback
from collections.abc import Sequence
from typing import Any

from tools.fuzz.target import Target, canon, case_seed, describe_error

#: A case is a hang past this many times its time bound (within the run's limits).
_HANG_FACTOR = 20.0
#: Inputs kept per signature and batch (the rest are only counted).
_KEEP_PER_SIGNATURE = 2


def _where(err: BaseException) -> str:
    """The innermost frame of the traceback inside the project, as file:line."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "/pipeline/" in f.filename] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{frame.filename.rsplit('/pipeline/', 1)[-1]}:{frame.lineno}"


def _outcome(fn, data: bytes) -> tuple[str, Any]:
    try:
        return "ok", canon(fn(data))
    except Exception as e:  # noqa: BLE001 - every error is an outcome here
        return "error", describe_error(e)


def _timed(target: Target, data: bytes) -> tuple[float, Any, BaseException | None]:
    """Run one case: (CPU seconds of this process, result, error).

    CPU time, not wall time: the machine may be busy with other work, and a
    slow parser shows in the CPU it burns (a stuck one is caught as a hang).
    """
    start = time.process_time()
    try:
        result, err = target.run(data), None
    except Exception as e:  # noqa: BLE001 - judged by the caller
        result, err = None, e
    return time.process_time() - start, result, err


class _Batch:
    """Counts and findings of one batch."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.stats: collections.Counter = collections.Counter()
        self.findings: list[dict] = []
        self._kept: collections.Counter = collections.Counter()

    def find(self, kind: str, signature: str, detail: str, data: bytes, case) -> None:
        self.stats[kind] += 1
        key = f"{self.target.name}|{kind}|{signature}"
        self._kept[key] += 1
        keep = self._kept[key] <= _KEEP_PER_SIGNATURE
        self.findings.append(
            {
                "target": self.target.name,
                "kind": kind,
                "signature": signature,
                "detail": _clip(detail),
                "case": case,
                "data": data if keep else None,
            }
        )

    def check(self, data: bytes, case: list[int], twin: bool) -> None:
        t = self.target
        self.stats["cases"] += 1
        self.stats["bytes"] += len(data)
        elapsed, result, err = _timed(t, data)
        self.stats["run_s_x1e6"] += int(elapsed * 1e6)
        if err is not None and not isinstance(err, t.allowed):
            where = _where(err)
            tb = "".join(traceback.format_exception(err))
            self.find("wrong_class", f"{type(err).__name__} at {where}", tb, data, case)
            return
        self.stats["rejected" if err is not None else "accepted"] += 1
        bound = t.bound_s(len(data))
        if elapsed > bound:
            again = _timed(t, data)[0]
            if min(elapsed, again) > bound:
                detail = (
                    f"{min(elapsed, again) * 1e3:.1f} ms CPU for {len(data)} bytes "
                    f"(bound {bound * 1e3:.1f} ms)"
                )
                self.find(
                    "slow", f"{len(data).bit_length()}-bit size", detail, data, case
                )
        if twin and t.twin is not None and len(data) <= t.twin_max_bytes:
            self._check_twin(data, case, result, err)

    def _check_twin(self, data: bytes, case, result, err) -> None:
        self.stats["twin_checked"] += 1
        ours = (
            ("error", describe_error(err)) if err is not None else ("ok", canon(result))
        )
        theirs = _outcome(self.target.twin, data)
        if ours != theirs:
            sig = f"{ours[0]} {ours[1][0] if ours[0] == 'error' else ''} vs " + (
                f"{theirs[0]} {theirs[1][0] if theirs[0] == 'error' else ''}"
            )
            detail = f"kernel: {_short(ours)}\nreference: {_short(theirs)}"
            self.find("twin_mismatch", sig, detail, data, case)


def _clip(text: str, limit: int = 4000) -> str:
    """Long text cut in the middle (a traceback's end is what matters)."""
    return (
        text if len(text) <= limit else f"{text[:1000]}\n...\n{text[-(limit - 1000) :]}"
    )


def _short(outcome: tuple[str, Any]) -> str:
    text = repr(outcome)
    return text if len(text) < 600 else text[:600] + "..."


def run_batch(
    target: Target,
    pool: Sequence[bytes],
    batch_seed: int,
    n: int,
    skip: frozenset[int],
    progress: Any,
    twin: bool,
) -> tuple[dict[str, int], list[dict]]:
    """Run cases ``0..n-1`` of a batch except ``skip``; (counts, findings)."""
    batch = _Batch(target)
    for i in range(n):
        if i in skip:
            continue
        progress[0], progress[1], progress[2] = float(i), time.monotonic(), 0.0
        data = target.make_case(case_seed(batch_seed, i), pool)
        progress[2] = _HANG_FACTOR * target.bound_s(len(data))
        batch.check(data, [batch_seed, i], twin)
    progress[0] = -1.0
    return dict(batch.stats), batch.findings


def _limit_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        limit = memory_mb << 20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_main(conn, module: str, pools, progress, scratch, memory_mb, twin) -> None:
    """A worker's life: set up, then run batches from ``conn`` until None."""
    from tools.fuzz.target import set_scratch_dir
    from tools.fuzz.targets import load_targets

    set_scratch_dir(tempfile.mkdtemp(prefix="worker-", dir=scratch))
    targets = load_targets(module)
    _limit_memory(memory_mb)
    conn.send("ready")
    while True:
        task = conn.recv()
        if task is None:
            return
        name, batch_seed, n, skip = task
        conn.send(
            run_batch(targets[name], pools[name], batch_seed, n, skip, progress, twin)
        )
