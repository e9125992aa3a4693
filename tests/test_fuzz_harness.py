"""The fuzz harness (tools/fuzz) finds what it is meant to find.

Each test fuzzes a small target module written for the purpose, whose target
misbehaves on a known share of inputs (about one in eight, chosen by the
input's CRC): it crashes the worker with a segfault, hangs, raises the wrong
class, burns CPU past the time bound, or disagrees with its twin. The harness
must count it, save the input that did it (which must be one the target
misbehaves on), keep every other case, and fail the run.
"""

from __future__ import annotations

import json
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tools/ is a folder of the repository, not installed
    sys.path.insert(0, str(ROOT))

from tools.fuzz import mutate  # noqa: E402
from tools.fuzz.__main__ import main  # noqa: E402
from tools.fuzz.report import summary  # noqa: E402
from tools.fuzz.runner import Options, Run  # noqa: E402
from tools.fuzz.target import case_seed  # noqa: E402
from tools.fuzz.targets import load_targets  # noqa: E402

_FAKES = """
import ctypes
import os
import time
import zlib

from pipeline.errors import InvalidArgumentError
from tools.fuzz.target import Target


def bad(data):
    return zlib.crc32(data) % 8 == 0


def judged(data):
    if data[:1] == b"r":
        raise InvalidArgumentError("rejected")
    return len(data)


def crash(data):
    if bad(data):
        ctypes.string_at(0)  # a segfault
    return judged(data)


def hang(data):
    if bad(data):
        time.sleep(600)
    return judged(data)


def wrong(data):
    if bad(data):
        raise KeyError("not an allowed class")
    return judged(data)


def slow(data):
    if bad(data):
        end = time.process_time() + 0.05
        while time.process_time() < end:
            pass
    return judged(data)


def stall(data):
    # hangs the first time it sees a bad input, passes the next time
    marker = os.path.join(os.path.dirname(__file__), f"seen-{zlib.crc32(data)}")
    if bad(data) and not os.path.exists(marker):
        open(marker, "w").close()
        time.sleep(600)
    return judged(data)


def twin(data):
    return judged(data) + (1 if bad(data) else 0)


def seeds():
    return [b"seed-one", b"r-rejected", b"another seed"]


def make(name, run, **kw):
    return Target(name, run=run, seeds=seeds, allowed=(InvalidArgumentError,),
                  batch=10, base_ms=20.0, us_per_byte=0.0, **kw)


TARGETS = (
    make("clean", judged),
    make("crash", crash),
    make("hang", hang),
    make("wrong", wrong),
    make("slow", slow),
    make("twin", judged, twin=twin),
    make("stall", stall),
)
"""


def _bad(data: bytes) -> bool:
    return zlib.crc32(data) % 8 == 0


@pytest.fixture(scope="module")
def fakes(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("fuzz") / "fake_targets.py"
    path.write_text(textwrap.dedent(_FAKES))
    return str(path)


def _run(fakes: str, tmp_path: Path, target: str, cases: int = 40, **kw):
    opts = Options(
        cases=cases, seed=kw.pop("seed", 11), jobs=1, targets=(target,),
        module=fakes, findings_dir=str(tmp_path / "found"), **kw,
    )  # fmt: skip
    run = Run(opts)
    totals = run.execute()
    result = summary(totals, run.store.by_signature(), run.elapsed_s, run.extra_info())
    return run, result


def _saved_inputs(run: Run, kind: str) -> list[bytes]:
    folder = Path(run.store.folder)
    return [p.read_bytes() for p in sorted(folder.glob(f"*-{kind}-*.bin"))]


def _expected_bad(run: Run, target: str, cases: int, accepted_only=False) -> int:
    """How many of the run's cases the fake target misbehaves on (recomputed).

    With ``accepted_only``, only those it accepts (not starting with ``r``).
    """
    from tools.fuzz.runner import _Schedule

    t = run.targets[target]
    schedule = _Schedule(run.targets, run.seed, cases)
    bad = 0
    while (task := schedule.next()) is not None:
        _, batch_seed, n, _ = task
        pool = run.pools[target]
        for i in range(n):
            data = t.make_case(case_seed(batch_seed, i), pool)
            bad += _bad(data) and not (accepted_only and data[:1] == b"r")
    return bad


def test_a_segfault_is_a_crash_with_its_input_saved_and_no_case_lost(fakes, tmp_path):
    run, result = _run(fakes, tmp_path, "crash")
    expected = _expected_bad(run, "crash", 40)
    assert expected >= 1, "the seed should give at least one crashing case"
    assert result["cases"] == 40
    assert result["crashes"] == expected
    assert run.restarts == expected
    assert "crash|crashes|worker died: signal 11" in result["signatures"]
    saved = _saved_inputs(run, "crashes")
    assert saved and all(_bad(d) for d in saved)
    assert (
        result["targets"]["crash"]["accepted"] + result["targets"]["crash"]["rejected"]
        == 40 - expected
    )


@pytest.mark.slow
def test_a_case_that_never_ends_is_a_hang(fakes, tmp_path):
    start = time.monotonic()
    run, result = _run(fakes, tmp_path, "hang", cases=12, hang_s=1.0, seed=5)
    expected = _expected_bad(run, "hang", 12)
    assert expected >= 1
    assert result["hangs"] == expected and result["crashes"] == 0
    assert result["cases"] == 12
    assert all(_bad(d) for d in _saved_inputs(run, "hangs"))
    assert time.monotonic() - start < 30 + 5 * expected


@pytest.mark.slow
def test_a_hang_that_passes_when_rerun_alone_is_a_stall_not_a_finding(fakes, tmp_path):
    run, result = _run(fakes, tmp_path, "stall", cases=12, hang_s=1.0, seed=5)
    expected = _expected_bad(run, "stall", 12)
    assert expected >= 1
    assert result["hangs"] == 0 and result["findings"] == 0
    assert result["targets"]["stall"]["stalls"] == expected
    assert result["cases"] == 12


def test_an_error_of_another_class_is_a_wrong_class(fakes, tmp_path):
    run, result = _run(fakes, tmp_path, "wrong")
    expected = _expected_bad(run, "wrong", 40)
    assert expected >= 1
    assert result["wrong_class"] == expected
    [signature] = [s for s in result["signatures"] if "wrong_class" in s]
    assert "KeyError" in signature
    assert result["targets"]["wrong"]["rejected"] >= 1  # the allowed class is fine
    log = (Path(run.store.folder) / "findings.jsonl").read_text().splitlines()
    assert "KeyError: 'not an allowed class'" in json.loads(log[0])["detail"]


def test_a_case_past_its_time_bound_twice_is_slow(fakes, tmp_path):
    run, result = _run(fakes, tmp_path, "slow")
    expected = _expected_bad(run, "slow", 40)
    assert expected >= 1
    assert result["slow"] == expected
    assert all(_bad(d) for d in _saved_inputs(run, "slow"))


def test_a_result_unlike_the_twins_is_a_twin_mismatch(fakes, tmp_path):
    run, result = _run(fakes, tmp_path, "twin")
    expected = _expected_bad(run, "twin", 40, accepted_only=True)
    assert expected >= 1
    assert result["twin_mismatch"] == expected
    assert result["targets"]["twin"]["twin_checked"] == 40


def test_a_clean_target_passes_and_a_seed_repeats_the_run(fakes, tmp_path):
    _, first = _run(fakes, tmp_path, "clean", cases=60, seed=3)
    _, again = _run(fakes, tmp_path, "clean", cases=60, seed=3)
    assert first["findings"] == 0 and first["cases"] == 60
    counts = [{k: v for k, v in r["targets"]["clean"].items() if k != "mean_us"}
              for r in (first, again)]  # fmt: skip
    assert counts[0] == counts[1]
    assert first["targets"]["clean"]["rejected"] >= 1


def test_main_exits_nonzero_on_findings_and_prints_one_json_line(
    fakes, tmp_path, capsys
):
    argv = ["--module", fakes, "--targets", "wrong", "--cases", "30", "--seed", "2",
            "--jobs", "1", "--findings", str(tmp_path)]  # fmt: skip
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "fuzz seed 2" in out.splitlines()[0]
    [line] = [x for x in out.splitlines() if x.startswith("FUZZ_JSON ")]
    assert json.loads(line[len("FUZZ_JSON ") :])["wrong_class"] >= 1
    clean = ["--module", fakes, "--targets", "clean", "--cases", "30", "--jobs", "1",
             "--findings", str(tmp_path)]  # fmt: skip
    assert main(clean) == 0


def test_project_targets_cover_the_four_parsers_with_reproducible_cases():
    targets = load_targets()
    assert {"tfrecord", "tfrecord_compressed", "tfrecord_kernel", "example", "csv",
            "csv_dataset", "model_archive"} <= set(targets)  # fmt: skip
    for name, t in targets.items():
        pool = t.seeds()
        assert pool == t.seeds(), f"{name}: seeds differ between calls"
        cases = [t.make_case(case_seed(99, i), pool) for i in range(30)]
        assert cases == [t.make_case(case_seed(99, i), pool) for i in range(30)], name
        assert len(set(cases)) > 10, f"{name}: mutations too tame"


def test_digit_runs_reach_a_mebibyte():
    sizes = [
        len(mutate.digit_run(__import__("random").Random(i), b"")) for i in range(400)
    ]
    assert max(sizes) >= mutate.MAX_RUN_BYTES
    assert sorted(sizes)[200] < 5000  # most runs stay short


@pytest.mark.parametrize(
    "name",
    ["findings", "mutate", "report", "runner", "target", "targets", "targets_csv",
     "targets_example", "targets_model", "targets_tfrecord", "worker"],
)  # fmt: skip
def test_harness_doctests(name):
    import doctest
    import importlib

    module = importlib.import_module(f"tools.fuzz.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0 and tried >= 1
