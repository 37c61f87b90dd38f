import Foundation

public final class Transfers: NSObject, URLSessionDownloadDelegate {
    public static let shared = Transfers()
    lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.app.transfers")
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()

    public func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,
                           didFinishDownloadingTo location: URL) {}

    public func send(_ request: URLRequest) {
        let task = session.dataTask(with: request, completionHandler: { data, _, _ in print(data as Any) })
        task.resume()
    }
}
