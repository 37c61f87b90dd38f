// swift-tools-version: 6.0
// A command plugin that runs `bgsession lint` on a package's source targets:
//   swift package bgsession-lint [--target NAME ...] [-- bgsession lint options]
import PackageDescription

let package = Package(
    name: "BgsessionPlugin",
    products: [
        .plugin(name: "BgsessionLint", targets: ["BgsessionLint"]),
    ],
    targets: [
        .plugin(
            name: "BgsessionLint",
            capability: .command(
                intent: .custom(
                    verb: "bgsession-lint",
                    description: "Lint the package's Swift and Objective-C sources for background URLSession defects."
                ),
                // bgsession writes only its cache, into the plugin's work directory: no permissions needed.
                permissions: []
            )
        ),
    ]
)
