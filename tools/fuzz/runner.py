"""The parent process: schedules batches on worker processes and watches them.

Batches go to ``jobs`` worker processes (forked from a clean fork server
that has the targets' modules loaded, so a restart is quick and a segfault or
abort in a parser kills only the worker). A worker that dies is a crash and one whose
current case runs past ``hang_s`` is killed as a hang; either way the parent
reads the case index the worker left in shared memory, rebuilds that input
from its seed, saves it, starts a new worker, and runs the batch again
without that case.

Example:
    >>> opts = Options(cases=10, targets=("csv",), jobs=1, findings_dir="")
    >>> opts.cases, opts.hang_s
    (10, 10.0)
"""

from __future__ import annotations

import collections
import multiprocessing as mp
import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any

from tools.fuzz.findings import FindingStore
from tools.fuzz.target import Target, case_seed
from tools.fuzz.targets import DEFAULT_MODULE, load_targets
from tools.fuzz.worker import worker_main

_START_TIMEOUT_S = 120.0
_PRELOAD = [f"tools.fuzz.targets_{n}" for n in ("csv", "example", "model", "tfrecord")]
_POLL_S = 0.2


@dataclass
class Options:
    """What a run does; see ``python -m tools.fuzz --help`` for each field."""

    cases: int = 1_000_000
    seconds: float | None = None
    seed: int | None = None
    jobs: int = 2
    targets: tuple[str, ...] = ()
    module: str = DEFAULT_MODULE
    findings_dir: str = ".fuzz-findings"
    hang_s: float = 10.0
    hang_floor_s: float = 2.0
    memory_mb: int = 3072
    twin: bool = True
    progress_s: float = 15.0
    extra: dict = field(default_factory=dict)


class _Worker:
    """One worker process, its pipe, its progress cell and its current batch."""

    def __init__(self, ctx, opts: Options, pools: dict, scratch: str) -> None:
        self.progress = ctx.RawArray("d", 3)
        self.progress[0] = -1.0
        parent, child = ctx.Pipe()
        self.conn = parent
        self.process = ctx.Process(
            target=worker_main,
            args=(
                child,
                opts.module,
                pools,
                self.progress,
                scratch,
                opts.memory_mb,
                opts.twin,
            ),
            daemon=True,
        )
        self.process.start()
        child.close()
        self.task: tuple | None = None

    def wait_ready(self) -> _Worker:
        """Block until the worker has loaded its targets; raise if it cannot."""
        try:
            ok = self.conn.poll(_START_TIMEOUT_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ok = False
        if not ok:
            self.stop(kill=True)
            raise RuntimeError("a fuzz worker did not start (see its error above)")
        return self

    def assign(self, task: tuple) -> None:
        self.task = task
        self.progress[0] = -1.0
        self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


class _Schedule:
    """Batches drawn from the run's seed: targets in proportion to their weight."""

    def __init__(self, targets: dict[str, Target], seed: int, cases: int) -> None:
        self.rng = random.Random(seed)
        self.names = sorted(targets)
        self.sizes = [targets[n].batch for n in self.names]
        self.weights = [targets[n].weight / targets[n].batch for n in self.names]
        self.left = cases

    def next(self) -> tuple[str, int, int, frozenset] | None:
        if self.left <= 0:
            return None
        i = self.rng.choices(range(len(self.names)), self.weights)[0]
        n = min(self.sizes[i], self.left)
        self.left -= n
        return self.names[i], self.rng.getrandbits(40), n, frozenset()


class Run:
    """One fuzz run: `execute` returns per-target counts; findings are saved."""

    def __init__(self, opts: Options) -> None:
        self.started = time.monotonic()
        self.opts = opts
        self.seed = (
            opts.seed
            if opts.seed is not None
            else random.SystemRandom().getrandbits(32)
        )
        every = load_targets(opts.module)
        unknown = [n for n in opts.targets if n not in every]
        if unknown:
            raise ValueError(f"unknown fuzz targets {unknown}; known: {sorted(every)}")
        self.targets = {n: every[n] for n in (opts.targets or sorted(every))}
        self.pools = {n: t.seeds() for n, t in self.targets.items()}
        self.totals: dict[str, collections.Counter] = {
            n: collections.Counter() for n in self.targets
        }
        self.store = FindingStore(opts.findings_dir, self.seed)
        self.restarts = 0

    def _out_of_time(self) -> bool:
        s = self.opts.seconds
        return s is not None and time.monotonic() - self.started >= s

    def _merge(self, name: str, stats: dict, findings: list[dict]) -> None:
        self.totals[name].update(stats)
        for f in findings:
            self.store.add(f)

    def _lost_case(self, w: _Worker, kind: str, why: str, detail: str) -> tuple | None:
        """Record the case a dead or hung worker was on; the batch without it."""
        name, batch_seed, n, skip = w.task
        index = int(w.progress[0])
        self.totals[name][kind] += 1
        self.totals[name]["cases"] += 1
        data = None
        if index >= 0:
            seed = case_seed(batch_seed, index)
            data = self.targets[name].make_case(seed, self.pools[name])
        self.store.add({
            "target": name, "kind": kind, "detail": detail, "data": data,
            "signature": why if kind == "crashes" else "no answer in time",
            "case": [batch_seed, index],
        })  # fmt: skip
        return (name, batch_seed, n, skip | {index}) if index >= 0 else None

    def _hang_limit(self, own: float) -> float:
        """Seconds a case may run: its own limit, within [hang_floor_s, hang_s]."""
        if own <= 0:
            return self.opts.hang_s
        return min(self.opts.hang_s, max(self.opts.hang_floor_s, own))

    def _new_worker(self) -> _Worker:
        return _Worker(self._ctx, self.opts, self.pools, self._scratch).wait_ready()

    def _alone(self, task: tuple, index: int) -> str:
        """Case ``index`` of ``task`` re-run alone in a new worker, with the full
        hang limit: ``"crash"``, ``"hang"`` or ``"passes"``."""
        if index < 0:
            return "not rerun"
        name, batch_seed = task[0], task[1]
        w = self._new_worker()
        w.assign((name, batch_seed, index + 1, frozenset(range(index))))
        deadline = time.monotonic() + self.opts.hang_s
        verdict = "hang"
        while time.monotonic() < deadline and w.process.is_alive():
            if w.conn.poll(0.05):
                try:
                    w.conn.recv()  # not counted: the case is counted once already
                    verdict = "passes"
                except (EOFError, OSError):
                    verdict = "crash"
                break
        verdict = "crash" if not w.process.is_alive() else verdict
        w.stop(kill=verdict != "passes")
        return verdict

    def _watch(self, w: _Worker) -> _Worker:
        """Collect a finished batch, or handle a crash or a hang; the live worker.

        The case at fault is re-run alone: a hang that then passes was a stall
        of the machine (counted apart, not a finding).
        """
        name = w.task[0]
        if w.conn.poll():
            try:
                stats, findings = w.conn.recv()
                self._merge(name, stats, findings)
                w.task = None
                return w
            except (EOFError, OSError):
                pass
        if w.process.is_alive():
            limit = self._hang_limit(w.progress[2])
            if w.progress[0] < 0 or time.monotonic() - w.progress[1] <= limit:
                return w
            w.stop(kill=True)
            kind, detail = "hangs", f"no answer in {limit:g} s"
        else:
            w.process.join(1)
            code = w.process.exitcode
            why = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            w.stop(kill=True)
            kind, detail = "crashes", f"worker died: {why}"
        verdict = self._alone(w.task, int(w.progress[0]))
        if kind == "hangs" and verdict == "passes":
            kind = "stalls"
        retry = self._lost_case(w, kind, detail, f"{detail}; alone: {verdict}")
        self.restarts += 1
        fresh = self._new_worker()
        if retry is not None:
            fresh.assign(retry)
        return fresh

    def execute(self, report=None) -> dict[str, collections.Counter]:
        """Run until ``cases`` cases are done or ``seconds`` have passed."""
        ctx = mp.get_context("forkserver")
        if self.opts.module == DEFAULT_MODULE:  # new workers fork with these loaded
            ctx.set_forkserver_preload(["tools.fuzz.worker", *_PRELOAD])
        self._ctx = ctx
        self._scratch = scratch = tempfile.mkdtemp(prefix="pipeline-fuzz-")
        schedule = _Schedule(self.targets, self.seed, self.opts.cases)
        workers: list[_Worker] = []
        try:
            for _ in range(max(1, self.opts.jobs)):
                workers.append(_Worker(ctx, self.opts, self.pools, scratch))  # parallel
            for w in workers:
                w.wait_ready()
            last = time.monotonic()
            while True:
                for w in workers:
                    if w.task is None and not self._out_of_time():
                        task = schedule.next()
                        if task is not None:
                            w.assign(task)
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    break
                wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy], _POLL_S
                )
                workers = [self._watch(w) if w.task else w for w in workers]
                if report and time.monotonic() - last >= self.opts.progress_s:
                    last = time.monotonic()
                    report(self)
        finally:
            for w in workers:
                w.stop(kill=w.task is not None)
            shutil.rmtree(scratch, ignore_errors=True)
        return self.totals

    @property
    def elapsed_s(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self.started

    def extra_info(self) -> dict[str, Any]:
        """Run-level figures for the summary."""
        return {"seed": self.seed, "jobs": self.opts.jobs, "restarts": self.restarts}
