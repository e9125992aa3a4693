"""TensorBoard event files, read back with the ``tensorboard`` package."""

from __future__ import annotations

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator

from pipeline.nn import callbacks, layers, optimizers


class TinyModel:
    """Dense(relu) -> ReLU -> Dense, called layer by layer."""

    def __init__(self) -> None:
        self.hidden = layers.Dense(4, activation="relu", name="hidden")
        self.act = layers.ReLU(name="act")
        self.out = layers.Dense(1, name="out")
        self.layers = [self.hidden, self.act, self.out]
        self.optimizer = optimizers.Adam(0.01)
        self.stop_training = False

    def __call__(self, x, training=None):
        for layer in self.layers:
            x = layer(x, training=training)
        return x


def _read(path):
    acc = event_accumulator.EventAccumulator(
        str(path), size_guidance={event_accumulator.HISTOGRAMS: 0}
    )
    acc.Reload()
    return acc


def _run(tb, model, epochs=3, batches=4):
    cbs = callbacks.CallbackList([tb], model=model, epochs=epochs, steps=batches)
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for b in range(batches):
            cbs.on_train_batch_begin(b)
            cbs.on_train_batch_end(b, {"loss": 10.0 * epoch + b})
        logs = {
            "loss": 1.0 / (epoch + 1),
            "accuracy": 0.25 * epoch,
            "val_loss": 2.0 - epoch,
        }
        cbs.on_epoch_end(epoch, logs)
    cbs.on_test_begin()
    cbs.on_test_end({"loss": 0.5})
    cbs.on_train_end()


def test_scalars_histograms_and_relu_fractions_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    sample = rng.normal(size=(64, 3)).astype(np.float32)
    model = TinyModel()
    model(sample)  # build the weights
    tb = callbacks.TensorBoard(
        log_dir=tmp_path, histogram_freq=2, update_freq=2, activation_sample=sample
    )
    _run(tb, model)

    train = _read(tmp_path / "train")
    loss = train.Scalars("epoch_loss")
    assert [e.step for e in loss] == [0, 1, 2]
    np.testing.assert_allclose([e.value for e in loss], [1.0, 0.5, 1 / 3], rtol=1e-6)
    assert [e.value for e in train.Scalars("epoch_accuracy")] == [0.0, 0.25, 0.5]
    lr = train.Scalars("epoch_learning_rate")
    assert lr[0].value == pytest.approx(0.01)
    # batch scalars every 2nd global batch (global steps start at 1)
    batch = train.Scalars("batch_loss")
    assert [e.step for e in batch] == [2, 4, 6, 8, 10, 12]
    assert [e.value for e in batch] == [1.0, 3.0, 11.0, 13.0, 21.0, 23.0]

    tags = train.Tags()["histograms"]
    assert "hidden/kernel/histogram" in tags and "out/bias/histogram" in tags
    kernel = train.Histograms("hidden/kernel/histogram")
    assert [e.step for e in kernel] == [0, 2]
    values = model.hidden.kernel.numpy()
    h = kernel[-1].histogram_value
    assert h.num == values.size and h.min == pytest.approx(values.min())
    assert h.max == pytest.approx(values.max()) and sum(h.bucket) == values.size
    assert h.sum == pytest.approx(values.sum(), rel=1e-5)

    hidden = np.maximum(
        sample @ model.hidden.kernel.numpy() + model.hidden.bias.numpy(), 0
    )
    want = float(np.mean(hidden == 0))
    for tag in ("relu_zero_fraction/hidden", "relu_zero_fraction/act"):
        got = train.Scalars(tag)
        assert [e.step for e in got] == [0, 1, 2]
        assert got[0].value == pytest.approx(want)
    assert "hidden/activations/histogram" in tags
    assert "out" not in {
        t.split("/")[1] for t in train.Tags()["scalars"] if "relu" in t
    }

    validation = _read(tmp_path / "validation")
    assert [e.value for e in validation.Scalars("epoch_loss")] == [2.0, 1.0, 0.0]
    evaluation = validation.Scalars("evaluation_loss_vs_iterations")
    assert evaluation[0].value == 0.5


def test_epoch_only_by_default_and_no_relu_without_a_sample(tmp_path):
    model = TinyModel()
    model(np.zeros((1, 3), np.float32))
    _run(callbacks.TensorBoard(log_dir=tmp_path), model, epochs=2)
    tags = _read(tmp_path / "train").Tags()
    assert "epoch_loss" in tags["scalars"] and "batch_loss" not in tags["scalars"]
    assert not any(t.startswith("relu_zero_fraction") for t in tags["scalars"])
    assert tags["histograms"] == []


def test_relu_sample_from_the_training_loop(tmp_path):
    model = TinyModel()
    model.last_train_inputs = np.ones((4, 3), np.float32)
    model(model.last_train_inputs)
    _run(callbacks.TensorBoard(log_dir=tmp_path), model, epochs=1)
    scalars = _read(tmp_path / "train").Tags()["scalars"]
    assert "relu_zero_fraction/hidden" in scalars
    assert "call" not in vars(model.hidden)  # the spy is removed again


def test_event_records_have_valid_masked_crcs(tmp_path):
    import google_crc32c

    from pipeline.nn.callbacks import _events

    w = _events.EventFileWriter(tmp_path)
    w.add(_events.scalar_event("x", 1.5, 3))
    w.close()
    with open(w.path, "rb") as f:
        data = f.read()
    offset, records = 0, 0
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 8], "little")
        header_crc = int.from_bytes(data[offset + 8 : offset + 12], "little")
        payload = data[offset + 12 : offset + 12 + length]
        crc = int.from_bytes(
            data[offset + 12 + length : offset + 16 + length], "little"
        )
        for raw, masked in ((data[offset : offset + 8], header_crc), (payload, crc)):
            c = google_crc32c.value(raw)
            assert (
                masked
                == ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
            )
        offset += 16 + length
        records += 1
    assert records == 2 and offset == len(data)


def test_steps_per_second(tmp_path):
    model = TinyModel()
    tb = callbacks.TensorBoard(
        log_dir=tmp_path, update_freq="batch", write_steps_per_second=True
    )
    _run(tb, model, epochs=2, batches=3)
    train = _read(tmp_path / "train")
    assert len(train.Scalars("epoch_steps_per_second")) == 2
    assert len(train.Scalars("batch_steps_per_second")) == 6
    assert all(e.value > 0 for e in train.Scalars("epoch_steps_per_second"))
