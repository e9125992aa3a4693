"""`make demo`: the small pipeline and the main job, every number labelled."""

from __future__ import annotations

import re

from pipeline.demo import show_small_pipeline, stage_line
from pipeline.demo.job import run_job


def test_main_job_beats_the_mean_and_reloads_identically(tmp_path, capsys):
    assert run_job(str(tmp_path / "taxi")) == 0
    out = capsys.readouterr().out
    assert "reloaded model gives the same predictions" in out
    assert (tmp_path / "taxi" / "wide_and_deep.zip").exists()
    assert any((tmp_path / "taxi" / "logs").rglob("events.out.tfevents*"))
    # every figure the job prints says what it is and its unit
    read = r"input pipeline: [\d,]+ rows/s read, parsed and batched \(one pass over "
    assert re.search(read + r"the 40,000 training rows", out)
    trained = r"training: \d+ epochs in [\d.]+ s, [\d,]+ training examples/s"
    assert re.search(trained, out)
    rmse = r"validation RMSE \(root mean squared error of the fare\): \$[\d.]+ for "
    assert re.search(rmse + r"the model, \$[\d.]+ for predicting the mean", out)
    assert "--sample 1000: kinds from 1,000 records" in out
    assert "(fares in $)" in out and "true fare | predicted here |" in out


def test_small_pipeline_labels_its_batches_plan_and_stats(capsys):
    assert show_small_pipeline() == 0
    lines = capsys.readouterr().out.splitlines()
    batches = [line for line in lines if line.startswith("batch ")]
    assert [b.split(":")[0] for b in batches] == [
        "batch 0 (4 rows)",
        "batch 1 (4 rows)",
        "batch 2 (2 rows)",
    ]
    assert "== its plan, as explain() shows it:" in lines
    (stage,) = [
        line for line in lines if line.startswith("  prefetch(buffer_size=-1):")
    ]
    assert re.fullmatch(
        r"  prefetch\(buffer_size=-1\): produced 3 elements with 1 thread, in blocks "
        r"of \d+ elements; busy [\d.]+ ms, waited [\d.]+ ms for its input",
        stage,
    )


def test_stage_line_gives_units_and_plural_threads():
    stage = {"produced": 12, "parallelism": 4, "block_size": 2}
    text = stage_line({**stage, "busy_s": 0.25, "wait_input_s": 0.001})
    assert text == (
        "produced 12 elements with 4 threads, in blocks of 2 elements; "
        "busy 250.00 ms, waited 1.00 ms for its input"
    )
