"""bgsession's speed and memory, as ratios to a bare tree-sitter parse measured in the same run.

    python benchmarks/bench.py --corpus             # the real corpus (corpus.toml), exported from the mirrors
    python benchmarks/bench.py PATH [PATH ...]      # directories of code, each measured on its own
    python benchmarks/bench.py                      # the synthetic corpus (built on first use)

For each corpus it prints, in one run: files, lines, files parsed; the bare parse of every file (the
unit every ratio is in); cold `--jobs 1` and `--jobs 2`, warm (filled cache, nothing changed) and warm
with one parsed file changed; a single-file `--stdin` lint and its import budget; peak memory;
extraction / parse per parsed file; and ast-grep running one literal-free Swift pattern over the
Swift files when it is installed (`pip install -e '.[bench]'`).

Lint runs are whole `bgsession lint` processes (interpreter start, imports, the walk, reads, prefilter,
extraction, rules, the report). The parse, extraction and read figures are measured in this process
with the same tree-sitter build, grammars loaded and files in the page cache. The machine may be busy:
each measurement is repeated in rounds (one of each per round, so load drifts hit them alike) and
the best of the rounds is kept.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks import corpus, real_corpus  # noqa: E402
from bgsession.grammars import SourceLanguage, language_of, parser  # noqa: E402
from bgsession.lint.discover import discover  # noqa: E402
from bgsession.lint.extract import extract_file  # noqa: E402
from bgsession.lint.runner import LintRequest, lint  # noqa: E402

SYNTHETIC = REPO / ".bgsession-bench" / "synthetic"
STDIN_SAMPLE = REPO / "examples" / "PhotoBackup" / "PhotoBackup" / "UploadService.swift"
# What ast-grep runs: one pattern with no literal (every call with a receiver), so no byte prefilter
# can skip a file, over the Swift files (ast-grep has no Objective-C grammar).
AST_GREP_PATTERN = "$A.$B($$$)"


@dataclass
class Run:
    seconds: float
    peak_kb: int


# Runs bgsession in the child and reports its peak memory from /proc (VmHWM belongs to the address space
# made by exec): getrusage's ru_maxrss survives exec, so it would report this benchmark's own memory.
_CHILD = """
import atexit, os, resource, sys
def report():
    peak = 0
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    os.write(int(os.environ["BGSESSION_BENCH_FD"]), f"{peak} {workers}".encode())
atexit.register(report)
from bgsession.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_lint(args: list[str], *, env: dict[str, str] | None = None, stdin: bytes | None = None) -> Run:
    """One `bgsession lint` process: wall time, and peak resident memory of the process and of its
    largest worker, added (the workers share most pages with it, so this is an upper bound)."""
    read_end, write_end = os.pipe()
    command = [sys.executable, "-c", _CHILD, "lint", "--quiet", "--exit-zero", "--no-progress", *args]
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, **(env or {}), "BGSESSION_BENCH_FD": str(write_end)},
        pass_fds=(write_end,),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    _, status, _ = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    os.close(write_end)
    with os.fdopen(read_end) as stream:
        peak, workers = (int(value) for value in stream.read().split())
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bgsession lint {' '.join(args)} failed with status {os.waitstatus_to_exitcode(status)}")
    return Run(elapsed, peak + workers)


def bare_parse(sources: list[tuple[SourceLanguage | None, bytes]]) -> float:
    """Seconds to parse every file with tree-sitter alone (grammars already loaded)."""
    for language in SourceLanguage:
        parser(language)
    start = time.perf_counter()
    for language, data in sources:
        if language is not None:
            parser(language).parse(data)
    return time.perf_counter() - start


def extract_all(sources: list[tuple[str, bytes]]) -> float:
    """Seconds to extract facts from the files, in-process: parse, queries and the Python that reads them."""
    for path, data in sources[:1]:
        extract_file(path, data)  # queries compiled outside the timing, as bare_parse loads the grammars
    start = time.perf_counter()
    for path, data in sources:
        extract_file(path, data)
    return time.perf_counter() - start


def read_all(files: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    total_bytes = total_lines = 0
    for path in files:
        with open(path, "rb") as stream:
            data = stream.read()
        total_bytes += len(data)
        total_lines += data.count(b"\n")
    return time.perf_counter() - start, total_bytes, total_lines


def parsed_files(folder: Path) -> list[str]:
    """The files the linter parses (its prefilter and second pass decide), from an in-process run."""
    result = lint(LintRequest([str(folder)]))
    return sorted({facts.path for summary in result.summaries for facts in summary.files + summary.test_files})


def start_up() -> float:
    """Wall seconds for `python -m bgsession --version`: the interpreter and the command line alone."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bgsession", "--version"], check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - start


def import_budget(sample: bytes) -> tuple[float, list[tuple[str, float]]]:
    """`python -X importtime` of a single-file --stdin lint: the seconds spent importing, and the
    heaviest modules by their own import time."""
    stdin = ["--stdin", "--stdin-filename", "UploadService.swift"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bgsession", "lint", "--no-cache", "--exit-zero", *stdin],
        input=sample,
        capture_output=True,
        cwd=REPO,
        check=False,
    )
    own: list[tuple[str, float]] = []
    for line in done.stderr.decode().splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line.removeprefix("import time:").split("|")
        own.append((fields[2].strip(), int(fields[0]) / 1e6))
    return sum(seconds for _, seconds in own), sorted(own, key=lambda item: -item[1])[:6]


def ast_grep(swift_files: list[str]) -> float | None:
    """Seconds for ast-grep to run one literal-free pattern over the Swift files (None: not installed)."""
    program = shutil.which("ast-grep") or shutil.which("ast-grep", path=os.path.dirname(sys.executable))
    if program is None or not swift_files:
        return None
    command = [program, "run", "--pattern", AST_GREP_PATTERN, "--lang", "swift", "--json=stream", *swift_files]
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def changed_copy(path: str) -> tuple[str, bytes]:
    """A parsed file with one line appended (restored after the run), for a warm run with one edit."""
    original = Path(path).read_bytes()
    Path(path).write_bytes(original + b"\n// bgsession benchmark: one edited file\n")
    return path, original


def measure(folder: Path, rounds: int) -> dict[str, float | str]:
    files = discover([str(folder)]).files
    read_seconds, total_bytes, total_lines = min(read_all(files) for _ in range(rounds))
    every = [(language_of(path), Path(path).read_bytes()) for path in files]
    chosen = parsed_files(folder)
    chosen_sources = [(path, Path(path).read_bytes()) for path in chosen]
    chosen_parse = [(language_of(path), data) for path, data in chosen_sources]
    swift = [path for path in files if path.endswith(".swift")]
    sample = STDIN_SAMPLE.read_bytes()
    best: dict[str, float] = {}
    peaks: list[int] = []

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, seconds), seconds)

    with tempfile.TemporaryDirectory() as warm_cache, tempfile.TemporaryDirectory() as stdin_cache:
        warm_env = {"BGSESSION_CACHE_DIR": warm_cache}
        run_lint(["--jobs", "1", str(folder)], env=warm_env)  # fills the cache
        for _ in range(rounds):
            keep("parse", bare_parse(every))
            keep("parse parsed", bare_parse(chosen_parse) if chosen else 0.0)
            keep("extract parsed", extract_all(chosen_sources) if chosen else 0.0)
            for jobs in (1, 2):
                cold = run_lint(["--no-cache", "--jobs", str(jobs), str(folder)])
                keep(f"cold {jobs}", cold.seconds)
                peaks.append(cold.peak_kb)
            warm = run_lint(["--jobs", "1", str(folder)], env=warm_env)
            keep("warm", warm.seconds)
            peaks.append(warm.peak_kb)
            if chosen:
                path, original = changed_copy(chosen[len(chosen) // 2])
                try:
                    keep("warm one edit", run_lint(["--jobs", "1", str(folder)], env=warm_env).seconds)
                finally:
                    Path(path).write_bytes(original)
                run_lint(["--jobs", "1", str(folder)], env=warm_env)  # the cache as it was
            stdin_env = {"BGSESSION_CACHE_DIR": stdin_cache}
            stdin_args = ["--stdin", "--stdin-filename", "UploadService.swift"]
            stdin_runs = [run_lint(stdin_args, env=stdin_env, stdin=sample).seconds for _ in range(3)]
            keep("stdin", statistics.median(stdin_runs))
            keep("start-up", min(start_up() for _ in range(3)))
            grep = ast_grep(swift)
            if grep is not None:
                keep("ast-grep", grep)
    imports, heaviest = import_budget(sample)
    parse = best["parse"]
    cold = min(best["cold 1"], best["cold 2"])
    figures: dict[str, float | str] = {
        "files": len(files),
        "lines": total_lines,
        "megabytes": total_bytes / 1e6,
        "files parsed by the linter": len(chosen),
        "bare parse of every file (s), the unit": parse,
        "read every byte (s)": read_seconds,
        "cold --jobs 1 (s)": best["cold 1"],
        "cold --jobs 2 (s)": best["cold 2"],
        "warm (s)": best["warm"],
        "cold --jobs 1 / parse": best["cold 1"] / parse,
        "cold --jobs 2 / parse": best["cold 2"] / parse,
        "--jobs 2 / --jobs 1": best["cold 2"] / best["cold 1"],
        "warm / parse": best["warm"] / parse,
        "warm / cold": best["warm"] / cold,
    }
    if "warm one edit" in best:
        figures["warm, one parsed file edited / cold"] = best["warm one edit"] / cold
    figures |= {
        "stdin, one file (s)": best["stdin"],
        "stdin / parse": best["stdin"] / parse,
        "of which `bgsession --version` (s)": best["start-up"],
        "of which imports, -X importtime (s)": imports,
        "heaviest imports": ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in heaviest),
        "peak memory (MB)": max(peaks) / 1024,
        "extraction / parse, per parsed file": best["extract parsed"] / best["parse parsed"]
        if best["parse parsed"]
        else float("nan"),
        "lines per second (cold)": total_lines / cold,
    }
    if "ast-grep" in best:
        figures[f"ast-grep `{AST_GREP_PATTERN}` over the Swift files (s)"] = best["ast-grep"]
        figures["ast-grep / parse"] = best["ast-grep"] / parse
        figures["ast-grep / cold lint (x faster)"] = best["ast-grep"] / cold
    else:
        figures["ast-grep"] = "not installed (pip install -e '.[bench]')"
    return figures


def show(name: str, figures: dict[str, float | str]) -> None:
    print(f"\n{name}")
    for key, value in figures.items():
        if isinstance(value, str):
            print(f"  {key:<50} {value}")
        elif isinstance(value, int) or (float(value).is_integer() and value > 100):
            print(f"  {key:<50} {int(value):>12,}")
        else:
            print(f"  {key:<50} {value:>12.3f}")


def main() -> int:
    parser_ = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser_.add_argument("paths", nargs="*", type=Path, help="directories of code (default: synthetic corpus)")
    parser_.add_argument("--corpus", action="store_true", help="export the real corpus (corpus.toml) and measure it")
    parser_.add_argument("--corpus-dir", type=Path, default=real_corpus.DEFAULT_FOLDER, help="where it is exported")
    parser_.add_argument("--mirrors", type=Path, default=real_corpus.DEFAULT_MIRRORS, help="the git mirrors")
    parser_.add_argument("--synthetic", type=Path, default=SYNTHETIC, help="where the synthetic corpus lives")
    parser_.add_argument("--lines", type=int, default=1_000_000, help="synthetic corpus size (default 1,000,000)")
    parser_.add_argument("--repeat", type=int, default=3, help="rounds of measurements; the best is kept")
    options = parser_.parse_args()
    # Like an installed package: import from compiled bytecode, not from source.
    compileall.compile_dir(str(REPO / "bgsession"), quiet=1)
    print(f"machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    targets = list(options.paths)
    if options.corpus:
        written = real_corpus.export(options.corpus_dir, options.mirrors)
        print(f"corpus: {len(written)} repositories in {options.corpus_dir}")
        for repository in written:
            print(f"  {repository.repo} {repository.commit}")
        targets.append(options.corpus_dir)
    if not targets:
        if not options.synthetic.exists():
            files, lines = corpus.build(options.synthetic, min_lines=options.lines)
            print(f"built the synthetic corpus: {files:,} files, {lines:,} lines in {options.synthetic}")
        targets = [options.synthetic]
    for folder in targets:
        show(str(folder), measure(folder, options.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
