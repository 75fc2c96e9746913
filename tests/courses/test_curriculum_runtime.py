"""Every course runs in the real XBlock runtime: units render, simulations can be finished, archives pack."""

import itertools
import json
import tarfile
from pathlib import Path

import pytest
from webob import Request

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov.scenario import parse_scenario
from egov_solver import sample_for_regex, solution

ROOT = Path(__file__).resolve().parents[2]
COURSES = sorted(path.parent for path in (ROOT / "course_exports").glob("*/course.xml"))
SIMULATIONS = sorted((ROOT / "course_exports").glob("*/egov_simulation/*.xml"))
_scenario_numbers = itertools.count()


def course_id(path):
    return path.name


def simulation_id(path):
    return f"{path.parents[1].name}/{path.stem}"


@pytest.fixture(name="runtime_block")
def runtime_block_fixture(django_db):
    """Return a factory: simulation file -> the block as one learner sees it in WorkbenchRuntime."""
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    def make(path):
        ID_MANAGER.set_scenario(f"curriculum-{next(_scenario_numbers)}")
        root = parse_xml(path.read_bytes())
        usage_id = WorkbenchRuntime("author")._usage_id_from_node(root, None)  # pylint: disable=protected-access
        return WorkbenchRuntime("learner").get_block(usage_id)

    return make


def call(block, handler, payload):
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"))
    response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body)


def test_curriculum_has_courses_and_simulations():
    assert len(COURSES) >= 2
    assert len(SIMULATIONS) >= 2


def test_solver_samples_patterns():
    for regex in (r"[0-9]{12}", r"0[35789][0-9]{8}", r"[^@\s]{1,64}@[^@\s]{1,190}", r"(KS|TT)-\d{4}"):
        assert sample_for_regex(regex)


@pytest.mark.parametrize("path", SIMULATIONS, ids=simulation_id)
def test_simulation_completes_with_full_score(path, runtime_block):
    scenario = parse_scenario(parse_xml(path.read_bytes()))
    block = runtime_block(path)

    answer = None
    for step_id, values in solution(scenario):
        status, answer = call(block, "submit_step", {"step_id": step_id, "values": values})
        assert status == 200, (step_id, answer)
        assert answer["result"]["passed"], (step_id, answer["result"].get("errors"))

    assert block.current_step == scenario.result_step.id
    assert block.completed
    assert block.raw_possible > 0
    assert block.raw_earned == block.raw_possible


@pytest.mark.parametrize("course", COURSES, ids=course_id)
def test_pack_has_studio_layout(course, tmp_path):
    from digital_skills_xblocks.cli import main

    archive = tmp_path / f"{course.name}.tar.gz"
    assert main(["pack", str(course), "-o", str(archive)]) == 0

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        members = tar.getmembers()
    top_levels = {name.split("/", 1)[0] for name in names}
    assert top_levels == {"course"}
    assert "course/course.xml" in names
    assert any(name.startswith("course/policies/") and name.endswith("/policy.json") for name in names)
    assert any(name.endswith("/grading_policy.json") for name in names)
    assert all(member.isfile() or member.isdir() for member in members)
    packed_files = {name[len("course/"):] for name, member in zip(names, members) if member.isfile()}
    source_files = {str(path.relative_to(course)) for path in course.rglob("*") if path.is_file()}
    assert packed_files == source_files


QUIZZES = sorted((ROOT / "course_exports").glob("*/citizenship_quiz/*.xml"))


def test_curriculum_scale():
    """Five or more courses of three or more chapters, 8+ distinct procedures and 120+ quiz questions."""
    from digital_skills_xblocks.olx.reader import read_course
    from digital_skills_xblocks.quiz.bank import parse_quiz

    assert len(COURSES) >= 5
    for course in COURSES:
        export = read_course(str(course))
        chapters = [child for child in export.course.children if child.tag == "chapter"]
        assert len(chapters) >= 3, course.name
        assert (course / "about" / "overview.html").is_file(), course.name
        run = parse_xml((course / "course.xml").read_bytes()).get("url_name")
        policy = json.loads((course / "policies" / run / "policy.json").read_text(encoding="utf-8"))
        settings = next(iter(policy.values()))
        assert settings.get("cert_html_view_enabled") is True, course.name

    assert len({path.stem for path in SIMULATIONS}) >= 8

    questions = sum(len(parse_quiz(parse_xml(path.read_bytes())).questions) for path in QUIZZES)
    assert questions >= 120


def test_officials_course_has_dossier_review():
    scenarios = [parse_scenario(parse_xml(path.read_bytes())) for path in SIMULATIONS if path.parents[1].name == "chuyen-doi-so-can-bo-xa"]

    kinds = {step.kind for scenario in scenarios for step in scenario.steps}

    assert "review_dossier" in kinds
