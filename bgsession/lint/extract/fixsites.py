"""The source text and byte ranges that fixes edit, recorded in the facts at extraction.

Rules see facts, never trees or bytes, so what a fix needs from the source is read here: the name of
a deprecated factory as the tree holds it, the text of the place a handler is stored in, and the
indentation a statement inserted next to another must have.
"""

from __future__ import annotations

from tree_sitter import Node

from bgsession.lint.facts import CallSite, HandlerCall, Span

_NAME_KINDS = frozenset({"simple_identifier", "identifier", "field_identifier"})
_BLANK = frozenset(b" \t")


def name_span(node: Node, name: str, before: int) -> Span | None:
    """The one identifier token spelling `name` in `node` that starts before byte `before` (the
    arguments): the method name of a call, never a word in a comment or a string."""
    found: list[Span] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.start_byte >= before:
            continue
        if current.type in _NAME_KINDS and current.text == name.encode():
            found.append(Span(current.start_byte, current.end_byte))
        stack.extend(current.children)
    return found[0] if len(found) == 1 else None


_PLAIN_MODIFIERS = frozenset({"private", "fileprivate", "internal", "public", "final"})


def lazy_property(ancestors: list[Node]) -> tuple[int, int, int] | None:
    """For a call inside a class's getter-only computed property (`var x: T { ... }`, no `get`/`set`,
    no `static`, `override`, attributes or observers): where `var` starts and the getter's braces, the
    places `lazy `, `= ` and `()` go."""
    declaration = next((node for node in ancestors if node.type == "property_declaration"), None)
    if declaration is None:
        return None
    parts = {child.type: child for child in declaration.children}
    block, binding = parts.get("computed_property"), parts.get("value_binding_pattern")
    if block is None or binding is None or binding.text != b"var" or "type_annotation" not in parts:
        return None
    if set(parts) - {"modifiers", "value_binding_pattern", "pattern", "type_annotation", "computed_property"}:
        return None
    modifiers = parts.get("modifiers")
    if modifiers is not None and not set((modifiers.text or b"").decode().split()) <= _PLAIN_MODIFIERS:
        return None
    if [child.type for child in block.children if child.type not in ("statements", "comment")] != ["{", "}"]:
        return None
    body = declaration.parent
    owner = body.parent if body is not None and body.type == "class_body" else None
    kind = owner.child_by_field_name("declaration_kind") if owner is not None else None
    if owner is None or owner.type != "class_declaration" or kind is None or kind.type != "class":
        return None
    return binding.start_byte, block.start_byte, block.end_byte


def line_indent(source: bytes, start: int, end: int) -> str | None:
    """The indentation of the line `[start, end)` stands on when nothing else does (so a statement can
    be put on a line of its own next to it), else None."""
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end == -1 else line_end
    prefix = source[line_start:start]
    if any(byte not in _BLANK for byte in prefix) or source[end:line_end].strip(b" \t\r"):
        return None
    return prefix.decode("ascii")


def with_text(source: bytes, site: CallSite) -> CallSite:
    """`site` with the text of its place, its line's indentation and (when alone there) its line."""
    text = source[site.place.start : site.place.end].decode("utf-8", "replace") if site.place else ""
    indent = line_indent(source, site.start, site.end)
    line = None
    if indent is not None:
        line_end = source.find(b"\n", site.end)
        line = Span(site.start - len(indent), len(source) if line_end == -1 else line_end + 1)
    copy_indent = line_indent(source, site.copy.start, site.copy.end) if site.copy is not None else None
    return site._replace(place_text=text, indent=indent, line=line, copy_indent=copy_indent)


def with_sites(source: bytes, calls: tuple[HandlerCall, ...]) -> tuple[HandlerCall, ...]:
    """`calls` with their sites' text filled in."""
    return tuple(call if call.site is None else call._replace(site=with_text(source, call.site)) for call in calls)


__all__ = ["CallSite", "lazy_property", "line_indent", "name_span", "with_sites", "with_text"]
