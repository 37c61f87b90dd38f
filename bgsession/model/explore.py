"""Breadth-first search over event sequences: every rule a behaviour breaks, with its shortest trace."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from bgsession.model.behaviour import AppBehaviour
from bgsession.model.lifecycle import State, Transition, apply_enabled, enabled_events, initial_state
from bgsession.model.parties import Move
from bgsession.model.world import World

DEFAULT_BOUND = 9


@dataclass(frozen=True, slots=True)
class Trace:
    """The shortest event sequence that breaks a rule: numbered-ready sentences, then the verdict.
    `moves` says who acts in each step (one per sentence) and `failing` is the index of the step at
    which the rule breaks, for reports that draw the trace as a sequence diagram."""

    code: str
    steps: tuple[str, ...]
    verdict: str
    moves: tuple[Move, ...] = ()
    failing: int = 0

    def lines(self) -> list[str]:
        """The trace as numbered sentences, the verdict last (`--explain` prints these)."""
        numbered = [f"{index}. {sentence}" for index, sentence in enumerate(self.steps, start=1)]
        return [*numbered, f"→ {self.verdict}"]


@dataclass(frozen=True, slots=True)
class _Node:
    world: World
    parent: _Node | None
    sentences: tuple[str, ...]
    moves: tuple[Move, ...]
    depth: int

    def history(self) -> tuple[tuple[str, ...], tuple[Move, ...]]:
        """Every sentence from the start to this node, and who acts in each."""
        chunks: list[_Node] = []
        node: _Node | None = self
        while node is not None:
            chunks.append(node)
            node = node.parent
        ordered = list(reversed(chunks))
        sentences = tuple(sentence for chunk in ordered for sentence in chunk.sentences)
        return sentences, tuple(move for chunk in ordered for move in chunk.moves)


def explore(behaviour: AppBehaviour, bound: int = DEFAULT_BOUND) -> dict[str, Trace]:
    """Run every event sequence of up to `bound` events; return each violated code's shortest trace.

    Breadth-first order makes the first trace found for a code a shortest one. States already
    visited at a smaller depth are not expanded again, which keeps the search small.
    """
    start = initial_state(behaviour)
    found: dict[str, Trace] = {}
    seen: set[World] = {start.world}
    queue: deque[_Node] = deque([_Node(start.world, None, (), (), 0)])
    while queue:
        node = queue.popleft()
        if node.depth >= bound:
            continue
        state = State(behaviour, node.world)
        for event in enabled_events(state):
            transition = apply_enabled(state, event)
            child = _Node(transition.state.world, node, transition.sentences, transition.moves, node.depth + 1)
            _record(found, child, transition)
            if child.world not in seen:
                seen.add(child.world)
                queue.append(child)
    return dict(sorted(found.items()))


def _record(found: dict[str, Trace], node: _Node, transition: Transition) -> None:
    for violation in transition.violations:
        if violation.code not in found:
            sentences, moves = node.history()
            # The transition's own sentences come last in the history.
            failing = len(sentences) - len(transition.sentences) + violation.step
            found[violation.code] = Trace(violation.code, sentences, violation.message, moves, failing)
