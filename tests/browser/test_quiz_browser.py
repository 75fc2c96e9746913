"""A learner takes a citizenship_quiz in Chromium with the keyboard only.

The tests open the "nhận diện lừa đảo" quiz unit of course_exports/cong-dan-so-an-toan
in the preview. They answer the questions drawn for one learner from the
right answers in the quiz's OLX, read with the project's ``parse_quiz``. The
learner marks the suspicious parts of a "spot the red flags" message and orders
items with the Move up buttons. The first test gets one competence area wrong
on purpose and passes, the second fails with partial credit and starts a new
attempt. The tests read the Vietnamese result and check that the profile table,
the SVG chart and the server's state agree. A recommendation link followed
with Enter must land on the recommended unit. axe-core scans the page before
and after the submission.

Only ``page.keyboard`` acts on the page: Tab/Shift+Tab, Space, Enter and the
arrow keys. ``page.evaluate`` only reads the DOM and the server's JSON.
"""

from __future__ import annotations

import json
import math
import os
import re
import urllib.request

import pytest

from digital_skills_xblocks.common.i18n import catalog_for
from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.quiz.bank import (
    AREA_LABELS,
    AREAS,
    MULTIPLE_RESPONSE,
    ORDERING,
    RED_FLAGS,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
    Quiz,
    parse_quiz,
)
from digital_skills_xblocks.quiz.scoring import PRECISION

pytestmark = pytest.mark.browser

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COURSE_SLUG = "cong-dan-so-an-toan"
COURSE_DIR = os.path.join(REPO_ROOT, "course_exports", COURSE_SLUG)
QUIZ_URL_NAME = "kiem_tra_lua_dao"
QUIZ_UNIT = "vertical_kiem_tra_lua_dao"
USAGE_ID = f"{COURSE_SLUG}.citizenship_quiz.{QUIZ_URL_NAME}.d0.u0"
CHOICE_TYPES = (SINGLE_CHOICE, TRUE_FALSE, MULTIPLE_RESPONSE)

VI = catalog_for("vi")


def vi(message: str) -> str:
    """Translate ``message`` to Vietnamese, failing when the shipped catalog has no translation."""
    translated = VI.gettext(message)
    assert translated != message, f"no Vietnamese translation for {message!r}"
    return translated


with open(os.path.join(COURSE_DIR, "citizenship_quiz", f"{QUIZ_URL_NAME}.xml"), "rb") as _handle:
    QUIZ_OLX = parse_xml(_handle.read())
PASSING = int(QUIZ_OLX.get("passing_percentage"))
MAX_ATTEMPTS = int(QUIZ_OLX.get("max_attempts"))


def load_quiz() -> Quiz:
    return parse_quiz(QUIZ_OLX)


def unit_display_name(url_name: str) -> str:
    with open(os.path.join(COURSE_DIR, "vertical", f"{url_name}.xml"), "rb") as handle:
        return parse_xml(handle.read()).get("display_name")


def user_state_over_http(base_url: str, student: str) -> dict:
    """Fetch the learner's state from the block's user_state handler, which also stores the draw."""
    request = urllib.request.Request(
        f"{base_url}handler/{USAGE_ID}/user_state/?student={student}",
        data=b"{}", headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def find_learner(base_url: str, fits, first: int = 1) -> tuple[str, list[dict]]:
    """Return the first fictional learner, from number ``first``, whose draw ``fits``, and the draw.

    The draw depends on the learner id, so the tests read it from the server
    for up to 60 learners instead of hard-coding questions.
    """
    for number in range(first, first + 60):
        student = f"hoc_vien_{number:02d}"
        questions = user_state_over_http(base_url, student)["questions"]
        if fits(questions):
            return student, questions
    raise AssertionError(f"no learner from number {first} has a draw that fits this test")


def choice_only_area(quiz: Quiz, questions: list[dict]) -> str | None:
    """Return an area with recommendations whose drawn questions, at most 2, are all choice questions."""
    areas_with_links = {recommendation.area for recommendation in quiz.recommendations}
    by_area: dict[str, list[dict]] = {}
    for question in questions:
        by_area.setdefault(question["area"], []).append(question)
    candidates = [
        area for area, items in by_area.items()
        if area in areas_with_links and len(items) <= 2 and all(item["type"] in CHOICE_TYPES for item in items)
    ]
    return sorted(candidates, key=AREAS.index)[0] if candidates else None


# Keyboard helpers. Focus moves only with Tab and Shift+Tab, and page.evaluate only reads the DOM.

WHERE_IS = """(selector) => {
  const active = document.activeElement;
  if (active && active.matches(selector)) return "here";
  const target = document.querySelector(selector);
  if (!target) return "missing";
  if (!active || active === document.body) return "forward";
  const position = active.compareDocumentPosition(target);
  return (position & Node.DOCUMENT_POSITION_FOLLOWING) ? "forward" : "backward";
}"""


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab or Shift+Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        where = page.evaluate(WHERE_IS, selector)
        if where == "here":
            return
        assert where != "missing", f"nothing on the page matches {selector}"
        page.keyboard.press("Tab" if where == "forward" else "Shift+Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab / Shift+Tab")


def read_focused(page, script: str = "element => element"):
    return page.evaluate(f"({script})(document.activeElement)")


def question_selector(question_id: str) -> str:
    """Return the CSS selector of the fieldset of question ``question_id``."""
    return f'[data-question-id="{question_id}"]'


def answer_radio(page, question_id: str, value: str) -> None:
    """Tab into the radio group, move with ArrowDown to ``value`` and select it with Space."""
    tab_to(page, f'{question_selector(question_id)} input[type="radio"]')
    for _ in range(14):
        if read_focused(page, "element => element.value") == value:
            break
        page.keyboard.press("ArrowDown")
    assert read_focused(page, "element => element.value") == value
    if not read_focused(page, "element => element.checked"):
        page.keyboard.press("Space")
    assert page.evaluate(
        "([selector]) => document.querySelector(selector).checked",
        [f'{question_selector(question_id)} input[value="{value}"]'],
    )


def answer_checkboxes(page, question_id: str, chosen: set[str], all_ids: list[str]) -> None:
    for choice_id in all_ids:
        tab_to(page, f'{question_selector(question_id)} input[value="{choice_id}"]')
        if choice_id in chosen:
            page.keyboard.press("Space")
    checked = page.evaluate(
        "(selector) => Array.from(document.querySelectorAll(selector)).map(input => input.value)",
        f"{question_selector(question_id)} input:checked",
    )
    assert set(checked) == chosen


def pressed_flags(page, question_id: str) -> dict[str, str]:
    return page.evaluate(
        """(selector) => Object.fromEntries(Array.from(document.querySelectorAll(selector))
             .map(button => [button.dataset.choiceId, button.getAttribute("aria-pressed")]))""",
        f"{question_selector(question_id)} [data-dsq-flag]",
    )


def answer_red_flags(page, question: Question, marks: set[str], live_selector: str, try_unmark: bool = False) -> None:
    """Mark the parts in ``marks``. With ``try_unmark``, also mark one other part and unmark it again."""
    assert set(pressed_flags(page, question.id).values()) == {"false"}
    unmarked = [choice.id for choice in question.choices if choice.id not in marks]
    for index, choice in enumerate(question.choices):
        tab_to(page, f'{question_selector(question.id)} [data-dsq-flag][data-choice-id="{choice.id}"]')
        if choice.id in marks:
            # A button reacts to Enter and to Space, so the test uses both.
            page.keyboard.press("Space" if index % 2 else "Enter")
            assert read_focused(page, "element => element.getAttribute('aria-pressed')") == "true"
            assert page.text_content(live_selector) == vi("Marked as suspicious.")
        elif try_unmark and choice.id == unmarked[0]:
            page.keyboard.press("Enter")
            assert read_focused(page, "element => element.getAttribute('aria-pressed')") == "true"
            page.keyboard.press("Space")
            assert read_focused(page, "element => element.getAttribute('aria-pressed')") == "false"
            assert page.text_content(live_selector) == vi("Mark removed.")
    expected = {choice.id: "true" if choice.id in marks else "false" for choice in question.choices}
    assert pressed_flags(page, question.id) == expected


def shown_order(page, question_id: str) -> list[str]:
    return page.evaluate(
        "(selector) => Array.from(document.querySelectorAll(selector)).map(item => item.dataset.choiceId)",
        f"{question_selector(question_id)} [data-dsq-order] > li",
    )


def answer_ordering(page, question: Question, expected: list[str]) -> None:
    """Put the items in the ``expected`` order with Move up, after checking Move down on the last item."""
    order = shown_order(page, question.id)
    assert sorted(order) == sorted(question.correct_ids)
    assert order != question.correct_ids, "ordering items must start shuffled"

    last = order[-1]
    tab_to(page, f'{question_selector(question.id)} li[data-choice-id="{last}"] [data-dsq-move="down"]')
    page.keyboard.press("Enter")
    assert shown_order(page, question.id) == order, "Move down on the last item must not move it"

    for position, choice_id in enumerate(expected):
        current = shown_order(page, question.id).index(choice_id)
        if current == position:
            continue
        tab_to(page, f'{question_selector(question.id)} li[data-choice-id="{choice_id}"] [data-dsq-move="up"]')
        for _ in range(current - position):
            page.keyboard.press("Enter")
            # The script keeps focus on the button so the item keeps moving.
            assert read_focused(page, "element => element.closest('li').dataset.choiceId") == choice_id
        assert shown_order(page, question.id).index(choice_id) == position
    assert shown_order(page, question.id) == expected


def answer_question(page, question: Question, answer, live_selector: str, try_unmark: bool = False) -> None:
    """Enter ``answer``, in the submit handler's format, for ``question`` with the keyboard."""
    if question.type in (SINGLE_CHOICE, TRUE_FALSE):
        answer_radio(page, question.id, answer)
    elif question.type == MULTIPLE_RESPONSE:
        answer_checkboxes(page, question.id, set(answer), question.choice_ids)
    elif question.type == RED_FLAGS:
        answer_red_flags(page, question, set(answer), live_selector, try_unmark)
    elif question.type == ORDERING:
        answer_ordering(page, question, list(answer))
    else:
        raise AssertionError(f"unknown question type {question.type}")


def expected_score(question: Question, answer) -> float:
    """Compute the score of ``answer`` by the rules of docs/en/citizenship-quiz.md, without the block's code.

    Scores are rounded to the server's PRECISION (4 decimals), as the page shows them.
    """
    right = question.correct_ids
    if question.type in (SINGLE_CHOICE, TRUE_FALSE):
        return 1.0 if answer == right[0] else 0.0
    if question.type in (MULTIPLE_RESPONSE, RED_FLAGS):
        hits = len(set(answer) & set(right))
        false_alarms = len(set(answer) - set(right))
        return round(max(0.0, (hits - false_alarms) / len(right)), PRECISION)
    in_place = sum(1 for mine, good in zip(answer, right) if mine == good)
    return round(in_place / len(right), PRECISION)


def floor_percent(earned: float, possible: float) -> int:
    return int(math.floor(round(earned * 100 / possible, 6)))


# Reading the page.

def no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways at 360 px: {widths}"


def axe_clean(page, when: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"axe-core {when}:\n{results.generate_report()}"


READ_PROFILE = """() => {
  const rows = Array.from(document.querySelectorAll("[data-dsq-profile-table] tbody tr"));
  const chart = document.querySelector("svg.dsq-chart");
  const text = (nodes) => Array.from(nodes).map(node => node.textContent.trim());
  return {
    table: rows.map(row => ({
      label: row.querySelector("th").textContent.trim(),
      cells: Array.from(row.querySelectorAll("td")).map(cell => cell.textContent.trim()),
    })),
    chart: {
      role: chart.getAttribute("role"),
      title: chart.querySelector("title").textContent.trim(),
      labels: text(chart.querySelectorAll("text.dsq-chart-label")),
      values: text(chart.querySelectorAll("text.dsq-chart-value")),
      tracks: Array.from(chart.querySelectorAll("rect.dsq-bar-track")).map(rect => rect.getAttribute("width")),
      bars: Array.from(chart.querySelectorAll("rect.dsq-bar")).map(rect => ({
        width: rect.getAttribute("width"), weak: rect.classList.contains("dsq-bar-weak"),
        y: rect.getAttribute("y"),
      })),
    },
  };
}"""

FETCH_STATE = """async ([usage, student]) => {
  const response = await fetch(`/handler/${usage}/user_state/?student=${student}`,
    {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"});
  return await response.json();
}"""


def points(value: float) -> str:
    """Return a score as a Vietnamese page writes it: two decimals at most, a decimal comma."""
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".").replace(".", ",")



ROOT = "[data-dsq-root]"
LIVE = f"{ROOT} [data-dsq-live]"


def open_quiz(page, preview, student: str, drawn: list[Question]) -> list[str]:
    """Open the quiz unit as ``student`` and return the list that collects the page's script errors."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{preview.url}courses/{COURSE_SLUG}/units/{QUIZ_UNIT}/?student={student}")
    page.wait_for_selector(f"{ROOT} [data-dsq-form]")
    # The page shows the draw the server reported, in the same order.
    shown_ids = page.eval_on_selector_all("[data-question-id]", "nodes => nodes.map(node => node.dataset.questionId)")
    assert shown_ids == [question.id for question in drawn]
    return errors


def submit_and_check_result(page, quiz: Quiz, student: str, drawn: list[Question], answers: dict) -> dict:
    """Submit with the keyboard and check the result against numbers computed here, then return them."""
    tab_to(page, f"{ROOT} button.dsq-submit")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{ROOT} [data-dsq-result]")
    # The script moves focus to the result heading, for screen readers and keyboard users.
    assert read_focused(page, "element => element.hasAttribute('data-dsq-result-title')")
    assert page.text_content(f"{ROOT} [data-dsq-result-title]").strip() == vi("Your result")

    scores = {question.id: expected_score(question, answers[question.id]) for question in drawn}
    earned = round(sum(scores.values()), PRECISION)
    possible = float(len(drawn))
    percent = floor_percent(earned, possible)
    passed = percent >= PASSING
    profile = []
    for area in AREAS:
        area_scores = [scores[question.id] for question in drawn if question.area == area]
        if area_scores:
            area_percent = floor_percent(sum(area_scores), len(area_scores))
            profile.append({"area": area, "earned": round(sum(area_scores), PRECISION), "possible": float(len(area_scores)),
                            "percent": area_percent, "weak": area_percent < PASSING})
    weak = sorted((item for item in profile if item["weak"]), key=lambda item: (item["percent"], AREAS.index(item["area"])))
    links = [
        (recommendation.text, f"/jump_to_id/{recommendation.unit}")
        for item in weak for recommendation in quiz.recommendations if recommendation.area == item["area"]
    ]

    # The Vietnamese result: score and verdict.
    assert page.text_content(f"{ROOT} .dsq-score").strip() == vi(
        "You scored {earned} of {possible} points ({percent}%)."
    ).format(earned=points(earned), possible=points(possible), percent=percent)
    verdict = " ".join(page.text_content(f"{ROOT} .dsq-verdict").split())
    assert verdict == " ".join([
        vi("Passed.") if passed else vi("Not passed yet."),
        vi("The passing score is {percent}%.").format(percent=PASSING),
    ])
    assert ("dsq-verdict-pass" if passed else "dsq-verdict-fail") in page.get_attribute(f"{ROOT} .dsq-verdict", "class")

    # Each question shows its status and score in Vietnamese.
    for question in drawn:
        score = scores[question.id]
        if score >= 1:
            status = "correct"
        elif score > 0:
            status = "partial"
        else:
            status = "incorrect"
        label = {"correct": "Correct", "partial": "Partly correct", "incorrect": "Incorrect"}[status]
        assert page.text_content(f"{ROOT} {question_selector(question.id)} p.dsq-status-{status}").strip() == vi(
            "{status}: {score} of 1 point.").format(status=vi(label), score=points(score))

    # The profile table, the SVG chart and the server's state tell the same numbers.
    shown = page.evaluate(READ_PROFILE)
    labels = [vi(AREA_LABELS[item["area"]]) for item in profile]
    assert [row["label"] for row in shown["table"]] == labels
    assert [row["cells"] for row in shown["table"]] == [
        [f"{points(item['earned'])} / {points(item['possible'])}", f"{item['percent']}%",
         vi("To improve") if item["weak"] else vi("Good")]
        for item in profile
    ]
    chart = shown["chart"]
    assert chart["role"] == "img"
    assert chart["title"]
    assert chart["labels"] == labels
    assert chart["values"] == [row["cells"][1] for row in shown["table"]]
    assert len(chart["bars"]) == len(chart["tracks"]) == len(profile)
    for bar, track, item in zip(chart["bars"], chart["tracks"], profile):
        assert float(bar["width"]) == pytest.approx(float(track) * item["percent"] / 100, abs=0.05)
        assert bar["weak"] == item["weak"]
    assert [float(bar["y"]) for bar in chart["bars"]] == sorted(float(bar["y"]) for bar in chart["bars"])

    state = page.evaluate(FETCH_STATE, [USAGE_ID, student])
    result = state["result"]
    assert state["submitted"] is True
    assert result["earned"] == pytest.approx(earned, abs=1e-4)
    assert result["possible"] == possible
    assert (result["percent"], result["passed"]) == (percent, passed)
    assert {item["id"]: item["score"] for item in result["questions"]} == pytest.approx(scores, abs=1e-4)
    assert [area["area"] for area in result["profile"]] == [item["area"] for item in profile]
    for area, item in zip(result["profile"], profile):
        assert area["earned"] == pytest.approx(item["earned"], abs=1e-4)
        assert (area["possible"], area["percent"], area["weak"]) == (item["possible"], item["percent"], item["weak"])
    assert [area["label"] for area in result["profile"]] == labels
    assert result["weak_areas"] == [item["area"] for item in weak]
    assert [(item["text"], item["url"]) for item in result["recommendations"]] == links

    # The links on the page are the server's recommendations, weakest area first.
    shown_links = page.eval_on_selector_all(
        f"{ROOT} .dsq-recommendations a", "links => links.map(link => [link.textContent.trim(), link.getAttribute('href')])")
    assert [tuple(link) for link in shown_links] == links
    return {"state": state, "passed": passed, "weak": weak, "links": links}


def test_keyboard_quiz_pass_and_recommendation(page, preview):
    quiz = load_quiz()
    student, questions = find_learner(
        preview.url,
        lambda draw: {RED_FLAGS, ORDERING} <= {item["type"] for item in draw} and choice_only_area(quiz, draw),
    )
    weak_area = choice_only_area(quiz, questions)
    drawn = [quiz.question(item["id"]) for item in questions]
    assert len(drawn) == quiz.draw
    assert all(drawn)
    errors = open_quiz(page, preview, student, drawn)
    no_horizontal_scroll(page)
    axe_clean(page, "before the submission")

    # Every question right, except the weak area's: wrong options only, which score 0.
    answers = {}
    for question in drawn:
        right = question.correct_ids
        wrong = [choice_id for choice_id in question.choice_ids if choice_id not in right]
        if question.area != weak_area:
            answers[question.id] = right if question.type in (MULTIPLE_RESPONSE, RED_FLAGS, ORDERING) else right[0]
        elif question.type == MULTIPLE_RESPONSE:
            answers[question.id] = wrong
        else:
            answers[question.id] = wrong[0]
        answer_question(page, question, answers[question.id], LIVE, try_unmark=True)
        if question.area != weak_area:
            assert expected_score(question, answers[question.id]) == 1.0
        else:
            assert expected_score(question, answers[question.id]) == 0.0

    outcome = submit_and_check_result(page, quiz, student, drawn, answers)
    assert outcome["passed"], "one area of at most 2 questions wrong out of 8 still passes"
    assert outcome["weak"][0]["area"] == weak_area
    assert outcome["links"]

    # After the submission the page marks the suspicious parts and disables every control.
    red_flags = next(question for question in drawn if question.type == RED_FLAGS)
    suspicious = page.eval_on_selector_all(
        f"{ROOT} {question_selector(red_flags.id)} [data-dsq-flag].dsq-part-suspicious", "nodes => nodes.map(node => node.dataset.choiceId)")
    assert sorted(suspicious) == sorted(red_flags.correct_ids)
    assert page.eval_on_selector_all(f"{ROOT} [data-dsq-flag], {ROOT} input", "nodes => nodes.every(node => node.disabled)")
    assert page.query_selector(f"{ROOT} button.dsq-submit") is None
    no_horizontal_scroll(page)
    axe_clean(page, "after the submission")

    # Follow the first recommendation with the keyboard: Tab from the result heading, then Enter.
    first_text, first_href = outcome["links"][0]
    target_unit = first_href.rsplit("/", 1)[-1]
    tab_to(page, f"{ROOT} .dsq-recommendations a")
    assert read_focused(page, "element => element.textContent.trim()") == first_text
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("domcontentloaded")
    assert page.url == f"{preview.url}courses/{COURSE_SLUG}/units/{target_unit}/"
    assert page.text_content("main h1").strip() == unit_display_name(target_unit)

    assert page.dialogs == []
    assert errors == []


def test_keyboard_quiz_fail_partial_and_reset(page, preview):
    quiz = load_quiz()

    def fits(draw):
        types = {item["type"] for item in draw}
        return RED_FLAGS in types and any(
            len(quiz.question(item["id"]).correct_ids) >= 2 for item in draw if item["type"] == RED_FLAGS)

    student, questions = find_learner(preview.url, fits, first=60)
    drawn = [quiz.question(item["id"]) for item in questions]
    errors = open_quiz(page, preview, student, drawn)

    # Only one suspicious part of a red-flags message is marked, for partial credit. The ordering
    # items stay as shown and every choice question gets wrong options.
    answers = {}
    for question in drawn:
        right = question.correct_ids
        wrong = [choice_id for choice_id in question.choice_ids if choice_id not in right]
        if question.type == RED_FLAGS:
            answers[question.id] = right[:1]
        elif question.type == ORDERING:
            answers[question.id] = shown_order(page, question.id)
        elif question.type == MULTIPLE_RESPONSE:
            answers[question.id] = wrong
        else:
            answers[question.id] = wrong[0]
        if question.type != ORDERING:
            answer_question(page, question, answers[question.id], LIVE)
    assert any(0 < expected_score(question, answers[question.id]) < 1 for question in drawn)

    # Hostile input: the first submission is rewritten on its way out. The server rejects it, the page
    # shows the error message as text so no markup runs, and the server stores nothing.
    hostile = json.dumps({"answers": {drawn[0].id: ["<img src=x onerror=alert(1)>"], "<img src=x onerror=alert(2)>": "x"}})
    submit_url = re.compile(r"/handler/[^/]+/submit/")
    page.route(submit_url, lambda route: route.continue_(post_data=hostile))
    tab_to(page, f"{ROOT} button.dsq-submit")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-dsq-error]').textContent.trim() !== ''")
    error_box = page.evaluate(
        "() => { const box = document.querySelector('[data-dsq-error]'); return [box.textContent, box.children.length]; }")
    assert error_box[1] == 0
    assert "<img src=x onerror=alert(2)>" in error_box[0]
    assert page.query_selector(f"{ROOT} img") is None
    assert page.query_selector(f"{ROOT} [data-dsq-result]") is None
    assert page.evaluate(FETCH_STATE, [USAGE_ID, student])["attempts_used"] == 0
    page.unroute(submit_url)

    outcome = submit_and_check_result(page, quiz, student, drawn, answers)
    assert not outcome["passed"]
    assert len(outcome["weak"]) >= 2
    assert outcome["state"]["attempts_used"] == 1
    assert outcome["state"]["can_reset"] is True
    no_horizontal_scroll(page)

    # Start a new attempt with the keyboard: the form comes back, focus on the first question.
    tab_to(page, f"{ROOT} [data-dsq-reset]")
    page.keyboard.press("Space")
    page.wait_for_selector(f"{ROOT} button.dsq-submit")
    assert page.query_selector(f"{ROOT} [data-dsq-result]") is None
    assert read_focused(page, "element => element.tagName") == "LEGEND"
    state = page.evaluate(FETCH_STATE, [USAGE_ID, student])
    assert (state["attempt"], state["attempts_used"], state["submitted"]) == (2, 1, False)
    shown_ids = page.eval_on_selector_all("[data-question-id]", "nodes => nodes.map(node => node.dataset.questionId)")
    assert shown_ids == [item["id"] for item in state["questions"]]
    assert page.text_content(f"{ROOT} .dsq-meta").strip() == vi(
        "Attempt {attempt} of {max_attempts}. You pass with {percent}% or more.").format(
        attempt=2, max_attempts=MAX_ATTEMPTS, percent=PASSING)
    assert page.eval_on_selector_all(f"{ROOT} [data-dsq-flag], {ROOT} input", "nodes => nodes.every(node => !node.disabled)")
    axe_clean(page, "after a reset")

    assert page.dialogs == []
    # Chromium logs the rejected hostile submission as a console error, and nothing else.
    assert len(errors) == 1
    assert "status of 400" in errors[0]
