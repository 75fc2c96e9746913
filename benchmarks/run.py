"""Run every benchmark once and rewrite docs/benchmarks.md (``make bench``).

When the peer XBlocks are not importable, the run creates .venv-bench (this
package plus benchmarks/requirements.txt) and restarts itself there, so the
project's own virtualenv never gets the peers. Every loop is bounded; the
whole run takes a few minutes on two cores.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".venv-bench"
REPORT = ROOT / "docs" / "benchmarks.md"
RENDER_REPEAT = 200
HANDLER_REPEAT = 100
GROWTH_SIZES = (10, 50, 200)
GROWTH_REPEAT = 30
SLOW_RUNS = 3


def peers_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("drag_and_drop_v2", "poll", "playwright"))


def ensure_bench_venv() -> None:
    """Re-run this module in .venv-bench, creating it first when needed."""
    python = BENCH_VENV / "bin" / "python"
    if not (BENCH_VENV / ".installed").exists():
        print("Creating .venv-bench with the peer XBlocks (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[preview]",
                        "-r", str(ROOT / "benchmarks" / "requirements.txt")], check=True)
        (BENCH_VENV / ".installed").touch()
    os.execv(str(python), [str(python), "-m", "benchmarks.run", *sys.argv[1:]])


def curriculum_times() -> dict[str, float]:
    """Seconds to validate and to pack every course of course_exports/, each as the CLI runs it."""
    courses = sorted(path.parent for path in (ROOT / "course_exports").glob("*/course.xml"))
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for command in ("validate", "pack"):
            start = time.perf_counter()
            for course in courses:
                extra = ["-o", str(Path(folder) / f"{course.name}.tar.gz"), "--force"] if command == "pack" else []
                subprocess.run([sys.executable, "-m", "digital_skills_xblocks.cli", "--language", "en", command,
                                str(course), *extra], check=False, capture_output=True)
            results[command] = time.perf_counter() - start
    results["courses"] = len(courses)
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
        if names:
            cpu = f"{names[0]}, {len(names)} logical CPUs"
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            kib = int(info.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}{memory}; {platform.system()} {platform.release()}; Python {platform.python_version()}"


def main() -> None:
    if "--report-only" in sys.argv:
        # Rewrite the page from the last run's numbers, after a change to the report's wording.
        import json  # pylint: disable=import-outside-toplevel

        from . import report  # pylint: disable=import-outside-toplevel

        results = json.loads((ROOT / "benchmarks" / "last_run.json").read_text(encoding="utf-8"))
        REPORT.write_text(report.markdown(results), encoding="utf-8")
        return
    if not peers_installed():
        ensure_bench_venv()

    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    from . import browser_side, report, server_side  # pylint: disable=import-outside-toplevel

    started = time.monotonic()
    results: dict = {"machine": machine(), "date": datetime.date.today().isoformat(),
                     "command": "make bench",
                     "render_repeat": RENDER_REPEAT, "handler_repeat": HANDLER_REPEAT,
                     "cores": os.cpu_count(), "rounds": server_side.ROUNDS}
    with tempfile.TemporaryDirectory() as folder:
        server_side.setup(str(Path(folder) / "bench.sqlite3"))
        print("saved state reads back equal in the LMS-like mode...", flush=True)
        results["round_trip"] = server_side.check_round_trip()
        for key in ("render", "handlers", "growth", "queries"):
            results[key] = {}
        for mode in server_side.MODES:
            print(f"student_view render ({mode})...", flush=True)
            results["render"][mode] = server_side.render_times(RENDER_REPEAT, mode)
            print(f"handlers ({mode})...", flush=True)
            results["handlers"][mode] = server_side.handler_times(HANDLER_REPEAT, mode)
            print(f"growth with size ({mode})...", flush=True)
            results["growth"][mode] = server_side.growth_times(GROWTH_SIZES, GROWTH_REPEAT, mode)
            print(f"SQL queries per call ({mode})...", flush=True)
            results["queries"][mode] = server_side.query_counts(mode)
        print("stored state...", flush=True)
        results["state"] = server_side.stored_state_bytes()

        from digital_skills_xblocks.preview.server import start_process  # pylint: disable=import-outside-toplevel

        course = Path(folder) / browser_side.SLUG
        browser_side.write_course(course)
        # Bytes are counted per file, so that preview serves scripts and styles as files; the
        # slow-3G time uses the preview as learners get it, with them inlined into the page.
        per_file = start_process([str(course)], db_path=str(Path(folder) / "per-file.sqlite3"),
                                 env={"DIGITAL_SKILLS_PREVIEW_INLINE": "0"})
        inlined = start_process([str(course)], db_path=str(Path(folder) / "inlined.sqlite3"))
        # The same pages with the workbench's jQuery runtime in place of the preview's light one.
        with_jquery = start_process([str(course)], db_path=str(Path(folder) / "jquery.sqlite3"),
                                    env={"DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME": "0"})
        try:
            with sync_playwright() as playwright:
                browser = browser_side.launch(playwright)
                print("bytes in Chromium...", flush=True)
                results["bytes"] = browser_side.block_bytes(browser, per_file.url)
                print("slow 3G...", flush=True)
                results["slow"] = {name: browser_side.time_to_usable(browser, inlined.url, name, SLOW_RUNS)
                                   for name in (browser_side.HTML_ONLY, "egov_simulation")}
                results["slow"][browser_side.WITH_JQUERY] = browser_side.time_to_usable(
                    browser, with_jquery.url, "egov_simulation", SLOW_RUNS)
                browser.close()
        finally:
            per_file.stop()
            inlined.stop()
            with_jquery.stop()

    print("validate and pack the curriculum...", flush=True)
    results["curriculum"] = curriculum_times()
    results["elapsed"] = time.monotonic() - started
    # The raw numbers first, so a failing report can be rewritten with --report-only.
    (ROOT / "benchmarks" / "last_run.json").write_text(report.as_json(results), encoding="utf-8")
    REPORT.write_text(report.markdown(results), encoding="utf-8")
    print(f"Wrote {REPORT.relative_to(ROOT)} in {results['elapsed']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
