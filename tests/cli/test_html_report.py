"""The HTML report without a browser: what the page holds (read back with an HTML parser), how it
groups findings by app and rule, that it escapes what it quotes, and that it asks for traces itself
without putting them into the other reports of the same run. The browser test is test_html_browser.py."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from bgsession.commands.rules import report_rules
from bgsession.diagnostics import Diagnostic, Loc, Severity, TraceStep
from bgsession.report import html
from bgsession.report.context import ReportContext
from bgsession.report.sequence import WIDTH, diagram
from bgsession.sources import SourceLines
from tests.cli.helpers import APP_DELEGATE, DOWNLOADER, bgsession, write_app


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's parser would read them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, css_class: str | None = None) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and (css_class is None or css_class in (attrs.get("class") or "").split())
        ]


def test_hostile_code_and_file_names_are_escaped(tmp_path: Path) -> None:
    hostile = DOWNLOADER.replace(
        "session.dataTask(with: url).resume()",
        'session.dataTask(with: URL(string: "</pre><script>alert(1)</script>")!).resume()',
    )
    app = write_app(tmp_path / "App", hostile)
    (app / "Downloader.swift").rename(app / 'D"<img src=x onerror=alert(2)>.swift')
    page = bgsession("lint", "--format", "html", "App", cwd=tmp_path).stdout
    parsed = Elements(page)
    assert parsed.all("script") == [] and parsed.all("img") == []
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    (finding,) = parsed.all("article", "finding")
    assert finding["data-path"] == 'App/D"<img src=x onerror=alert(2)>.swift'
    assert "default-src 'none'" in (parsed.all("meta", None)[1].get("content") or "")


def test_findings_are_grouped_by_app_and_rule(tmp_path: Path) -> None:
    for name in ("One", "Two"):
        write_app(tmp_path / "Apps" / name)
    shared = tmp_path / "Apps" / "Shared"
    shared.mkdir()
    fetcher = DOWNLOADER.replace("Downloader", "Fetcher").replace("com.example.bg", "com.example.shared")
    (shared / "Fetcher.swift").write_text(fetcher, encoding="utf-8")
    page = Elements(bgsession("lint", "--format", "html", "Apps", cwd=tmp_path).stdout)
    apps = [attrs["data-app"] for attrs in page.all("section", "app")]
    assert apps == ["Apps/One", "Apps/Two"]
    findings = page.all("article", "finding")
    assert {(f["data-path"], f["data-code"]) for f in findings} == {
        ("Apps/One/Downloader.swift", "BGS022"),
        ("Apps/Two/Downloader.swift", "BGS022"),
        ("Apps/Shared/Fetcher.swift", "BGS022"),
        # With the shared session, each app has two identifiers for its one handler property.
        ("Apps/One/AppDelegate.swift", "BGS016"),
        ("Apps/Two/AppDelegate.swift", "BGS016"),
    }
    # Each app's findings sit in its section: the section tags and the articles interleave in order.
    order = [
        attrs.get("data-app") or attrs.get("data-path")
        for tag, attrs in page.tags
        if (tag == "section" and "app" in (attrs.get("class") or "").split()) or tag == "article"
    ]
    assert order.index("Apps/Two") > order.index("Apps/One/Downloader.swift")
    assert order.index("Apps/Two/Downloader.swift") > order.index("Apps/Two")
    assert order.index("Apps/Two/AppDelegate.swift") > order.index("Apps/Two")
    # Code shared by both apps is reported once, under the first app whose rules found it.
    assert order.index("Apps/Shared/Fetcher.swift") < order.index("Apps/Two")
    rows = page.all("tr")
    assert any(row.get("data-code") == "BGS022" for row in rows)


def test_the_summary_counts_rules_by_severity_and_links_their_docs(tmp_path: Path) -> None:
    loc = Loc(1, 1, 1, 2)
    diagnostics = [
        Diagnostic("BGS013", "handler-never-called", Severity.ERROR, "a.swift", loc, "first"),
        Diagnostic("BGS013", "handler-never-called", Severity.WARNING, "b.swift", loc, "second"),
        Diagnostic("BGS022", "data-task-in-background", Severity.WARNING, "a.swift", loc, "third"),
    ]
    lines = SourceLines({"a.swift": b"let a = 1\n", "b.swift": b"let b = 2\n"})
    context = ReportContext(diagnostics, 2, tmp_path, lines, {diagnostics[0]: "Main"}, rules=report_rules())
    page = html.render(context)
    parsed = Elements(page)
    assert [attrs["data-app"] for attrs in parsed.all("section", "app")] == ["Main", html.OTHER_FILES]
    text = "".join(parsed.text)
    assert "3 findings in 2 files checked" in text
    table = page.split('<tr data-code="BGS013">')[1].split("</tr>")[0]
    assert '<td class="count">1</td><td class="count">1</td><td class="count">0</td><td class="count">2</td>' in table
    assert {"#rule-BGS013", "#rule-BGS022"} <= {a.get("href") for a in parsed.all("a")}
    assert {a.get("id") for a in parsed.all("section", "rule-doc")} == {"rule-BGS013", "rule-BGS022"}
    assert any((a.get("href") or "").startswith("https://developer.apple.com/") for a in parsed.all("a"))
    assert parsed.all("svg") == []


def test_a_clean_run_says_so(tmp_path: Path) -> None:
    page = html.render(ReportContext([], 4, tmp_path))
    assert "No problems found." in page and "0 findings in 4 files checked" in page


def test_the_diagram_has_one_row_per_step_in_its_lanes() -> None:
    steps = (
        TraceStep("the system relaunches the app", "ios", "app"),
        TraceStep("handleEvents stores the handler", "app", "app"),
        TraceStep("events are delivered " + "and more " * 20, "daemon", "delegate"),
        TraceStep("urlSessionDidFinishEvents does not call it", "delegate", "delegate", failing=True),
    )
    picture = diagram(steps, "the system keeps waiting")
    assert [shape.number for shape in picture.steps] == [1, 2, 3, 4]
    assert [shape.failing for shape in picture.steps] == [False, False, False, True]
    assert [head.label for head in picture.lanes] == ["App process", "iOS", "Transfer daemon", "Session delegate"]
    # Rows stack without overlapping; a long sentence wraps onto more lines and a taller row.
    for upper, lower in zip(picture.steps, picture.steps[1:], strict=False):
        assert lower.row_y == upper.row_y + upper.row_height
    assert len(picture.steps[2].lines) > 1 and picture.steps[2].row_height > picture.steps[0].row_height
    assert all(line.x + len(line.text) * 8 <= WIDTH for shape in picture.steps for line in shape.lines)
    # An arrow between lanes is a straight shaft; a party acting on itself draws a loop.
    assert picture.steps[0].path.count("H") == 1 and "v12" in picture.steps[1].path
    assert picture.verdict[0].text == "→ the system keeps waiting"
    assert picture.height > picture.verdict[-1].y


def test_html_asks_for_traces_but_keeps_them_out_of_the_other_reports(tmp_path: Path) -> None:
    app = tmp_path / "App"
    app.mkdir()
    (app / "AppDelegate.swift").write_text(APP_DELEGATE, encoding="utf-8")
    (app / "Downloader.swift").write_text(DOWNLOADER, encoding="utf-8")
    bgsession(
        "lint", "App", "--html-output", "r.html", "--sarif-output", "r.sarif", "--json-output", "r.json", cwd=tmp_path
    )
    page = Elements((tmp_path / "r.html").read_text(encoding="utf-8"))
    (svg,) = page.all("svg", "sequence")
    assert int(svg["data-steps"] or 0) >= 3
    assert len(page.all("g", "step")) == int(svg["data-steps"] or 0)
    assert len(page.all("g", "failing")) == 1
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert "properties" not in sarif["runs"][0]["results"][0]
    assert "trace" not in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["diagnostics"][0]
    bgsession("lint", "App", "--explain", "--html-output", "r.html", "--json-output", "r.json", cwd=tmp_path)
    (diagnostic,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["diagnostics"]
    assert len(diagnostic["trace"]) == int(svg["data-steps"] or 0) + 1
