import UIKit

@main
class AppDelegate: UIResponder, UIApplicationDelegate {
    var window: UIWindow?

    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?
    ) -> Bool {
        return true
    }

    func application(
        _ application: UIApplication,
        handleEventsForBackgroundURLSession identifier: String,
        completionHandler: @escaping () -> Void
    ) {
        switch identifier {
        case SessionIdentifier.albums:
            BackgroundEvents.shared.store(completionHandler, for: identifier)
            AlbumDownloader.shared.reconnect()
        case SessionIdentifier.uploads:
            BackgroundEvents.shared.store(completionHandler, for: identifier)
            UploadService.shared.reconnect()
        case SessionIdentifier.thumbnails:
            PBThumbnailPrefetcher.shared().backgroundCompletionHandler = completionHandler
        default:
            // Not one of ours: nothing will call it later, so finish at once.
            completionHandler()
        }
    }
}
