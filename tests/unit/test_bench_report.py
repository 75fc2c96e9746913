"""docs/benchmarks.md is the report of the recorded run, and its verdicts follow the numbers."""

import copy
import json
from pathlib import Path

import pytest

from benchmarks import report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(name="recorded")
def recorded_fixture():
    return json.loads((ROOT / "benchmarks" / "last_run.json").read_text(encoding="utf-8"))


def target_row(markdown: str, start: str) -> str:
    rows = [line for line in markdown.splitlines() if line.startswith(f"| {start}")]
    assert len(rows) == 1, (start, rows)
    return rows[0]


def test_docs_match_recorded_run(recorded):
    written = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert written == report.markdown(recorded)


def test_slow_unit_verdict_follows_time(recorded):
    results = copy.deepcopy(recorded)
    results["slow"]["egov_simulation"]["median"] = 3300.0
    markdown = report.markdown(results)
    assert target_row(markdown, "simulation unit usable within 3 s").endswith("| **missed** |")
    assert "(3.3 s, 10% over)" in markdown

    results["slow"]["egov_simulation"]["median"] = 2500.0
    markdown = report.markdown(results)
    assert target_row(markdown, "simulation unit usable within 3 s").endswith("| met |")
    assert "(2.5 s, met)" in markdown


def test_handler_verdict_follows_floor(recorded):
    results = copy.deepcopy(recorded)
    handlers = results["handlers"]["lms-like"]
    handlers[report.NOOP] = 2.0
    handlers["egov_simulation submit_step"] = 3.9
    handlers["citizenship_quiz submit"] = 4.1
    markdown = report.markdown(results)
    assert target_row(markdown, "handler within 2× the no-op floor (egov_simulation submit_step) | LMS-like").endswith(
        "| met |")
    assert target_row(markdown, "handler within 2× the no-op floor (citizenship_quiz submit) | LMS-like").endswith(
        "| **missed** |")
