import Foundation

/// Background session identifiers. They must stay the same from launch to launch: the system
/// hands undelivered events back to whichever session is created with the same identifier.
enum SessionIdentifier {
    static let albums = "com.example.photobackup.albums"
    static let uploads = "com.example.photobackup.uploads"
    static let thumbnails = "com.example.photobackup.thumbnails"
}
