"""`saving_registry.built`: the one place that names a bad config's error."""

from __future__ import annotations

import pytest

from pipeline.errors import ModelFormatError
from pipeline.nn import saving_registry


def _fails(error):
    def step(*args, **kwargs):
        raise error

    return step


def test_error_inside_load_scope_names_what_and_path_and_chains():
    original = IndexError("tuple index out of range")
    with saving_registry.load_scope(archive="m.keras"):
        with saving_registry.at("layers[3]", "config"):
            with pytest.raises(ModelFormatError, match=r"layer 'd'.*layers\[3\]") as e:
                saving_registry.built("layer 'd'", _fails(original))
    assert e.value.__cause__ is original
    assert e.value.config_path == "layers[3].config"
    assert e.value.member == "config.json"


def test_own_error_passes_through_build_with_its_cause_kept():
    inner_cause = KeyError("units")
    own = ModelFormatError("bad inner config")
    own.__cause__ = inner_cause

    class Box:
        @classmethod
        def from_config(cls, config):
            raise own

    with saving_registry.load_scope():
        with pytest.raises(ModelFormatError, match="bad inner config") as e:
            saving_registry.build("box", {"class_name": "Box"}, {"Box": Box})
    assert e.value is own
    assert e.value.__cause__ is inner_cause


def test_error_outside_load_scope_is_unchanged():
    original = TypeError("unexpected keyword 'x'")
    with pytest.raises(TypeError, match="unexpected keyword 'x'") as e:
        saving_registry.built("layer 'd'", _fails(original))
    assert e.value is original
    assert e.value.__cause__ is None


def test_keywords_named_like_its_parameters_reach_the_step():
    def step(what, step):
        return (what, step)

    assert saving_registry.built("w", step, what=1, step=2) == (1, 2)
