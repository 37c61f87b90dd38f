// Runs `bgsession lint` on the package's source targets; exits non-zero when it reports findings.
//
// The linter is a Python tool installed apart from the package (pipx, uv); the plugin finds it through
// BGSESSION_PATH, then PATH, then the folders pipx, uv and Homebrew install into (Xcode starts plugins
// with a minimal PATH). Its findings come back in the compiler's format (`path:line:col: error: ...`):
// each line is printed as it is, which a terminal, an editor and SwiftPM's log read, and is also
// emitted as a plugin diagnostic with its file and line, the only form Xcode turns into a clickable
// issue for a command plugin. The plugin sandbox only allows writes to the plugin's work directory, so
// the facts cache goes there.
import Foundation
import PackagePlugin

@main
struct BgsessionLint: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        let options = extractor.remainingArguments.filter { $0 != "--" }
        let targets = names.isEmpty ? context.package.targets : try context.package.targets(named: names)
        let files = targets.compactMap { $0.sourceModule }.flatMap { sources($0) }
        guard !files.isEmpty else {
            Diagnostics.warning("bgsession: no Swift or Objective-C sources in the selected targets", file: nil, line: nil)
            return
        }
        let tool = try locateBgsession()
        let workDirectory = context.pluginWorkDirectoryURL
        let cache = workDirectory.appending(path: "bgsession-cache")
        let arguments = ["lint", "--no-progress", "--cache-dir", cache.path] + options + files
        let status = try run(tool, arguments, workDirectory: workDirectory)
        switch status {
        case 0:
            return
        case 1:
            throw LintFailure.findings
        default:
            throw LintFailure.failed(status)
        }
    }
}

enum LintFailure: Error, CustomStringConvertible {
    case notInstalled, notExecutable(String), findings, failed(Int32)

    var description: String {
        switch self {
        case .notInstalled: return installAdvice
        case .notExecutable(let path): return "BGSESSION_PATH is \(path), which is not an executable file"
        case .findings: return "bgsession lint found problems in the package's sources"
        case .failed(let status): return "bgsession lint could not run (exit status \(status)); see its message above"
        }
    }
}

let installAdvice = """
    bgsession is not installed or not on PATH: install it from a checkout of its repository with \
    `pipx install ./bgsession` or `uv tool install ./bgsession` (Python 3.11 or later), or set \
    BGSESSION_PATH to the bgsession executable
    """

private let lintedSuffixes = [".swift", ".m", ".mm", ".h"]

/// The target's Swift and Objective-C files, as the manifest has them (excluded files already left out).
func sources(_ target: SourceModuleTarget) -> [String] {
    target.sourceFiles.map { $0.url.path }.filter { path in lintedSuffixes.contains { path.hasSuffix($0) } }
}

/// BGSESSION_PATH when set (it must be executable), else the first `bgsession` on PATH or in the
/// folders pipx, uv and Homebrew install into.
func locateBgsession() throws -> URL {
    let environment = ProcessInfo.processInfo.environment
    let files = FileManager.default
    if let configured = environment["BGSESSION_PATH"], !configured.isEmpty {
        guard files.isExecutableFile(atPath: configured) else { throw LintFailure.notExecutable(configured) }
        return URL(fileURLWithPath: configured)
    }
    var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
    if let home = environment["HOME"] {
        folders.append("\(home)/.local/bin")
    }
    folders += ["/opt/homebrew/bin", "/usr/local/bin"]
    for folder in folders where !folder.isEmpty {
        let candidate = URL(fileURLWithPath: folder).appending(path: "bgsession")
        if files.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
    }
    throw LintFailure.notInstalled
}

/// Runs bgsession, printing its report line by line and emitting each finding as a diagnostic, then
/// its standard error (the summary line, warnings, usage errors). Returns the exit status.
func run(_ tool: URL, _ arguments: [String], workDirectory: URL) throws -> Int32 {
    let process = Process()
    process.executableURL = tool
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    // Nothing but the cache may be written: no bytecode next to an installed bgsession.
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    // Standard error goes to a file in the work directory, so reading the report cannot block on it
    // and the summary line is printed after the findings it counts.
    let errors = workDirectory.appending(path: "bgsession-stderr.txt")
    FileManager.default.createFile(atPath: errors.path, contents: nil)
    let errorsHandle = try FileHandle(forWritingTo: errors)
    process.standardError = errorsHandle
    try process.run()
    // Read to the end before waiting: a report larger than the pipe's buffer would otherwise block bgsession.
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errorsHandle.close()
    let report = String(decoding: data, as: UTF8.self)
    // An error diagnostic fails the command whatever bgsession decided, so when bgsession passed (its
    // --fail-on or configuration let these findings through) they are emitted as warnings.
    let passed = process.terminationStatus == 0
    for line in report.split(separator: "\n") {
        print(line)
        if let finding = Finding(String(line)) {
            finding.emit(failing: !passed)
        }
    }
    if let messages = FileManager.default.contents(atPath: errors.path), !messages.isEmpty {
        FileHandle.standardError.write(messages)
    }
    return process.terminationStatus
}

/// One line of bgsession's text report: `path:line:column: severity: message [code name]`.
struct Finding {
    let path: String
    let line: Int
    let severity: String
    let message: String

    init?(_ text: String) {
        // Split from the right of the severity marker: the path itself may hold colons.
        for severity in ["error", "warning", "note"] {
            guard let marker = text.range(of: ": \(severity): ") else { continue }
            let location = text[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let line = Int(location[location.count - 2]),
                  Int(location[location.count - 1]) != nil else { continue }
            self.path = location.dropLast(2).joined(separator: ":")
            self.line = line
            self.severity = severity
            self.message = String(text[marker.upperBound...])
            return
        }
        return nil
    }

    func emit(failing: Bool) {
        switch severity {
        case "error" where failing: Diagnostics.error(message, file: path, line: line)
        case "error", "warning": Diagnostics.warning(message, file: path, line: line)
        default: Diagnostics.remark(message, file: path, line: line)
        }
    }
}
