""".bgsession.toml through the real command line: found by walking up, closest wins, validated."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import DOWNLOADER, bgsession, codes, write_app


def test_without_configuration_the_data_task_is_a_warning_that_fails(tmp_path: Path) -> None:
    write_app(tmp_path / "App")
    done = bgsession("lint", "App", cwd=tmp_path)
    assert codes(done.stdout) == ["BGS022"]
    assert ": warning: " in done.stdout and done.returncode == 1


def test_closest_configuration_wins(tmp_path: Path) -> None:
    write_app(tmp_path / "App")
    write_app(tmp_path / "Other")
    (tmp_path / ".bgsession.toml").write_text('[lint]\nignore = ["BGS022"]\n', encoding="utf-8")
    (tmp_path / "Other" / ".bgsession.toml").write_text('[lint.severity]\nBGS022 = "error"\n', encoding="utf-8")
    done = bgsession("lint", ".", cwd=tmp_path)
    assert codes(done.stdout) == ["BGS022"]
    assert "Other/Downloader.swift" in done.stdout and ": error: " in done.stdout


def test_severity_fail_on_select_and_ignore(tmp_path: Path) -> None:
    write_app(tmp_path)
    config = tmp_path / ".bgsession.toml"
    config.write_text('[lint]\nfail-on = "error"\n', encoding="utf-8")
    assert bgsession("lint", ".", cwd=tmp_path).returncode == 0
    config.write_text('[lint]\nfail-on = "error"\n[lint.severity]\nBGS022 = "error"\n', encoding="utf-8")
    assert bgsession("lint", ".", cwd=tmp_path).returncode == 1
    config.write_text('[lint.severity]\nBGS022 = "off"\n', encoding="utf-8")
    assert codes(bgsession("lint", ".", cwd=tmp_path).stdout) == []
    config.write_text('[lint]\nselect = ["BGS01"]\n', encoding="utf-8")
    assert codes(bgsession("lint", ".", cwd=tmp_path).stdout) == []
    # The command line's --select replaces the file's; --fail-on overrides it.
    assert codes(bgsession("lint", "--select", "BGS022", ".", cwd=tmp_path).stdout) == ["BGS022"]
    assert bgsession("lint", "--select", "BGS022", "--fail-on", "never", ".", cwd=tmp_path).returncode == 0


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    write_app(tmp_path / "App")
    write_app(tmp_path / "Vendor" / "Lib")
    (tmp_path / ".bgsession.toml").write_text('[lint]\nexclude = ["Vendor/**"]\n', encoding="utf-8")
    done = bgsession("lint", ".", cwd=tmp_path)
    assert "Vendor" not in done.stdout and codes(done.stdout) == ["BGS022"]
    (tmp_path / ".bgsession.toml").write_text('[lint]\ninclude = ["Vendor/**"]\n', encoding="utf-8")
    done = bgsession("lint", ".", cwd=tmp_path)
    assert "App/" not in done.stdout and "Vendor/Lib/Downloader.swift" in done.stdout


def test_main_thread_helper(tmp_path: Path) -> None:
    finish = DOWNLOADER.replace(
        "        DispatchQueue.main.async {\n"
        "            let appDelegate = UIApplication.shared.delegate as? AppDelegate\n"
        "            let handler = appDelegate?.backgroundCompletionHandler\n"
        "            appDelegate?.backgroundCompletionHandler = nil\n"
        "            handler?()\n"
        "        }\n",
        "        let appDelegate = UIApplication.shared.delegate as? AppDelegate\n"
        "        guard let handler = appDelegate?.backgroundCompletionHandler else { return }\n"
        "        appDelegate?.backgroundCompletionHandler = nil\n"
        "        executeOnMain(handler)\n",
    )
    write_app(tmp_path, finish)
    # Handing the handler to a function counts as calling it, on a thread bgsession cannot tell: neither
    # BGS013 (never called) nor BGS014 (off main) is claimed.
    assert codes(bgsession("lint", ".", cwd=tmp_path).stdout) == ["BGS022"]
    (tmp_path / ".bgsession.toml").write_text('[lint]\nmain-thread-helpers = ["executeOnMain"]\n', encoding="utf-8")
    assert codes(bgsession("lint", ".", cwd=tmp_path).stdout) == ["BGS022"]


def test_memoizing_helper(tmp_path: Path) -> None:
    made_in_helper = DOWNLOADER.replace(
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n",
        "    var session: URLSession {\n"
        '        SessionCache.shared.session(named: "bg") {\n'
        '            URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                       delegate: self, delegateQueue: nil)\n"
        "        }\n"
        "    }\n",
    )
    write_app(tmp_path, made_in_helper)
    # A closure handed to a function the project writes or depends on runs as often as that function
    # decides (a DI container, a cache): not judged even without the configuration.
    assert "BGS002" not in codes(bgsession("lint", ".", cwd=tmp_path).stdout)
    (tmp_path / ".bgsession.toml").write_text('[lint]\nmemoizing-helpers = ["session"]\n', encoding="utf-8")
    assert "BGS002" not in codes(bgsession("lint", ".", cwd=tmp_path).stdout)


def test_explicit_config_and_no_config(tmp_path: Path) -> None:
    write_app(tmp_path)
    (tmp_path / ".bgsession.toml").write_text('[lint]\nignore = ["BGS022"]\n', encoding="utf-8")
    other = tmp_path / "strict.toml"
    other.write_text('[lint.severity]\nBGS022 = "error"\n', encoding="utf-8")
    assert codes(bgsession("lint", ".", cwd=tmp_path).stdout) == []
    assert ": error: " in bgsession("lint", "--config", "strict.toml", ".", cwd=tmp_path).stdout
    assert codes(bgsession("lint", "--no-config", ".", cwd=tmp_path).stdout) == ["BGS022"]


def test_unknown_key_names_file_line_and_suggestion(tmp_path: Path) -> None:
    write_app(tmp_path)
    (tmp_path / ".bgsession.toml").write_text('[lint]\nselect = ["BGS022"]\nexlude = ["x"]\n', encoding="utf-8")
    done = bgsession("lint", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert ".bgsession.toml:3: error: unknown key 'exlude' in [lint]; did you mean 'exclude'?" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_values_are_located(tmp_path: Path) -> None:
    write_app(tmp_path)
    config = tmp_path / ".bgsession.toml"
    cases = {
        '[lint]\nfail-on = "warnings"\n': ".bgsession.toml:2: error: 'fail-on' must be one of error, warning, note, "
        "never, not 'warnings'; did you mean 'warning'?",
        '[lint]\nignore = ["BGS999"]\n': ".bgsession.toml:2: error: in 'ignore': 'BGS999' matches no rule",
        '[lint.severity]\nBGS013 = "fatal"\n': ".bgsession.toml:2: error: the severity of BGS013 must be one of",
        "[lint]\nselect = BGS013\n": ".bgsession.toml:2:10: error: invalid value",
        '[lints]\nselect = ["BGS013"]\n': "unknown key 'lints'",
    }
    for text, message in cases.items():
        config.write_text(text, encoding="utf-8")
        done = bgsession("lint", ".", cwd=tmp_path)
        assert done.returncode == 2, text
        assert message in done.stderr, (text, done.stderr)
        assert "Traceback" not in done.stderr
