"""One meaning for "this early return picks a session by its identifier" in both languages.

An early return behind such a test is dispatch (the code below runs for every relaunch of that
session), not a once-only guard; a lookup keyed by the identifier (`sessions[identifier]`) is a cache,
so it is a once-only guard. Swift once tested `"identifier ==" in condition` and Objective-C any
`"identifier"`, which disagreed on both kinds.
"""

from __future__ import annotations

import time

import pytest

from bgsession.lint.ir.context import compares_identifier


@pytest.mark.parametrize(
    "condition",
    [
        'identifier == "com.example.bg"',
        "kIdentifier != session.configuration.identifier",
        "session.configuration.identifier == Self.identifier",
        "!identifier.hasPrefix(kPrefix)",
        "![identifier isEqualToString:kIdentifier]",
        "![kIdentifier isEqualToString:identifier]",
        "![session.configuration.identifier isEqualToString:@\"com.example.bg\"]",
        "[identifier hasPrefix:kPrefix] == NO",
    ],
)
def test_a_comparison_of_the_sessions_identifier_is_dispatch(condition: str) -> None:
    assert compares_identifier(condition)


@pytest.mark.parametrize(
    "condition",
    [
        "let = sessions[identifier]",  # a registry keyed by identifier: a cache, once per identifier
        "self.sessions[identifier] != nil",
        "let = session.configuration.identifier",
        "task.taskIdentifier == 3",  # a task's identifier, not the session's
        "self.identifierCache == nil",
        "backgroundSession == nil",
        "!_didSetUp",
    ],
)
def test_anything_else_is_not(condition: str) -> None:
    assert not compares_identifier(condition)


def test_a_long_condition_costs_linear_time() -> None:
    hostile = "== " * 50_000 + "a." * 50_000 + "identifierX" + " isEqual" * 10_000
    started = time.perf_counter()
    assert not compares_identifier(hostile)
    assert time.perf_counter() - started < 1.0
