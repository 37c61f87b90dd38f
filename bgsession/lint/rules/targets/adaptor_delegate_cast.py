"""BGS033 adaptor-delegate-cast:
`UIApplication.shared.delegate as? AppDelegate` in an app that uses @UIApplicationDelegateAdaptor.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules.base import Rule, RuleDoc


def check_adaptor_cast(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    adaptors = judgements.adaptor_types(summary)
    if not adaptors:
        return
    for facts in summary.files:
        for cast in facts.casts:
            if cast.type_name in adaptors:
                yield rule.report(
                    facts.path,
                    cast.loc,
                    f"`UIApplication.shared.delegate` is SwiftUI's own delegate "
                    f"in an app that uses @UIApplicationDelegateAdaptor, so the cast to "
                    f"`{cast.type_name}` is always nil; keep a reference to the adaptor's object "
                    "instead",
                )


RULE = Rule(
    "BGS033",
    "adaptor-delegate-cast",
    Severity.ERROR,
    "`UIApplication.shared.delegate as? AppDelegate` in an app that uses @UIApplicationDelegateAdaptor",
    RuleDoc(
        finds="A cast of UIApplication.shared.delegate to the class installed with @UIApplicationDelegateAdaptor.",
        why="In a SwiftUI app the application's delegate is SwiftUI's own object, which forwards to yours; the "
        "cast yields nil, so a completion handler stored on your delegate is never found and never called. "
        "Reach your delegate through the adaptor's wrapped value or a shared instance.",
        bad_swift="import SwiftUI\n"
        "@main\nstruct ExampleApp: App {\n"
        "    @UIApplicationDelegateAdaptor(AppDelegate.self) var appDelegate\n"
        '    var body: some Scene { WindowGroup { Text("") } }\n}\n'
        "final class AppDelegate: NSObject, UIApplicationDelegate {\n"
        "    var backgroundCompletionHandler: (() -> Void)?\n}\n"
        "@MainActor func finish() {\n"
        "    (UIApplication.shared.delegate as? AppDelegate)?.backgroundCompletionHandler?()\n}\n",
        good_swift="import SwiftUI\n"
        "@main\nstruct ExampleApp: App {\n"
        "    @UIApplicationDelegateAdaptor(AppDelegate.self) var appDelegate\n"
        '    var body: some Scene { WindowGroup { Text("") } }\n}\n'
        "final class AppDelegate: NSObject, UIApplicationDelegate {\n"
        "    static var current: AppDelegate?\n"
        "    var backgroundCompletionHandler: (() -> Void)?\n}\n"
        "@MainActor func finish() {\n"
        "    AppDelegate.current?.backgroundCompletionHandler?()\n}\n",
        bad_objc="// SwiftUI apps are written in Swift; this rule has no Objective-C form.\n",
        good_objc="// SwiftUI apps are written in Swift; this rule has no Objective-C form.\n",
        limits="Only the direct cast of UIApplication.shared.delegate is recognised.",
    ),
    check_adaptor_cast,
)
