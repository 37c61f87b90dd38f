"""Which skipped files the second pass reads for a type: for one whose code the facts need (a delegate, a
helper), those that declare or extend it; for one whose instances own a session, also those that subclass
or make an instance of it; never the many that only use one (`FileLog.shared.log(…)`).

A real app's logger made a background session in its initializer; 113 of its 1,321 files mention the
logger, and all were parsed until the second pass asked only for the sites that can make an instance.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bgsession.lint.prefilter import Wanted, _site_finder, second_pass
from bgsession.lint.runner import LintRequest, lint

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "BGS002" / "bad_init_per_view"

MAKES = [
    b"service = TransferService()",
    b"let s = TransferService.init()",
    b"let s: TransferService = .init()",
    b"let s = TransferService<Int>(value: 1)",
    b"final class Sub: TransferService {}",
    b"class Sub: NSObject, TransferService {}",
    b"extension TransferService {\n}",
    b"container.register(TransferService.self)",
    b"typealias Service = TransferService",
    b"self.service = [[TransferService alloc] init];",
    b"self.service = [TransferService new];",
    b"@interface Sub : TransferService\n@end",
    b"@implementation TransferService\n@end",
]

USES = [
    b"TransferService.shared.start()",
    b"let s = TransferService.shared",
    b"[[TransferService sharedInstance] start];",
    b"// TransferService keeps the session",
    b"let s = MyTransferService()",
    b"let s = TransferServiceFactory()",
]


@pytest.mark.parametrize("source", MAKES, ids=lambda source: source.decode())
def test_a_site_that_can_make_an_instance_is_read(source: bytes) -> None:
    assert _site_finder(frozenset({"TransferService"}), instances=True)(source)


@pytest.mark.parametrize("source", USES, ids=lambda source: source.decode())
def test_a_file_that_only_uses_an_instance_is_not_read(source: bytes) -> None:
    assert not _site_finder(frozenset({"TransferService"}), instances=True)(source)


def test_a_name_wanted_as_mentioned_is_found_wherever_it_is_mentioned() -> None:
    skipped = {"a.swift": b"TransferService.shared.start()", "b.swift": b"let x = 1"}
    assert second_pass(Wanted(frozenset({"TransferService"}), frozenset(), frozenset()), set(), skipped) == ["a.swift"]
    assert second_pass(Wanted(frozenset(), frozenset(), frozenset({"TransferService"})), set(), skipped) == []


def test_the_instance_made_per_view_is_still_found_and_the_users_are_not_parsed(tmp_path: Path) -> None:
    root = tmp_path / "App"
    shutil.copytree(FIXTURE, root)
    for index in range(20):
        (root / f"Screen{index}.swift").write_text(
            f"import UIKit\n\nfinal class Screen{index}: UIViewController {{\n"
            "    override func viewDidAppear(_ animated: Bool) {\n"
            "        super.viewDidAppear(animated)\n        TransferService.shared.refresh()\n    }\n}\n",
            encoding="utf-8",
        )
    result = lint(LintRequest(paths=[str(root)]))
    per_view = [d for d in result.diagnostics if d.code == "BGS002"]
    assert [Path(d.path).name for d in per_view] == ["TransferService.swift"]
    assert "LibraryViewController" in per_view[0].message
    # TransferService.swift (first pass) and LibraryViewController.swift (it makes an instance).
    assert result.files_parsed == 2


DECLARES = [
    b"final class DownloadManager: NSObject {}",
    b"public final class DownloadManager<Item> {}",
    b"extension DownloadManager: URLSessionDelegate {}",
    b"extension App.DownloadManager {}",
    b"@interface DownloadManager (Sessions)\n@end",
    b"@implementation DownloadManager\n@end",
    b"typealias Manager = DownloadManager",
]

ONLY_USES = [
    b"DownloadManager.shared.resume()",
    b"let manager = DownloadManager()",
    b"final class Sub: DownloadManager {}",
    b"[[DownloadManager sharedManager] resume];",
    b"final class MyDownloadManager {}",
]


@pytest.mark.parametrize("source", DECLARES, ids=lambda source: source.decode())
def test_a_declaration_of_a_type_whose_code_is_needed_is_read(source: bytes) -> None:
    assert _site_finder(frozenset({"DownloadManager"}), instances=False)(source)


@pytest.mark.parametrize("source", ONLY_USES, ids=lambda source: source.decode())
def test_a_use_of_a_type_whose_code_is_needed_is_not_read(source: bytes) -> None:
    assert not _site_finder(frozenset({"DownloadManager"}), instances=False)(source)


def test_the_delegate_declared_elsewhere_is_still_read_and_its_users_are_not(tmp_path: Path) -> None:
    root = tmp_path / "App"
    root.mkdir()
    (root / "Sessions.swift").write_text(
        "import Foundation\n\nenum Sessions {\n    static let uploads: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.uploads")\n'
        "        return URLSession(configuration: configuration, delegate: UploadDelegate.shared, delegateQueue: nil)\n"
        "    }()\n}\n",
        encoding="utf-8",
    )
    (root / "AppDelegate.swift").write_text(
        "import UIKit\n\n@main\nfinal class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    var backgroundCompletionHandler: (() -> Void)?\n\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) {\n"
        "        backgroundCompletionHandler = completionHandler\n        _ = Sessions.uploads\n    }\n}\n",
        encoding="utf-8",
    )
    (root / "UploadDelegate.swift").write_text(
        "import Foundation\n\nfinal class UploadDelegate: NSObject {\n    static let shared = UploadDelegate()\n}\n",
        encoding="utf-8",
    )
    for index in range(10):
        (root / f"Screen{index}.swift").write_text(
            f"func screen{index}() {{\n    print(UploadDelegate.shared)\n}}\n", encoding="utf-8"
        )
    result = lint(LintRequest(paths=[str(root)]))
    # AppDelegate.swift and Sessions.swift (first pass), UploadDelegate.swift (it declares the delegate).
    assert result.files_parsed == 3
    # The delegate it read has no urlSessionDidFinishEvents: nothing calls the stored handler.
    assert [d.code for d in result.diagnostics] == ["BGS013"]
