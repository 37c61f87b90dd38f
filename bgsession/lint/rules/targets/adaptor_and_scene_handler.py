"""BGS032 adaptor-and-scene-handler:
both a delegate adaptor's handleEvents and a scene's .backgroundTask(.urlSession) handle events.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules.base import Rule, RuleDoc


def check_adaptor_and_scene(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    adaptors = judgements.adaptor_types(summary)
    handled = [fact for facts in summary.files for fact in facts.handle_events if fact.type_name in adaptors]
    if not handled:
        return
    for facts in summary.files:
        for task in facts.background_tasks:
            yield rule.report(
                facts.path,
                task.loc,
                f"the delegate adaptor's `{handled[0].type_name}` also implements "
                "handleEventsForBackgroundURLSession; which of the two receives the events is "
                "undocumented, so handle them in one place",
            )


RULE = Rule(
    "BGS032",
    "adaptor-and-scene-handler",
    Severity.WARNING,
    "both a delegate adaptor's handleEvents and a scene's .backgroundTask(.urlSession) handle events",
    RuleDoc(
        finds="A SwiftUI app whose @UIApplicationDelegateAdaptor delegate implements "
        "handleEventsForBackgroundURLSession while a scene also has .backgroundTask(.urlSession...). Reported at the "
        "modifier.",
        why="SwiftUI's own app delegate receives the UIKit call and also forwards to your adaptor; which one gets "
        "the events for an identifier is not documented, so one of the two handlers may never run. Handle "
        "background URL session events in one place.",
        bad_swift="import SwiftUI\n"
        "@main\nstruct ExampleApp: App {\n"
        "    @UIApplicationDelegateAdaptor(AppDelegate.self) var appDelegate\n"
        "    var body: some Scene {\n"
        '        WindowGroup { Text("") }\n'
        '            .backgroundTask(.urlSession("com.example.bg")) { }\n'
        "    }\n}\n"
        "final class AppDelegate: NSObject, UIApplicationDelegate {\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) { completionHandler() }\n}\n",
        good_swift="import SwiftUI\n"
        "@main\nstruct ExampleApp: App {\n"
        "    var body: some Scene {\n"
        '        WindowGroup { Text("") }\n'
        '            .backgroundTask(.urlSession("com.example.bg")) { }\n'
        "    }\n}\n",
        bad_objc="// SwiftUI apps are written in Swift; this rule has no Objective-C form.\n",
        good_objc="// SwiftUI apps are written in Swift; this rule has no Objective-C form.\n",
        limits="Reported whenever both exist, even if the adaptor's handleEvents only handles other identifiers.",
    ),
    check_adaptor_and_scene,
)
