"""Which calls of a stored handler the IR analysis recognises, and on which thread it places them."""

from __future__ import annotations

import pytest
from tree_sitter import Node

from bgsession import grammars
from bgsession.lint import ir
from bgsession.lint.extract.objc import ir as objc_ir
from bgsession.lint.extract.swift import ir as swift_ir
from bgsession.lint.facts import HandlerCall, Thread
from bgsession.lint.ir.handlers import handler_calls
from bgsession.lint.ir.scope import Scope


def _first(node: Node, kind: str) -> Node:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == kind:
            return current
        stack.extend(reversed(current.children))
    raise AssertionError(f"no {kind} in the snippet")


def swift_body(statements: str, parameters: str = "id: String") -> list[ir.Stmt]:
    """The IR of a method of `Uploader` whose body is `statements` (its first line is line 3)."""
    source = f"final class Uploader {{\n    func finish({parameters}) {{\n{statements}\n    }}\n}}\n".encode()
    tree = grammars.parse(grammars.SourceLanguage.SWIFT, source)
    function = _first(tree.root_node, "function_declaration")
    return swift_ir.body(function.child_by_field_name("body"))


def swift_calls(statements: str) -> list[HandlerCall]:
    return _calls(swift_body(statements), {"id": "String"})


def objc_calls(statements: str) -> list[HandlerCall]:
    source = f"@implementation Uploader\n- (void)finish:(NSString *)identifier {{\n{statements}\n}}\n@end\n".encode()
    tree = grammars.parse(grammars.SourceLanguage.OBJC, source)
    method = _first(tree.root_node, "method_definition")
    compound = next(c for c in method.named_children if c.type == "compound_statement")
    return _calls(objc_ir.body(compound), {"identifier": "NSString"})


def _calls(body: list[ir.Stmt], parameters: dict[str, str | None]) -> list[HandlerCall]:
    scope = Scope("Uploader", dict(parameters))
    scope.learn(body)
    calls, _ = handler_calls(body, scope)
    return calls


def _summary(calls: list[HandlerCall]) -> list[tuple[str, Thread, bool, bool]]:
    # Any `x.name()` reads as a call of a stored `name` until the project matches it against what
    # handleEvents stores (`removeAll`, `global`): only the handler members are of interest here.
    return [(call.member, call.thread, call.every, call.cleared) for call in calls if "andler" in call.member]


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        # Optional.map hands the removed handler (if any) to the closure, which calls it.
        ("handlers.removeValue(forKey: id).map { $0() }", [("handlers", Thread.DIRECT, False, True)]),
        ("handlers.removeValue(forKey: id).map { handler in handler() }", [("handlers", Thread.DIRECT, False, True)]),
        # Loops over the dictionary: the tuple's last item is the value.
        ("for (_, h) in handlers { h() }", [("handlers", Thread.DIRECT, False, False)]),
        ("for (key, h) in handlers { print(key); h() }", [("handlers", Thread.DIRECT, False, False)]),
        ("for h in handlers.values { h() }\nhandlers.removeAll()", [("handlers", Thread.DIRECT, False, True)]),
        # forEach runs its closure in line: the thread is the caller's, here the main queue's.
        (
            "DispatchQueue.main.async { self.handlers.forEach { $0.value() } }",
            [("handlers", Thread.MAIN, True, False)],
        ),
        ("handlers.forEach { _, handler in handler() }", [("handlers", Thread.DIRECT, True, False)]),
        ("handlers.values.forEach { $0() }", [("handlers", Thread.DIRECT, True, False)]),
        # A copy swapped out before the calls is still the stored handlers.
        (
            "let pending = handlers\nhandlers = [:]\npending.values.forEach { $0() }",
            [("handlers", Thread.DIRECT, True, False)],
        ),
        # The closure's own call runs later, on the queue it is sent to.
        (
            "handlers.values.forEach { h in DispatchQueue.global().async { h() } }",
            [("handlers", Thread.OFF, True, False)],
        ),
        # Shapes that already counted, kept working.
        ("if let h = handlers.removeValue(forKey: id) { h() }", [("handlers", Thread.DIRECT, False, True)]),
        ("handlers[id]?()\nhandlers[id] = nil", [("handlers", Thread.DIRECT, False, True)]),
        ("let h = handlers[id]\nhandlers.removeValue(forKey: id)\nh?()", [("handlers", Thread.DIRECT, False, True)]),
        # assumeIsolated asserts the main thread; it does not go there.
        ("MainActor.assumeIsolated { handler?() }", [("handler", Thread.DIRECT, False, False)]),
        ("Task { @MainActor in handler?() }", [("handler", Thread.MAIN, False, False)]),
    ],
)
def test_swift_calls_of_stored_handlers(statements: str, expected: list[tuple[str, Thread, bool, bool]]) -> None:
    assert _summary(swift_calls(statements)) == expected


@pytest.mark.parametrize(
    "statements",
    [
        "for (key, _) in handlers { print(key) }",
        '_ = handlers.removeValue(forKey: id).map { _ in print("dropped") }',
        # `$0` inside the inner closure is that closure's argument, not the handler.
        "handlers.values.forEach { _ in tasks.forEach { $0() } }",
        "tasks.forEach { $0.cancel() }",
        # Removed first: the lookups that follow find nothing to call.
        "handlers.removeValue(forKey: id)\nhandlers[id]?()",
        "handlers[id] = nil\nif let h = handlers[id] { h() }",
        "DispatchQueue.main.async {\n  self.handlers.removeValue(forKey: id)\n  let h = self.handlers[id]\n  h?()\n}",
    ],
)
def test_swift_shapes_that_do_not_call_a_handler(statements: str) -> None:
    assert _summary(swift_calls(statements)) == []


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            "[self.handlers enumerateKeysAndObjectsUsingBlock:^(NSString *key, void (^handler)(void), BOOL *stop) {\n"
            "    handler();\n}];",
            [("handlers", Thread.DIRECT, True, False)],
        ),
        (
            "[self.handlers.allValues enumerateObjectsUsingBlock:^(void (^handler)(void), NSUInteger i, BOOL *stop) {\n"
            "    handler();\n}];\n[self.handlers removeAllObjects];",
            [("handlers", Thread.DIRECT, True, True)],
        ),
        (
            "dispatch_async(dispatch_get_main_queue(), ^{\n"
            "    for (void (^handler)(void) in self.handlers.allValues) { handler(); }\n});",
            [("handlers", Thread.MAIN, False, False)],
        ),
        (
            "for (dispatch_block_t handler in [self.handlers allValues]) { handler(); }",
            [("handlers", Thread.DIRECT, False, False)],
        ),
    ],
)
def test_objc_calls_of_stored_handlers(statements: str, expected: list[tuple[str, Thread, bool, bool]]) -> None:
    assert _summary(objc_calls(statements)) == expected


def test_a_removal_of_another_key_or_inside_a_branch_does_not_hide_the_call() -> None:
    assert _summary(swift_calls("handlers.removeValue(forKey: other)\nhandlers[id]?()"))
    assert _summary(swift_calls("if done { handlers.removeValue(forKey: id) }\nhandlers[id]?()"))


def test_objc_lookup_after_removal_calls_nothing() -> None:
    statements = (
        "[self.handlers removeObjectForKey:identifier];\n"
        "void (^handler)(void) = self.handlers[identifier];\nif (handler) { handler(); }"
    )
    assert _summary(objc_calls(statements)) == []


def test_objc_enumeration_that_only_reads_the_keys_calls_nothing() -> None:
    statements = (
        "[self.handlers enumerateKeysAndObjectsUsingBlock:^(NSString *key, void (^handler)(void), BOOL *stop) {\n"
        '    NSLog(@"%@", key);\n}];'
    )
    assert _summary(objc_calls(statements)) == []
