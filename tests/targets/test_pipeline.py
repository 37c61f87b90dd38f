"""The lint pipeline with the project as Xcode builds it: targets from project.pbxproj, apps from
embedding, the nearest Info.plist only where no project covers a file, and today's folder split when
there is no project at all."""

from __future__ import annotations

import shutil
from pathlib import Path

from bgsession.lint.runner import LintRequest, LintResult, lint
from bgsession.lint.targets import TargetKind
from tests.targets.pbxproj import Spec, render

DATA = Path(__file__).parent / "data"

EXTENSION_PLIST = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>NSExtension</key><dict><key>NSExtensionPointIdentifier</key><string>{point}</string></dict>
</dict></plist>
"""
APP_PLIST = """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>CFBundleName</key><string>App</string></dict></plist>
"""
UPLOADER = """import Foundation

final class Uploader: NSObject, URLSessionDelegate {
    static let shared = Uploader()
    lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.upload")
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()
}
"""
APP_DELEGATE = """import UIKit

@main
final class AppDelegate: UIResponder, UIApplicationDelegate {
    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,
                     completionHandler: @escaping () -> Void) {
        completionHandler()
    }
}
"""
WATCH_DELEGATE = """import WatchKit

final class ExtensionDelegate: NSObject, WKApplicationDelegate {
    lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.watch")
        return URLSession(configuration: configuration, delegate: nil, delegateQueue: nil)
    }()
}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def app_project(root: Path, shared_in_extension: bool = False, stray: bool = True) -> None:
    """An app that embeds a share extension; Shared/Uploader.swift is built into the app (and, when
    asked, into the extension too); a widget's Watch-Info.plist lies at the root, in no target."""
    write(
        root,
        {
            "App/AppDelegate.swift": APP_DELEGATE,
            "App/Info.plist": APP_PLIST,
            "Shared/Uploader.swift": UPLOADER,
            "Share/ShareViewController.swift": "import UIKit\nfinal class ShareViewController: UIViewController {}\n",
            "Share/Info.plist": EXTENSION_PLIST.format(point="com.apple.share-services"),
        },
    )
    if stray:
        write(root, {"Watch-Info.plist": EXTENSION_PLIST.format(point="com.apple.widgetkit-extension")})
    share_sources = ["Share/ShareViewController.swift"] + (["Shared/Uploader.swift"] if shared_in_extension else [])
    specs = [
        Spec(
            "App",
            "app",
            ["App/AppDelegate.swift", "Shared/Uploader.swift"],
            {"INFOPLIST_FILE": "App/Info.plist"},
            embeds=["Share"],
            depends=["Share"],
        ),
        Spec("Share", "extension", share_sources, {"INFOPLIST_FILE": "Share/Info.plist"}),
    ]
    write(root, {"App.xcodeproj/project.pbxproj": render(specs)})


def run(root: Path, *codes: str) -> LintResult:
    return lint(LintRequest([str(root)], select=frozenset(codes) if codes else None))


def test_a_stray_watch_plist_does_not_make_shared_code_extension_code(tmp_path: Path) -> None:
    app_project(tmp_path)
    result = run(tmp_path, "BGS030")
    assert [d.code for d in result.diagnostics] == []
    (summary,) = result.summaries
    uploader = str(tmp_path / "Shared" / "Uploader.swift")
    assert summary.targets[uploader] == "app"
    assert [t.name for t in summary.context.targets_of(uploader)] == ["App"]
    # Without the project, the nearest plist (the stray) decides, as it did before.
    shutil.rmtree(tmp_path / "App.xcodeproj")
    assert [d.code for d in run(tmp_path, "BGS030").diagnostics] == ["BGS030"]


def test_a_file_in_two_targets_is_in_each(tmp_path: Path) -> None:
    app_project(tmp_path, shared_in_extension=True)
    (summary,) = run(tmp_path).summaries
    uploader = str(tmp_path / "Shared" / "Uploader.swift")
    assert sorted(t.name for t in summary.context.targets_of(uploader)) == ["App", "Share"]
    assert summary.targets[uploader] == "app"  # the app runs it too


def test_an_extension_is_in_the_app_that_embeds_it(tmp_path: Path) -> None:
    app_project(tmp_path)
    write(tmp_path, {"Share/ShareViewController.swift": UPLOADER.replace("Uploader", "ShareUploader")})
    (summary,) = run(tmp_path).summaries
    assert summary.context.app is not None
    assert [m.name for m in summary.context.app.members] == ["App", "Share"]
    share = str(tmp_path / "Share" / "ShareViewController.swift")
    assert summary.targets[share] == "extension"
    (target,) = summary.context.targets_of(share)
    assert (target.kind, target.extension_point) == (TargetKind.EXTENSION, "com.apple.share-services")


def test_a_watch_app_and_its_extension_are_one_app_with_the_phone_app(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "App/AppDelegate.swift": APP_DELEGATE,
            "Watch/Info.plist": APP_PLIST,
            "WatchExtension/ExtensionDelegate.swift": WATCH_DELEGATE,
            "WatchExtension/Info.plist": EXTENSION_PLIST.format(point="com.apple.watchkit"),
        },
    )
    specs = [
        Spec("App", "app", ["App/AppDelegate.swift"], embeds=["Watch"]),
        Spec(
            "Watch",
            "watch-app",
            [],
            {"SDKROOT": "watchos", "INFOPLIST_FILE": "Watch/Info.plist"},
            embeds=["WatchExtension"],
        ),
        Spec(
            "WatchExtension",
            "watch-extension",
            ["WatchExtension/ExtensionDelegate.swift"],
            {"SDKROOT": "watchos", "INFOPLIST_FILE": "WatchExtension/Info.plist"},
        ),
    ]
    write(tmp_path, {"App.xcodeproj/project.pbxproj": render(specs)})
    (summary,) = run(tmp_path).summaries
    delegate = str(tmp_path / "WatchExtension" / "ExtensionDelegate.swift")
    assert summary.targets[delegate] == "watch"
    assert summary.groups[delegate] == "watch"
    assert summary.groups[str(tmp_path / "App" / "AppDelegate.swift")] == "ios"
    (target,) = summary.context.targets_of(delegate)
    assert target.kind is TargetKind.WATCH_EXTENSION and not target.hands_events_to_app


PHONE_DOWNLOADS = UPLOADER.replace("Uploader", "Downloads").replace("com.example.upload", "com.example.phone")
PHONE_DELEGATE = """import UIKit

@main
final class AppDelegate: UIResponder, UIApplicationDelegate {
    var completion: (() -> Void)?
    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,
                     completionHandler: @escaping () -> Void) {
        completion = completionHandler
    }
}
"""
WATCH_RECONNECT = """import WatchKit

final class Downloads: NSObject, URLSessionDelegate {
    static let shared = Downloads()
    private var session: URLSession?
    func reconnect(identifier: String) {
        if session == nil {
            let configuration = URLSessionConfiguration.background(withIdentifier: identifier)
            session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        }
    }
}
"""
WATCH_DELEGATE_RECONNECTING = """import WatchKit

final class ExtensionDelegate: NSObject, WKApplicationDelegate {
    func handle(_ backgroundTasks: Set<WKRefreshBackgroundTask>) {
        for task in backgroundTasks {
            if let urlTask = task as? WKURLSessionRefreshBackgroundTask {
                Downloads.shared.reconnect(identifier: urlTask.sessionIdentifier)
            }
            task.setTaskCompletedWithSnapshot(false)
        }
    }
}
"""


def test_the_watch_reconnecting_its_session_does_not_reconnect_the_phone_apps(tmp_path: Path) -> None:
    # One unit, two processes: the watch extension's reconnect makes the watch's session, never the
    # phone's lazy one, which the phone's handleEvents does not touch (BGS017 at the phone's handleEvents).
    write(
        tmp_path,
        {
            "App/AppDelegate.swift": PHONE_DELEGATE,
            "App/Downloads.swift": PHONE_DOWNLOADS,
            "Watch/Info.plist": APP_PLIST,
            "WatchExtension/Downloads.swift": WATCH_RECONNECT,
            "WatchExtension/ExtensionDelegate.swift": WATCH_DELEGATE_RECONNECTING,
            "WatchExtension/Info.plist": EXTENSION_PLIST.format(point="com.apple.watchkit"),
        },
    )
    specs = [
        Spec("App", "app", ["App/AppDelegate.swift", "App/Downloads.swift"], embeds=["Watch"]),
        Spec("Watch", "watch-app", [], {"SDKROOT": "watchos", "INFOPLIST_FILE": "Watch/Info.plist"},
             embeds=["WatchExtension"]),
        Spec("WatchExtension", "watch-extension",
             ["WatchExtension/Downloads.swift", "WatchExtension/ExtensionDelegate.swift"],
             {"SDKROOT": "watchos", "INFOPLIST_FILE": "WatchExtension/Info.plist"}),
    ]  # fmt: skip
    write(tmp_path, {"App.xcodeproj/project.pbxproj": render(specs)})
    found = [(d.path, d.loc.line) for d in run(tmp_path, "BGS017").diagnostics]
    assert found == [(str(tmp_path / "App" / "AppDelegate.swift"), 6)]


def test_a_workspace_with_two_projects_is_one_app(tmp_path: Path) -> None:
    shutil.copytree(DATA / "workspace", tmp_path / "workspace")
    write(tmp_path / "workspace", {"Lib/Core/Core.swift": UPLOADER})
    (summary,) = run(tmp_path / "workspace").summaries
    assert summary.context.app is not None and summary.context.app.name == "Main"
    core = str(tmp_path / "workspace" / "Lib" / "Core" / "Core.swift")
    assert [t.name for t in summary.context.targets_of(core)] == ["Core"]
    assert summary.targets[core] == "app"


def test_a_malformed_project_is_one_warning_and_the_folder_split_is_used(tmp_path: Path) -> None:
    app_project(tmp_path, stray=False)
    (tmp_path / "App.xcodeproj" / "project.pbxproj").write_text("// !$*UTF8*$!\n{ objects = { A = {", "utf-8")
    result = run(tmp_path)
    warnings = [d for d in result.diagnostics if d.code == "BGS000"]
    assert len(warnings) == 1
    assert warnings[0].path.endswith("project.pbxproj") and warnings[0].severity.value == "warning"
    (summary,) = result.summaries
    assert summary.context.app is None
    assert summary.targets[str(tmp_path / "Shared" / "Uploader.swift")] == "app"


def test_code_no_app_builds_is_a_unit_of_its_own(tmp_path: Path) -> None:
    app_project(tmp_path, stray=False)
    write(tmp_path, {"Kit/Kit.swift": UPLOADER.replace("Uploader", "KitUploader")})
    specs = [
        Spec("App", "app", ["App/AppDelegate.swift", "Shared/Uploader.swift"]),
        Spec("Kit", "framework", ["Kit/Kit.swift"]),
    ]
    write(tmp_path, {"App.xcodeproj/project.pbxproj": render(specs)})
    summaries = run(tmp_path).summaries
    assert len(summaries) == 2
    kit = next(s for s in summaries if any(f.path.endswith("Kit.swift") for f in s.files))
    assert kit.context.app is None
    assert not any(f.path.endswith("AppDelegate.swift") for f in kit.files)


PODFILE_LOCK = """PODS:
  - Kit (1.0)
  - Other (2.0)

DEPENDENCIES:
  - Kit (from `../`)
  - Other

EXTERNAL SOURCES:
  Kit:
    :path: ../

COCOAPODS: 1.15.2
"""


def test_a_development_pod_of_the_checkout_is_linked_into_the_app(tmp_path: Path) -> None:
    # A library's own project builds its framework; the example app's Podfile names the library by
    # `:path:`, so CocoaPods builds that code into the app: one unit, the app's.
    write(tmp_path, {"Kit/Kit.swift": UPLOADER.replace("Uploader", "KitUploader"), "Kit/Other.swift": UPLOADER})
    write(tmp_path, {"Kit.xcodeproj/project.pbxproj": render([Spec("Kit", "framework", ["Kit/Kit.swift"])])})
    write(tmp_path, {"Example/AppDelegate.swift": APP_DELEGATE, "Example/Podfile.lock": PODFILE_LOCK})
    example = [Spec("Example", "app", ["AppDelegate.swift"]), Spec("Other", "framework", ["../Kit/Other.swift"])]
    write(tmp_path, {"Example/Example.xcodeproj/project.pbxproj": render(example)})
    summaries = run(tmp_path).summaries
    app = next(s for s in summaries if s.context.app is not None)
    assert str(tmp_path / "Kit" / "Kit.swift") in {f.path for f in app.files}
    # A pod from a registry is not this checkout's code, whatever a framework of the same name is.
    assert str(tmp_path / "Kit" / "Other.swift") not in {f.path for f in app.files}


def test_a_podfile_lock_marks_development_pods_local() -> None:
    from bgsession.lint.targets.hosts import parse_podfile_lock

    found = {item.name: item.local for item in parse_podfile_lock(PODFILE_LOCK, "Podfile.lock")}  # type: ignore[union-attr]
    assert found == {"Kit": True, "Other": False}


def test_without_any_project_the_top_level_folders_split_apps(tmp_path: Path) -> None:
    write(tmp_path, {"One/AppDelegate.swift": APP_DELEGATE, "Two/AppDelegate.swift": APP_DELEGATE})
    summaries = run(tmp_path).summaries
    assert len(summaries) == 2
    assert all(summary.context.app is None for summary in summaries)


def test_a_swift_package_of_the_repository_is_shared_by_its_apps(tmp_path: Path) -> None:
    app_project(tmp_path, stray=False)
    write(
        tmp_path,
        {
            "Modules/Net/Package.swift": "// swift-tools-version:5.9\nimport PackageDescription\n",
            "Modules/Net/Sources/Net/Transfers.swift": UPLOADER.replace("Uploader", "Transfers"),
        },
    )
    (summary,) = run(tmp_path).summaries
    transfers = str(tmp_path / "Modules" / "Net" / "Sources" / "Net" / "Transfers.swift")
    assert transfers in summary.targets and summary.groups[transfers] == ""
    assert summary.targets[transfers] == "app"


def test_a_missing_plist_the_project_names_is_not_a_warning(tmp_path: Path) -> None:
    app_project(tmp_path, stray=False)
    (tmp_path / "Share" / "Info.plist").unlink()
    assert [d for d in run(tmp_path).diagnostics if d.code == "BGS000"] == []
