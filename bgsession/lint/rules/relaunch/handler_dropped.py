"""BGS011 handler-dropped: handleEventsForBackgroundURLSession neither stores nor calls the completion handler."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_dropped(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary):
        return
    for path, fact in judgements.handle_events(summary):
        if fact.async_form:
            continue
        dropping = summary.dropping_helper(fact) if not fact.drops else None
        if dropping is not None:
            yield rule.report(
                path,
                fact.loc,
                f"handleEventsForBackgroundURLSession hands the completion handler to `{dropping.method}`, which "
                "neither stores, calls nor passes it on",
            )
            continue
        if not fact.drops:
            continue
        if fact.drops_unknown_only:
            message = (
                "handleEventsForBackgroundURLSession drops the completion handler for identifiers it does not "
                "recognise; call it at once on that path"
            )
        else:
            message = "handleEventsForBackgroundURLSession neither stores nor calls the completion handler on some path"
        yield rule.report(path, fact.loc, message)


RULE = Rule(
    "BGS011",
    "handler-dropped",
    Severity.ERROR,
    "handleEventsForBackgroundURLSession neither stores nor calls the completion handler",
    RuleDoc(
        finds="An implementation of handleEventsForBackgroundURLSession with a path on which the completion handler "
        "is neither stored, passed on, nor called: no use at all, or an `if identifier == ...` without an else, or "
        "a `guard` whose else branch returns without calling it.",
        why="The handler is the only way to tell the system that the app has handled the events and its UI is "
        "ready for a new snapshot. A dropped handler is never called. For identifiers the code does not "
        "recognise (for example one from an earlier version of the app) call it at once.",
        bad_swift=examples.swift_app(
            '        if identifier == "com.example.bg" {\n'
            "            backgroundCompletionHandler = completionHandler\n"
            "            _ = Downloader.shared.session\n        }\n"
        ),
        good_swift=examples.swift_app(
            '        guard identifier == "com.example.bg" else { completionHandler(); return }\n'
            + examples.STORE_AND_TOUCH_SWIFT
        ),
        bad_objc=examples.objc_app("    [[Downloader sharedDownloader] session];\n"),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="A handler passed to a method bgsession cannot find is assumed to be handled there.",
    ),
    check_dropped,
    lifecycle=True,
)
