"""BackupAndRestore reads only an integer epoch from its metadata file."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import ModelFormatError
from pipeline.nn import Sequential, callbacks, layers


def _model():
    model = Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize(
    "content",
    [
        '{"epoch": "__import__(\'os\')"}',
        '{"epoch": -1}',
        "[1, 2]",
        "not json",
        '{"e": 1}',
    ],
)
def test_bad_training_metadata_is_refused_with_the_path(tmp_path, content):
    backup = tmp_path / "b"
    backup.mkdir()
    (backup / "training_metadata.json").write_text(content)
    cb = callbacks.BackupAndRestore(backup)
    with pytest.raises(ModelFormatError, match="epoch") as info:
        _model().fit(np.ones((2, 2)), np.ones((2, 1)), callbacks=[cb], verbose=0)
    assert "training_metadata.json" in str(info.value)


def test_resumes_from_the_saved_epoch(tmp_path):
    backup = tmp_path / "b"
    backup.mkdir()
    (backup / "training_metadata.json").write_text('{"epoch": 3, "batch": 0}')
    cb = callbacks.BackupAndRestore(backup)
    hist = _model().fit(
        np.ones((2, 2)), np.ones((2, 1)), epochs=5, callbacks=[cb], verbose=0
    )
    assert hist.epoch == [3, 4]
    assert not backup.exists()  # deleted after a clean end
