import UIKit

/// Completion handlers from `application(_:handleEventsForBackgroundURLSession:completionHandler:)`,
/// one per session identifier, called once that session's events have all been delivered.
@MainActor
final class BackgroundEvents {
    static let shared = BackgroundEvents()

    private var handlers: [String: () -> Void] = [:]

    func store(_ handler: @escaping () -> Void, for identifier: String) {
        handlers[identifier] = handler
    }

    func complete(_ identifier: String) {
        handlers.removeValue(forKey: identifier)?()
    }
}
