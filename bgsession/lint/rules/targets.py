"""Targets and platforms: BGS030-BGS033 (app extensions, watchOS, SwiftUI)."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.options import LintOptions
from bgsession.lint.project import EXTENSION, ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_extension_container(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    seen: set[tuple[str, int]] = set()
    for site in summary.config_sites:
        key = (site.path, site.fact.loc.line)
        if site.target == EXTENSION and not site.fact.shared_container and key not in seen:
            seen.add(key)
            yield rule.report(
                site.path,
                site.fact.loc,
                "background configuration in an app extension without "
                "sharedContainerIdentifier; the session is invalidated as soon as it is created",
            )


def check_watch_tasks(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    if not summary.config_sites:
        return
    for facts in summary.files:
        for handler in facts.watch_handlers:
            if handler.problems:
                yield rule.report(facts.path, handler.loc, "handle(_:) " + "; it ".join(handler.problems))


def _adaptor_types(summary: ProjectSummary) -> set[str]:
    return {adaptor.delegate_type for facts in summary.files for adaptor in facts.adaptors}


def check_adaptor_and_scene(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    adaptors = _adaptor_types(summary)
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


def check_adaptor_cast(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    adaptors = _adaptor_types(summary)
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


EXTENSION_SHARED_CONTAINER = Rule(
    "BGS030",
    "extension-missing-shared-container",
    Severity.ERROR,
    "a background configuration in an app extension without sharedContainerIdentifier",
    RuleDoc(
        finds="A background configuration created in an app extension (a folder whose Info.plist has an "
        "NSExtension entry) that never sets sharedContainerIdentifier.",
        why="Apple: 'If you try to create a URL session from your app extension but fail to set this property to "
        "a valid value, the URL session is invalidated upon creation'. The downloads land in the shared "
        "container, where the containing app (relaunched for the events) can reach them.",
        bad_swift="final class ShareUploader: NSObject, URLSessionDelegate {\n"
        "    static let shared = ShareUploader()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.share")\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        good_swift="final class ShareUploader: NSObject, URLSessionDelegate {\n"
        "    static let shared = ShareUploader()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.share")\n'
        '        configuration.sharedContainerIdentifier = "group.com.example"\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        bad_objc="@implementation ShareUploader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.share"];\n'
        "    return configuration;\n}\n@end\n",
        good_objc="@implementation ShareUploader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.share"];\n'
        '    configuration.sharedContainerIdentifier = @"group.com.example";\n'
        "    return configuration;\n}\n@end\n",
        limits="A file belongs to an extension when the nearest Info.plist above it (within the linted folders) "
        "declares NSExtension. The examples are linted as extension code. Whether the group identifier is valid "
        "is not checked.",
    ),
    check_extension_container,
    lifecycle=True,
)

WATCH_REFRESH_TASK = Rule(
    "BGS031",
    "watch-refresh-task-not-completed",
    Severity.ERROR,
    "a watchOS handle(_:) that does not complete its background tasks correctly",
    RuleDoc(
        finds="A WKApplicationDelegate / WKExtensionDelegate `handle(_:)` (`handleBackgroundTasks:`) in an app with "
        "background sessions that completes a WKURLSessionRefreshBackgroundTask before the session's events are "
        "processed, neither completes nor keeps it, or has no default branch completing other task kinds.",
        why="Apple: 'Defer calling the background URLSession task's setTaskCompleted() method until all the "
        "delegate method calls finish processing', and every task must be completed, or the system terminates the "
        "app when its background time runs out.",
        bad_swift="import WatchKit\n"
        "final class ExtensionDelegate: NSObject, WKApplicationDelegate {\n"
        "    func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>) {\n"
        "        for task in backgroundTasks {\n"
        "            task.setTaskCompletedWithSnapshot(false)\n"
        "        }\n    }\n}\n"
        'let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.watch")\n',
        good_swift="import WatchKit\n"
        "final class ExtensionDelegate: NSObject, WKApplicationDelegate {\n"
        "    var pending: [WKURLSessionRefreshBackgroundTask] = []\n"
        "    func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>) {\n"
        "        for task in backgroundTasks {\n"
        "            switch task {\n"
        "            case let urlTask as WKURLSessionRefreshBackgroundTask:\n"
        "                pending.append(urlTask)\n"
        "            default:\n"
        "                task.setTaskCompletedWithSnapshot(false)\n"
        "            }\n        }\n    }\n}\n"
        'let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.watch")\n',
        bad_objc="#import <WatchKit/WatchKit.h>\n"
        "@implementation ExtensionDelegate\n"
        "- (void)handleBackgroundTasks:(NSSet<WKRefreshBackgroundTask *> *)backgroundTasks {\n"
        "    for (WKRefreshBackgroundTask *task in backgroundTasks) {\n"
        "        [task setTaskCompletedWithSnapshot:NO];\n"
        "    }\n}\n@end\n"
        "NSURLSessionConfiguration *Configuration(void) {\n"
        "    return [NSURLSessionConfiguration\n"
        '        backgroundSessionConfigurationWithIdentifier:@"com.example.watch"];\n}\n',
        good_objc="#import <WatchKit/WatchKit.h>\n"
        "@implementation ExtensionDelegate\n"
        "- (void)handleBackgroundTasks:(NSSet<WKRefreshBackgroundTask *> *)backgroundTasks {\n"
        "    for (WKRefreshBackgroundTask *task in backgroundTasks) {\n"
        "        if ([task isKindOfClass:[WKURLSessionRefreshBackgroundTask class]]) {\n"
        "            [self.pending addObject:task];\n"
        "        } else {\n"
        "            [task setTaskCompletedWithSnapshot:NO];\n"
        "        }\n    }\n}\n@end\n"
        "NSURLSessionConfiguration *Configuration(void) {\n"
        "    return [NSURLSessionConfiguration\n"
        '        backgroundSessionConfigurationWithIdentifier:@"com.example.watch"];\n}\n',
        limits="Only loops over the tasks (for-in or forEach) with a switch or if on the task's type are "
        "understood; that the kept task is completed later, after urlSessionDidFinishEvents, is not checked. "
        "SwiftUI's .backgroundTask on watchOS is not affected.",
    ),
    check_watch_tasks,
)

ADAPTOR_AND_SCENE = Rule(
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

ADAPTOR_CAST = Rule(
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
        "func finish() {\n"
        "    (UIApplication.shared.delegate as? AppDelegate)?.backgroundCompletionHandler?()\n}\n",
        good_swift="import SwiftUI\n"
        "@main\nstruct ExampleApp: App {\n"
        "    @UIApplicationDelegateAdaptor(AppDelegate.self) var appDelegate\n"
        '    var body: some Scene { WindowGroup { Text("") } }\n}\n'
        "final class AppDelegate: NSObject, UIApplicationDelegate {\n"
        "    static var current: AppDelegate?\n"
        "    var backgroundCompletionHandler: (() -> Void)?\n}\n"
        "func finish() {\n"
        "    AppDelegate.current?.backgroundCompletionHandler?()\n}\n",
        bad_objc="// SwiftUI apps are written in Swift; this rule has no Objective-C form.\n",
        good_objc="// SwiftUI apps are written in Swift; this rule has no Objective-C form.\n",
        limits="Only the direct cast of UIApplication.shared.delegate is recognised.",
    ),
    check_adaptor_cast,
)
