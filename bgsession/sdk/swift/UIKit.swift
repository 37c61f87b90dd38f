// Stub of the UIKit parts that background-session code touches, as iOS declares them (APPLE.md §1.4,
// §3.2), for typechecking on Linux. UIKit's classes and UIApplicationDelegate are @MainActor
// (NS_SWIFT_UI_ACTOR); the handleEvents completion handler is neither @Sendable nor main-actor
// annotated. Optional protocol members are requirements with default implementations.
@_exported import Foundation
@_exported import URLSessionStub

@MainActor open class UIResponder: NSObject {
    override public init() {}
}

@MainActor open class UIView: UIResponder {}

@MainActor open class UIWindow: UIView {
    open var rootViewController: UIViewController?
    open func makeKeyAndVisible() {}
}

@MainActor open class UIViewController: UIResponder {
    open var view: UIView! = UIView()
    open func viewDidLoad() {}
    open func viewWillAppear(_ animated: Bool) {}
    open func viewDidAppear(_ animated: Bool) {}
}

public struct UIBackgroundTaskIdentifier: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let invalid = UIBackgroundTaskIdentifier(rawValue: 0)
}

@MainActor open class UIApplication: UIResponder {
    // Darwin: `class var shared: UIApplication { get }`, NS_EXTENSION_UNAVAILABLE_IOS. The stub is built
    // twice; the app-extension build (-D BGSESSION_APP_EXTENSION) makes it unavailable, as
    // `-application-extension` does on Darwin.
#if BGSESSION_APP_EXTENSION
    @available(*, unavailable, message: "Use view controller based solutions where appropriate instead.")
    public static let shared = UIApplication()
#else
    public static let shared = UIApplication()
#endif

    unowned(unsafe) open var delegate: (any UIApplicationDelegate)?

    public struct LaunchOptionsKey: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
    }

    public enum State: Int, Sendable {
        case active, inactive, background
    }

    open var applicationState: UIApplication.State { .active }

    nonisolated public func beginBackgroundTask(
        withName taskName: String?,
        expirationHandler handler: (@MainActor @Sendable () -> Void)? = nil
    ) -> UIBackgroundTaskIdentifier { .invalid }

    nonisolated public func endBackgroundTask(_ identifier: UIBackgroundTaskIdentifier) {}
}

@MainActor public protocol UIApplicationDelegate: NSObjectProtocol {
    var window: UIWindow? { get set }
    func application(
        _ application: UIApplication,
        willFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?
    ) -> Bool
    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?
    ) -> Bool
    func application(
        _ application: UIApplication,
        handleEventsForBackgroundURLSession identifier: String,
        completionHandler: @escaping () -> Void
    )
    func applicationDidBecomeActive(_ application: UIApplication)
    func applicationDidEnterBackground(_ application: UIApplication)
    func applicationWillEnterForeground(_ application: UIApplication)
}

extension UIApplicationDelegate {
    public var window: UIWindow? {
        get { nil }
        set {}
    }
    public func application(
        _ application: UIApplication,
        willFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?
    ) -> Bool { true }
    public func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?
    ) -> Bool { true }
    public func application(
        _ application: UIApplication,
        handleEventsForBackgroundURLSession identifier: String,
        completionHandler: @escaping () -> Void
    ) {}
    public func applicationDidBecomeActive(_ application: UIApplication) {}
    public func applicationDidEnterBackground(_ application: UIApplication) {}
    public func applicationWillEnterForeground(_ application: UIApplication) {}

    // UIKit's entry point for `@main` on an app delegate. Typecheck-only: there is no run loop here.
    @MainActor @preconcurrency public static func main() {}
}

public func UIApplicationMain(
    _ argc: Int32,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ principalClassName: String?,
    _ delegateClassName: String?
) -> Int32 { 0 }
