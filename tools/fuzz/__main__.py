"""``python -m tools.fuzz``: randomized fuzzing of the project's parsers.

Prints the seed first, a progress line every ``--progress`` seconds, then a
table per target, findings by signature and one ``FUZZ_JSON`` line. Exits 1
when anything was found (crash, hang, slow case, wrong exception class, twin
mismatch), 0 otherwise. ``--replay FILE --target NAME`` runs one saved input
in this process and prints its outcome (a crash then kills this process).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from tools.fuzz.report import json_line, summary, table
from tools.fuzz.runner import Options, Run
from tools.fuzz.targets import DEFAULT_MODULE, load_targets


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__)
    p.add_argument("--cases", type=int, default=1_000_000, help="cases to run")
    p.add_argument("--seconds", type=float, default=None, help="stop after this")
    p.add_argument("--seed", type=int, default=None, help="default: random")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--targets", default="", help="comma-separated names")
    p.add_argument("--module", default=DEFAULT_MODULE, help="module with TARGETS")
    p.add_argument("--findings", default=".fuzz-findings", help="findings folder")
    p.add_argument("--hang-seconds", type=float, default=10.0)
    p.add_argument("--memory-mb", type=int, default=3072, help="per worker")
    p.add_argument("--no-twin", action="store_true", help="skip twin comparisons")
    p.add_argument("--progress", type=float, default=15.0, help="seconds")
    p.add_argument("--replay", default=None, help="run one saved input")
    p.add_argument("--target", default=None, help="the target of --replay")
    p.add_argument("--list", action="store_true", help="list the targets")
    return p


def _clip(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


def _replay(module: str, target: str, path: str) -> int:
    t = load_targets(module)[target]
    with open(path, "rb") as f:
        data = f.read()
    print(f"replaying {path} ({len(data)} bytes) on {target}", flush=True)
    try:
        result = t.run(data)
    except t.allowed as e:
        print(f"allowed error: {type(e).__name__}: {_clip(str(e))}")
        return 0
    except Exception:  # noqa: BLE001 - printed for the report
        traceback.print_exc()
        return 1
    print(f"accepted: {_clip(repr(result))}")
    return 0


def _progress(run: Run) -> None:
    cases = sum(c["cases"] for c in run.totals.values())
    found = sum(run.store.by_signature().values())
    rate = cases / max(run.elapsed_s, 1e-9)
    print(
        f"[fuzz] {run.elapsed_s:7.0f} s  {cases:>9} cases  {rate:7.0f}/s  "
        f"{found} findings",
        file=sys.stderr,
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer (or replay, or list); the exit code."""
    args = _parser().parse_args(argv)
    if args.list:
        for name, t in sorted(load_targets(args.module).items()):
            print(f"{name:22} allowed: {', '.join(c.__name__ for c in t.allowed)}")
        return 0
    if args.replay:
        return _replay(args.module, args.target, args.replay)
    opts = Options(
        cases=args.cases,
        seconds=args.seconds,
        seed=args.seed,
        jobs=args.jobs,
        targets=tuple(n for n in args.targets.split(",") if n),
        module=args.module,
        findings_dir=args.findings,
        hang_s=args.hang_seconds,
        memory_mb=args.memory_mb,
        twin=not args.no_twin,
        progress_s=args.progress,
    )
    run = Run(opts)
    print(
        f"fuzz seed {run.seed} (rerun with --seed {run.seed}); "
        f"findings under {run.store.folder or '(not saved)'}",
        flush=True,
    )
    totals = run.execute(report=_progress)
    result = summary(totals, run.store.by_signature(), run.elapsed_s, run.extra_info())
    result["examples"] = run.store.examples
    print(table(result))
    print(json_line(result), flush=True)
    return 1 if result["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
