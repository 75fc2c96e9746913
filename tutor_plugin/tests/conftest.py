"""
Fixtures for the plugin tests: every test renders into its own TUTOR_ROOT
with the real `tutor` command of this virtualenv, never the user's root.
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest

BIN_DIR = Path(sys.executable).parent
PLUGIN_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PLUGIN_DIR.parent


class TutorProject:
    """A temporary Tutor project root and a way to run `tutor` against it."""

    def __init__(self, root: Path, plugins_root: Path, tutor_bin: Path) -> None:
        self.root = root
        self.plugins_root = plugins_root
        self.tutor_bin = tutor_bin

    @property
    def env_dir(self) -> Path:
        return self.root / "env"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ)
        environment["TUTOR_ROOT"] = str(self.root)
        environment["TUTOR_PLUGINS_ROOT"] = str(self.plugins_root)
        # Keep operator environment overrides (TUTOR_*) out of the tests.
        for name in list(environment):
            if name.startswith("TUTOR_") and name not in ("TUTOR_ROOT", "TUTOR_PLUGINS_ROOT"):
                del environment[name]
        result = subprocess.run(
            [str(self.tutor_bin), *args],
            env=environment,
            cwd=str(self.root),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"tutor {' '.join(args)} exited with {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def read(self, relative: str) -> str:
        return (self.env_dir / relative).read_text(encoding="utf-8")


def make_project(tmp_path: Path, tutor_bin: Path = BIN_DIR / "tutor") -> TutorProject:
    root = tmp_path / "tutor-root"
    plugins_root = tmp_path / "tutor-plugins"
    root.mkdir()
    plugins_root.mkdir()
    return TutorProject(root, plugins_root, tutor_bin)


@pytest.fixture
def project(tmp_path: Path) -> TutorProject:
    return make_project(tmp_path)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> TutorProject:
    """A project with the plugin and tutor-mfe enabled (Indigo disabled), rendered once."""
    rendered_project = make_project(tmp_path_factory.mktemp("rendered"))
    rendered_project.run("plugins", "enable", "mfe", "digitalskills")
    # Tutor enables Indigo by default in a new project.
    rendered_project.run("plugins", "disable", "indigo")
    rendered_project.run("config", "save")
    assert "indigo" not in rendered_project.run("config", "printvalue", "PLUGINS").stdout
    return rendered_project


@pytest.fixture(scope="module")
def rendered_with_indigo(tmp_path_factory: pytest.TempPathFactory) -> TutorProject:
    """The same, with the Indigo theme plugin enabled too."""
    rendered_project = make_project(tmp_path_factory.mktemp("rendered-indigo"))
    rendered_project.run("plugins", "enable", "mfe", "indigo", "digitalskills")
    rendered_project.run("config", "save")
    return rendered_project


def iter_files(folder: Path, suffixes: t.Tuple[str, ...]) -> t.Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name.endswith(suffixes):
            yield path
