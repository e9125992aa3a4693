"""Keras 3 callbacks: hooks that the training loop calls (see ``base``).

Example:
    >>> sorted(c.__name__ for c in (History, EarlyStopping))
    ['EarlyStopping', 'History']
"""

from __future__ import annotations

from pipeline.nn.callbacks.backup import BackupAndRestore
from pipeline.nn.callbacks.base import Callback
from pipeline.nn.callbacks.callback_list import CallbackList
from pipeline.nn.callbacks.checkpoint import ModelCheckpoint
from pipeline.nn.callbacks.early_stopping import EarlyStopping
from pipeline.nn.callbacks.history import History
from pipeline.nn.callbacks.lambda_callback import LambdaCallback
from pipeline.nn.callbacks.learning_rate import LearningRateScheduler, ReduceLROnPlateau
from pipeline.nn.callbacks.logs import CSVLogger, TerminateOnNaN
from pipeline.nn.callbacks.progbar import ProgbarLogger
from pipeline.nn.callbacks.swap_ema import SwapEMAWeights
from pipeline.nn.callbacks.tensorboard import TensorBoard

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]
