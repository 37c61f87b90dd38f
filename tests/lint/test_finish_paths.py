"""Which paths through urlSessionDidFinishEvents skip the stored handler on an unrelated condition (BGS019)."""

from __future__ import annotations

import pytest

from bgsession.lint.ir.finish_paths import skipped_calls
from bgsession.lint.ir.handlers import handler_calls
from bgsession.lint.ir.scope import Scope
from tests.lint.test_handler_calls import swift_body


def skipped_lines(statements: str) -> list[int]:
    body = swift_body(statements, "session: URLSession")
    scope = Scope("Uploader", {"session": "URLSession"})
    scope.learn(body)
    calls, _ = handler_calls(body, scope, exclude=frozenset({"session"}))
    # Line 3 is the first statement's line in swift_body's wrapper.
    return [skip.condition.line - 2 for skip in skipped_calls(body, scope, calls, "session")]


@pytest.mark.parametrize(
    ("statements", "line"),
    [
        ("guard pending.isEmpty else { return }\nhandler?()\nhandler = nil", 1),
        ("if pending.isEmpty {\n  handler?()\n  handler = nil\n}", 1),
        # A return inside a hop ends the closure; the path still ends without the call.
        ("DispatchQueue.main.async {\n  guard self.count == 0 else { return }\n  self.handler?()\n}", 2),
        ("switch state {\ncase .idle:\n  handler?()\ndefault:\n  break\n}", 1),
        # The handler is bound, so it exists; the unrelated check then skips it.
        ("guard let h = handler else { return }\nif uploads.isEmpty { return }\nh()", 2),
    ],
)
def test_paths_that_skip_the_handler(statements: str, line: int) -> None:
    assert skipped_lines(statements) == [line]


@pytest.mark.parametrize(
    "statements",
    [
        "guard let h = handler else { return }\nhandler = nil\nh()",
        "if handler == nil { return }\nhandler?()",
        'guard session.configuration.identifier == "a" else { return }\nhandler?()',
        'switch session.configuration.identifier {\ncase "a":\n  handler?()\ndefault:\n  break\n}',
        'if verbose { print("done") }\nhandler?()',
        # Which systems the code runs on is not the app's state: not judged.
        "if #available(iOS 13.0, *) {\n  handler?()\n}",
        # The call is the condition: it happens whichever branch follows.
        'if handlers.removeValue(forKey: "a")?() == nil { print("none") }',
        # Never called at all is BGS013's, not a some-paths finding.
        'guard pending.isEmpty else { return }\nprint("done")',
        # A loop containing the call counts as calling it.
        "guard ready else { for h in handlers.values { h() }; return }\nhandlers.values.forEach { $0() }",
    ],
)
def test_paths_that_are_fine(statements: str) -> None:
    assert skipped_lines(statements) == []


def test_too_many_paths_are_not_judged() -> None:
    # Each branch calls a different method, so no two paths are alike: 2**8 of them.
    branches = "\n".join(f"if flag{index} {{ step{index}() }}" for index in range(8))
    assert skipped_lines(branches + "\nguard pending.isEmpty else { return }\nhandler?()") == []
