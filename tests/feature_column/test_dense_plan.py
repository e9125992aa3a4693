"""DenseFeatures' plan (`_plan`) gives the general path's output, bit for bit.

The general path runs when ``cols_to_output_tensors`` is given, so every test
compares ``layer(batch)`` with ``layer(batch, cols_to_output_tensors={})``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline as pl
from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.feature_column import _plan

fc = pl.feature_column
WORDS = [b"", b"a", b"b", "c", b"zz", "\u00e9"]


def _table(shape, dtype=None):
    rows, dim = shape
    return (np.arange(rows * dim, dtype=np.float32).reshape(rows, dim) - 7) / 3


def _columns(vocab_file: str) -> list:
    x = fc.numeric_column("x", shape=2)
    b1 = fc.bucketized_column(fc.numeric_column("f"), [-1.0, 0.0, 0.5])
    b2 = fc.bucketized_column(x, [0.0, 1.0])
    ident = fc.categorical_column_with_identity("i", 5)
    ident_d = fc.categorical_column_with_identity("j", 4, default_value=3)
    words = fc.categorical_column_with_vocabulary_list("s", ["a", "b", "c"])
    words_oov = fc.categorical_column_with_vocabulary_list(
        "s2", ["b", "zz"], num_oov_buckets=2
    )
    ints = fc.categorical_column_with_vocabulary_list("j", [4, 0, 2], default_value=1)
    vfile = fc.categorical_column_with_vocabulary_file("s", vocab_file)
    cross = fc.crossed_column([b1, "s", "i", b2], 7)
    return [
        x,
        b1,
        b2,
        fc.numeric_column("h", dtype=np.int64),
        fc.indicator_column(ident),
        fc.embedding_column(ident_d, 3, "sqrtn", initializer=_table),
        fc.indicator_column(words),
        fc.embedding_column(words_oov, 2, "mean", initializer=_table),
        fc.indicator_column(ints),
        fc.embedding_column(vfile, 2, "sum", initializer=_table),
        fc.embedding_column(cross, 4, "mean", initializer=_table),
        fc.indicator_column(fc.categorical_column_with_hash_bucket("s2", 5)),
        fc.embedding_column(
            fc.categorical_column_with_hash_bucket("h", 6, dtype=np.int32), 2
        ),
    ]


@pytest.fixture(scope="module")
def layer(tmp_path_factory):
    path = tmp_path_factory.mktemp("vocab") / "words.txt"
    path.write_text("c\nzz\na\n")
    return fc.DenseFeatures(_columns(str(path)))


@st.composite
def batches(draw):
    rows = draw(st.integers(1, 5))
    k = draw(st.integers(1, 2))  # values per row of the categorical inputs

    def column(elements, width):
        return draw(st.lists(elements, min_size=rows * width, max_size=rows * width))

    strings = np.empty(rows * k, dtype=object)
    strings[:] = column(st.sampled_from(WORDS), k)
    return {
        "x": np.array(column(st.floats(-2, 2, width=32), 2), np.float32).reshape(
            rows, 2
        ),
        "f": np.array(column(st.floats(-2, 2), 1), np.float64),  # 1-D, float64
        "i": np.array(column(st.integers(-2, 5), k), np.int32).reshape(rows, k),
        "j": np.array(column(st.integers(-2, 5), k), np.int64).reshape(rows, k),
        "h": np.array(column(st.integers(-2, 3), 1), np.int32),
        "s": strings.reshape(rows, k),
        "s2": strings[::-1].copy().reshape(rows, k),
    }


def _both(layer, batch):
    planned = np.asarray(layer(batch))
    general = np.asarray(layer(batch, cols_to_output_tensors={}))
    return planned, general


@given(batches())
def test_plan_output_is_the_general_paths_bit_for_bit(layer, batch):
    layer(batch)  # builds the tables
    assert _plan.build_plan(layer.feature_columns) is not None
    assert layer._plan.run(batch, layer._tables) is not None  # the plan ran
    planned, general = _both(layer, batch)
    assert planned.dtype == np.float32 and planned.shape == general.shape
    assert planned.tobytes() == general.tobytes()


@given(batches())
def test_the_reference_program_runs_the_compiled_ones_plan(layer, batch):
    layer(batch)
    plan = layer._plan
    twin = _kernels.reference("feature_plan").Program(*plan.spec)
    tables = [np.asarray(layer._tables[key].value) for key in plan.table_keys]
    (out, ids), (twin_out, twin_ids) = (
        plan.program.run(batch, tables),
        twin.run(batch, tables),
    )
    assert out.tobytes() == twin_out.tobytes()
    assert [(i.tolist(), k) for i, k in ids] == [(i.tolist(), k) for i, k in twin_ids]


def test_plan_gradients_are_the_general_paths(layer):
    batch = {
        "x": np.array([[0.5, 2.0], [1.0, -1.0]], np.float32),
        "f": np.array([0.25, -3.0]),
        "i": np.array([[1, -1], [3, 9]], np.int64),
        "j": np.array([[-1, -1], [3, 9]], np.int64),
        "h": np.array([5, -1], np.int32),
        "s": np.array([[b"a", b""], [b"zz", "c"]], dtype=object),
        "s2": np.array([[b"b", b"q"], [b"", b""]], dtype=object),
    }
    grads = []
    for kwargs in ({}, {"cols_to_output_tensors": {}}):
        with pl.nn.GradientTape() as tape:
            out = layer(batch, **kwargs)
            loss = pl.nn.ops.sum(out * out)
        grads.append(tape.gradient(loss, layer.trainable_weights))
    assert len(grads[0]) == len(layer.trainable_weights) == 5
    for a, b in zip(*grads):
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()


def test_inputs_the_plan_does_not_take_go_the_general_way():
    ids = fc.categorical_column_with_identity("k", 4)
    layer = fc.DenseFeatures([fc.embedding_column(ids, 2, initializer=_table)])
    sparse = pl.SparseTensor([[0, 0], [1, 1]], np.array([1, 3]), [2, 2])
    listed = {"k": [[1], [3]]}
    unsigned = {"k": np.array([[1], [2]], np.uint8)}
    for batch in ({"k": sparse}, listed, unsigned):
        layer(batch)
        assert layer._plan.run(batch, layer._tables) is None
        planned, general = _both(layer, batch)
        assert planned.tobytes() == general.tobytes()


def test_an_id_past_the_table_raises_the_general_error():
    ids = fc.categorical_column_with_identity("k", 4)
    layer = fc.DenseFeatures([fc.embedding_column(ids, 2, initializer=_table)])
    with pytest.raises(
        InvalidArgumentError, match=r"indices\[1\] = 7 is not in \[0, 4"
    ):
        layer({"k": np.array([[1], [7]])})


def test_batch_sizes_that_differ_raise_the_general_error():
    layer = fc.DenseFeatures([fc.numeric_column("a"), fc.numeric_column("b")])
    with pytest.raises(ValueError, match="Batch size"):
        layer({"a": np.zeros(3, np.float32), "b": np.zeros(2, np.float32)})


def test_strings_fed_to_a_numeric_column_raise_the_general_error():
    layer = fc.DenseFeatures([fc.numeric_column("a")])
    with pytest.raises(InvalidArgumentError, match="numeric column 'a' got strings"):
        layer({"a": np.array([b"1"], dtype=object)})


def test_columns_the_plan_does_not_know_leave_it_unbuilt():
    x = fc.numeric_column("x", normalizer_fn=np.abs)
    weighted = fc.weighted_categorical_column(
        fc.categorical_column_with_identity("k", 3), "w"
    )
    assert _plan.build_plan([x]) is None
    assert _plan.build_plan([fc.indicator_column(weighted)]) is None
    clipped = fc.embedding_column(
        fc.categorical_column_with_identity("k", 3), 2, max_norm=1.0
    )
    assert _plan.build_plan([clipped]) is None
    assert fc.DenseFeatures([x])({"x": np.array([-2.0])}).numpy().tolist() == [[2.0]]


def test_an_activity_regularizer_still_sees_the_planned_output():
    layer = fc.DenseFeatures([fc.numeric_column("a")], activity_regularizer="l2")
    out = layer({"a": np.array([3.0, 4.0], np.float32)})
    assert out.numpy().tolist() == [[3.0], [4.0]]
    assert len(layer.losses) == 1
    assert float(layer.losses[0]) > 0


def test_a_missing_feature_raises_the_general_error():
    layer = fc.DenseFeatures([fc.numeric_column("a"), fc.numeric_column("b")])
    with pytest.raises(ValueError, match="Feature b is not in features dictionary"):
        layer({"a": np.zeros(2, np.float32)})


def test_the_plan_serves_threads_at_once(no_thread_leak):
    from concurrent.futures import ThreadPoolExecutor

    words = fc.categorical_column_with_vocabulary_list("s", ["a", "b"])
    layer = fc.DenseFeatures(
        [fc.embedding_column(words, 3, initializer=_table), fc.numeric_column("x")]
    )
    batches = [
        {"s": np.array([[b"a"], [b"b"], [b""]] * (i + 1), dtype=object),
         "x": np.arange(3 * (i + 1), dtype=np.float32)}
        for i in range(8)
    ]  # fmt: skip
    expected = [np.asarray(layer(b, cols_to_output_tensors={})) for b in batches]
    with ThreadPoolExecutor(4, thread_name_prefix="pipeline-test") as pool:
        got = list(pool.map(lambda b: np.asarray(layer(b)), batches * 4))
    for i, out in enumerate(got):
        assert out.tobytes() == expected[i % 8].tobytes()


def test_a_called_layer_still_copies_and_pickles(layer):
    import copy
    import pickle

    batch = {
        "x": np.array([[0.5, 2.0]], np.float32),
        "f": np.array([0.25]),
        "i": np.array([[1]], np.int64),
        "j": np.array([[3]], np.int64),
        "h": np.array([5], np.int32),
        "s": np.array([[b"a"]], dtype=object),
        "s2": np.array([[b"zz"]], dtype=object),
    }
    want = np.asarray(layer(batch)).tobytes()  # its vocabulary tables now built
    for twin in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        assert np.asarray(twin(batch)).tobytes() == want


def test_tensor_inputs_as_a_model_passes_them_take_the_plan(layer):
    batch = {
        "x": pl.nn.Tensor(np.array([[0.5, 2.0], [1.0, 0.0]], np.float32)),
        "f": np.array([0.25, 3.0]),
        "i": pl.nn.Tensor(np.array([[1], [-1]], np.int64)),
        "j": np.array([[3], [0]], np.int64),
        "h": pl.nn.Tensor(np.array([5, 2], np.int32)),
        "s": np.array([[b"a"], [b""]], dtype=object),
        "s2": np.array([[b"zz"], [b"q"]], dtype=object),
    }
    layer(batch)
    assert layer._plan.run(batch, layer._tables) is not None
    planned, general = _both(layer, batch)
    assert planned.tobytes() == general.tobytes()
