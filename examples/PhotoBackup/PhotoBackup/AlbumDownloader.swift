import Foundation

/// Downloads whole albums in the background. One session for the life of the process.
final class AlbumDownloader: NSObject, URLSessionDownloadDelegate {
    static let shared = AlbumDownloader()

    private let storage = FileManager.default
    private let ioQueue = DispatchQueue(label: "com.example.photobackup.io")

    private lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.background(withIdentifier: SessionIdentifier.albums)
        configuration.isDiscretionary = true
        configuration.sessionSendsLaunchEvents = true
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()

    /// Touching the session is enough for the system to deliver pending events to it.
    func reconnect() {
        _ = session
    }

    func download(_ url: URL) {
        session.downloadTask(with: url).resume()
    }

    func urlSession(
        _ session: URLSession,
        downloadTask: URLSessionDownloadTask,
        didFinishDownloadingTo location: URL
    ) {
        let destination = Self.albumsFolder.appendingPathComponent(location.lastPathComponent)
        // The system deletes `location` as soon as this method returns.
        ioQueue.async {
            try? self.storage.moveItem(at: location, to: destination)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error {
            print("album download failed: \(error)")
        }
    }

    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {
        DispatchQueue.main.async {
            BackgroundEvents.shared.complete(SessionIdentifier.albums)
        }
    }

    private static var albumsFolder: URL {
        FileManager.default.urls(for: .documentDirectory, in: .userDomainMask)[0]
    }
}
