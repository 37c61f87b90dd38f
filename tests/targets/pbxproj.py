"""Small, real `project.pbxproj` files for tests: the shape Xcode writes (one object per section,
build files pointing at file references, Copy Files phases that embed products, target
dependencies), for the few targets a test needs.

The committed fixture projects under tests/fixtures/ were written with `render`; tests that need a
variation write one into a temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

PRODUCT_TYPES = {
    "app": ("com.apple.product-type.application", "wrapper.application", ".app"),
    "extension": ("com.apple.product-type.app-extension", '"wrapper.app-extension"', ".appex"),
    "watch-app": ("com.apple.product-type.application", "wrapper.application", ".app"),
    "watch-extension": ("com.apple.product-type.watchkit2-extension", '"wrapper.app-extension"', ".appex"),
    "framework": ("com.apple.product-type.framework", "wrapper.framework", ".framework"),
    "test": ("com.apple.product-type.bundle.unit-test", "wrapper.cfbundle", ".xctest"),
}


@dataclass
class Spec:
    """One native target: its kind (a key of PRODUCT_TYPES), source files relative to the project's
    folder, build settings (one Debug configuration), and the targets it embeds or depends on."""

    name: str
    kind: str
    sources: list[str]
    settings: dict[str, str] = field(default_factory=dict)
    embeds: list[str] = field(default_factory=list)
    depends: list[str] = field(default_factory=list)


def _quote(text: str) -> str:
    plain = text.replace("_", "").replace(".", "").replace("/", "").isalnum()
    return text if plain and text else '"' + text.replace('"', '\\"') + '"'


def render(specs: list[Spec]) -> str:
    numbers = count(1)

    def ident() -> str:
        return f"AB{next(numbers):022X}"

    build_files: list[str] = []
    references: list[str] = []
    phases: list[str] = []
    targets: list[str] = []
    configurations: list[str] = []
    lists: list[str] = []
    dependencies: list[str] = []
    file_ids: dict[str, str] = {}
    product_ids: dict[str, str] = {}
    target_ids = {spec.name: ident() for spec in specs}
    for spec in specs:
        product_type, file_type, suffix = PRODUCT_TYPES[spec.kind]
        product_ids[spec.name] = ident()
        references.append(
            f"\t\t{product_ids[spec.name]} = {{isa = PBXFileReference; explicitFileType = {file_type}; "
            f"includeInIndex = 0; path = {_quote(spec.name + suffix)}; sourceTree = BUILT_PRODUCTS_DIR; }};"
        )
    for spec in specs:
        product_type, _, suffix = PRODUCT_TYPES[spec.kind]
        phase_ids = []
        sources = ident()
        phase_ids.append(sources)
        entries = []
        for path in spec.sources:
            if path not in file_ids:
                file_ids[path] = ident()
                references.append(
                    f"\t\t{file_ids[path]} = {{isa = PBXFileReference; path = {_quote(path)}; "
                    "sourceTree = SOURCE_ROOT; };"
                )
            build = ident()
            build_files.append(f"\t\t{build} = {{isa = PBXBuildFile; fileRef = {file_ids[path]}; }};")
            entries.append(build)
        phases.append(
            f"\t\t{sources} = {{isa = PBXSourcesBuildPhase; buildActionMask = 2147483647; "
            f"files = ({''.join(entry + ', ' for entry in entries)}); runOnlyForDeploymentPostprocessing = 0; }};"
        )
        if spec.embeds:
            copy = ident()
            phase_ids.append(copy)
            copied = []
            for embedded in spec.embeds:
                build = ident()
                build_files.append(f"\t\t{build} = {{isa = PBXBuildFile; fileRef = {product_ids[embedded]}; }};")
                copied.append(build)
            phases.append(
                f'\t\t{copy} = {{isa = PBXCopyFilesBuildPhase; buildActionMask = 2147483647; dstPath = ""; '
                f"dstSubfolderSpec = 13; files = ({''.join(entry + ', ' for entry in copied)}); "
                f'name = "Embed Foundation Extensions"; runOnlyForDeploymentPostprocessing = 0; }};'
            )
        depends = []
        for other in spec.depends:
            dependency = ident()
            dependencies.append(f"\t\t{dependency} = {{isa = PBXTargetDependency; target = {target_ids[other]}; }};")
            depends.append(dependency)
        configuration, configuration_list = ident(), ident()
        settings = "".join(f"{key} = {_quote(value)}; " for key, value in sorted(spec.settings.items()))
        configurations.append(
            f"\t\t{configuration} = {{isa = XCBuildConfiguration; buildSettings = {{{settings}}}; name = Debug; }};"
        )
        lists.append(
            f"\t\t{configuration_list} = {{isa = XCConfigurationList; buildConfigurations = ({configuration}, ); "
            "defaultConfigurationName = Debug; };"
        )
        targets.append(
            f"\t\t{target_ids[spec.name]} = {{isa = PBXNativeTarget; buildConfigurationList = {configuration_list}; "
            f"buildPhases = ({''.join(phase + ', ' for phase in phase_ids)}); "
            f"dependencies = ({''.join(entry + ', ' for entry in depends)}); name = {_quote(spec.name)}; "
            f"productReference = {product_ids[spec.name]}; productType = {_quote(product_type)}; }};"
        )
    project, project_list, project_configuration = ident(), ident(), ident()
    configurations.append(
        f"\t\t{project_configuration} = {{isa = XCBuildConfiguration; "
        "buildSettings = {SDKROOT = iphoneos; }; name = Debug; };"
    )
    lists.append(
        f"\t\t{project_list} = {{isa = XCConfigurationList; buildConfigurations = ({project_configuration}, ); "
        "defaultConfigurationName = Debug; };"
    )
    main_group = ident()
    children = "".join(f"{file_ids[path]}, " for path in file_ids)
    groups = [f'\t\t{main_group} = {{isa = PBXGroup; children = ({children}); sourceTree = "<group>"; }};']
    root = (
        f"\t\t{project} = {{isa = PBXProject; buildConfigurationList = {project_list}; mainGroup = {main_group}; "
        f'projectDirPath = ""; projectRoot = ""; targets = ({"".join(target_ids[s.name] + ", " for s in specs)}); }};'
    )
    sections = [
        ("PBXBuildFile", build_files),
        ("PBXCopyFilesBuildPhase", [p for p in phases if "PBXCopyFilesBuildPhase" in p]),
        ("PBXFileReference", references),
        ("PBXGroup", groups),
        ("PBXNativeTarget", targets),
        ("PBXProject", [root]),
        ("PBXSourcesBuildPhase", [p for p in phases if "PBXSourcesBuildPhase" in p]),
        ("PBXTargetDependency", dependencies),
        ("XCBuildConfiguration", configurations),
        ("XCConfigurationList", lists),
    ]
    body = "".join(
        f"\n/* Begin {name} section */\n" + "\n".join(lines) + f"\n/* End {name} section */\n"
        for name, lines in sections
        if lines
    )
    return (
        "// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n\tclasses = {\n\t};\n\tobjectVersion = 56;\n\tobjects = {\n"
        f"{body}\t}};\n\trootObject = {project};\n}}\n"
    )
