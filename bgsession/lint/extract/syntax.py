"""Ancestors of syntax nodes, found from the root down.

tree-sitter keeps no parent pointers: `Node.parent` searches down from the root each time, so climbing
from a node `d` levels deep costs d² steps, which is minutes for code nested ten thousand deep. One
descent with `child_with_descendant` finds every ancestor in d steps, and the chain is kept for the
node's later questions (its scope, its context, the call around it).
"""

from __future__ import annotations

from tree_sitter import Node

from bgsession.diagnostics import Loc
from bgsession.lint import ir


class Ancestry:
    def __init__(self, root: Node) -> None:
        self._root = root
        self._chains: dict[int, list[Node]] = {}

    def of(self, node: Node) -> list[Node]:
        """The ancestors of `node`, nearest first (empty for the root)."""
        chain = self._chains.get(node.id)
        if chain is not None:
            return chain
        chain = []
        current: Node | None = self._root
        while current is not None and current.id != node.id:
            chain.append(current)
            current = current.child_with_descendant(node)
        chain.reverse()
        self._chains[node.id] = chain
        return chain

    def enclosing(self, node: Node, kinds: tuple[str, ...] | frozenset[str]) -> Node | None:
        """The nearest ancestor of one of the `kinds`."""
        return next((ancestor for ancestor in self.of(node) if ancestor.type in kinds), None)


def unique(nodes: list[Node]) -> list[Node]:
    seen: set[tuple[int, int]] = set()
    result = []
    for node in nodes:
        key = (node.start_byte, node.end_byte)
        if key not in seen:
            seen.add(key)
            result.append(node)
    return sorted(result, key=lambda n: n.start_byte)


def one_based(start: tuple[int, int], end: tuple[int, int]) -> tuple[int, int, int, int]:
    """The one conversion to bgsession's positions: 0-based (row, byte column) points, as tree-sitter
    gives them and as the suppression scanner counts them, to 1-based (line, column, end line, end column)."""
    return start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1


def node_loc(node: Node) -> Loc:
    return Loc(*one_based(node.start_point, node.end_point))


def pos(node: Node) -> ir.Pos:
    return ir.Pos(*one_based(node.start_point, node.end_point), node.start_byte, node.end_byte)


def text(node: Node | None) -> str:
    if node is None:
        return ""
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""
