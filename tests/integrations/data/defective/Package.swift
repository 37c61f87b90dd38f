// swift-tools-version: 6.0
// A package whose library hands a completion handler to a background session (BGS020).
import PackageDescription

let package = Package(
    name: "Defective",
    dependencies: [.package(path: "../bgsession-plugin")],
    targets: [.target(name: "Transfers")]
)
