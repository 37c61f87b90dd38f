import Foundation

/// Uploads photos to the backup server.
final class UploadService: NSObject, URLSessionTaskDelegate {
    static let shared = UploadService()

    private let server = URL(string: "https://backup.example.com/photos")!

    private var session: URLSession {
        let configuration = URLSessionConfiguration.background(withIdentifier: SessionIdentifier.uploads)
        configuration.allowsCellularAccess = false
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    func reconnect() {
        _ = session
    }

    func upload(photo: Data, named name: String) {
        var request = URLRequest(url: server.appendingPathComponent(name))
        request.httpMethod = "PUT"
        session.uploadTask(with: request, from: photo).resume()
    }

    func upload(fileAt file: URL) {
        var request = URLRequest(url: server.appendingPathComponent(file.lastPathComponent))
        request.httpMethod = "PUT"
        session.uploadTask(with: request, fromFile: file).resume()
    }

    func fetchQuota(_ done: @escaping (Int?) -> Void) {
        session.dataTask(with: server.appendingPathComponent("quota")) { data, _, _ in
            done(data.flatMap { Int(String(decoding: $0, as: UTF8.self)) })
        }.resume()
    }

    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {
        DispatchQueue.main.async {
            BackgroundEvents.shared.complete(SessionIdentifier.uploads)
        }
    }
}
