"""Targets, kinds, files, Info.plist, entitlements and embedding read from hand-written Xcode projects."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bgsession.lint.targets import Origin, TargetKind, build_map
from bgsession.lint.targets.xcode import read_project, read_workspace

DATA = Path(__file__).parent / "data"


def names(targets: tuple[object, ...]) -> list[str]:
    return sorted(getattr(target, "name") for target in targets)


@pytest.fixture(scope="module")
def appext():  # type: ignore[no-untyped-def]
    return build_map(str(DATA / "appext"))


def by_name(target_map, name):  # type: ignore[no-untyped-def]
    return next(target for target in target_map.targets if target.name == name)


def test_each_native_target_with_its_kind_and_extension_point(appext) -> None:  # type: ignore[no-untyped-def]
    assert appext.problems == ()
    kinds = {target.name: target.kind for target in appext.targets}
    assert kinds == {
        "App": TargetKind.APP,
        "ShareExtension": TargetKind.EXTENSION,
        "SharedKit": TargetKind.FRAMEWORK,
        "AppTests": TargetKind.TEST,
        "Widget": TargetKind.EXTENSION,
    }
    share = by_name(appext, "ShareExtension")
    assert share.extension_point == "com.apple.share-services"
    assert share.hands_events_to_app
    assert share.info_plists == (str(DATA / "appext" / "ShareExtension" / "Info.plist"),)
    assert all(target.origin is Origin.XCODE for target in appext.targets)


def test_an_app_is_its_target_plus_embedded_extensions_and_frameworks(appext) -> None:  # type: ignore[no-untyped-def]
    (app,) = appext.apps()
    assert app.name == "App"
    assert [member.name for member in app.members] == ["App", "ShareExtension", "Widget", "SharedKit"]


def test_a_file_in_two_targets_is_in_each(appext) -> None:  # type: ignore[no-untyped-def]
    assert names(appext.targets_of(str(DATA / "appext" / "Shared" / "Uploader.swift"))) == ["App", "ShareExtension"]
    assert names(appext.targets_of(str(DATA / "appext" / "App" / "AppDelegate.swift"))) == ["App"]


def test_source_root_paths_and_headers_beside_their_implementation(appext) -> None:  # type: ignore[no-untyped-def]
    assert names(appext.targets_of(str(DATA / "appext" / "SharedKit" / "Kit.swift"))) == ["SharedKit"]
    assert names(appext.targets_of(str(DATA / "appext" / "App" / "Legacy.h"))) == ["App"]
    # An SDK framework is not a file of the repository.
    assert not any("UIKit" in path for path in appext.files)


def test_a_stray_watch_plist_at_the_root_retargets_nothing(appext) -> None:  # type: ignore[no-untyped-def]
    assert (DATA / "appext" / "Watch-Info.plist").exists()
    shared = appext.targets_of(str(DATA / "appext" / "Shared" / "Uploader.swift"))
    assert {target.kind for target in shared} == {TargetKind.APP, TargetKind.EXTENSION}
    (loose,) = appext.targets_of(str(DATA / "appext" / "Scripts" / "Tool.swift"))
    assert (loose.origin, loose.kind) == (Origin.DEFAULT, TargetKind.APP)


def test_without_a_project_the_nearest_plist_still_decides(tmp_path: Path) -> None:
    shutil.copytree(DATA / "appext", tmp_path / "appext")
    shutil.rmtree(tmp_path / "appext" / "App.xcodeproj")
    target_map = build_map(str(tmp_path / "appext"))
    (share,) = target_map.targets_of(str(tmp_path / "appext" / "ShareExtension" / "ShareViewController.swift"))
    assert (share.origin, share.kind, share.extension_point) == (
        Origin.PLIST,
        TargetKind.EXTENSION,
        "com.apple.share-services",
    )
    (test,) = target_map.targets_of(str(tmp_path / "appext" / "AppTests" / "AppTests.swift"))
    assert test.kind is TargetKind.TEST


def test_app_groups_written_missing_and_from_a_build_setting(appext) -> None:  # type: ignore[no-untyped-def]
    assert by_name(appext, "App").app_groups == ("group.com.example.app",)
    # `$(APP_GROUP)` in the entitlements: the project's value in Debug, the target's override in Release;
    # the entitlements path itself is `$(TARGET_NAME)/$(TARGET_NAME).entitlements`.
    share = by_name(appext, "ShareExtension")
    assert share.app_groups == ("group.com.example.app", "group.com.example.app.release")
    assert share.entitlements == (str(DATA / "appext" / "ShareExtension" / "ShareExtension.entitlements"),)
    assert by_name(appext, "Widget").app_groups == ()  # entitlements without app groups
    assert by_name(appext, "SharedKit").app_groups == ()  # no entitlements at all


def test_unreadable_or_unexpandable_entitlements_make_the_groups_unknown(tmp_path: Path) -> None:
    shutil.copytree(DATA / "appext", tmp_path / "appext")
    os.remove(tmp_path / "appext" / "Widget" / "Widget.entitlements")
    share = tmp_path / "appext" / "ShareExtension" / "ShareExtension.entitlements"
    share.write_text(share.read_text().replace("$(APP_GROUP)", "$(UNDEFINED_GROUP)"))
    target_map = build_map(str(tmp_path / "appext"))
    assert by_name(target_map, "Widget").app_groups is None
    assert by_name(target_map, "ShareExtension").app_groups is None
    (problem,) = target_map.problems
    assert problem.path.endswith("Widget.entitlements") and "\n" not in str(problem)


def test_a_watch_app_with_its_watchkit_extension() -> None:
    target_map = build_map(str(DATA / "watch"))
    kinds = {target.name: target.kind for target in target_map.targets}
    assert kinds == {
        "Companion": TargetKind.APP,
        "Companion Watch App": TargetKind.WATCH_APP,
        "Companion Watch Extension": TargetKind.WATCH_EXTENSION,
        "Solo Watch App": TargetKind.WATCH_APP,  # single-target watch app (SDKROOT = watchos)
    }
    extension = by_name(target_map, "Companion Watch Extension")
    assert extension.extension_point == "com.apple.watchkit"
    assert not extension.hands_events_to_app
    companion, solo = target_map.apps()
    assert [member.name for member in companion.members] == [
        "Companion",
        "Companion Watch App",
        "Companion Watch Extension",
    ]
    assert [member.name for member in solo.members] == ["Solo Watch App"]


def test_a_workspace_with_two_projects() -> None:
    root = DATA / "workspace"
    projects, problems = read_workspace(str(root / "Both.xcworkspace"))
    assert problems == []
    assert projects == [str(root / "App" / "App.xcodeproj"), str(root / "Lib" / "Lib.xcodeproj")]
    target_map = build_map(str(root))
    (app,) = target_map.apps()
    # Main embeds and depends on Core, a framework of the other project.
    assert [member.name for member in app.members] == ["Main", "Core"]
    assert names(target_map.targets_of(str(root / "Lib" / "Core" / "Core.swift"))) == ["Core"]


def test_xcode_16_synchronized_folders_and_their_exceptions() -> None:
    root = DATA / "synced"
    target_map = build_map(str(root))
    assert names(target_map.targets_of(str(root / "Sync" / "SyncApp.swift"))) == ["Sync"]
    # Listed for a target that does not own the folder: added to it.
    assert names(target_map.targets_of(str(root / "Sync" / "Shared" / "Model.swift"))) == ["Sync", "SyncWidget"]
    # A folder listed for the owning target: excluded from it, and so from every target.
    assert target_map.targets_of(str(root / "Sync" / "Excluded" / "Old.swift")) == ()
    assert target_map.covers(str(root / "Sync" / "Excluded" / "Old.swift"))
    assert names(target_map.targets_of(str(root / "SyncWidget" / "SyncWidget.swift"))) == ["SyncWidget"]
    (app,) = target_map.apps()
    assert [member.name for member in app.members] == ["Sync", "SyncWidget"]


def test_reading_a_project_directly() -> None:
    project = read_project(str(DATA / "watch" / "Watch.xcodeproj"))
    assert not isinstance(project, str)
    assert len(project.targets) == 4  # type: ignore[union-attr]
