"""``benchmarks.run_all``: its arguments for each script, its parsing of their
output and its writing of the summary block (no benchmark runs here)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from benchmarks import machine, run_all
from benchmarks.results_file import END, START, ImportTime, Memory

BENCHMARKS = Path(run_all.__file__).resolve().parent


def _script(name: str) -> str:
    return (BENCHMARKS / f"bench_{name}.py").read_text()


def _flags(args: list[str]) -> list[str]:
    return [a for a in args if a.startswith("--")]


@pytest.mark.parametrize("name", sorted(run_all.QUICK_ARGS))
def test_quick_args_are_flags_the_script_takes(name):
    source = _script(name)
    for flag in _flags(run_all.QUICK_ARGS[name] + run_all.FULL_ARGS.get(name, [])):
        assert f'"{flag}"' in source, (name, flag)


def test_every_script_has_quick_args_and_ours_only_ones_take_no_tf():
    names = {run_all.short_name(m) for m in run_all.bench_modules()}
    assert names == set(run_all.QUICK_ARGS)
    for name in run_all.OURS_ONLY:
        assert '"--no-tf"' in _script(name) and '"--passes"' in _script(name)


def test_every_script_has_summary_rows():
    from benchmarks import summary

    assert set(run_all.QUICK_ARGS) == set(summary.SCRIPTS)


def test_json_records_skip_table_lines_and_broken_json():
    lines = ["case  rows/s", '{"bench": "csv", "rows": 1}', "{not json", "[1, 2]"]
    assert run_all.json_records(lines) == [{"bench": "csv", "rows": 1}]


def test_run_child_reads_lines_exit_code_and_a_peak_rss(capsys):
    code = "import json, sys; print(json.dumps({'a': 1})); print('x'); sys.exit(3)"
    done = machine.run_child([sys.executable, "-c", code])
    assert done.returncode == 3
    assert done.lines == ['{"a": 1}', "x"]
    assert done.peak_rss_mib > 1 and done.seconds > 0
    assert capsys.readouterr().out == '{"a": 1}\nx\n'  # echoed


def _fake_run(records: dict, failed: bool = False):
    def run_scripts(modules, quick, ours_only):
        memory = [Memory(m, 100.0, 1.0, 50.0, int(failed)) for m in modules]
        return records, memory

    return run_scripts


@pytest.mark.parametrize("failed", [False, True])
def test_main_writes_one_block_into_the_results_file(tmp_path, monkeypatch, failed):
    lines = [{"bench": "tfrecord", "idiom": "batch_then_parse", "side": s,
              "rows_per_s": r} for s, r in (("ours", 400), ("tf", 100))]  # fmt: skip
    monkeypatch.setattr(run_all, "run_scripts", _fake_run({"tfrecord": lines}, failed))
    monkeypatch.setattr(
        run_all, "time_imports", lambda n: [ImportTime("import pipeline", 0.05, 30)]
    )
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nIntro.\n\n## CSV\n\nold figures\n")
    argv = ["--only", "tfrecord", "--quick", "--results", str(results)]
    assert run_all.main(argv) == int(failed)
    assert run_all.main(argv) == int(failed)  # a second run replaces the block
    text = results.read_text()
    assert text.count(START) == 1 and text.count(END) == 1
    assert text.startswith("# Results\n\nIntro.\n\n" + START)
    assert text.endswith("## CSV\n\nold figures\n")
    assert "| 100 | 400 | rows/s | 4.00x |  | ≥ 5x (#16) | **no** |" in text
    assert "quick smoke run" in text and "- cores: " in text
    assert ("Failed" in text) == failed


def test_trial_runs_do_not_default_to_results_md():
    assert run_all.TRIAL_RESULTS != run_all.RESULTS
    assert "data" in run_all.TRIAL_RESULTS.parts  # benchmarks/data/ is git-ignored
    ignored = (BENCHMARKS.parent / ".gitignore").read_text()
    assert re.search(r"^benchmarks/data/$", ignored, flags=re.M)
