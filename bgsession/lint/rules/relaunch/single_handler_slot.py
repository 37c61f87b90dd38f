"""BGS016 single-handler-slot:
one optional property holds the handler while the app has several background identifiers.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import IdKind
from bgsession.lint.project import APP, EXTENSION, ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def identifier_count(summary: ProjectSummary) -> int:
    """How many background identifiers the app can have at once. The arms of one if/else are
    alternatives (`if (iOS 8) {…WithIdentifier:a} else {…Configuration:b}`, TWRDownloadManager): only
    one of them runs, so together they count once."""
    keys: set[tuple[str, str]] = set()
    alternatives: dict[tuple[str, int], dict[int, set[tuple[str, str]]]] = {}
    for index, site in enumerate(summary.config_sites):
        if site.target not in (APP, EXTENSION):
            continue
        key = site.count_key if site.count_key is not None else ("site", str(index))
        if site.identifier.kind is IdKind.UNSTABLE:
            # A fresh identifier per instance (a UUID): how many are alive at once is not in the code; the
            # type's sites count as one, the identifier its instance has now.
            key = ("unstable", site.fact.owner.type_name or str(index))
        if site.fact.branch is not None:
            start, arm = site.fact.branch
            alternatives.setdefault((site.path, start), {}).setdefault(arm, set()).add(key)
        else:
            keys.add(key)
    for arms in alternatives.values():
        # One arm runs: count the arm that adds the most identifiers not already counted.
        keys |= max(arms.values(), key=lambda arm: len(arm - keys))
    return len(keys)


def check_single_slot(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary):
        return
    yield from _claims_every_identifier(rule, summary)
    count = identifier_count(summary)
    if count < 2:
        return
    for path, fact in judgements.handle_events(summary):
        flow = summary.store_flow(fact)
        # A slot in the final `else` of identifier checks serves every identifier but those ruled out.
        single = [
            store for store in flow.stores if not store.keyed and not store.matched and count - store.excludes >= 2
        ]
        if single:
            yield rule.report(
                path,
                fact.loc,
                f"the completion handler is kept in the single property "
                f"`{single[0].member}`, but the app has {count} background identifiers; a second "
                "relaunch replaces the first handler, which is then never called",
            )


def _claims_every_identifier(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    """A Flutter plugin's handleEvents returning true without looking at the identifier: the engine asks each
    plugin in turn and stops at the first that returns true, so this one slot takes every other plugin's
    handler (background_downloader, flutter_uploader…), which are then never called."""
    for path, fact in judgements.handle_events(summary):
        if not (fact.claims and fact.ignores_identifier and summary.is_host_plugin(fact.type_name)):
            continue
        flow = summary.store_flow(fact)
        single = [store for store in flow.stores if not store.keyed]
        if single:
            yield rule.report(
                path,
                fact.loc,
                f"the plugin keeps every session's completion handler in the single property `{single[0].member}` "
                "and returns true without checking the identifier; the host asks plugins in turn and stops at "
                "the first that returns true, so other plugins' handlers land here and are never called",
            )


RULE = Rule(
    "BGS016",
    "single-handler-slot",
    Severity.WARNING,
    "one optional property holds the handler while the app has several background identifiers",
    RuleDoc(
        finds="handleEventsForBackgroundURLSession storing the handler in a single property, without looking at "
        "the identifier, in an app that creates two or more background identifiers (an extension's included); "
        "and a Flutter plugin's Bool-returning handleEvents that returns true for every identifier into one "
        "property (the engine stops at the first plugin that returns true, so it takes the other plugins' "
        "handlers).",
        why="The system can relaunch the app for a second identifier while the first one's events are pending "
        "(an app extension's session counts too); the second handler replaces the first, which is then never "
        "called. Keep handlers in a "
        "dictionary keyed by identifier, and look them up with session.configuration.identifier. With one "
        "identifier a single property is fine (Apple's sample does it).",
        bad_swift=examples.STORE_SWIFT
        + examples.HANDLE_SWIFT
        + "        backgroundCompletionHandler = completionHandler\n"
        "        _ = Downloads.shared.session\n        _ = Uploads.shared.session\n    }\n}\n"
        "final class Downloads: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.downloads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n" + examples.FINISH_MAIN + "}\n"
        "final class Uploads: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Uploads()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.uploads"),\n'
        "                                  delegate: self, delegateQueue: nil)\n" + examples.FINISH_MAIN + "}\n",
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.OBJC_DELEGATE
        + examples.OBJC_MANAGER_INTERFACE
        + examples.OBJC_MANAGER_INTERFACE.replace("Downloader", "Uploader")
        + "@implementation AppDelegate\n"
        + examples.OBJC_HANDLE
        + examples.STORE_AND_TOUCH_OBJC
        + "    (void)[Uploader sharedUploader].session;\n}\n@end\n"
        + examples.OBJC_MANAGER_IMPLEMENTATION
        + examples.OBJC_FINISH_MAIN
        + "@end\n"
        + examples.OBJC_MANAGER_IMPLEMENTATION.replace("Downloader", "Uploader").replace(
            "com.example.bg", "com.example.uploads"
        )
        + examples.OBJC_FINISH_MAIN
        + "@end\n",
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="A property chosen by comparing the identifier (one per manager) counts as keyed. Identifiers "
        "computed at run time count as one each.",
    ),
    check_single_slot,
    lifecycle=True,
)
