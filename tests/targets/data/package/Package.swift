// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Net",
    products: [.library(name: "Net", targets: ["Net"])],
    dependencies: [.package(url: "https://example.com/x.git", from: "1.0.0")],
    targets: [
        .target(name: "Net", dependencies: [.product(name: "X", package: "x")]),
        .target(
            name: "Legacy",
            dependencies: [.target(name: "Net")],
            path: "Code/Legacy",
            exclude: ["Notes.md"]
        ),
        .testTarget(name: "NetTests", dependencies: ["Net"]),
    ]
)
