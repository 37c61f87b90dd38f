// Stub of the WatchKit background-task API (APPLE.md §1.6, §3.2), for typechecking on Linux.
@_exported import Foundation
@_exported import URLSessionStub

open class WKRefreshBackgroundTask: NSObject, @unchecked Sendable {
    open var userInfo: (any NSSecureCoding & NSObjectProtocol)? { nil }
    open func setTaskCompletedWithSnapshot(_ refreshSnapshot: Bool) {}
    @available(*, deprecated, message: "Use setTaskCompletedWithSnapshot(_:) instead")
    open func setTaskCompleted() {}
}

open class WKApplicationRefreshBackgroundTask: WKRefreshBackgroundTask, @unchecked Sendable {}

open class WKSnapshotRefreshBackgroundTask: WKRefreshBackgroundTask, @unchecked Sendable {}

open class WKURLSessionRefreshBackgroundTask: WKRefreshBackgroundTask, @unchecked Sendable {
    open var sessionIdentifier: String { "" }
}

@MainActor public protocol WKApplicationDelegate: NSObjectProtocol {
    func applicationDidFinishLaunching()
    func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>)
}

extension WKApplicationDelegate {
    public func applicationDidFinishLaunching() {}
    public func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>) {}
    @MainActor @preconcurrency public static func main() {}
}

@MainActor public protocol WKExtensionDelegate: NSObjectProtocol {
    func applicationDidFinishLaunching()
    func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>)
}

extension WKExtensionDelegate {
    public func applicationDidFinishLaunching() {}
    public func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>) {}
}

@MainActor open class WKApplication: NSObject {
    public static func shared() -> WKApplication { WKApplication() }
    open weak var delegate: (any WKApplicationDelegate)?
}
