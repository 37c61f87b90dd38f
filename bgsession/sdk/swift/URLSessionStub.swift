// Stub of Foundation's URLSession API as iOS declares it, for typechecking generated code on Linux.
//
// Linux Foundation marks background(withIdentifier:) unavailable, lacks sessionSendsLaunchEvents and
// urlSessionDidFinishEvents, and makes sharedContainerIdentifier read-only, so this module stands in
// for the Darwin declarations (APPLE.md §1.1-1.3, §3.1). Objective-C `@optional` protocol members are
// requirements with default implementations, as swift-corelibs-foundation does: a @MainActor witness
// for a nonisolated requirement then fails exactly as it does on Darwin. Darwin also warns when a
// method nearly matches an optional requirement; Linux swiftc does that for defaulted requirements
// only in the extension that declares the conformance, so `gen --check` adds the warning itself
// (bgsession/gen/darwin.py). iOS availability (`@available(iOS 16.0, *)`) means nothing on Linux;
// the same module checks it against the deployment target. Bodies are placeholders; nothing here is
// meant to run.
@_exported import Dispatch
@_exported import Foundation

public struct URLRequest: Hashable, Sendable {
    public var url: URL?
    public var httpMethod: String?
    public var httpBody: Data?
    public var timeoutInterval: TimeInterval = 60
    public var allHTTPHeaderFields: [String: String]?
    public init(url: URL, timeoutInterval: TimeInterval = 60) {
        self.url = url
        self.timeoutInterval = timeoutInterval
    }
    public mutating func setValue(_ value: String?, forHTTPHeaderField field: String) {}
    public func value(forHTTPHeaderField field: String) -> String? { nil }
}

open class URLResponse: NSObject, NSCopying, @unchecked Sendable {
    open var url: URL? { nil }
    open var mimeType: String? { nil }
    open var expectedContentLength: Int64 { -1 }
    open var suggestedFilename: String? { nil }
    open func copy(with zone: NSZone? = nil) -> Any { self }
}

open class HTTPURLResponse: URLResponse, @unchecked Sendable {
    open var statusCode: Int { 200 }
    open var allHeaderFields: [AnyHashable: Any] { [:] }
}

open class URLCredential: NSObject, @unchecked Sendable {}

open class URLAuthenticationChallenge: NSObject, @unchecked Sendable {}

open class URLSessionConfiguration: NSObject, NSCopying, @unchecked Sendable {
    // Darwin: `- init API_DEPRECATED(..., ios(7.0, 13.0))`. Deprecated on every platform here, because
    // the stub stands in for an iOS 13+ deployment target.
    @available(*, deprecated, message: "Please use NSURLSessionConfiguration.defaultSessionConfiguration or other class methods to create instances")
    override public init() {}

    init(stub: Void) {}

    open class var `default`: URLSessionConfiguration { URLSessionConfiguration(stub: ()) }
    open class var ephemeral: URLSessionConfiguration { URLSessionConfiguration(stub: ()) }

    @available(iOS 8.0, macOS 10.10, watchOS 2.0, tvOS 9.0, *)
    open class func background(withIdentifier identifier: String) -> URLSessionConfiguration {
        URLSessionConfiguration(stub: ())
    }

    // Darwin: API_DEPRECATED_WITH_REPLACEMENT(..., ios(7.0, 8.0)). Deprecated on every platform here,
    // because the stub stands in for an iOS 8+ deployment target.
    @available(*, deprecated, renamed: "background(withIdentifier:)")
    open class func backgroundSessionConfiguration(_ identifier: String) -> URLSessionConfiguration {
        URLSessionConfiguration(stub: ())
    }

    open var identifier: String? { nil }
    open var timeoutIntervalForRequest: TimeInterval = 60
    open var timeoutIntervalForResource: TimeInterval = 604_800
    open var allowsCellularAccess: Bool = true
    open var allowsExpensiveNetworkAccess: Bool = true
    open var allowsConstrainedNetworkAccess: Bool = true
    open var waitsForConnectivity: Bool = false
    open var isDiscretionary: Bool = false
    open var sharedContainerIdentifier: String?
    open var sessionSendsLaunchEvents: Bool = true
    open var httpAdditionalHeaders: [AnyHashable: Any]?
    open var httpMaximumConnectionsPerHost: Int = 6
    open var httpShouldSetCookies: Bool = true
    open var protocolClasses: [AnyClass]?
    @available(iOS 16.0, macOS 13.0, watchOS 9.0, tvOS 16.0, *)
    open var requiresDNSSECValidation: Bool = false

    open func copy(with zone: NSZone? = nil) -> Any { self }
}

open class URLSessionTask: NSObject, @unchecked Sendable {
    // Darwin: `- init API_DEPRECATED("Not supported", ..., ios(7.0, 13.0))`: tasks come from a session.
    @available(*, deprecated, message: "Not supported")
    override public init() {}

    init(stub: Void) {}

    public enum State: Int, Sendable {
        case running, suspended, canceling, completed
    }

    open var taskIdentifier: Int { 0 }
    open var originalRequest: URLRequest? { nil }
    open var currentRequest: URLRequest? { nil }
    open var response: URLResponse? { nil }
    open var taskDescription: String?
    open var earliestBeginDate: Date?
    open var countOfBytesClientExpectsToSend: Int64 = -1
    open var countOfBytesClientExpectsToReceive: Int64 = -1
    open var countOfBytesReceived: Int64 { 0 }
    open var countOfBytesSent: Int64 { 0 }
    open var countOfBytesExpectedToReceive: Int64 { 0 }
    open var state: URLSessionTask.State { .suspended }
    open var error: (any Error)? { nil }
    open var priority: Float = 0.5
    open var delegate: (any URLSessionTaskDelegate)?
    open func cancel() {}
    open func suspend() {}
    open func resume() {}
}

open class URLSessionDataTask: URLSessionTask, @unchecked Sendable {
    @available(*, deprecated, message: "Not supported")
    override public init() { super.init(stub: ()) }

    override init(stub: Void) { super.init(stub: ()) }
}

open class URLSessionUploadTask: URLSessionDataTask, @unchecked Sendable {
    @available(*, deprecated, message: "Not supported")
    override public init() { super.init(stub: ()) }

    override init(stub: Void) { super.init(stub: ()) }
}

open class URLSessionDownloadTask: URLSessionTask, @unchecked Sendable {
    @available(*, deprecated, message: "Not supported")
    override public init() { super.init(stub: ()) }

    override init(stub: Void) { super.init(stub: ()) }

    open func cancel(byProducingResumeData completionHandler: @escaping @Sendable (Data?) -> Void) {}
}

open class URLSession: NSObject, @unchecked Sendable {
    open class var shared: URLSession { URLSession(configuration: .default) }

    public init(configuration: URLSessionConfiguration) {
        self.configuration = configuration
        delegate = nil
        delegateQueue = OperationQueue()
    }

    public init(
        configuration: URLSessionConfiguration,
        delegate: (any URLSessionDelegate)?,
        delegateQueue queue: OperationQueue?
    ) {
        self.configuration = configuration
        self.delegate = delegate
        delegateQueue = queue ?? OperationQueue()
    }

    public let delegateQueue: OperationQueue
    public let delegate: (any URLSessionDelegate)?
    public let configuration: URLSessionConfiguration
    open var sessionDescription: String?

    open func finishTasksAndInvalidate() {}
    open func invalidateAndCancel() {}
    open func reset(completionHandler: @escaping @Sendable () -> Void) {}
    open func flush(completionHandler: @escaping @Sendable () -> Void) {}
    open func getTasksWithCompletionHandler(
        _ completionHandler: @escaping @Sendable ([URLSessionDataTask], [URLSessionUploadTask], [URLSessionDownloadTask]) -> Void
    ) {}
    open func getAllTasks(completionHandler: @escaping @Sendable ([URLSessionTask]) -> Void) {}
    open var tasks: ([URLSessionDataTask], [URLSessionUploadTask], [URLSessionDownloadTask]) {
        get async { ([], [], []) }
    }
    open var allTasks: [URLSessionTask] { get async { [] } }

    open func dataTask(with request: URLRequest) -> URLSessionDataTask { URLSessionDataTask(stub: ()) }
    open func dataTask(with url: URL) -> URLSessionDataTask { URLSessionDataTask(stub: ()) }
    open func uploadTask(with request: URLRequest, fromFile fileURL: URL) -> URLSessionUploadTask { URLSessionUploadTask(stub: ()) }
    open func uploadTask(with request: URLRequest, from bodyData: Data) -> URLSessionUploadTask { URLSessionUploadTask(stub: ()) }
    open func uploadTask(withStreamedRequest request: URLRequest) -> URLSessionUploadTask { URLSessionUploadTask(stub: ()) }
    open func downloadTask(with request: URLRequest) -> URLSessionDownloadTask { URLSessionDownloadTask(stub: ()) }
    open func downloadTask(with url: URL) -> URLSessionDownloadTask { URLSessionDownloadTask(stub: ()) }
    open func downloadTask(withResumeData resumeData: Data) -> URLSessionDownloadTask { URLSessionDownloadTask(stub: ()) }

    // Convenience routines. They compile on Darwin too; a background session throws at run time
    // (APPLE.md R12), which is the linter's job (BGS020), not the typechecker's.
    open func dataTask(
        with request: URLRequest,
        completionHandler: @escaping @Sendable (Data?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionDataTask { URLSessionDataTask(stub: ()) }
    open func dataTask(
        with url: URL,
        completionHandler: @escaping @Sendable (Data?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionDataTask { URLSessionDataTask(stub: ()) }
    open func uploadTask(
        with request: URLRequest,
        fromFile fileURL: URL,
        completionHandler: @escaping @Sendable (Data?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionUploadTask { URLSessionUploadTask(stub: ()) }
    open func uploadTask(
        with request: URLRequest,
        from bodyData: Data?,
        completionHandler: @escaping @Sendable (Data?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionUploadTask { URLSessionUploadTask(stub: ()) }
    open func downloadTask(
        with request: URLRequest,
        completionHandler: @escaping @Sendable (URL?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionDownloadTask { URLSessionDownloadTask(stub: ()) }
    open func downloadTask(
        with url: URL,
        completionHandler: @escaping @Sendable (URL?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionDownloadTask { URLSessionDownloadTask(stub: ()) }
    open func downloadTask(
        withResumeData resumeData: Data,
        completionHandler: @escaping @Sendable (URL?, URLResponse?, (any Error)?) -> Void
    ) -> URLSessionDownloadTask { URLSessionDownloadTask(stub: ()) }

    public struct AsyncBytes: AsyncSequence, Sendable {
        public typealias Element = UInt8
        public struct AsyncIterator: AsyncIteratorProtocol {
            public mutating func next() async throws -> UInt8? { nil }
        }
        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator() }
    }

    public func data(
        for request: URLRequest, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (Data, URLResponse) { (Data(), URLResponse()) }
    public func data(
        from url: URL, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (Data, URLResponse) { (Data(), URLResponse()) }
    public func upload(
        for request: URLRequest, fromFile fileURL: URL, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (Data, URLResponse) { (Data(), URLResponse()) }
    public func upload(
        for request: URLRequest, from bodyData: Data, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (Data, URLResponse) { (Data(), URLResponse()) }
    public func download(
        for request: URLRequest, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (URL, URLResponse) { (URL(fileURLWithPath: "/"), URLResponse()) }
    public func download(
        from url: URL, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (URL, URLResponse) { (URL(fileURLWithPath: "/"), URLResponse()) }
    public func bytes(
        for request: URLRequest, delegate: (any URLSessionTaskDelegate)? = nil
    ) async throws -> (AsyncBytes, URLResponse) { (AsyncBytes(), URLResponse()) }

    public enum AuthChallengeDisposition: Int, Sendable {
        case useCredential, performDefaultHandling, cancelAuthenticationChallenge, rejectProtectionSpace
    }

    public enum ResponseDisposition: Int, Sendable {
        case cancel, allow, becomeDownload, becomeStream
    }
}

public protocol URLSessionDelegate: NSObjectProtocol, Sendable {
    func urlSession(_ session: URLSession, didBecomeInvalidWithError error: (any Error)?)
    func urlSession(
        _ session: URLSession,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    )
    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession)
}

extension URLSessionDelegate {
    public func urlSession(_ session: URLSession, didBecomeInvalidWithError error: (any Error)?) {}
    public func urlSession(
        _ session: URLSession,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        completionHandler(.performDefaultHandling, nil)
    }
    public func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {}
}

public protocol URLSessionTaskDelegate: URLSessionDelegate {
    func urlSession(_ session: URLSession, didCreateTask task: URLSessionTask)
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    )
    func urlSession(_ session: URLSession, taskIsWaitingForConnectivity task: URLSessionTask)
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didSendBodyData bytesSent: Int64,
        totalBytesSent: Int64,
        totalBytesExpectedToSend: Int64
    )
    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?)
}

extension URLSessionTaskDelegate {
    public func urlSession(_ session: URLSession, didCreateTask task: URLSessionTask) {}
    public func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(request)
    }
    public func urlSession(_ session: URLSession, taskIsWaitingForConnectivity task: URLSessionTask) {}
    public func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didSendBodyData bytesSent: Int64,
        totalBytesSent: Int64,
        totalBytesExpectedToSend: Int64
    ) {}
    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {}
}

public protocol URLSessionDataDelegate: URLSessionTaskDelegate {
    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    )
    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data)
}

extension URLSessionDataDelegate {
    public func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        completionHandler(.allow)
    }
    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {}
}

public protocol URLSessionDownloadDelegate: URLSessionTaskDelegate {
    // Required, as on Darwin: no default implementation.
    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL)
    func urlSession(
        _ session: URLSession,
        downloadTask: URLSessionDownloadTask,
        didWriteData bytesWritten: Int64,
        totalBytesWritten: Int64,
        totalBytesExpectedToWrite: Int64
    )
    func urlSession(
        _ session: URLSession,
        downloadTask: URLSessionDownloadTask,
        didResumeAtOffset fileOffset: Int64,
        expectedTotalBytes: Int64
    )
}

extension URLSessionDownloadDelegate {
    public func urlSession(
        _ session: URLSession,
        downloadTask: URLSessionDownloadTask,
        didWriteData bytesWritten: Int64,
        totalBytesWritten: Int64,
        totalBytesExpectedToWrite: Int64
    ) {}
    public func urlSession(
        _ session: URLSession,
        downloadTask: URLSessionDownloadTask,
        didResumeAtOffset fileOffset: Int64,
        expectedTotalBytes: Int64
    ) {}
}

// Darwin's URLError members for background transfers (Linux Foundation's URLError lacks them).
extension URLError {
    /// The data to resume a failed or cancelled download with, from the error's user info.
    public var downloadTaskResumeData: Data? { nil }

    public enum BackgroundTaskCancelledReason: Int, Sendable {
        case userForceQuitApplication, backgroundUpdatesDisabled, insufficientSystemResources
    }

    @available(iOS 13.0, macOS 10.15, watchOS 6.0, tvOS 13.0, *)
    public var backgroundTaskCancelledReason: URLError.BackgroundTaskCancelledReason? { nil }
}
