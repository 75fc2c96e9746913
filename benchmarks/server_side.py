"""Measurements inside one Python process: the XBlock SDK runtime with every block installed.

Times are medians of bounded loops (``time.perf_counter``); each handler call
is made for a new learner, so every call does the same work.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

from web_fragments.fragment import Fragment
from webob import Request
from xblock.core import XBlock

from . import generate

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "digital_skills_xblocks"
EGOV_XML = (PACKAGE / "egov" / "scenarios" / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
QUIZ_XML = (PACKAGE / "quiz" / "templates_library" / "nhan_dien_lua_dao.xml").read_text(encoding="utf-8")
PEERS_XML = {"drag-and-drop-v2": "<drag-and-drop-v2/>", "poll": "<poll/>"}


class NoopBlock(XBlock):
    """The floor: a JSON handler that does nothing, in the same runtime."""

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment("<p>noop</p>")

    @XBlock.json_handler
    def noop(self, data, suffix=""):  # pylint: disable=unused-argument
        return {}


def setup(db_path: str) -> None:
    os.environ["DIGITAL_SKILLS_PREVIEW_DB"] = db_path
    from digital_skills_xblocks.preview.server import setup_django  # pylint: disable=import-outside-toplevel

    setup_django()


_scenario_count = [0]


def make_usage(xml: str) -> str:
    """Parse ``xml`` as a new scenario of the workbench; return the block's usage id."""
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    from digital_skills_xblocks.common.safe_xml import parse_xml  # pylint: disable=import-outside-toplevel

    _scenario_count[0] += 1
    ID_MANAGER.set_scenario(f"bench-{_scenario_count[0]}")
    return WorkbenchRuntime("author")._usage_id_from_node(parse_xml(xml.encode("utf-8")), None)  # pylint: disable=protected-access


def get_block(usage_id: str, student: str):
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    return WorkbenchRuntime(student).get_block(usage_id)


def call(block, handler: str, payload: dict) -> tuple[int, Any]:
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"),
                            headers={"Content-Type": "application/json"})
    response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body or b"null")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], Any], repeat: int, warmup: int = 5) -> float:
    """Median wall time of ``action`` in milliseconds."""
    for _turn in range(warmup):
        action()
    samples = []
    for _turn in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def render_times(repeat: int) -> dict[str, float]:
    """Median ms of ``block.render("student_view")`` for one learner's fresh block of each type."""
    sources = {"egov_simulation": EGOV_XML, "citizenship_quiz": QUIZ_XML, **PEERS_XML}
    results = {}
    for name, xml in sources.items():
        usage_id = make_usage(xml)
        get_block(usage_id, "render").render("student_view", {})
        blocks = iter([get_block(usage_id, "render") for _turn in range(repeat + 5)])
        results[name] = timed(lambda: next(blocks).render("student_view", {}), repeat)
    return results


def learner_calls(usage_id: str, handler: str, payload: Callable[[Any], dict], repeat: int,
                  prepare: Callable[[Any], None] | None = None) -> float:
    """Median ms of one handler call, each for a new learner whose block was loaded beforehand."""
    blocks = []
    for number in range(repeat + 5):
        block = get_block(usage_id, f"learner-{_scenario_count[0]}-{handler}-{number}")
        if prepare is not None:
            prepare(block)
        blocks.append(block)
    queue = iter(blocks)

    def once():
        block = next(queue)
        status, body = call(block, handler, payload(block))
        assert status == 200, (handler, status, body)

    return timed(once, repeat)


def login_values(xml: str) -> dict:
    from digital_skills_xblocks.common.safe_xml import parse_xml  # pylint: disable=import-outside-toplevel
    from digital_skills_xblocks.egov.scenario import parse_scenario  # pylint: disable=import-outside-toplevel

    persona = parse_scenario(parse_xml(xml.encode("utf-8"))).persona
    return {"id_number": persona.id_number, "password": persona.password, "otp": persona.otp}


def quiz_answers(block) -> dict:
    """Answers for every drawn question: the first option, or the order shown."""
    status, state = call(block, "user_state", {})
    assert status == 200, state
    answers = {}
    for question in state["questions"]:
        choices = [choice["id"] for choice in question.get("choices", question.get("options", []))]
        if question["type"] in ("single_choice", "true_false"):
            answers[question["id"]] = choices[0] if choices else "true"
        else:
            answers[question["id"]] = choices[:1] if question["type"] != "ordering" else choices
    return answers


def handler_times(repeat: int) -> dict[str, float]:
    """Median ms of submit_step (egov), submit (quiz), the no-op floor and Poll's vote."""
    results = {}

    @XBlock.register_temp_plugin(NoopBlock, "bench_noop")
    def measure_noop() -> float:
        noop_usage = make_usage("<bench_noop/>")
        return learner_calls(noop_usage, "noop", lambda block: {}, repeat)

    results["no-op JSON handler"] = measure_noop()

    egov_usage = make_usage(EGOV_XML)
    login = {"step_id": "dang_nhap", "values": login_values(EGOV_XML)}
    results["egov_simulation submit_step"] = learner_calls(egov_usage, "submit_step", lambda block: login, repeat)

    quiz_usage = make_usage(QUIZ_XML)
    prepared: dict[int, dict] = {}
    results["citizenship_quiz submit"] = learner_calls(
        quiz_usage, "submit", lambda block: {"answers": prepared[id(block)]}, repeat,
        prepare=lambda block: prepared.__setitem__(id(block), quiz_answers(block)))

    poll_usage = make_usage(PEERS_XML["poll"])
    results["poll vote"] = learner_calls(poll_usage, "vote", lambda block: {"choice": "R"}, repeat)
    return results


def growth_times(sizes: tuple[int, ...], repeat: int) -> dict[str, dict[int, float]]:
    """Median ms of the first submit_step and of a full quiz submit, by scenario or quiz size."""
    results: dict[str, dict[int, float]] = {"egov_simulation submit_step": {}, "citizenship_quiz submit": {},
                                            "egov_simulation render": {}, "citizenship_quiz render": {}}
    for size in sizes:
        xml = generate.simulation_xml(size)
        usage = make_usage(xml)
        login = {"step_id": "dang_nhap", "values": login_values(xml)}
        results["egov_simulation submit_step"][size] = learner_calls(usage, "submit_step", lambda block: login, repeat)
        blocks = iter([get_block(usage, f"r{number}") for number in range(repeat + 5)])
        results["egov_simulation render"][size] = timed(lambda: next(blocks).render("student_view", {}), repeat)

        usage = make_usage(generate.quiz_xml(size))
        answers = {"answers": {f"q{number:03d}": "b" for number in range(1, size + 1)}}
        results["citizenship_quiz submit"][size] = learner_calls(usage, "submit", lambda block: answers, repeat)
        blocks = iter([get_block(usage, f"r{number}") for number in range(repeat + 5)])
        results["citizenship_quiz render"][size] = timed(lambda: next(blocks).render("student_view", {}), repeat)
    return results


def stored_state_bytes() -> dict[str, int]:
    """Bytes of one learner's user_state after a full attempt, as the workbench stores it (JSON)."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel

    from digital_skills_xblocks.common.safe_xml import parse_xml  # pylint: disable=import-outside-toplevel
    from digital_skills_xblocks.egov.scenario import parse_scenario  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, str(ROOT / "tests" / "courses"))
    from egov_solver import solution  # pylint: disable=import-outside-toplevel,import-error

    results = {}
    usage = make_usage(EGOV_XML)
    block = get_block(usage, "state-egov")
    for step_id, values in solution(parse_scenario(parse_xml(EGOV_XML.encode("utf-8")))):
        status, body = call(block, "submit_step", {"step_id": step_id, "values": values})
        assert status == 200 and body["result"]["passed"], (step_id, body)
    results["egov_simulation (full attempt)"] = _state_size(XBlockState, "state-egov")

    usage = make_usage(QUIZ_XML)
    block = get_block(usage, "state-quiz")
    status, body = call(block, "submit", {"answers": quiz_answers(block)})
    assert status == 200, body
    results["citizenship_quiz (submitted)"] = _state_size(XBlockState, "state-quiz")

    usage = make_usage(PEERS_XML["poll"])
    block = get_block(usage, "state-poll")
    status, body = call(block, "vote", {"choice": "R"})
    assert status == 200, body
    results["poll (voted)"] = _state_size(XBlockState, "state-poll")
    return results


def _state_size(model, student: str) -> int:
    rows = model.objects.filter(user_id=student).exclude(scope__in=("parent", "children"))
    return sum(len(row.state.encode("utf-8")) for row in rows)
