import Foundation
final class Uploader {}
