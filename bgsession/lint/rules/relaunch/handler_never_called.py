"""BGS013 handler-never-called: the stored handler is never called from urlSessionDidFinishEvents."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.project.forwarding import handed_to_library
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_never_called(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary) or not judgements.events_delivered(summary):
        return
    delegates, complete = judgements.delegate_types(summary)
    if not delegates or not complete:
        return
    finishes = judgements.finish_implementations(summary)
    # No delegate (nor a class it inherits from) implements urlSessionDidFinishEvents: whatever calls the
    # handler elsewhere (a method JavaScript calls, a timer) is not told when the events are delivered.
    finishless = all(summary.implements_finish_events(name) is False for name in delegates)
    reported: set[str] = set()
    for path, stores in judgements.kept_handlers(summary):
        for store in stores:
            if (
                store.member in reported
                or (not finishless and summary.handler_called_anywhere(store.member))
                # Handed to a host library (BGS018): the library's own delegate calls it.
                or handed_to_library(summary, store)
                or any(
                    any(ref.method.split(":")[0] == store.member for ref in finish.helpers) for _, finish in finishes
                )
            ):
                continue
            reported.add(store.member)
            if finishes:
                # The owner's own urlSessionDidFinishEvents is where the call belongs, when it has one.
                finish_path, finish = next(
                    ((p, f) for p, f in finishes if store.type_name and f.type_name == store.type_name), finishes[0]
                )
                yield rule.report(
                    finish_path,
                    finish.loc,
                    "urlSessionDidFinishEvents does not call the completion "
                    f"handler stored in `{store.member}`; the system keeps waiting for it",
                )
            else:
                yield rule.report(
                    path,
                    store.loc,
                    f"the completion handler is stored in `{store.member}`, but no "
                    "urlSessionDidFinishEvents(forBackgroundURLSession:) on the background session's "
                    "delegate calls it",
                )


RULE = Rule(
    "BGS013",
    "handler-never-called",
    Severity.ERROR,
    "the stored handler is never called from urlSessionDidFinishEvents",
    RuleDoc(
        finds="A completion handler stored by handleEventsForBackgroundURLSession that no code calls: the "
        "background session's delegate has no urlSessionDidFinishEvents(forBackgroundURLSession:), or has one that "
        "does not call the stored handler (directly or through a helper).",
        why="urlSessionDidFinishEvents is the signal that all of the session's events have been delivered; that "
        "is when the stored handler must be called. If nothing calls it, the system keeps waiting and "
        "never takes the snapshot.",
        bad_swift=examples.swift_app(
            examples.STORE_AND_TOUCH_SWIFT,
            "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
            '        print("done")\n    }\n',
        ),
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.objc_app(
            examples.STORE_AND_TOUCH_OBJC,
            "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
            '    NSLog(@"done");\n}\n',
        ),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="Only judged when every background session's delegate is known. A stored handler called anywhere in "
        "the project (for example from a notification observer) counts as called, and so does one handed to a host "
        "library's documented property (BGS018's table): the library's delegate calls it. With SwiftUI's "
        ".backgroundTask(.urlSession), SwiftUI holds the handler; a continuation the action waits on and that is "
        "never resumed is not detected.",
    ),
    check_never_called,
    lifecycle=True,
)
