// Stub of the SwiftUI parts that background-session code touches (APPLE.md §1.5, §3.2), for
// typechecking on Linux. `backgroundTask` copies the current SDK's declaration: nonisolated, with a
// @Sendable action, which is stricter than the iOS 16/17 SDKs' declaration.
@_exported import UIKit

@MainActor @preconcurrency public protocol View {
    associatedtype Body: View
    @ViewBuilder @MainActor @preconcurrency var body: Self.Body { get }
}

@MainActor @preconcurrency public protocol Scene {
    associatedtype Body: Scene
    @SceneBuilder @MainActor @preconcurrency var body: Self.Body { get }
}

@MainActor @preconcurrency public protocol App {
    associatedtype Body: Scene
    @SceneBuilder @MainActor @preconcurrency var body: Self.Body { get }
    @MainActor @preconcurrency init()
}

extension App {
    @MainActor @preconcurrency public static func main() {}
}

// Primitive bodies. (SwiftUI uses Never for both; one type conforming to View and Scene makes
// `body`'s result builder ambiguous outside Apple's module, so each has its own here.)
public struct _PrimitiveView: View {
    public init() {}
    public var body: _PrimitiveView { self }
}

public struct _PrimitiveScene: Scene {
    public init() {}
    public var body: _PrimitiveScene { self }
}

@resultBuilder public enum ViewBuilder {
    public static func buildBlock<Content: View>(_ content: Content) -> Content { content }
}

@resultBuilder public enum SceneBuilder {
    public static func buildBlock<Content: Scene>(_ content: Content) -> Content { content }
}

public struct Text: View {
    public init(_ content: String) {}
    public var body: _PrimitiveView { _PrimitiveView() }
}

public struct WindowGroup<Content: View>: Scene {
    public init(@ViewBuilder content: () -> Content) {}
    public var body: _PrimitiveScene { _PrimitiveScene() }
}

@available(iOS 16.0, macOS 13.0, tvOS 16.0, watchOS 9.0, *)
public struct BackgroundTask<Request, Response>: Sendable {
    public static var urlSession: BackgroundTask<String, Void> { BackgroundTask<String, Void>() }
    public static func urlSession(_ identifier: String) -> BackgroundTask<Void, Void> { BackgroundTask<Void, Void>() }
    public static func urlSession(matching: @escaping @Sendable (String) -> Bool) -> BackgroundTask<String, Void> {
        BackgroundTask<String, Void>()
    }
    public static func appRefresh(_ identifier: String) -> BackgroundTask<Void, Void> { BackgroundTask<Void, Void>() }
}

public struct _BackgroundTaskScene<Content: Scene>: Scene {
    nonisolated public init() {}
    public var body: _PrimitiveScene { _PrimitiveScene() }
}

extension Scene {
    // iOS 16.0+. Linux has no iOS availability, so `gen --check` enforces this attribute with a source
    // check of its own (bgsession/gen/darwin.py) against the deployment target.
    @available(iOS 16.0, macOS 13.0, tvOS 16.0, watchOS 9.0, *)
    nonisolated public func backgroundTask<D: Sendable, R: Sendable>(
        _ task: BackgroundTask<D, R>,
        action: @escaping @Sendable (D) async -> R
    ) -> some Scene {
        _BackgroundTaskScene<Self>()
    }
}

@MainActor @preconcurrency @propertyWrapper
public struct UIApplicationDelegateAdaptor<DelegateType: NSObject & UIApplicationDelegate> {
    @MainActor @preconcurrency public init(_ delegateType: DelegateType.Type = DelegateType.self) {}
    // Darwin instantiates DelegateType; corelibs' NSObject has no required init, so this stub never does.
    @MainActor @preconcurrency public var wrappedValue: DelegateType { fatalError() }
}
