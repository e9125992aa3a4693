"""pipeline.io.example_sequence_message: SequenceExample serializes as TF does."""

from __future__ import annotations

import numpy as np

from pipeline.io import (
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
    VarLenFeature,
    parse_single_sequence_example,
)

# tf.train.SequenceExample(context={"c": [2.5]}, feature_lists={"a": [[1], [2, 3]]})
# .SerializeToString(), from TensorFlow 2.21.
TF_BYTES = bytes.fromhex(
    "0a0f0a0d0a0163120812060a040000204012160a140a0161120f0a051a030a01010a061a040a020203"
)


def _message():
    return SequenceExample(
        context=Features({"c": Feature(float_list=FloatList([2.5]))}),
        feature_lists=FeatureLists(
            {
                "a": FeatureList(
                    [
                        Feature(int64_list=Int64List([1])),
                        Feature(int64_list=Int64List([2, 3])),
                    ]
                )
            }
        ),
    )


def test_bytes_match_tensorflow():
    assert _message().SerializeToString() == TF_BYTES


def test_parses_back():
    ctx, lists = parse_single_sequence_example(
        _message().SerializeToString(),
        {"c": VarLenFeature(np.float32)},
        {"a": VarLenFeature(np.int64)},
    )
    assert ctx["c"].values.tolist() == [2.5]
    assert lists["a"].to_dense().tolist() == [[1, 0], [2, 3]]


def test_equality_and_empty():
    assert _message() == _message()
    assert SequenceExample().SerializeToString() == b""
    assert (
        SequenceExample(feature_lists=FeatureLists()).SerializeToString() == b"\x12\x00"
    )
    assert "FeatureList(feature=[])" in repr(FeatureLists({"x": FeatureList()}))
