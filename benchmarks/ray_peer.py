"""Ray's own TFRecord reader without TensorFlow installed, for comparisons.

``ray.data.read_tfrecords`` parses each record with ``tf.train.Example`` (a
protobuf message class) and needs nothing else from TensorFlow. Where
TensorFlow is missing (the dev environment), `install_example_stand_in`
registers a ``tensorflow`` module whose ``train.Example`` is the generated
protobuf class of the same ``example.proto`` shipped by the ``tfrecord``
package, so Ray's code runs unchanged with the same protobuf runtime.
It is installed in Ray's worker processes only, through
``ray.init(runtime_env={"worker_process_setup_hook": HOOK})``.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

HOOK = "benchmarks.ray_peer.install_example_stand_in"


def install_example_stand_in() -> None:
    """Register the stand-in ``tensorflow`` module unless TensorFlow exists."""
    if "tensorflow" in sys.modules or importlib.util.find_spec("tensorflow"):
        return
    from tfrecord import example_pb2

    stand_in = types.ModuleType("tensorflow")
    stand_in.train = types.SimpleNamespace(Example=example_pb2.Example)
    sys.modules["tensorflow"] = stand_in


def ray_init_args() -> dict:
    """Keyword arguments of ``ray.init`` for a small local cluster."""
    return {
        "num_cpus": 2,
        "include_dashboard": False,
        "log_to_driver": False,
        "configure_logging": False,
        "runtime_env": {
            # the workers import this module by name: put the repository on
            # their path (the driver may run from anywhere, pytest included)
            "env_vars": {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            "worker_process_setup_hook": HOOK,
        },
    }
