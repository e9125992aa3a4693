"""Cases of tensorflow/python/data/kernel_tests/padded_batch_test.py.

TF builds the variable-length rows with ``map(lambda x: fill([x], x))``; here
a generator yields the same rows, so no tensor op is needed in the map.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, elements, spec_shapes


def _filled(api, lens):
    """A dataset of int32 vectors: ``n`` copies of ``n`` for each ``n`` in lens."""
    lens = [int(n) for n in lens]

    def rows():
        for n in lens:
            yield np.full([n], n, dtype=np.int32)

    spec = api.TensorSpec(shape=[None], dtype=np.int32)
    return api.data.Dataset.from_generator(rows, output_signature=spec)


def _filled_tuple(api, lens, strings=False):
    """(n, fill([n], n)) per n, or TF's (filled, as_string(filled), {...})."""
    lens = [int(n) for n in lens]

    def rows():
        for n in lens:
            filled = np.full([n], n, dtype=np.int32)
            if strings:
                text = np.array([str(n).encode()] * n, dtype=object)
                yield filled, text, {"structure": text}
            else:
                yield np.int32(n), filled

    vec = api.TensorSpec(shape=[None], dtype=np.int32)
    if strings:
        text = api.TensorSpec(shape=[None], dtype=api.string)
        spec = (vec, text, {"structure": text})
    else:
        spec = (api.TensorSpec(shape=[], dtype=np.int32), vec)
    return api.data.Dataset.from_generator(rows, output_signature=spec)


def _check_rows(result, lens, padded_len, pad=0):
    assert result.shape == (len(lens), padded_len)
    for row, n in zip(result, lens):
        assert row[:n].tolist() == [n] * n
        assert row[n:].tolist() == [pad] * (padded_len - n)


@pytest.mark.parametrize("drop_remainder", [True, False])
@pytest.mark.parametrize("padded_shapes", [[None], [25]])
@pytest.mark.parametrize("count", [32, 34])
def test_padded_batch_dataset(api, count, padded_shapes, drop_remainder):
    seq_lens = np.random.default_rng(count).integers(0, 20, size=count)
    ds = _filled(api, seq_lens).padded_batch(
        batch_size=4, drop_remainder=drop_remainder, padded_shapes=padded_shapes
    )
    got = elements(ds)
    full = count // 4
    assert len(got) == full + (0 if drop_remainder or count % 4 == 0 else 1)
    for i, result in enumerate(got):
        lens = seq_lens[4 * i : 4 * i + 4]
        padded_len = padded_shapes[0]
        if padded_len is None:
            padded_len = int(max(lens))
        _check_rows(result, lens, padded_len)


def test_padded_batch_short_padding(api):
    ds = _filled(api, [6, 5, 5, 5, 5]).padded_batch(batch_size=4, padded_shapes=[5])
    with pytest.raises(api.errors.DataLossError):
        list(ds)


def test_padded_batch_empty_tensors(api):
    ds = _filled(api, [0, 0, 0, 0]).padded_batch(batch_size=4, padded_shapes=[-1])
    got = elements(ds)
    assert len(got) == 1
    assert got[0].shape == (4, 0)


def test_default_padded_shapes(api):
    ds = _filled(api, [1, 2, 3, 4]).padded_batch(batch_size=2)
    assert_produces(ds, [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]])


def test_nested_default_padded_shapes(api):
    ds = _filled_tuple(api, [1, 2, 3, 4]).padded_batch(batch_size=2)
    assert_produces(
        ds,
        [([1, 2], [[1, 0], [2, 2]]), ([3, 4], [[3, 3, 3, 0], [4, 4, 4, 4]])],
    )


@pytest.mark.parametrize(
    "padding_values",
    [(-1, "<end>", {"structure": ""}), (-1, "<end>", None)],
    ids=["all", "none_in_dict"],
)
def test_padded_batch_dataset_non_default_padding(api, padding_values):
    seq_lens = np.random.default_rng(7).integers(0, 20, size=32)
    ds = _filled_tuple(api, seq_lens, strings=True).padded_batch(
        4,
        padded_shapes=([-1], [-1], {"structure": [-1]}),
        padding_values=padding_values,
    )
    got = elements(ds)
    assert len(got) == 8
    for i, (ints, text, nested) in enumerate(got):
        lens = [int(n) for n in seq_lens[4 * i : 4 * i + 4]]
        padded_len = max(lens)
        _check_rows(ints, lens, padded_len, pad=-1)
        assert text.shape == nested["structure"].shape == (4, padded_len)
        for j, n in enumerate(lens):
            assert text[j].tolist() == [str(n).encode()] * n + [b"<end>"] * (
                padded_len - n
            )
            assert nested["structure"][j].tolist() == [str(n).encode()] * n + [b""] * (
                padded_len - n
            )


def test_padded_batch_dataset_unicode(api):
    data = [
        ["Простой", "тест", "юникода"],
        ["никогда", "не", "бывает", "простым"],
    ]

    def rows():
        for seq in data:
            yield seq, [0, 1, 2, 3]

    ds = api.data.Dataset.from_generator(
        rows, (api.string, np.int32), ([None], [None])
    ).padded_batch(2, padded_shapes=([None], [None]), padding_values=("", 0))
    text, ints = elements(ds, limit=1)[0]
    assert text.tolist() == [
        [w.encode() for w in data[0]] + [b""],
        [w.encode() for w in data[1]],
    ]
    assert ints.tolist() == [[0, 1, 2, 3], [0, 1, 2, 3]]


def _unknown_shape_triple(api):
    """(int32, float32, string) of unknown rank, like the TF placeholders."""

    def rows():
        yield np.int32(1), np.float32(2.0), b"x"

    spec = (
        api.TensorSpec(shape=None, dtype=np.int32),
        api.TensorSpec(shape=None, dtype=np.float32),
        api.TensorSpec(shape=None, dtype=api.string),
    )
    return api.data.Dataset.from_generator(rows, output_signature=spec)


@pytest.mark.parametrize(
    "padded_shapes",
    [([None], [None, None], [37]), ([-1], [-1, -1], [37])],
    ids=["none", "minus_one"],
)
def test_padded_batch_dataset_shape_specifications(api, padded_shapes):
    ds = _unknown_shape_triple(api).padded_batch(32, padded_shapes=padded_shapes)
    assert spec_shapes(ds.element_spec) == (
        (None, None),
        (None, None, None),
        (None, 37),
    )


def test_padded_batch_sparse_error(api):
    st = api.SparseTensor(indices=[[0, 0]], values=[42], dense_shape=[1, 1])
    with pytest.raises(TypeError):
        api.data.Dataset.from_tensors(st).repeat(10).padded_batch(10)


def test_padded_batch_shape_error_wrong_rank(api):
    with pytest.raises(
        ValueError,
        match=r"The padded shape \(1,\) is not compatible with the shape \(\) "
        r"of the corresponding input component.",
    ):
        api.data.Dataset.range(10).padded_batch(5, padded_shapes=[1])


def test_padded_batch_shape_error_too_small(api):
    with pytest.raises(
        ValueError,
        match=r"The padded shape \(1,\) is not compatible with the shape \(3,\) "
        r"of the corresponding input component.",
    ):
        api.data.Dataset.from_tensors([1, 2, 3]).padded_batch(5, padded_shapes=[1])


def test_padded_batch_shape_error_shape_not_rank1(api):
    with pytest.raises(
        ValueError,
        match=r"Padded shape .* must be a `tf.int64` vector tensor, "
        r"but its shape was \(2, 2\).",
    ):
        api.data.Dataset.from_tensors([1, 2, 3]).padded_batch(
            5, padded_shapes=[[1, 1], [1, 1]]
        )


def test_padded_batch_shape_error_shape_not_int(api):
    with pytest.raises(
        TypeError,
        match=r"Padded shape .* must be a `tf.int64` vector tensor, "
        r"but its element type was float32.",
    ):
        api.data.Dataset.from_tensors([1, 2, 3]).padded_batch(
            5, padded_shapes=api.constant([1.5, 2.0, 3.0])
        )


def test_padded_batch_shape_error_wrong_rank_from_array(api):
    with pytest.raises(
        ValueError,
        match=r"The padded shape \(1,\) is not compatible with the shape \(\) "
        r"of the corresponding input component.",
    ):
        api.data.Dataset.range(10).padded_batch(
            5, padded_shapes=np.array([1], dtype=np.int64)
        )


def test_padded_batch_shape_error_default_shape_with_unknown_rank(api):
    ds = api.data.Dataset.from_generator(lambda: iter([1, 2, 3]), output_types=np.int32)
    with pytest.raises(ValueError, match=r"`padded_shapes`.*unknown rank"):
        ds.padded_batch(2)


def test_default_padded_value_shapes(api):
    ds = api.data.Dataset.zip((_filled(api, [1, 2, 3, 4]), _filled(api, [1, 2, 3, 4])))
    ds = ds.padded_batch(batch_size=2, padding_values=-1)
    assert_produces(
        ds,
        [
            ([[1, -1], [2, 2]], [[1, -1], [2, 2]]),
            ([[3, 3, 3, -1], [4, 4, 4, 4]], [[3, 3, 3, -1], [4, 4, 4, 4]]),
        ],
    )


def test_checkpoint_pipeline_values(api):
    # PaddedBatchCheckpointTest.testPaddedBatchNonDefaultPadding, read through.
    seq_lens = np.random.default_rng(3).integers(1, 20, size=32)

    def rows():
        for n in seq_lens:
            filled = np.full([n], n, dtype=np.int32)
            yield filled, np.array([str(n).encode()] * n, dtype=object)

    vec = api.TensorSpec(shape=[None], dtype=np.int32)
    text = api.TensorSpec(shape=[None], dtype=api.string)
    ds = api.data.Dataset.from_generator(rows, output_signature=(vec, text))
    ds = ds.padded_batch(4, padded_shapes=([-1], [-1]), padding_values=(-1, "<end>"))
    got = elements(ds)
    assert len(got) == 8
    for i, (ints, strs) in enumerate(got):
        lens = [int(n) for n in seq_lens[4 * i : 4 * i + 4]]
        _check_rows(ints, lens, max(lens), pad=-1)
        assert strs[:, -1].tolist() == [
            str(n).encode() if n == max(lens) else b"<end>" for n in lens
        ]


def test_padded_batch_ragged_error(api):
    rt = api.RaggedTensor.from_row_splits(np.array([0, 42]), np.array([0, 2], np.int64))
    with pytest.raises(TypeError):
        api.data.Dataset.from_tensors(rt).repeat(10).padded_batch(10)
