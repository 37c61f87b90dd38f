"""Xcode projects: each native target's kind, source files, Info.plist, entitlements and embedding.

The parser is `openstep-parser` (PyPI), chosen over `pbxproj` (same author, which wraps it):
- it is one small module with no dependencies that only tokenizes: no `eval`, no imports or class
  look-ups by name (`pbxproj` turns every key of the file into an attribute with `setattr` and picks
  a Python class named by the key, falls back to `plistlib` under a bare `except:`, prints warnings to
  standard error, and brings in the unmaintained `docopt`);
- it is released with `pbxproj` (2.0.3, October 2025) and parses what `pbxproj`'s users feed it;
- it is faster: 1.1 s for a 5.9 MB project against 2.0 s for `pbxproj.XcodeProject.load`.
Its weak points are covered here: it recurses once per nesting level, so a cheap scan refuses files
nested deeper than any real project before it runs (and RecursionError is still caught); it raises
IndexError or a bare Exception on truncated input, caught and turned into a Problem; time and memory
are bounded by the size cap.

Not handled: legacy (`PBXLegacyTarget`) and aggregate targets (no sources), build-phase membership
exception sets of synchronized folders (they move a file between phases, not out of the target),
file references whose source tree is an SDK, the build products or a custom variable (they are not
files of the repository).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bgsession.lint.targets import plists
from bgsession.lint.targets.safe import KIB, MIB, decode_text, read_capped
from bgsession.lint.targets.settings import expand, read_xcconfig, setting_text
from bgsession.lint.targets.values import WATCHKIT_EXTENSION_POINT, Origin, Problem, Target, TargetKind

if TYPE_CHECKING:
    from xml.etree import ElementTree

# The parsers are imported by the functions that read a project or a workspace: a run over files with
# no Xcode project (one buffer from an editor) never loads them.

PBXPROJ_LIMIT = 16 * MIB
WORKSPACE_LIMIT = 512 * KIB
MAX_NESTING = 32
_GROUP_CHAIN = 256

Objects = dict[str, dict[str, object]]
_Configurations = dict[str, dict[str, str]]

_PRODUCT_KINDS = {
    "com.apple.product-type.application": TargetKind.APP,
    "com.apple.product-type.application.on-demand-install-capable": TargetKind.APP_CLIP,
    "com.apple.product-type.application.watchapp": TargetKind.WATCH_APP,
    "com.apple.product-type.application.watchapp2": TargetKind.WATCH_APP,
    # The iOS stub that installs a watch-only app: an app whose only content is the watch app.
    "com.apple.product-type.application.watchapp2-container": TargetKind.APP,
    "com.apple.product-type.app-extension": TargetKind.EXTENSION,
    "com.apple.product-type.app-extension.messages": TargetKind.EXTENSION,
    "com.apple.product-type.app-extension.messages-sticker-pack": TargetKind.EXTENSION,
    "com.apple.product-type.extensionkit-extension": TargetKind.EXTENSION,
    "com.apple.product-type.tv-app-extension": TargetKind.EXTENSION,
    "com.apple.product-type.watchkit-extension": TargetKind.WATCH_EXTENSION,
    "com.apple.product-type.watchkit2-extension": TargetKind.WATCH_EXTENSION,
    "com.apple.product-type.framework": TargetKind.FRAMEWORK,
    "com.apple.product-type.framework.static": TargetKind.FRAMEWORK,
    "com.apple.product-type.library.static": TargetKind.FRAMEWORK,
    "com.apple.product-type.library.dynamic": TargetKind.FRAMEWORK,
    "com.apple.product-type.xcframework": TargetKind.FRAMEWORK,
    "com.apple.product-type.bundle.unit-test": TargetKind.TEST,
    "com.apple.product-type.bundle.ui-testing": TargetKind.TEST,
}
_GROUP_ISAS = frozenset({"PBXGroup", "PBXVariantGroup", "XCVersionGroup"})
_WATCH_FLAGS = ("INFOPLIST_KEY_WKApplication", "INFOPLIST_KEY_WKWatchOnly")
_WATCH_COMPANION = "INFOPLIST_KEY_WKCompanionAppBundleIdentifier"
# Strings and comments hold brackets that are not nesting; only the file's first line is a `//` comment.
_DEPTH_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|/\*.*?\*/|[{}()]', re.DOTALL)


@dataclass(frozen=True, slots=True)
class SyncFolder:
    """An Xcode 16 synchronized folder: every file below it is in the `owners`, except the paths an
    exception set lists for a target, which flip that target's membership (out of an owner, into
    any other target)."""

    path: str
    owners: frozenset[str]
    exceptions: tuple[tuple[str, frozenset[str]], ...] = ()

    def targets_of(self, relative: str) -> frozenset[str]:
        listed = {ident for ident, paths in self.exceptions if _listed(relative, paths)}
        return frozenset((self.owners - listed) | (listed - self.owners))


def _listed(relative: str, paths: frozenset[str]) -> bool:
    # An exception can name a folder: everything below it is excepted.
    return relative in paths or any(relative.startswith(path.rstrip("/") + "/") for path in paths)


@dataclass(frozen=True, slots=True)
class Project:
    """What one `.xcodeproj` says. `products` maps `<project>#<product file id>` to the target that
    builds it, so embedding across projects of one workspace can be resolved by the caller."""

    path: str
    targets: tuple[Target, ...]
    files: Mapping[str, tuple[str, ...]]
    folders: tuple[SyncFolder, ...]
    products: Mapping[str, str]
    problems: tuple[Problem, ...] = ()


def max_nesting(text: str, limit: int = MAX_NESTING) -> int:
    """How deeply `{` and `(` nest outside strings and comments (stops counting past `limit`)."""
    depth = deepest = 0
    for match in _DEPTH_TOKENS.finditer(text):
        token = match.group()
        if token in "{(":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in "})":
            depth -= 1
    return deepest


@runtime_checkable
class ProjectTables(Protocol):
    """Parsed project files kept between runs, by a digest of their bytes (the facts cache keeps them):
    the parser is pure Python, and a large app's project files took most of a warm run."""

    def project_table(self, data: bytes) -> Objects | None: ...

    def keep_project_table(self, data: bytes, table: Objects) -> None: ...


def parse_pbxproj(data: bytes, path: str, tables: ProjectTables | None = None) -> Objects | Problem:
    """The `objects` table of a project file, with `rootObject` under the key "" , or a Problem."""
    if tables is not None:
        known = tables.project_table(data)
        if known is not None:
            return known
    table = _parse_pbxproj(data, path)
    if tables is not None and not isinstance(table, Problem):
        tables.keep_project_table(data, table)
    return table


def _parse_pbxproj(data: bytes, path: str) -> Objects | Problem:
    text = decode_text(data, path)
    if isinstance(text, Problem):
        return text
    if not text.lstrip().startswith(("//", "{")):
        return Problem(path, "is not an Xcode project file (expected an OpenStep property list)")
    if max_nesting(text) > MAX_NESTING:
        return Problem(path, f"is nested more than {MAX_NESTING} levels deep; not read")
    import openstep_parser

    try:
        tree = openstep_parser.OpenStepDecoder.ParseFromString(text.lstrip())
    except RecursionError:
        return Problem(path, "is nested too deeply to read")
    except Exception as error:  # the parser raises IndexError or a bare Exception on malformed input
        return Problem(path, f"is malformed or truncated ({type(error).__name__})")
    objects = tree.get("objects") if isinstance(tree, dict) else None
    root = tree.get("rootObject") if isinstance(tree, dict) else None
    if not isinstance(objects, dict) or not isinstance(root, str) or not isinstance(objects.get(root), dict):
        return Problem(path, "has no `objects` table or `rootObject`")
    table: Objects = {key: value for key, value in objects.items() if isinstance(key, str) and isinstance(value, dict)}
    table[""] = {"rootObject": root}
    return table


def read_project(xcodeproj: str, tables: ProjectTables | None = None) -> Project | Problem:
    """The targets of `Name.xcodeproj` (its `project.pbxproj`), or a Problem naming the file."""
    pbxproj = os.path.join(xcodeproj, "project.pbxproj")
    data = read_capped(pbxproj, PBXPROJ_LIMIT)
    if isinstance(data, Problem):
        return data
    objects = parse_pbxproj(data, pbxproj, tables)
    if isinstance(objects, Problem):
        return objects
    return _Reader(xcodeproj, objects).project()


def _str(obj: Mapping[str, object] | None, key: str) -> str | None:
    value = obj.get(key) if obj is not None else None
    return value if isinstance(value, str) else None


def _ids(obj: Mapping[str, object] | None, key: str) -> list[str]:
    value = obj.get(key) if obj is not None else None
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


@dataclass
class _Reader:
    xcodeproj: str
    objects: Objects
    problems: list[Problem] = field(default_factory=list)
    _paths: dict[str, str | None] = field(default_factory=dict)
    _parents: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.xcodeproj = os.path.normpath(os.path.abspath(self.xcodeproj))
        self.root = self.objects[str(self.objects[""]["rootObject"])]
        self.source_root = os.path.normpath(
            os.path.join(os.path.dirname(self.xcodeproj), _str(self.root, "projectDirPath") or "")
        )
        for ident, obj in self.objects.items():
            if obj.get("isa") in _GROUP_ISAS:
                for child in _ids(obj, "children"):
                    self._parents.setdefault(child, ident)

    def obj(self, ident: str) -> dict[str, object] | None:
        return self.objects.get(ident) if ident else None

    def ident(self, object_id: str) -> str:
        return f"{self.xcodeproj}#{object_id}"

    # -- paths through the group tree ---------------------------------------------------------------

    def path_of(self, element_id: str) -> str | None:
        """The file or folder an element names, following parents iteratively (a cycle or an absurdly
        deep tree gives None)."""
        chain: list[str] = []
        current: str | None = element_id
        while current is not None and current not in self._paths:
            if current in chain or len(chain) > _GROUP_CHAIN:
                for visited in chain:
                    self._paths[visited] = None
                return None
            chain.append(current)
            element = self.obj(current)
            tree = _str(element, "sourceTree") or "<group>"
            current = self._parents.get(current) if tree == "<group>" else None
        base = self._paths.get(current) if current is not None else None
        for visited in reversed(chain):
            base = self._resolve_one(visited, base)
            self._paths[visited] = base
        return self._paths[element_id]

    def _resolve_one(self, element_id: str, parent_path: str | None) -> str | None:
        element = self.obj(element_id)
        tree = _str(element, "sourceTree") or "<group>"
        relative = _str(element, "path") or ""
        if tree == "<group>":
            base = parent_path if element_id in self._parents else self.source_root
            if base is None:
                return None
        elif tree in ("SOURCE_ROOT", "SRCROOT"):
            base = self.source_root
        elif tree == "<absolute>":
            return os.path.normpath(relative) if os.path.isabs(relative) else None
        else:  # SDKROOT, BUILT_PRODUCTS_DIR, DEVELOPER_DIR or a custom variable: not repository files
            return None
        return os.path.normpath(os.path.join(base, relative))

    # -- targets ------------------------------------------------------------------------------------

    def project(self) -> Project:
        files: dict[str, list[str]] = {}
        owners: dict[str, set[str]] = {}
        exceptions: dict[str, list[tuple[str, frozenset[str]]]] = {}
        products: dict[str, str] = {}
        targets: list[Target] = []
        project_settings = self._configurations(_str(self.root, "buildConfigurationList"))
        for target_id in _ids(self.root, "targets"):
            target = self.obj(target_id)
            if target is None or target.get("isa") != "PBXNativeTarget":
                continue
            ident = self.ident(target_id)
            product = _str(target, "productReference")
            if product:
                products[self.ident(product)] = ident
            for phase_id in _ids(target, "buildPhases"):
                phase = self.obj(phase_id)
                if phase is not None and phase.get("isa") in ("PBXSourcesBuildPhase", "PBXHeadersBuildPhase"):
                    for path in self._phase_paths(phase):
                        members = files.setdefault(path, [])
                        if ident not in members:
                            members.append(ident)
            for group_id in _ids(target, "fileSystemSynchronizedGroups"):
                owners.setdefault(group_id, set()).add(ident)
            targets.append(self._target(target_id, target, project_settings))
        for group_id, group in self.objects.items():
            if group.get("isa") != "PBXFileSystemSynchronizedRootGroup":
                continue
            for exception_id in _ids(group, "exceptions"):
                exception = self.obj(exception_id)
                if exception is None or exception.get("isa") != "PBXFileSystemSynchronizedBuildFileExceptionSet":
                    continue
                excepted = _str(exception, "target")
                if excepted:
                    listed = frozenset(_ids(exception, "membershipExceptions"))
                    exceptions.setdefault(group_id, []).append((self.ident(excepted), listed))
        folders = []
        for group_id in sorted(set(owners) | set(exceptions)):
            folder = self.path_of(group_id)
            if folder is not None:
                owned = frozenset(owners.get(group_id, ()))
                folders.append(SyncFolder(folder, owned, tuple(exceptions.get(group_id, ()))))
        return Project(
            path=self.xcodeproj,
            targets=tuple(targets),
            files={path: tuple(members) for path, members in files.items()},
            folders=tuple(folders),
            products=products,
            problems=tuple(dict.fromkeys(self.problems)),
        )

    def _phase_paths(self, phase: Mapping[str, object]) -> list[str]:
        paths = []
        for build_file_id in _ids(phase, "files"):
            file_ref = _str(self.obj(build_file_id), "fileRef")
            path = self.path_of(file_ref) if file_ref else None
            if path is not None:
                paths.append(path)
        return paths

    def _target(self, target_id: str, target: Mapping[str, object], project_settings: _Configurations) -> Target:
        name = _str(target, "name") or _str(target, "productName") or target_id
        product_type = _str(target, "productType") or ""
        kind = _PRODUCT_KINDS.get(product_type, TargetKind.OTHER)
        target_settings = self._configurations(_str(target, "buildConfigurationList"))
        info_plists: list[str] = []
        entitlements: list[str] = []
        groups: set[str] = set()
        groups_known = True
        point: str | None = None
        watch = False
        for configuration in sorted(set(target_settings) | set(project_settings)) or [""]:
            settings = self._builtins(name, configuration)
            settings.update(project_settings.get(configuration, {}))
            settings.update(target_settings.get(configuration, {}))
            settings.setdefault("PRODUCT_NAME", name)
            if settings.get("SDKROOT") == "watchos" or settings.get(_WATCH_COMPANION):
                watch = True
            if any(settings.get(key) == "YES" for key in _WATCH_FLAGS):
                watch = True
            plist = self._setting_path(settings, "INFOPLIST_FILE")
            if plist is not None and plist not in info_plists:
                info_plists.append(plist)
                info = plists.read_plist(plist)
                if isinstance(info, Problem):
                    self.problems.append(info)
                else:
                    point = point or plists.extension_point(info)
                    watch = watch or plists.is_watch_app(info)
            entitled = self._setting_path(settings, "CODE_SIGN_ENTITLEMENTS")
            if "CODE_SIGN_ENTITLEMENTS" in settings and entitled is None:
                groups_known = False
            if entitled is not None:
                if entitled not in entitlements:
                    entitlements.append(entitled)
                found = self._app_groups(entitled, settings)
                if found is None:
                    groups_known = False
                else:
                    groups.update(found)
        if kind is TargetKind.APP and watch and product_type.endswith(".application"):
            kind = TargetKind.WATCH_APP
        if kind is TargetKind.EXTENSION and point == WATCHKIT_EXTENSION_POINT:
            kind = TargetKind.WATCH_EXTENSION
        if kind is TargetKind.WATCH_EXTENSION and point is None:
            point = WATCHKIT_EXTENSION_POINT
        return Target(
            ident=self.ident(target_id),
            name=name,
            kind=kind,
            origin=Origin.XCODE,
            project=self.xcodeproj,
            product_type=product_type,
            extension_point=point,
            info_plists=tuple(info_plists),
            entitlements=tuple(entitlements),
            app_groups=tuple(sorted(groups)) if groups_known else None,
            embeds=tuple(self._embedded(target)),
            depends=tuple(self._dependencies(target)),
        )

    def _builtins(self, name: str, configuration: str) -> dict[str, str]:
        return {
            "SRCROOT": self.source_root,
            "PROJECT_DIR": self.source_root,
            "SOURCE_ROOT": self.source_root,
            "PROJECT_NAME": os.path.splitext(os.path.basename(self.xcodeproj))[0],
            "PROJECT_FILE_PATH": self.xcodeproj,
            "TARGET_NAME": name,
            "CONFIGURATION": configuration,
        }

    def _setting_path(self, settings: Mapping[str, str], key: str) -> str | None:
        raw = settings.get(key)
        value = expand(raw, settings) if raw else None
        if not value:
            return None
        return os.path.normpath(os.path.join(self.source_root, value))

    def _app_groups(self, path: str, settings: Mapping[str, str]) -> set[str] | None:
        entitlements = plists.read_plist(path)
        if isinstance(entitlements, Problem):
            self.problems.append(entitlements)
            return None
        found: set[str] = set()
        for group in plists.app_groups(entitlements):
            value = expand(group, settings)
            if value is None:
                return None
            found.add(value)
        return found

    def _configurations(self, list_id: str | None) -> dict[str, dict[str, str]]:
        """Each configuration's settings by name, an .xcconfig base first and the project's own above."""
        result: dict[str, dict[str, str]] = {}
        for configuration_id in _ids(self.obj(list_id or ""), "buildConfigurations"):
            configuration = self.obj(configuration_id)
            name = _str(configuration, "name")
            if configuration is None or name is None:
                continue
            settings: dict[str, str] = {}
            base = _str(configuration, "baseConfigurationReference")
            base_path = self.path_of(base) if base else None
            if base_path is not None and os.path.isfile(base_path):
                settings.update(read_xcconfig(base_path, self.problems))
            written = configuration.get("buildSettings")
            if isinstance(written, dict):
                for key, value in written.items():
                    text = setting_text(value)
                    if isinstance(key, str) and text is not None and "[" not in key:
                        settings[key] = text
            result[name] = settings
        return result

    def _embedded(self, target: Mapping[str, object]) -> list[str]:
        """Product keys (`<project>#<file id>`) copied into this target's bundle by a Copy Files phase
        (13 PlugIns: app extensions; 16 products directory: watch content, app clips, ExtensionKit)."""
        result = []
        for phase_id in _ids(target, "buildPhases"):
            phase = self.obj(phase_id)
            if phase is None or phase.get("isa") != "PBXCopyFilesBuildPhase":
                continue
            for build_file_id in _ids(phase, "files"):
                file_ref = _str(self.obj(build_file_id), "fileRef")
                reference = self.obj(file_ref or "")
                if reference is None or file_ref is None:
                    continue
                if reference.get("isa") == "PBXReferenceProxy":
                    key = self._remote(_str(reference, "remoteRef"))
                    if key:
                        result.append(key)
                else:
                    result.append(self.ident(file_ref))
        return result

    def _dependencies(self, target: Mapping[str, object]) -> list[str]:
        """Target idents this target depends on, in this project or another one of the workspace."""
        result = []
        for dependency_id in _ids(target, "dependencies"):
            dependency = self.obj(dependency_id)
            local = _str(dependency, "target")
            if local:
                result.append(self.ident(local))
                continue
            key = self._remote(_str(dependency, "targetProxy"))
            if key:
                result.append(key)
        return result

    def _remote(self, proxy_id: str | None) -> str | None:
        proxy = self.obj(proxy_id or "")
        remote = _str(proxy, "remoteGlobalIDString")
        portal = _str(proxy, "containerPortal")
        if not remote or not portal:
            return None
        if portal == self.objects[""]["rootObject"]:
            return self.ident(remote)
        other = self.path_of(portal)
        return f"{other}#{remote}" if other else None


def read_workspace(path: str) -> tuple[list[str], list[Problem]]:
    """The `.xcodeproj` folders a `.xcworkspace` lists (`contents.xcworkspacedata`), resolved through its
    groups; entity declarations are refused."""
    contents = os.path.join(path, "contents.xcworkspacedata")
    data = read_capped(contents, WORKSPACE_LIMIT)
    if isinstance(data, Problem):
        return [], [data]
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return [], [Problem(contents, "declares a document type or entities; not read")]
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [], [Problem(contents, f"is not well-formed XML ({error})")]
    workspace_dir = os.path.dirname(os.path.abspath(path))
    projects: list[str] = []
    stack: list[tuple[ElementTree.Element, str]] = [(root, workspace_dir)]
    while stack:
        element, folder = stack.pop()
        for child in reversed(list(element)):
            location = _location(child.get("location", ""), folder, workspace_dir)
            if child.tag == "Group":
                stack.append((child, location or folder))
            elif child.tag == "FileRef" and location and location.endswith(".xcodeproj"):
                projects.append(os.path.normpath(location))
    return projects, []


def _location(location: str, folder: str, workspace_dir: str) -> str | None:
    kind, _, relative = location.partition(":")
    if kind == "group":
        return os.path.join(folder, relative)
    if kind == "container":
        return os.path.join(workspace_dir, relative)
    if kind == "absolute":
        return relative
    return None  # `self:` (the project's own embedded workspace) and anything unknown
