// swift-tools-version: 6.0
// A package whose library uses its background session through its delegate only.
import PackageDescription

let package = Package(
    name: "Clean",
    dependencies: [.package(path: "../bgsession-plugin")],
    targets: [.target(name: "Transfers")]
)
