"""``ignore_errors``: drop failed elements, count them, optionally quarantine.

Example:
    >>> from pipeline.graph.sources import ListNode
    >>> from pipeline.graph.failures import ElementFailure, is_fatal
    >>> src = ListNode((), (1, ElementFailure(ValueError("bad")), 2))
    >>> list(IterContext().build(IgnoreErrorsNode((src,))))
    [1, 2]
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from pipeline.errors import DataLossError
from pipeline.graph.base import UNKNOWN, IterContext, Node, NodeIterator
from pipeline.graph.failures import ElementFailure, is_fatal

_log = logging.getLogger("pipeline.data")


@dataclasses.dataclass(frozen=True, eq=False)
class IgnoreErrorsNode(Node):
    """``ignore_errors(log_warning=False, max_bad_records=None, quarantine=None)``."""

    log_warning: bool = False
    max_bad_records: int | None = None
    quarantine: str | None = None
    op = "ignore_errors"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        it = IgnoreErrorsIterator(ctx.build(self.parents[0]), self)
        it.registry = getattr(ctx, "watch", None) and ctx
        if it.registry is not None:  # the executor shows its counts in stats()
            it.registry.watch(it)
        return it

    def cardinality(self) -> int:
        return UNKNOWN  # as tf.data reports it, even for an infinite input

    def args(self) -> dict[str, Any]:
        return {k: v for k, v in super().args().items() if v}


class IgnoreErrorsIterator(NodeIterator):
    """Drops failures, counting elements dropped and records/bytes lost
    (`ElementFailure.lost`); ``stats()`` shows the counts since the start of
    the epoch (restores included)."""

    def __init__(self, parent: NodeIterator, node: IgnoreErrorsNode) -> None:
        super().__init__(parent)
        self.parent, self.node = parent, node
        self.bad = self.produced = self.records_lost = self.bytes_lost = 0
        self.writer: Any = None
        self.registry: Any = None

    def __next__(self) -> Any:
        while True:
            elem = next(self.parent)
            if not isinstance(elem, ElementFailure) or is_fatal(elem.exception):
                self.produced += 1
                return elem  # an interrupt or an exit is never dropped
            self._count(elem)

    def stats(self) -> dict[str, Any]:
        """Elements passed on and dropped, records and bytes lost."""
        return {
            "stage": str(self.node),
            "produced": self.produced,
            "dropped": self.bad,
            "records_lost": self.records_lost,
            "bytes_lost": self.bytes_lost,
        }

    def _count(self, failure: ElementFailure) -> None:
        self.bad += 1
        records, nbytes = failure.lost()
        self.records_lost += records
        self.bytes_lost += nbytes
        node = self.node
        if node.log_warning:
            _log.warning(
                "ignoring a bad element (%s) at %s", failure.reason(), failure.where
            )
        if node.quarantine:
            self._quarantine(failure)
        if node.max_bad_records is not None and self.bad > node.max_bad_records:
            raise DataLossError(
                f"too many bad records: expected at most {node.max_bad_records}, "
                f"got {self.bad} (last: {failure.reason()} at {failure.where})",
                **{k: v for k, v in failure.where.items() if k in _WHERE_KEYS},
            ) from failure.exception

    def _quarantine(self, failure: ElementFailure) -> None:
        if self.writer is None:
            from pipeline.io import TFRecordWriter

            self.writer = TFRecordWriter(self.node.quarantine)
        self.writer.write(quarantine_record(failure))

    def get_state(self) -> dict[str, Any]:
        lost = [self.records_lost, self.bytes_lost]
        return {"parent": self.parent.get_state(), "bad": self.bad, "lost": lost}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.bad = state["bad"]
        self.records_lost, self.bytes_lost = state.get("lost", (self.bad, 0))

    def close(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.close()
        if self.registry is not None:
            registry, self.registry = self.registry, None
            registry.retire(self)
        super().close()


_WHERE_KEYS = ("path", "offset", "record_index", "line", "column")


def quarantine_record(failure: ElementFailure) -> bytes:
    """One quarantine record: JSON header line (where, reason) + raw bytes.

    Example:
        >>> quarantine_record(ElementFailure(ValueError("x"), b"ab", {"offset": 3}))
        b'{"where": {"offset": 3}, "reason": "ValueError: x"}\\nab'
    """
    import json

    where = {k: v for k, v in failure.where.items() if isinstance(v, (str, int, float))}
    head = json.dumps({"where": where, "reason": failure.reason()})
    return head.encode() + b"\n" + (failure.raw or b"")
