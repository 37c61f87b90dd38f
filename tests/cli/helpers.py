"""Running the real command line in a subprocess, the way editors and CI do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

APP_DELEGATE = """\
import UIKit

@main
final class AppDelegate: UIResponder, UIApplicationDelegate {
    var backgroundCompletionHandler: (() -> Void)?

    func application(_ application: UIApplication,
                     handleEventsForBackgroundURLSession identifier: String,
                     completionHandler: @escaping () -> Void) {
        backgroundCompletionHandler = completionHandler
        _ = Downloader.shared.session
    }
}
"""

DOWNLOADER = """\
import UIKit

final class Downloader: NSObject, URLSessionDownloadDelegate {
    static let shared = Downloader()
    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),
                                  delegate: self, delegateQueue: nil)

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,
                    didFinishDownloadingTo location: URL) {}

    func fetch(_ url: URL) {
        session.dataTask(with: url).resume()
    }

    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {
        DispatchQueue.main.async {
            let appDelegate = UIApplication.shared.delegate as? AppDelegate
            let handler = appDelegate?.backgroundCompletionHandler
            appDelegate?.backgroundCompletionHandler = nil
            handler?()
        }
    }
}
"""


def write_app(folder: Path, downloader: str = DOWNLOADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "AppDelegate.swift").write_text(APP_DELEGATE, encoding="utf-8")
    (folder / "Downloader.swift").write_text(downloader, encoding="utf-8")
    return folder


def bgsession(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bgsession", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def codes(output: str) -> list[str]:
    """The rule codes of compiler-style lines, in order."""
    found = []
    for line in output.splitlines():
        if line.endswith("]") and "[BGS" in line:
            found.append(line.rsplit("[", 1)[1].split()[0])
    return found
