"""bgsession's speed and memory, as ratios measured in one run on one machine.

    python benchmarks/bench.py                      # the synthetic corpus (built on first use)
    python benchmarks/bench.py PATH [PATH ...]      # directories of real code, each measured alone

For each corpus it prints: cold lint / bare tree-sitter parse of every file; cold lint / bare parse
of the files the linter parsed; cold lint / reading every byte; warm (cached) lint / cold lint;
--jobs 2 / --jobs 1; lines per second; peak memory; and the wall time of a single-file --stdin lint
including interpreter start. Lint runs are real `bgsession lint` processes; parse and read times are
measured in this process with the same tree-sitter build, over files already in the page cache.
"""

from __future__ import annotations

import argparse
import compileall
import os
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

from benchmarks import corpus  # noqa: E402
from bgsession.grammars import SourceLanguage, language_of, parser  # noqa: E402
from bgsession.lint.discover import discover  # noqa: E402
from bgsession.lint.extract import extract_file  # noqa: E402
from bgsession.lint.runner import LintRequest, lint  # noqa: E402

SYNTHETIC = REPO / ".bgsession-bench" / "synthetic"
STDIN_SAMPLE = REPO / "examples" / "PhotoBackup" / "PhotoBackup" / "UploadService.swift"


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
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"bgsession lint {' '.join(args)} failed with status {process.returncode}")
    return Run(elapsed, peak + workers)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda run: run.seconds)


def bare_parse(files: list[str]) -> float:
    """Seconds to parse every file with tree-sitter alone (grammars already loaded)."""
    sources = [(language_of(path), Path(path).read_bytes()) for path in files]
    for language in SourceLanguage:
        parser(language)
    start = time.perf_counter()
    for language, data in sources:
        if language is not None:
            parser(language).parse(data)
    return time.perf_counter() - start


def extract_all(files: list[str]) -> float:
    """Seconds to extract facts from the files, in-process: parse, queries and the Python that reads them."""
    sources = [(path, Path(path).read_bytes()) for path in files]
    for path, data in sources[:1]:
        extract_file(path, data)  # queries compiled outside the timing, as bare_parse loads the grammars
    start = time.perf_counter()
    for path, data in sources:
        extract_file(path, data)
    return time.perf_counter() - start


def start_up(repeat: int) -> float:
    """Wall seconds for `python -m bgsession --version`: the interpreter and the command line alone."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bgsession", "--version"], check=True, capture_output=True, cwd=REPO)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def read_all(files: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    total_bytes = 0
    total_lines = 0
    for path in files:
        with open(path, "rb") as stream:
            data = stream.read()
        total_bytes += len(data)
        total_lines += data.count(b"\n")
    return time.perf_counter() - start, total_bytes, total_lines


def parsed_files(folder: Path) -> list[str]:
    """The files the linter parses (its prefilter and second pass decide), from an in-process run."""
    result = lint(LintRequest([str(folder)]))
    return [facts.path for facts in result.summary.files + result.summary.test_files]


def measure(folder: Path, repeat: int) -> dict[str, float]:
    files = discover([str(folder)]).files
    read_seconds, total_bytes, total_lines = min(read_all(files) for _ in range(repeat))
    parse_all = min(bare_parse(files) for _ in range(repeat))
    chosen = parsed_files(folder)
    parse_chosen = min(bare_parse(chosen) for _ in range(repeat)) if chosen else 0.0
    extract_chosen = min(extract_all(chosen) for _ in range(repeat)) if chosen else 0.0
    cold1 = best([run_lint(["--no-cache", "--jobs", "1", str(folder)]) for _ in range(repeat)])
    cold2 = best([run_lint(["--no-cache", "--jobs", "2", str(folder)]) for _ in range(repeat)])
    with tempfile.TemporaryDirectory() as cache:
        env = {"BGSESSION_CACHE_DIR": cache}
        run_lint(["--jobs", "1", str(folder)], env=env)
        warm = best([run_lint(["--jobs", "1", str(folder)], env=env) for _ in range(repeat)])
    sample = STDIN_SAMPLE.read_bytes()
    with tempfile.TemporaryDirectory() as cache:
        env = {"BGSESSION_CACHE_DIR": cache}
        stdin_runs = [
            run_lint(["--stdin", "--stdin-filename", "UploadService.swift"], env=env, stdin=sample).seconds
            for _ in range(max(repeat, 5))
        ]
    cold = min(cold1.seconds, cold2.seconds)
    return {
        "files": len(files),
        "lines": total_lines,
        "megabytes": total_bytes / 1e6,
        "files parsed by the linter": len(chosen),
        "read every byte (s)": read_seconds,
        "bare parse of every file (s)": parse_all,
        "bare parse of the parsed files (s)": parse_chosen,
        "cold lint, --jobs 1 (s)": cold1.seconds,
        "cold lint, --jobs 2 (s)": cold2.seconds,
        "warm lint, --jobs 1 (s)": warm.seconds,
        "cold lint / bare parse of every file": cold / parse_all if parse_all else float("nan"),
        "cold lint / bare parse of the parsed files": cold / parse_chosen if parse_chosen else float("nan"),
        "extraction / bare parse, per parsed file": extract_chosen / parse_chosen if parse_chosen else float("nan"),
        "cold lint / reading every byte": cold / read_seconds if read_seconds else float("nan"),
        "warm lint / cold lint": warm.seconds / cold1.seconds,
        "--jobs 2 / --jobs 1": cold2.seconds / cold1.seconds,
        "lines per second (cold)": total_lines / cold,
        "peak memory (MB)": max(cold1.peak_kb, cold2.peak_kb, warm.peak_kb) / 1024,
        "single-file --stdin lint, median (s)": statistics.median(stdin_runs),
        "of which `bgsession --version` start-up (s)": start_up(max(repeat, 5)),
    }


def show(name: str, figures: dict[str, float]) -> None:
    print(f"\n{name}")
    for key, value in figures.items():
        if isinstance(value, int) or (float(value).is_integer() and value > 100):
            print(f"  {key:<45} {int(value):>12,}")
        else:
            print(f"  {key:<45} {value:>12.3f}")


def main() -> int:
    parser_ = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser_.add_argument("paths", nargs="*", type=Path, help="directories of real code (default: synthetic corpus)")
    parser_.add_argument("--synthetic", type=Path, default=SYNTHETIC, help="where the synthetic corpus lives")
    parser_.add_argument("--lines", type=int, default=1_000_000, help="synthetic corpus size (default 1,000,000)")
    parser_.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    options = parser_.parse_args()
    # Like an installed package: import from compiled bytecode, not from source.
    compileall.compile_dir(str(REPO / "bgsession"), quiet=1)
    print(f"machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    targets = options.paths
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
