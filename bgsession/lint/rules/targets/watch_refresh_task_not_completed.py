"""BGS031 watch-refresh-task-not-completed:
a watchOS handle(_:) that does not complete its background tasks correctly.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_watch_tasks(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not summary.config_sites:
        return
    for facts in summary.files:
        for handler in facts.watch_handlers:
            if handler.problems:
                yield rule.report(facts.path, handler.loc, "handle(_:) " + "; it ".join(handler.problems))


RULE = Rule(
    "BGS031",
    "watch-refresh-task-not-completed",
    Severity.ERROR,
    "a watchOS handle(_:) that does not complete its background tasks correctly",
    RuleDoc(
        finds="A WKApplicationDelegate / WKExtensionDelegate `handle(_:)` (`handleBackgroundTasks:`) in an app with "
        "background sessions that completes a WKURLSessionRefreshBackgroundTask before the session's events are "
        "processed, neither completes nor keeps it, has no default branch completing other task kinds, or "
        "returns from inside its for-in loop over the tasks (the tasks not yet reached are never completed).",
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
        "@interface ExtensionDelegate : NSObject <WKApplicationDelegate>\n"
        "@property (nonatomic, strong) NSMutableArray<WKRefreshBackgroundTask *> *pending;\n"
        "@end\n"
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
        "A `return` inside a forEach closure ends only that element's call and is not an early exit. An `if` on "
        "the URL-session type without an else counts as handling the other kinds only when it ends the iteration "
        "(`continue`, or `return` in a forEach closure) and code follows it, and so does a `guard` whose else "
        "ends it. "
        "SwiftUI's .backgroundTask on watchOS is not affected.",
    ),
    check_watch_tasks,
)
