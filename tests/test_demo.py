"""`make demo`'s main job runs end to end on freshly written data."""

from __future__ import annotations

from pipeline.demo.job import run_job


def test_main_job_beats_the_mean_and_reloads_identically(tmp_path, capsys):
    assert run_job(str(tmp_path / "taxi")) == 0
    out = capsys.readouterr().out
    assert "reloaded model gives the same predictions" in out
    assert (tmp_path / "taxi" / "wide_and_deep.zip").exists()
    assert any((tmp_path / "taxi" / "logs").rglob("events.out.tfevents*"))
