"""Breadth-first search over event sequences: every rule a behaviour breaks, with its shortest trace."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from bgsession.model.behaviour import AppBehaviour
from bgsession.model.lifecycle import State, Transition, apply_enabled, enabled_events, initial_state
from bgsession.model.world import World

DEFAULT_BOUND = 9


@dataclass(frozen=True, slots=True)
class Trace:
    """The shortest event sequence that breaks a rule: numbered-ready sentences, then the verdict."""

    code: str
    steps: tuple[str, ...]
    verdict: str

    def lines(self) -> list[str]:
        """The trace as numbered sentences, the verdict last (`--explain` prints these)."""
        numbered = [f"{index}. {sentence}" for index, sentence in enumerate(self.steps, start=1)]
        return [*numbered, f"→ {self.verdict}"]


@dataclass(frozen=True, slots=True)
class _Node:
    world: World
    parent: _Node | None
    sentences: tuple[str, ...]
    depth: int

    def history(self) -> tuple[str, ...]:
        chunks: list[tuple[str, ...]] = []
        node: _Node | None = self
        while node is not None:
            chunks.append(node.sentences)
            node = node.parent
        return tuple(sentence for chunk in reversed(chunks) for sentence in chunk)


def explore(behaviour: AppBehaviour, bound: int = DEFAULT_BOUND) -> dict[str, Trace]:
    """Run every event sequence of up to `bound` events; return each violated code's shortest trace.

    Breadth-first order makes the first trace found for a code a shortest one. States already
    visited at a smaller depth are not expanded again, which keeps the search small.
    """
    start = initial_state(behaviour)
    found: dict[str, Trace] = {}
    seen: set[World] = {start.world}
    queue: deque[_Node] = deque([_Node(start.world, None, (), 0)])
    while queue:
        node = queue.popleft()
        if node.depth >= bound:
            continue
        state = State(behaviour, node.world)
        for event in enabled_events(state):
            transition = apply_enabled(state, event)
            child = _Node(transition.state.world, node, transition.sentences, node.depth + 1)
            _record(found, child, transition)
            if child.world not in seen:
                seen.add(child.world)
                queue.append(child)
    return dict(sorted(found.items()))


def _record(found: dict[str, Trace], node: _Node, transition: Transition) -> None:
    for violation in transition.violations:
        if violation.code not in found:
            found[violation.code] = Trace(violation.code, node.history(), violation.message)
