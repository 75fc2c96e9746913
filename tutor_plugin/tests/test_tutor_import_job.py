"""Checks on the script that `do importdigitalskills` and the init task run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import TutorProject

CAPTURE = Path(__file__).with_name("capture_tutor_jobs.py")
COURSE_DIR = "dich-vu-cong-truc-tuyen"


def course_key() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tutordigitalskills import bundle

    courses = {course.directory: course for course in bundle.list_courses()}
    return courses[COURSE_DIR].key


def capture(project: TutorProject, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, str(CAPTURE), *args],
        env={
            "PATH": "/usr/bin:/bin:" + str(Path(sys.executable).parent),
            "TUTOR_ROOT": str(project.root),
            "TUTOR_PLUGINS_ROOT": str(project.plugins_root),
            "HOME": str(project.root),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON output\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return json.loads(lines[-1])


def compose_script(output: dict) -> str:
    runs = [entry["command"] for entry in output["captured"] if "run" in entry["command"]]
    assert len(runs) == 1, output
    command = runs[0]
    assert command[:2] == ["docker", "compose"]
    assert command[command.index("run") + 1 :][:2] in (["--rm", "cms-job"], ["--rm", "-T"])
    assert "cms-job" in command
    return command[-1]


def assert_imports_course(script: str, key: str) -> None:
    import_line = f"./manage.py cms import /openedx/digitalskills/courses {COURSE_DIR}"
    outline_line = f"./manage.py cms update_course_outline {key}"
    reindex_line = f"./manage.py cms reindex_course {key}"
    for line in (import_line, outline_line, reindex_line):
        assert line in script
    assert script.index(import_line) < script.index(outline_line) < script.index(reindex_line)


@pytest.fixture(scope="module")
def enabled(tmp_path_factory: pytest.TempPathFactory) -> TutorProject:
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("jobs"))
    project.run("plugins", "enable", "digitalskills")
    project.run("config", "save")
    return project


@pytest.mark.parametrize("mode", ["local", "dev"])
def test_import_all_courses_compose(enabled: TutorProject, mode: str) -> None:
    output = capture(enabled, mode, "do", "importdigitalskills")
    assert output["exit_code"] == 0, output
    assert_imports_course(compose_script(output), course_key())


def test_import_selected_by_key(enabled: TutorProject) -> None:
    key = course_key()
    output = capture(enabled, "local", "do", "importdigitalskills", key)
    script = compose_script(output)
    assert_imports_course(script, key)
    assert script.count("./manage.py cms import ") == 1


def test_import_unknown_course_rejected(enabled: TutorProject) -> None:
    output = capture(enabled, "local", "do", "importdigitalskills", "no-such-course")
    text = json.dumps(output)
    assert "Unknown course(s): no-such-course" in text
    assert COURSE_DIR in text
    assert not [entry for entry in output["captured"] if "run" in entry["command"]]


def test_import_job_in_kubernetes(enabled: TutorProject) -> None:
    output = capture(enabled, "k8s", "do", "importdigitalskills", COURSE_DIR)
    applies = [entry for entry in output["captured"] if entry["command"][:2] == ["kubectl", "apply"]]
    assert len(applies) == 1, output
    job = yaml.safe_load(applies[0]["manifest"])
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert "-digitalskills" in container["image"]
    assert job["metadata"]["name"].startswith("cms-job-")
    assert_imports_course(container["args"][-1], course_key())


def test_init_task_imports_only_when_asked(enabled: TutorProject) -> None:
    output = capture(enabled, "local", "do", "init", "--limit", "digitalskills")
    scripts = [entry["command"][-1] for entry in output["captured"] if "run" in entry["command"]]
    assert any("DarkLangConfig" in script for script in scripts)
    assert not any("cms import" in script for script in scripts)

    enabled.run("config", "save", "--set", "DIGITALSKILLS_IMPORT_ON_INIT=true")
    output = capture(enabled, "local", "do", "init", "--limit", "digitalskills")
    scripts = [entry["command"][-1] for entry in output["captured"] if "run" in entry["command"]]
    import_scripts = [script for script in scripts if "cms import" in script]
    assert len(import_scripts) == 1
    assert "has_course(CourseKey.from_string(" in import_scripts[0]
    assert_imports_course(import_scripts[0], course_key())
    enabled.run("config", "save", "--set", "DIGITALSKILLS_IMPORT_ON_INIT=false")
