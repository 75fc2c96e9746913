"""Measurements inside one Python process: the XBlock SDK runtime with every block installed.

Times are medians of bounded loops (``time.perf_counter``); each handler call
is made for a new learner, so every call does the same work. Every measurement
takes a ``mode``: "workbench" is the SDK's ``WorkbenchRuntime`` as shipped, and
"lms-like" is ``lms_like.LmsLikeRuntime``, which reads and writes each stored
row once per request, as the LMS does with a learner's ``StudentModule`` row.
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
from xblock.fields import Integer, Scope

from . import generate

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "digital_skills_xblocks"
EGOV_XML = (PACKAGE / "egov" / "scenarios" / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
QUIZ_XML = (PACKAGE / "quiz" / "templates_library" / "nhan_dien_lua_dao.xml").read_text(encoding="utf-8")
PEERS_XML = {"drag-and-drop-v2": "<drag-and-drop-v2/>", "poll": "<poll/>"}
MODES = ("workbench", "lms-like")
# Timed loops: calls before timing starts, and the rounds that interleave the measured blocks.
WARMUP = 5
ROUNDS = 5


class NoopBlock(XBlock):
    """The floor: a JSON handler that does nothing, in the same runtime."""

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment("<p>noop</p>")

    @XBlock.json_handler
    def noop(self, data, suffix=""):  # pylint: disable=unused-argument
        return {}


class SaveFloorBlock(XBlock):
    """The floor of a handler that saves state: it reads one learner field and writes it back."""

    count = Integer(default=0, scope=Scope.user_state)

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment("<p>save</p>")

    @XBlock.json_handler
    def save_one(self, data, suffix=""):  # pylint: disable=unused-argument
        self.count += 1
        return {"count": self.count}


NOOP = "no-op JSON handler"
SAVE_FLOOR = "one-field save handler"


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


def runtime_class(mode: str) -> type:
    """Return the runtime class of a measurement mode (one of ``MODES``)."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    from .lms_like import LmsLikeRuntime  # pylint: disable=import-outside-toplevel

    classes = {"workbench": WorkbenchRuntime, "lms-like": LmsLikeRuntime}
    if mode not in classes:
        raise ValueError(f"unknown mode {mode!r}: expected one of {', '.join(classes)}")
    return classes[mode]


def get_block(usage_id: str, student: str, mode: str = "workbench"):
    """Load the block ``usage_id`` for ``student`` in a new runtime of ``mode``."""
    return runtime_class(mode)(student).get_block(usage_id)


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


def interleaved(actions: dict[str, Callable[[], Any]], repeat: int, rounds: int = ROUNDS,
                warmup: int = WARMUP) -> dict[str, float]:
    """Median wall time in milliseconds of each action, timed in turns.

    Each round times ``repeat // rounds`` calls of every action in turn, so a
    slow period of a shared machine falls on all of them alike and their
    ratios stay comparable. Each action must allow ``warmup + repeat`` calls.
    """
    for action in actions.values():
        for _turn in range(warmup):
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    per_round = max(1, repeat // rounds)
    for _round in range(rounds):
        for name, action in actions.items():
            for _turn in range(per_round):
                start = time.perf_counter()
                action()
                samples[name].append(time.perf_counter() - start)
    return {name: median_ms(values) for name, values in samples.items()}


RENDER_SOURCES = {"egov_simulation": EGOV_XML, "citizenship_quiz": QUIZ_XML, **PEERS_XML}


def render_times(repeat: int, mode: str) -> dict[str, float]:
    """Median ms of ``block.render("student_view")`` for one learner's fresh block of each type."""
    actions = {}
    for name, xml in RENDER_SOURCES.items():
        usage_id = make_usage(xml)
        get_block(usage_id, "render", mode).render("student_view", {})
        blocks = iter([get_block(usage_id, "render", mode) for _turn in range(WARMUP + repeat)])
        actions[name] = lambda blocks=blocks: next(blocks).render("student_view", {})
    return interleaved(actions, repeat)


def learner_call_action(usage_id: str, handler: str, payload: Callable[[Any], dict], count: int, mode: str,
                        prepare: Callable[[Any], None] | None = None) -> Callable[[], None]:
    """Return an action that calls ``handler`` once, for the next of ``count`` new learners loaded beforehand."""
    blocks = []
    for number in range(count):
        block = get_block(usage_id, f"learner-{_scenario_count[0]}-{handler}-{number}", mode)
        if prepare is not None:
            prepare(block)
        blocks.append(block)
    queue = iter(blocks)

    def once() -> None:
        block = next(queue)
        status, body = call(block, handler, payload(block))
        assert status == 200, (handler, status, body)

    return once


def learner_calls(usage_id: str, handler: str, payload: Callable[[Any], dict], repeat: int, mode: str,
                  prepare: Callable[[Any], None] | None = None) -> float:
    """Median ms of one handler call, each for a new learner whose block was loaded beforehand."""
    return timed(learner_call_action(usage_id, handler, payload, repeat + 5, mode, prepare), repeat)


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


def handler_times(repeat: int, mode: str) -> dict[str, float]:
    """Median ms of submit_step (egov), submit (quiz), the two floors and Poll's vote, timed in turns."""
    count = WARMUP + repeat

    @XBlock.register_temp_plugin(NoopBlock, "bench_noop")
    @XBlock.register_temp_plugin(SaveFloorBlock, "bench_save")
    def measure() -> dict[str, float]:
        actions = {
            NOOP: learner_call_action(make_usage("<bench_noop/>"), "noop", lambda block: {}, count, mode),
            SAVE_FLOOR: learner_call_action(make_usage("<bench_save/>"), "save_one", lambda block: {}, count, mode),
        }
        login = {"step_id": "dang_nhap", "values": login_values(EGOV_XML)}
        actions["egov_simulation submit_step"] = learner_call_action(
            make_usage(EGOV_XML), "submit_step", lambda block: login, count, mode)
        prepared: dict[int, dict] = {}
        actions["citizenship_quiz submit"] = learner_call_action(
            make_usage(QUIZ_XML), "submit", lambda block: {"answers": prepared[id(block)]}, count, mode,
            prepare=lambda block: prepared.__setitem__(id(block), quiz_answers(block)))
        actions["poll vote"] = learner_call_action(
            make_usage(PEERS_XML["poll"]), "vote", lambda block: {"choice": "R"}, count, mode)
        return interleaved(actions, repeat)

    return measure()


def query_counts(mode: str) -> dict[str, int]:
    """Count the SQL queries of one student_view render of each block and of one call of each measured handler.

    As in the timed loops, a render is the learner's second one, and a handler call is a new learner's first call of it.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    def count(action: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    def warm(usage_id: str) -> str:
        """Render the block once for another learner, so authored rows are loaded, as in the timed loops."""
        get_block(usage_id, "queries-warm-up", mode).render("student_view", {})
        return usage_id

    results = {}
    for name, xml in RENDER_SOURCES.items():
        usage_id = make_usage(xml)
        get_block(usage_id, f"queries-render-{name}", mode).render("student_view", {})
        block = get_block(usage_id, f"queries-render-{name}", mode)
        results[f"{name} render"] = count(lambda: block.render("student_view", {}))

    @XBlock.register_temp_plugin(NoopBlock, "bench_noop")
    def count_noop() -> int:
        block = get_block(warm(make_usage("<bench_noop/>")), "queries-noop", mode)
        return count(lambda: call(block, "noop", {}))

    results[NOOP] = count_noop()

    @XBlock.register_temp_plugin(SaveFloorBlock, "bench_save")
    def count_save() -> int:
        block = get_block(warm(make_usage("<bench_save/>")), "queries-save", mode)
        return count(lambda: call(block, "save_one", {}))

    results[SAVE_FLOOR] = count_save()
    block = get_block(warm(make_usage(EGOV_XML)), "queries-egov", mode)
    login = {"step_id": "dang_nhap", "values": login_values(EGOV_XML)}
    results["egov_simulation submit_step"] = count(lambda: call(block, "submit_step", login))
    block = get_block(warm(make_usage(QUIZ_XML)), "queries-quiz", mode)
    answers = {"answers": quiz_answers(block)}
    results["citizenship_quiz submit"] = count(lambda: call(block, "submit", answers))
    block = get_block(warm(make_usage(PEERS_XML["poll"])), "queries-poll", mode)
    results["poll vote"] = count(lambda: call(block, "vote", {"choice": "R"}))
    return results


def growth_times(sizes: tuple[int, ...], repeat: int, mode: str) -> dict[str, dict[int, float]]:
    """Median ms of the first submit_step and of a full quiz submit, by scenario or quiz size."""
    results: dict[str, dict[int, float]] = {"egov_simulation submit_step": {}, "citizenship_quiz submit": {},
                                            "egov_simulation render": {}, "citizenship_quiz render": {}}
    for size in sizes:
        xml = generate.simulation_xml(size)
        usage = make_usage(xml)
        login = {"step_id": "dang_nhap", "values": login_values(xml)}
        results["egov_simulation submit_step"][size] = learner_calls(usage, "submit_step", lambda block: login, repeat,
                                                                     mode)
        blocks = iter([get_block(usage, f"r{number}", mode) for number in range(repeat + 5)])
        results["egov_simulation render"][size] = timed(lambda: next(blocks).render("student_view", {}), repeat)

        usage = make_usage(generate.quiz_xml(size))
        answers = {"answers": {f"q{number:03d}": "b" for number in range(1, size + 1)}}
        results["citizenship_quiz submit"][size] = learner_calls(usage, "submit", lambda block: answers, repeat, mode)
        blocks = iter([get_block(usage, f"r{number}", mode) for number in range(repeat + 5)])
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


def user_state_json(block) -> dict[str, Any]:
    """Return the JSON value of every user_state field of ``block``, defaults included."""

    return {name: field.read_json(block) for name, field in block.fields.items() if field.scope == Scope.user_state}


def check_round_trip() -> list[str]:
    """Check that state saved by handlers in the LMS-like mode reads back equal, and list the checks made.

    Every handler call runs in a new ``LmsLikeRuntime``, as a new request does,
    so each step of the simulation works only if the previous step's state was
    written back and read again. The state is then compared four ways: the
    handler's block, the stored row, and new blocks in both modes.
    """
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel

    from digital_skills_xblocks.common.safe_xml import parse_xml  # pylint: disable=import-outside-toplevel
    from digital_skills_xblocks.egov.scenario import parse_scenario  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, str(ROOT / "tests" / "courses"))
    from egov_solver import solution  # pylint: disable=import-outside-toplevel,import-error

    def compare(name: str, usage_id: str, student: str, handler_block) -> dict[str, Any]:
        stored = json.loads(XBlockState.objects.get(scope="usage", scope_id=usage_id, user_id=student).state)
        assert stored, f"{name}: the LMS-like mode saved no user_state"
        after_handler = user_state_json(handler_block)
        workbench_view = user_state_json(get_block(usage_id, student, "workbench"))
        lms_like_view = user_state_json(get_block(usage_id, student, "lms-like"))
        assert workbench_view == after_handler, (name, workbench_view, after_handler)
        assert lms_like_view == after_handler, (name, lms_like_view, after_handler)
        for field_name, value in stored.items():
            assert after_handler[field_name] == value, (name, field_name, after_handler[field_name], value)
        return stored

    checked = []
    usage = make_usage(EGOV_XML)
    steps = solution(parse_scenario(parse_xml(EGOV_XML.encode("utf-8"))))
    for step_id, values in steps:
        block = get_block(usage, "round-trip-egov", "lms-like")
        status, body = call(block, "submit_step", {"step_id": step_id, "values": values})
        assert status == 200, (step_id, status, body)
        assert body["result"]["passed"], (step_id, body)
    compare("egov_simulation", usage, "round-trip-egov", block)
    checked.append(f"egov_simulation: all {len(steps)} steps of one attempt, one request each")

    usage = make_usage(QUIZ_XML)
    answers = quiz_answers(get_block(usage, "round-trip-quiz", "lms-like"))
    block = get_block(usage, "round-trip-quiz", "lms-like")
    status, body = call(block, "submit", {"answers": answers})
    assert status == 200, body
    stored = compare("citizenship_quiz", usage, "round-trip-quiz", block)
    assert stored.get("submitted") is True, stored
    checked.append("citizenship_quiz: user_state, then submit in a second request")

    usage = make_usage(PEERS_XML["poll"])
    for student in ("round-trip-poll-1", "round-trip-poll-2"):
        block = get_block(usage, student, "lms-like")
        status, body = call(block, "vote", {"choice": "R"})
        assert status == 200, (status, body)
        assert body.get("success") is True, body
        assert compare("poll", usage, student, block)["choice"] == "R"
    tally = get_block(usage, "round-trip-poll-reader", "workbench").tally
    assert tally["R"] == 2, tally
    checked.append("poll: two learners vote, and the shared tally counts both")
    return checked
