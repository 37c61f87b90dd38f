"""BGS006 invalidated-session-reused:
tasks created through a stored background session that is invalidated and never re-created.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.project.invalidation import invalidated_and_reused
from bgsession.lint.rules.base import Rule, RuleDoc


def check_invalidated_session_reused(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for reuse in invalidated_and_reused(summary):
        invalidation = reuse.invalidation
        for path, task in reuse.tasks:
            yield rule.report(
                path,
                task.loc,
                f"a task created on `{invalidation.receiver}`, a background session that "
                f"{invalidation.owner.member or 'this type'} invalidates "
                f"({reuse.path.rsplit('/', 1)[-1]}:{invalidation.loc.line}) and nothing re-creates; "
                "after the invalidation, creating a task on it raises an exception",
            )


RULE = Rule(
    "BGS006",
    "invalidated-session-reused",
    Severity.ERROR,
    "tasks created through a stored background session that is invalidated and never re-created",
    RuleDoc(
        finds="A background session kept in a property of a singleton (or the app delegate), invalidated with "
        "invalidateAndCancel() or finishTasksAndInvalidate() outside the object's teardown, while the same type "
        "creates tasks through that property and never creates the session again (not from "
        "urlSession(_:didBecomeInvalidWithError:), not right after the invalidation). Reported at each task "
        "creation.",
        why="NSURLSession.h on finishTasksAndInvalidate (and invalidateAndCancel, which 'acts as' it): 'New tasks "
        "may not be created.' A task requested from the invalidated session is never run (Foundation raises or "
        "returns a dead task), so every transfer after the invalidation is lost. An app that invalidates its "
        "background session (on sign-out, say) must create a new one, with the same identifier, once "
        "urlSession(_:didBecomeInvalidWithError:) has been issued: 'it is not safe to create another background "
        "session with the same identifier until' then.",
        bad_swift="final class Downloads: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.downloads")\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n\n"
        "    func download(_ url: URL) {\n"
        "        session.downloadTask(with: url).resume()\n"
        "    }\n\n"
        "    func signOut() {\n"
        "        session.invalidateAndCancel()\n"
        "    }\n\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {}\n"
        "}\n",
        good_swift="final class Downloads: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloads()\n"
        "    private var session: URLSession!\n\n"
        "    override init() {\n"
        "        super.init()\n"
        "        session = makeSession()\n"
        "    }\n\n"
        "    private func makeSession() -> URLSession {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.downloads")\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }\n\n"
        "    func download(_ url: URL) {\n"
        "        session.downloadTask(with: url).resume()\n"
        "    }\n\n"
        "    func signOut() {\n"
        "        session.invalidateAndCancel()\n"
        "    }\n\n"
        "    func urlSession(_ session: URLSession, didBecomeInvalidWithError error: Error?) {\n"
        "        self.session = makeSession()\n"
        "    }\n\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {}\n"
        "}\n",
        bad_objc="@interface Downloads : NSObject <NSURLSessionDelegate>\n"
        "+ (instancetype)shared;\n"
        "@property (nonatomic, readonly) NSURLSession *session;\n"
        "@end\n\n"
        "@implementation Downloads\n"
        "+ (instancetype)shared {\n"
        "    static Downloads *shared;\n"
        "    static dispatch_once_t once;\n"
        "    dispatch_once(&once, ^{ shared = [[Downloads alloc] init]; });\n"
        "    return shared;\n}\n\n"
        "- (instancetype)init {\n"
        "    if ((self = [super init])) {\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.dl"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    }\n    return self;\n}\n\n"
        "- (void)download:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url] resume];\n}\n\n"
        "- (void)signOut {\n"
        "    [self.session invalidateAndCancel];\n}\n@end\n",
        good_objc="@interface Downloads : NSObject <NSURLSessionDelegate>\n"
        "+ (instancetype)shared;\n"
        "@property (nonatomic, readonly) NSURLSession *session;\n"
        "@end\n\n"
        "@implementation Downloads\n"
        "+ (instancetype)shared {\n"
        "    static Downloads *shared;\n"
        "    static dispatch_once_t once;\n"
        "    dispatch_once(&once, ^{ shared = [[Downloads alloc] init]; });\n"
        "    return shared;\n}\n\n"
        "- (instancetype)init {\n"
        "    if ((self = [super init])) {\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.dl"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    }\n    return self;\n}\n\n"
        "- (void)download:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url] resume];\n}\n\n"
        "- (void)dealloc {\n"
        "    [self.session invalidateAndCancel];\n}\n@end\n",
        limits="Judged only where the session is certainly never replaced: its holder belongs to a singleton or the "
        "app delegate, and that type creates exactly one session (a type that also builds sessions in a factory "
        "method, in didBecomeInvalidWithError or right after invalidating is assumed to re-create it, and so is a "
        "getter that creates the session when its holder is nil). "
        "Invalidation in deinit, dealloc or applicationWillTerminate is teardown, not reuse. Sessions held by "
        "other objects, tasks created on the session from other types, and the order of calls within a run are "
        "not followed.",
    ),
    check_invalidated_session_reused,
    lifecycle=True,
)
