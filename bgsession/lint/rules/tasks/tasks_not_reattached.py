"""BGS040 tasks-not-reattached:
the session's delegate looks tasks up in its own state, but nothing lists the session's tasks after a relaunch.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.project.task_state import lists_tasks, task_state_keys
from bgsession.lint.rules.base import Rule, RuleDoc


def check_tasks_not_reattached(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if lists_tasks(summary):
        return  # the app lists some session's tasks: it can find the ones a relaunch brings back
    for site in summary.background_sessions():
        keyed = task_state_keys(summary, site.delegate_type)
        if keyed:
            yield rule.report(
                site.path,
                site.fact.loc,
                f"{site.delegate_type}'s session callbacks look tasks up in its own state (by {keyed[0]}), but "
                "nothing calls getAllTasks or getTasksWithCompletionHandler on this background session; after a "
                "relaunch its tasks are unknown to that state, and their events are dropped or the transfers "
                "started twice",
            )


RULE = Rule(
    "BGS040",
    "tasks-not-reattached",
    Severity.WARNING,
    "the delegate looks tasks up in its own state, but nothing lists the session's tasks after a relaunch",
    RuleDoc(
        finds="A background session whose delegate's URLSession callbacks look per-task state up by the task, its "
        "taskIdentifier or its request (a dictionary subscript, objectForKey:), while no code of the app calls "
        "getAllTasks, getTasksWithCompletionHandler or the async tasks/allTasks on a session. Reported at the "
        "session's creation.",
        why="Background transfers outlive the process: when the app is relaunched, the re-created session "
        "receives events for tasks the new process never created, and the in-memory maps are empty. Apple's "
        "guidance (and its HLSCatalog sample) is to ask the session for its tasks after creating it "
        "(getAllTasks / getTasksWithCompletionHandler) and rebuild the state; otherwise a finished download is "
        "not moved where it belongs, its progress is never shown, or the same transfer is started again.",
        bad_swift="final class Downloads: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        "    private var destinations: [Int: URL] = [:]\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.downloads")\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {\n"
        "        guard let destination = destinations[downloadTask.taskIdentifier] else { return }\n"
        "        try? FileManager.default.moveItem(at: location, to: destination)\n"
        "    }\n}\n",
        good_swift="final class Downloads: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        "    private var destinations: [Int: URL] = [:]\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.downloads")\n'
        "        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "        session.getAllTasks { tasks in\n"
        "            for task in tasks { self.destinations[task.taskIdentifier] = Self.destination(of: task) }\n"
        "        }\n"
        "        return session\n"
        "    }()\n\n"
        "    static func destination(of task: URLSessionTask) -> URL? {\n"
        "        task.taskDescription.flatMap { URL(string: $0) }\n"
        "    }\n\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {\n"
        "        guard let destination = destinations[downloadTask.taskIdentifier] else { return }\n"
        "        try? FileManager.default.moveItem(at: location, to: destination)\n"
        "    }\n}\n",
        bad_objc="@interface Downloads : NSObject <NSURLSessionDownloadDelegate>\n"
        "@property (nonatomic, readonly) NSURLSession *session;\n"
        "@property (nonatomic, readonly) NSMutableDictionary<NSNumber *, NSURL *> *destinations;\n"
        "@end\n\n"
        "@implementation Downloads\n"
        "- (instancetype)init {\n"
        "    if ((self = [super init])) {\n"
        "        _destinations = [NSMutableDictionary dictionary];\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.dl"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    }\n    return self;\n}\n\n"
        "- (void)URLSession:(NSURLSession *)session downloadTask:(NSURLSessionDownloadTask *)downloadTask\n"
        "    didFinishDownloadingToURL:(NSURL *)location {\n"
        "    NSURL *destination = self.destinations[@(downloadTask.taskIdentifier)];\n"
        "    [[NSFileManager defaultManager] moveItemAtURL:location toURL:destination error:NULL];\n}\n@end\n",
        good_objc="@interface Downloads : NSObject <NSURLSessionDownloadDelegate>\n"
        "@property (nonatomic, readonly) NSURLSession *session;\n"
        "@property (nonatomic, readonly) NSMutableDictionary<NSNumber *, NSURL *> *destinations;\n"
        "@end\n\n"
        "@implementation Downloads\n"
        "- (instancetype)init {\n"
        "    if ((self = [super init])) {\n"
        "        _destinations = [NSMutableDictionary dictionary];\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.dl"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "        [_session getAllTasksWithCompletionHandler:^(NSArray<NSURLSessionTask *> *tasks) {\n"
        "            for (NSURLSessionTask *task in tasks) { [self restore:task]; }\n"
        "        }];\n"
        "    }\n    return self;\n}\n\n"
        "- (void)restore:(NSURLSessionTask *)task {\n"
        "    NSURL *destination = task.taskDescription ? [NSURL URLWithString:task.taskDescription] : nil;\n"
        "    if (destination) { self.destinations[@(task.taskIdentifier)] = destination; }\n}\n\n"
        "- (void)URLSession:(NSURLSession *)session downloadTask:(NSURLSessionDownloadTask *)downloadTask\n"
        "    didFinishDownloadingToURL:(NSURL *)location {\n"
        "    NSURL *destination = self.destinations[@(downloadTask.taskIdentifier)];\n"
        "    [[NSFileManager defaultManager] moveItemAtURL:location toURL:destination error:NULL];\n}\n@end\n",
        limits="Only look-ups written as a subscript or an objectForKey:/valueForKey:/removeValue(forKey:) call, in "
        "the session delegate's own URLSession callbacks (a delegate that is also the type creating the session), "
        "are seen, with the key written in the look-up (a key first bound to a local variable is not followed); "
        "matching tasks by comparison (`current == downloadTask`) or in helper methods is not. A look-up into a "
        "local the callback makes itself (from a call or a literal, such as a copy of what it reads from "
        "NSUserDefaults) is not state of the delegate's and is skipped; a local that names a property is not. Any call "
        "of getAllTasks, getTasksWithCompletionHandler, tasks or allTasks anywhere in the app (even on another "
        "session) is taken as re-attaching, and so is a file that merely names them.",
    ),
    check_tasks_not_reattached,
    lifecycle=True,
)
