"""What ``Dataset.explain()`` shows: the plan, the optimized plan, AUTOTUNE's picks.

The optimized plan is shown only when the rewrites (``pipeline.graph.optimize``)
changed something; otherwise the one plan is labelled as run unchanged.

Example:
    >>> from pipeline.data import Dataset
    >>> print(explain_text(Dataset.range(2).prefetch(1)._node, Options()))
    plan (run as it is: the optimizer changes nothing):
      prefetch(buffer_size=1)
        range(start=0, stop=2, step=1)
"""

from __future__ import annotations

from pipeline.executor import autotune
from pipeline.executor.options import Options
from pipeline.executor.runner import optimized
from pipeline.graph.base import AUTOTUNE, Node
from pipeline.graph.caching import PrefetchNode
from pipeline.graph.optimize import plan_text

UNCHANGED = "plan (run as it is: the optimizer changes nothing):"


def explain_text(node: Node, options: Options) -> str:
    """The plan of ``node`` run with ``options``, as ``Dataset.explain()`` prints it.

    Both plans when optimizing changes the graph, else the plan once (headed
    ``UNCHANGED``); then what AUTOTUNE picks, if any stage asks for it.

    Example:
        >>> from pipeline.data import Dataset
        >>> text = explain_text(Dataset.range(3).map(abs)._node, Options())
        >>> [line for line in text.splitlines() if not line.startswith(" ")]
        ['plan:', 'optimized:', 'autotune:']
    """
    plan = optimized(node, options)
    before, after = plan_text(node), plan_text(plan)
    if before == after:
        lines = [UNCHANGED, _indent(before)]
    else:
        lines = ["plan:", _indent(before), "optimized:", _indent(after)]
    return "\n".join([*lines, *_autotune_lines(plan, options)])


def _autotune_lines(plan: Node, options: Options) -> list[str]:
    """What AUTOTUNE picks for each stage that asks for it."""
    lines: list[str] = []
    seen: set[int] = set()
    stack = [plan]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(node.parents)
        calls = getattr(node, "num_parallel_calls", None)
        if calls == AUTOTUNE:
            threads = autotune.parallelism(calls, options.num_threads)
            lines.append(f"  {node.op}: AUTOTUNE -> {threads} threads")
        if isinstance(node, PrefetchNode) and node.buffer_size == AUTOTUNE:
            lines.append(
                f"  {node.op}: AUTOTUNE -> buffer sized from element bytes and "
                f"timings within {options.memory_budget_bytes // 2**20} MiB"
            )
    return ["autotune:", *lines] if lines else []


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
