"""What Xcode's compiler reports and Linux swiftc cannot: iOS availability, near-missed optional requirements.

Linux has no iOS platform, so `@available(iOS 16.0, *)` is inert there; and Objective-C `@optional`
members are modelled in the stubs as defaulted requirements, whose near misses swiftc reports only in
the extension that declares the conformance (Xcode reports them anywhere, as "nearly matches optional
requirement"). Both facts are read from the stub SDK's own declarations, so this check knows exactly
what the stubs declare and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_VERSION = r"(\d+(?:\.\d+){0,2})"
_AVAILABLE_ATTRIBUTE = re.compile(
    r"@available\(\s*iOS\s+" + _VERSION + r"|@available\(\s*iOS\s*,\s*introduced:\s*" + _VERSION
)
_AVAILABLE_CONDITION = re.compile(r"#available\(\s*iOS\s+" + _VERSION)
_DECLARED = re.compile(
    r"@available\(\s*iOS\s+" + _VERSION + r"[^)]*\)\s*(?:@\w+(?:\([^)]*\))?\s*)*"
    r"(?:(?:public|open|nonisolated|static|class|final|override|mutating)\s+)*"
    r"(?:func|var|let|struct|class|enum|protocol)\s+([A-Za-z_]\w*)"
)
_FUNC = re.compile(r"\bfunc\s+([A-Za-z_]\w*)\s*(?:<[^{}()]*>)?\s*\(")
_PROTOCOL = re.compile(r"\bprotocol\s+([A-Za-z_]\w*)\s*(?::\s*([^{]*))?\{")


@dataclass(frozen=True, slots=True)
class Requirement:
    protocol: str
    name: str


@dataclass(frozen=True, slots=True)
class StubFacts:
    """What the stub SDK declares: iOS-versioned members, protocol requirements, protocol refinements."""

    introduced: dict[str, tuple[int, ...]]
    requirements: tuple[Requirement, ...]
    refined_by: dict[str, frozenset[str]]


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def blank_comments_and_strings(text: str) -> str:
    """The text with comments and string literals replaced by spaces (line breaks kept), so offsets hold."""
    out = list(text)
    index, length, depth = 0, len(text), 0

    def blank(start: int, end: int) -> None:
        for position in range(start, min(end, length)):
            if out[position] != "\n":
                out[position] = " "

    while index < length:
        if text.startswith("//", index):
            end = text.find("\n", index)
            end = length if end < 0 else end
            blank(index, end)
            index = end
        elif text.startswith("/*", index):
            start, depth, index = index, 1, index + 2
            while index < length and depth:
                if text.startswith("/*", index):
                    depth, index = depth + 1, index + 2
                elif text.startswith("*/", index):
                    depth, index = depth - 1, index + 2
                else:
                    index += 1
            blank(start, index)
        elif text.startswith('"""', index):
            end = text.find('"""', index + 3)
            end = length if end < 0 else end + 3
            blank(index, end)
            index = end
        elif text[index] == '"':
            start, index = index, index + 1
            while index < length and text[index] not in '"\n':
                index += 2 if text[index] == "\\" else 1
            index += 1
            blank(start, index)
        else:
            index += 1
    return "".join(out)


def function_names(stripped: str) -> list[tuple[str, int]]:
    """Every `func` declaration's full name (`base(label:label:)`) with its offset."""
    names = []
    for match in _FUNC.finditer(stripped):
        start = match.end()
        depth, index = 1, start
        while index < len(stripped) and depth:
            depth += {"(": 1, ")": -1}.get(stripped[index], 0)
            index += 1
        labels = [_label(part) for part in _split_top_level(stripped[start : index - 1])]
        names.append((f"{match.group(1)}({''.join(f'{label}:' for label in labels if label)})", match.start(1)))
    return names


def _split_top_level(parameters: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in parameters:
        if char in "([<":
            depth += 1
        elif char in ")]>":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        parts.append("".join(current))
    return parts


def _label(parameter: str) -> str:
    head = parameter.split(":", 1)[0].split()
    return head[0] if head else ""


@cache
def stub_facts(swift_stubs: Path) -> StubFacts:
    introduced: dict[str, tuple[int, ...]] = {}
    requirements: list[Requirement] = []
    parents: dict[str, set[str]] = {}
    for source in sorted(swift_stubs.glob("*.swift")):
        stripped = blank_comments_and_strings(source.read_text(encoding="utf-8"))
        for match in _DECLARED.finditer(stripped):
            introduced[match.group(2)] = version(match.group(1))
        for match in _PROTOCOL.finditer(stripped):
            name = match.group(1)
            parents[name] = {word for word in re.findall(r"[A-Za-z_]\w*", match.group(2) or "")}
            body = _braced(stripped, match.end() - 1)
            requirements.extend(Requirement(name, full) for full, _ in function_names(body))
    refined_by: dict[str, set[str]] = {name: {name} for name in parents}
    changed = True
    while changed:
        changed = False
        for child, direct in parents.items():
            for parent in direct & refined_by.keys():
                before = len(refined_by[parent])
                refined_by[parent] |= refined_by[child]
                changed |= len(refined_by[parent]) != before
    return StubFacts(introduced, tuple(requirements), {k: frozenset(v) for k, v in refined_by.items()})


def _braced(text: str, opening: int) -> str:
    depth, index = 0, opening
    while index < len(text):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        index += 1
        if depth == 0:
            break
    return text[opening + 1 : index - 1]


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def availability_findings(path: Path, text: str, facts: StubFacts, deployment_target: tuple[int, ...]) -> list[str]:
    """Uses of iOS API newer than the deployment target outside `@available`/`#available` of that version."""
    stripped = blank_comments_and_strings(text)
    newer = {name: introduced for name, introduced in facts.introduced.items() if introduced > deployment_target}
    if not newer:
        return []
    # A member use (`.name`) or a bare call (`name(`) that is not the declaration itself.
    names = "|".join(map(re.escape, sorted(newer)))
    uses = re.compile(r"\.\s*(" + names + r")\b|(?<![\w.])(?<!func )(?<!var )(?<!let )(" + names + r")\s*\(")
    events: list[tuple[int, str, str]] = [(m.start(), "use", m.group(1) or m.group(2)) for m in uses.finditer(stripped)]
    for pattern in (_AVAILABLE_ATTRIBUTE, _AVAILABLE_CONDITION):
        events += [(m.start(), "floor", next(g for g in m.groups() if g)) for m in pattern.finditer(stripped)]
    events += [(m.start(), m.group(0), "") for m in re.finditer(r"[{}]", stripped)]
    findings = []
    floors = [deployment_target]
    pending: tuple[int, ...] | None = None
    for offset, kind, value in sorted(events):
        if kind == "floor":
            pending = max(pending or (), version(value))
        elif kind == "{":
            floors.append(max(floors[-1], pending or ()))
            pending = None
        elif kind == "}":
            if len(floors) > 1:
                floors.pop()
        elif floors[-1] < newer[value]:
            line, column = _position(text, offset)
            needed = ".".join(map(str, newer[value]))
            findings.append(
                f"{path}:{line}:{column}: error: '{value}' is only available in iOS {needed} or newer "
                f"(deployment target iOS {'.'.join(map(str, deployment_target))}); "
                f"mark the enclosing declaration @available(iOS {needed}, *)"
            )
    return findings


def near_miss_findings(path: Path, text: str, facts: StubFacts) -> list[str]:
    """Methods whose full name is a typo of an optional requirement of a protocol the file mentions."""
    stripped = blank_comments_and_strings(text)
    words = set(re.findall(r"[A-Za-z_]\w*", stripped))
    exact = {requirement.name for requirement in facts.requirements}
    candidates = [r for r in facts.requirements if facts.refined_by.get(r.protocol, frozenset()) & words]
    findings = []
    for name, offset in function_names(stripped):
        if name in exact:
            continue
        for requirement in candidates:
            if requirement.name.count(":") != name.count(":"):
                continue
            distance = _edit_distance(name, requirement.name, limit=max(1, len(requirement.name) // 12))
            if distance is not None:
                line, column = _position(text, offset)
                findings.append(
                    f"{path}:{line}:{column}: error: instance method '{name}' nearly matches optional "
                    f"requirement '{requirement.name}' of protocol '{requirement.protocol}' "
                    "(a warning in Xcode; warnings are errors here)"
                )
                break
    return findings


def _edit_distance(first: str, second: str, *, limit: int) -> int | None:
    """Levenshtein distance when it is at most `limit`, else None."""
    if abs(len(first) - len(second)) > limit:
        return None
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, 1):
        current = [row]
        for column, other in enumerate(second, 1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (char != other)))
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None
