"""Workbench scenarios of the quiz, read from ``scenarios/*.xml``."""

from __future__ import annotations

from importlib import resources

SCENARIO_FILES = (
    ("Citizenship quiz: every question type", "all_types.xml"),
)


def workbench_scenarios() -> list[tuple[str, str]]:
    """Return (title, OLX) pairs for the XBlock SDK workbench."""
    folder = resources.files("digital_skills_xblocks.quiz").joinpath("scenarios")
    return [(title, folder.joinpath(name).read_text(encoding="utf-8")) for title, name in SCENARIO_FILES]
