"""Code fragments shared by several rules' documentation examples (each example is linted by the tests)."""

from __future__ import annotations

OBJC_MANAGER_INTERFACE = (
    "@interface Downloader : NSObject <NSURLSessionDelegate>\n"
    "+ (instancetype)sharedDownloader;\n"
    "@property (nonatomic, readonly) NSURLSession *session;\n"
    "@end\n"
)


OBJC_MANAGER_IMPLEMENTATION = (
    "@implementation Downloader {\n"
    "    NSURLSession *_session;\n"
    "}\n"
    "+ (instancetype)sharedDownloader {\n"
    "    static Downloader *shared;\n"
    "    static dispatch_once_t once;\n"
    "    dispatch_once(&once, ^{ shared = [[Downloader alloc] init]; });\n"
    "    return shared;\n"
    "}\n"
    "- (NSURLSession *)session {\n"
    "    if (_session == nil) {\n"
    "        _session = [NSURLSession sessionWithConfiguration:\n"
    '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]\n'
    "            delegate:self delegateQueue:nil];\n"
    "    }\n"
    "    return _session;\n"
    "}\n"
)

# The manager as one fragment: its interface, then the start of its implementation (callers add `@end`).
OBJC_MANAGER = OBJC_MANAGER_INTERFACE + OBJC_MANAGER_IMPLEMENTATION

STORE_SWIFT = (
    "@main\n"
    "final class AppDelegate: UIResponder, UIApplicationDelegate {\n"
    "    var backgroundCompletionHandler: (() -> Void)?\n"
)


# `@unchecked Sendable`: URLSessionDelegate is Sendable, and the lazily created session is the one
# mutable stored property (APPLE.md §1.3); Swift 6 requires the class to say so.
FINISH_SWIFT = (
    "final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
    "    static let shared = Downloader()\n"
    '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
    "                                  delegate: self, delegateQueue: nil)\n"
)


HANDLE_SWIFT = (
    "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: "
    "String,\n                     completionHandler: @escaping () -> Void) {\n"
)


FINISH_MAIN = (
    "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
    "        DispatchQueue.main.async {\n"
    "            let appDelegate = UIApplication.shared.delegate as? AppDelegate\n"
    "            let handler = appDelegate?.backgroundCompletionHandler\n"
    "            appDelegate?.backgroundCompletionHandler = nil\n"
    "            handler?()\n"
    "        }\n"
    "    }\n"
)


OBJC_DELEGATE = (
    "@interface AppDelegate : UIResponder <UIApplicationDelegate>\n"
    "@property (nonatomic, copy) void (^backgroundCompletionHandler)(void);\n@end\n"
)


OBJC_HANDLE = (
    "- (void)application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)"
    "identifier\n  completionHandler:(void (^)(void))completionHandler {\n"
)


OBJC_FINISH_MAIN = (
    "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
    "    dispatch_async(dispatch_get_main_queue(), ^{\n"
    "        AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
    "        void (^handler)(void) = appDelegate.backgroundCompletionHandler;\n"
    "        appDelegate.backgroundCompletionHandler = nil;\n"
    "        if (handler) { handler(); }\n"
    "    });\n"
    "}\n"
)


def swift_app(handle_body: str, finish: str = FINISH_MAIN) -> str:
    return STORE_SWIFT + HANDLE_SWIFT + handle_body + "    }\n}\n" + FINISH_SWIFT + finish + "}\n"


def objc_app(handle_body: str, finish: str = OBJC_FINISH_MAIN) -> str:
    return (
        OBJC_DELEGATE
        + OBJC_MANAGER_INTERFACE
        + "@implementation AppDelegate\n"
        + OBJC_HANDLE
        + handle_body
        + "}\n@end\n"
        + OBJC_MANAGER_IMPLEMENTATION
        + finish
        + "@end\n"
    )


STORE_AND_TOUCH_SWIFT = (
    "        backgroundCompletionHandler = completionHandler\n        _ = Downloader.shared.session\n"
)


STORE_AND_TOUCH_OBJC = (
    "    self.backgroundCompletionHandler = completionHandler;\n    (void)[Downloader sharedDownloader].session;\n"
)


SWIFT_TASK_MANAGER = (
    "final class Downloader: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
    "    static let shared = Downloader()\n"
    '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
    "                                  delegate: self, delegateQueue: nil)\n"
    "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
    "                    didFinishDownloadingTo location: URL) {}\n"
)


SWIFT_FINDING = (
    "import Foundation\n"
    "final class Uploader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
    "    static let shared = Uploader()\n"
    "    lazy var session: URLSession = {\n"
    '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.up")\n'
)


OBJC_FINDING = (
    "@implementation Uploader\n"
    "- (NSURLSession *)session {\n"
    "    static NSURLSession *session;\n"
    "    static dispatch_once_t once;\n"
    "    dispatch_once(&once, ^{\n"
    "        NSURLSessionConfiguration *configuration =\n"
    '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.up"];\n'
)
