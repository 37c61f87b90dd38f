"""Does a fixed file parse as well as before? Counted in syntax-error nodes, the measure BGS000 uses."""

from __future__ import annotations

from bgsession.grammars import language_of, parser, prepare


def error_count(path: str, text: bytes) -> int | None:
    """The number of ERROR and MISSING nodes in the tree of `text` (None: not a source file)."""
    language = language_of(path)
    if language is None:
        return None
    tree = parser(language).parse(prepare(language, text))
    count = 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count
