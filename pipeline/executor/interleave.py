"""Parallel ``interleave``: each open input is read ahead by its own thread,
and whole blocks of elements move between the threads and the consumer.

The output order is tf.data's deterministic interleave order (the sequential
reference's), whatever the thread timing; the inputs of the cycle are read
concurrently by ``pipeline-interleave-<i>`` threads (`SlotReader`).

``next_many`` (what ``batch`` pulls with) hands out many elements per call:
with every input of the cycle holding elements in its block in hand, the
output of whole turns is assembled with one slice per input
(``out[j::cycle] = slice`` for ``block_length=1``), so the cost per element
is a list copy, not a call. Where a turn reaches an empty slot, the end of
a block, a failure or the end of an input, one element goes the sequential
way (`InterleaveIterator.__next__`), which keeps every rule of the order.
With ``deterministic=False`` (the node's, else the run's option), a run comes
whole from whichever input has elements at hand, without assembling turns.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.combining import InterleaveNode
    >>> from pipeline.graph.base import IterContext
    >>> node = InterleaveNode((RangeNode((), 1, 3, 1),),
    ...     fn=lambda x: RangeNode((), 0, int(x), 1), cycle_length=2)
    >>> [int(v) for v in ParallelInterleaveIterator(IterContext(), node, 4)]
    [0, 0, 1]
"""

from __future__ import annotations

from typing import Any

from pipeline.executor.slot_reader import SlotReader
from pipeline.graph.base import IterContext, NodeIterator
from pipeline.graph.combining import InterleaveIterator, InterleaveNode

#: The most elements assembled ahead from the readers' blocks at once.
_READY_MAX = 1 << 13


class ParallelInterleaveIterator(InterleaveIterator):
    """`InterleaveIterator` whose open inputs are read ahead by threads.

    Args:
        ctx: the run context.
        node: the interleave node.
        buffer_size: elements read ahead per open input at first.
    """

    failure_is_turn = True  # TF's parallel interleave counts an error as an element

    def __init__(
        self, ctx: IterContext, node: InterleaveNode, buffer_size: int
    ) -> None:
        super().__init__(ctx, node)
        self.buffer_size = buffer_size
        #: Elements of whole turns taken from the readers' blocks, handed
        #: out from ``pos`` (``plan`` says where they came from).
        self.ready: list[Any] = []
        self.pos = 0
        self.plan: Any = None
        #: ``deterministic=False``: a run comes from whichever input has one
        self.any_order = _resolved_deterministic(ctx, node) is False

    def _open_slot(self, elem: Any, index: int) -> NodeIterator:
        inner = self.node.open(self.ctx, elem, index)
        stage = SlotReader(inner, f"{self.stage} input", self.buffer_size)
        stage.kind = f"interleave-{self.slot}"
        stage.prime()
        return stage

    def __next__(self) -> Any:
        if self.pos < len(self.ready) or self._gather_turns(_READY_MAX):
            self.pos += 1
            return self.ready[self.pos - 1]
        return super().__next__()

    def next_many(self, limit: int) -> list[Any]:
        if self.cycle == 1:
            return super().next_many(limit)
        if self.any_order and self.pos >= len(self.ready):
            run = self._any_run(limit)
            if run:
                return run
        if self.pos >= len(self.ready) and not self._gather_turns(_READY_MAX):
            return self._in_turn(limit) or [super().__next__()]
        start = self.pos
        self.pos = min(len(self.ready), start + limit)
        return self.ready[start : self.pos]

    def _any_run(self, limit: int) -> list[Any] | None:
        """A run of the first open input, from the current slot on, that has
        elements at hand (its block or its buffer): TF's non-deterministic
        order, where a slow input does not hold the others up."""
        for j in range(self.cycle):
            i = (self.slot + j) % self.cycle
            entry = self.slots[i]
            if entry is None or not entry[1].has_at_hand():
                continue
            try:
                run = entry[1].next_many(limit)
            except StopIteration:
                entry[1].close()
                self.slots[i] = None
                continue
            self.slot, self.taken = i, 0
            return run
        return None

    def _in_turn(self, limit: int) -> list[Any] | None:
        """The rest of the current slot's turn that its block in hand holds."""
        entry = self.slots[self.slot]
        if not self.taken or entry is None:
            return None
        want = min(self.node.block_length - self.taken, limit)
        count = min(want, entry[1].clean_left())
        if count == 0:
            return None
        run = entry[1].take_clean(count)
        self.taken += count
        if self.taken >= self.node.block_length:
            self._advance_slot()
        return run

    def _turn_order(self) -> tuple[list[int], int | None]:
        """The open slots in turn order from the current one, and the first
        empty slot that will be filled at its turn (None: the turns cycle
        over the open slots, the input having ended)."""
        order: list[int] = []
        for j in range(self.cycle):
            i = (self.slot + j) % self.cycle
            if self.slots[i] is not None:
                order.append(i)
            elif not self.end_of_input:
                return order, i
        return order, None

    def _gather_turns(self, limit: int) -> bool:
        """Fill ``ready`` with up to ``limit`` elements of the turns from the
        current slot, as far as the blocks in hand hold them (no waiting);
        False when there are none (the next element goes the sequential way)."""
        self._settle()
        order, stop = self._turn_order()
        if self.taken or not order:
            return False
        turns = _Turns(order, stop, self.node.block_length)
        readers = [self.slots[i][1] for i in order]
        if stop is not None:  # the turns stop at the slot to fill
            limit = min(limit, turns.cycle * turns.b)
        count = turns.limit(limit, [r.clean_left() for r in readers])
        if count <= 0:
            return False
        self.plan = (turns, readers, [r.offset for r in readers])
        self.ready = _assemble(readers, count, turns.cycle, turns.b)
        self.slot, self.taken = turns.position(count)
        return True

    def _settle(self) -> None:
        """Forget ``ready``, giving back to their readers the elements not
        handed out (so the sequential path sees the true position)."""
        if self.pos < len(self.ready):
            self._at(self.pos)
        self.ready, self.pos, self.plan = [], 0, None

    def _at(self, count: int) -> None:
        """Readers and turn as after the first ``count`` elements of ``ready``."""
        turns, readers, offsets = self.plan
        for j, reader in enumerate(readers):
            reader.offset = offsets[j] + turns.share(j, count)
        self.slot, self.taken = turns.position(count)

    def get_state(self) -> dict[str, Any]:
        if self.pos >= len(self.ready):
            return super().get_state()
        self._at(self.pos)  # the state of the true position; ``ready`` is kept
        try:
            return super().get_state()
        finally:
            self._at(len(self.ready))

    def set_state(self, state: dict[str, Any]) -> None:
        self.ready, self.pos, self.plan = [], 0, None
        super().set_state(state)

    def close(self) -> None:
        self.ready, self.pos, self.plan = [], 0, None
        super().close()


class _Turns:
    """Turns of ``b`` elements over the slots ``order`` (then ``stop``)."""

    def __init__(self, order: list[int], stop: int | None, b: int) -> None:
        self.order, self.stop, self.b = order, stop, b
        self.cycle = len(order)

    def share(self, j: int, count: int) -> int:
        """How many of the first ``count`` elements come from ``order[j]``."""
        rounds, rest = divmod(count, self.cycle * self.b)
        return rounds * self.b + min(self.b, max(0, rest - j * self.b))

    def limit(self, count: int, left: list[int]) -> int:
        """At most ``count``, and no further than the first element missing
        (``left[j]``: elements slot ``order[j]`` holds)."""
        b, cycle = self.b, self.cycle
        for j, n in enumerate(left):
            count = min(count, ((n // b) * cycle + j) * b + n % b)
        return count

    def position(self, count: int) -> tuple[int, int]:
        """``(slot, taken)`` after the first ``count`` elements."""
        turns, taken = divmod(count, self.b)
        if self.stop is not None and turns == self.cycle:
            return self.stop, taken
        return self.order[turns % self.cycle], taken


def _assemble(readers: list[SlotReader], count: int, cycle: int, b: int) -> list:
    """``count`` elements of whole turns of ``b`` over ``readers`` in order."""
    out: list[Any] = [None] * count
    rounds, rest = divmod(count, cycle * b)
    for j, reader in enumerate(readers):
        mine = rounds * b + min(b, max(0, rest - j * b))
        if mine == 0:
            break
        run = reader.take_clean(mine)
        if b == 1:
            out[j::cycle] = run
            continue
        for q in range(0, mine, b):
            at = ((q // b) * cycle + j) * b
            piece = run[q : q + b]
            out[at : at + len(piece)] = piece
    return out


def _resolved_deterministic(ctx: IterContext, node: InterleaveNode) -> Any:
    """The node's ``deterministic``, else the run's option (None: not set)."""
    if node.deterministic is not None:
        return bool(node.deterministic)
    return getattr(getattr(ctx, "options", None), "deterministic", None)
