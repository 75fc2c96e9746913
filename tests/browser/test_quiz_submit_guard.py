"""The citizenship_quiz is not submitted by accident: Enter in an answer, or unanswered questions.

Every submission uses a graded attempt and the grade is the last submitted
attempt's score, so an accidental submission can cost a learner the grade.
The tests open the "nhận diện lừa đảo" quiz unit of
course_exports/cong-dan-so-an-toan in the preview, as in test_quiz_browser.py,
and act with the keyboard (one Submit is a mouse click). They watch the
page's requests: a press that must not submit may not send a request to the
``submit`` handler, and the server's attempt count must stay the same.
Every request of the page must go to the preview on 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from digital_skills_xblocks.common.i18n import catalog_for
from digital_skills_xblocks.quiz.bank import MULTIPLE_RESPONSE, ORDERING, RED_FLAGS, SINGLE_CHOICE, TRUE_FALSE, Question

# Helpers of the keyboard quiz test: tests/browser is on sys.path in pytest's default import mode.
from test_quiz_browser import (  # pylint: disable=import-error
    COURSE_SLUG,
    FETCH_STATE,
    LIVE,
    QUIZ_UNIT,
    ROOT,
    USAGE_ID,
    answer_question,
    find_learner,
    load_quiz,
    question_selector,
    read_focused,
    tab_to,
)

pytestmark = pytest.mark.browser

VI = catalog_for("vi")
CHOICE_TYPES = (SINGLE_CHOICE, TRUE_FALSE, MULTIPLE_RESPONSE)
ERROR_BOX = f"{ROOT} [data-dsq-error]"
SUBMIT_BUTTON = f"{ROOT} button.dsq-submit"
UNANSWERED_SINGULAR = (
    "You have not answered {count} of {total} questions. "
    "Answer it, or select \u201cSubmit answers\u201d again to submit anyway."
)
UNANSWERED_PLURAL = (
    "You have not answered {count} of {total} questions. "
    "Answer them, or select \u201cSubmit answers\u201d again to submit anyway."
)


def unanswered_warning(count: int, total: int) -> str:
    """Return the Vietnamese warning for ``count`` unanswered questions, failing when it is untranslated."""
    english = UNANSWERED_SINGULAR if count == 1 else UNANSWERED_PLURAL
    translated = VI.ngettext(UNANSWERED_SINGULAR, UNANSWERED_PLURAL, count)
    assert translated != english, "the unanswered-questions warning has no Vietnamese translation"
    return translated.format(count=count, total=total)


class RequestLog:
    """Every request the page sends, in the order Chromium reports them."""

    def __init__(self, page) -> None:
        self.requests = []
        page.on("request", self.record)

    def record(self, request) -> None:
        self.requests.append(request)

    def submissions(self) -> list:
        return [request for request in self.requests if request.method == "POST" and "/submit/" in urlsplit(request.url).path]

    def foreign_urls(self) -> list[str]:
        """Return the URLs of requests that went anywhere but 127.0.0.1 over HTTP."""
        return [
            request.url for request in self.requests
            if urlsplit(request.url).scheme != "http" or urlsplit(request.url).hostname != "127.0.0.1"
        ]


def open_quiz(page, preview, student: str, drawn: list[Question]) -> tuple[RequestLog, list[str]]:
    """Open the quiz unit as ``student``, and return the request log and the list of the page's script errors."""
    assert urlsplit(preview.url).hostname == "127.0.0.1"
    log = RequestLog(page)
    errors: list[str] = []

    def record_console_error(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", record_console_error)
    page.goto(f"{preview.url}courses/{COURSE_SLUG}/units/{QUIZ_UNIT}/?student={student}")
    page.wait_for_selector(f"{ROOT} [data-dsq-form]")
    shown_ids = page.eval_on_selector_all("[data-question-id]", "nodes => nodes.map(node => node.dataset.questionId)")
    assert shown_ids == [question.id for question in drawn]
    return log, errors


def server_state(page, student: str) -> dict:
    """Fetch the learner's state from the page.

    The fetch starts after every earlier key press has been handled. Chromium
    reported requests in the order they started in every run seen so far, so
    once it returns the request log contains any submission that an earlier
    press started. NOTE: that order is observed, not documented, which is why
    the tests check the server's attempt count as well.
    """
    return page.evaluate(FETCH_STATE, [USAGE_ID, student])


def marked_unanswered(page) -> list[str]:
    """Return the ids of the questions that carry the "Chưa trả lời" mark, in page order."""
    return page.eval_on_selector_all(
        f"{ROOT} [data-question-id].dsq-unanswered",
        "nodes => nodes.filter(node => node.querySelector('legend [data-dsq-unanswered]').textContent === 'Chưa trả lời')"
        ".map(node => node.dataset.questionId)")


def submit_has_focus(page) -> bool:
    return read_focused(page, "element => element.matches('button[type=submit]')")


def first_answer(question: Question):
    """Return an answer in the submit handler's format. These tests do not check whether it is right."""
    if question.type == MULTIPLE_RESPONSE:
        return question.choice_ids[:1]
    if question.type == RED_FLAGS:
        return question.correct_ids[:1]
    return question.choice_ids[0]


def test_enter_in_answers_does_not_submit(page, preview):
    quiz = load_quiz()
    student, questions = find_learner(
        preview.url,
        lambda draw: draw[0]["type"] in (SINGLE_CHOICE, TRUE_FALSE) and any(item["type"] == MULTIPLE_RESPONSE for item in draw),
        first=100,
    )
    drawn = [quiz.question(item["id"]) for item in questions]
    log, errors = open_quiz(page, preview, student, drawn)
    first = drawn[0]
    checkbox_question = next(question for question in drawn if question.type == MULTIPLE_RESPONSE)

    # Enter on the first radio of question 1, with nothing selected yet.
    tab_to(page, f'{question_selector(first.id)} input[type="radio"]')
    radio_value = read_focused(page, "element => element.value")
    assert not read_focused(page, "element => element.checked")
    page.keyboard.press("Enter")
    assert server_state(page, student)["attempts_used"] == 0
    assert log.submissions() == []
    assert page.query_selector(f"{ROOT} [data-dsq-result]") is None
    assert read_focused(page, "element => element.value") == radio_value
    assert not read_focused(page, "element => element.checked")

    # Space still selects the radio, and Enter on a selected radio does not submit either.
    page.keyboard.press("Space")
    assert read_focused(page, "element => element.checked")
    page.keyboard.press("Enter")
    assert server_state(page, student)["attempts_used"] == 0
    assert log.submissions() == []

    # A checkbox: Space checks it and Enter leaves it checked without submitting.
    checkbox = f'{question_selector(checkbox_question.id)} input[value="{checkbox_question.choice_ids[0]}"]'
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    assert read_focused(page, "element => element.checked")
    page.keyboard.press("Enter")
    assert read_focused(page, "element => element.checked")
    assert server_state(page, student)["attempts_used"] == 0
    assert log.submissions() == []
    assert page.text_content(ERROR_BOX) == ""

    # After a reload the server still has no submission: the attempt is unused.
    page.reload()
    page.wait_for_selector(SUBMIT_BUTTON)
    state = server_state(page, student)
    assert state["attempts_used"] == 0
    assert state["submitted"] is False
    assert page.query_selector(f"{ROOT} [data-dsq-result]") is None
    assert log.submissions() == []

    assert log.foreign_urls() == []
    assert errors == []


def test_unanswered_warning_then_second_press(page, preview):
    quiz = load_quiz()

    def fits(draw):
        types = [item["type"] for item in draw]
        return sum(1 for kind in types if kind in CHOICE_TYPES) >= 2 and RED_FLAGS in types

    student, questions = find_learner(preview.url, fits, first=200)
    drawn = [quiz.question(item["id"]) for item in questions]
    total = len(drawn)
    log, errors = open_quiz(page, preview, student, drawn)

    # Nothing answered: only ordering questions count as answered, because they always have an order.
    not_ordering = [question for question in drawn if question.type != ORDERING]
    tab_to(page, SUBMIT_BUTTON)
    page.keyboard.press("Enter")
    assert page.text_content(ERROR_BOX) == unanswered_warning(len(not_ordering), total)
    assert page.get_attribute(ERROR_BOX, "role") == "alert"
    assert submit_has_focus(page)
    assert marked_unanswered(page) == [question.id for question in not_ordering]
    assert server_state(page, student)["attempts_used"] == 0
    assert log.submissions() == []

    # Answer every question but one choice question and one red-flags message. The first answer
    # change resets the warning, so the alert region is empty again.
    skipped_choice = next(question for question in drawn if question.type in CHOICE_TYPES)
    skipped_flags = next(question for question in drawn if question.type == RED_FLAGS)
    answers = {}
    for question in drawn:
        if question.type == ORDERING or question in (skipped_choice, skipped_flags):
            continue
        answers[question.id] = first_answer(question)
        answer_question(page, question, answers[question.id], LIVE)
        assert page.text_content(ERROR_BOX) == ""
    skipped_in_page_order = [question for question in drawn if question in (skipped_choice, skipped_flags)]

    tab_to(page, SUBMIT_BUTTON)
    page.keyboard.press("Enter")
    assert page.text_content(ERROR_BOX) == unanswered_warning(2, total)
    assert submit_has_focus(page)
    assert marked_unanswered(page) == [question.id for question in skipped_in_page_order]
    assert server_state(page, student)["attempts_used"] == 0
    assert log.submissions() == []

    # An answer changed after the warning clears it, and the next Submit warns again about the rest.
    answers[skipped_choice.id] = first_answer(skipped_choice)
    answer_question(page, skipped_choice, answers[skipped_choice.id], LIVE)
    assert page.text_content(ERROR_BOX) == ""
    tab_to(page, SUBMIT_BUTTON)
    page.keyboard.press("Enter")
    assert page.text_content(ERROR_BOX) == unanswered_warning(1, total)
    assert submit_has_focus(page)
    assert marked_unanswered(page) == [skipped_flags.id]
    assert server_state(page, student)["attempts_used"] == 0
    assert log.submissions() == []

    # A second press with no change in between submits, here with Space.
    tab_to(page, SUBMIT_BUTTON)
    page.keyboard.press("Space")
    page.wait_for_selector(f"{ROOT} [data-dsq-result]")
    submissions = log.submissions()
    assert len(submissions) == 1
    sent = submissions[0].post_data_json["answers"]
    assert sent[skipped_flags.id] == []
    assert sent[skipped_choice.id] == answers[skipped_choice.id]
    assert server_state(page, student)["attempts_used"] == 1

    assert log.foreign_urls() == []
    assert errors == []


def test_all_answered_submits_at_first_press(page, preview):
    quiz = load_quiz()
    student, questions = find_learner(preview.url, lambda draw: any(item["type"] == RED_FLAGS for item in draw), first=300)
    drawn = [quiz.question(item["id"]) for item in questions]
    log, errors = open_quiz(page, preview, student, drawn)

    # The first red-flags message is answered with no part marked: the learner marks one part and
    # unmarks it, which tells a deliberate "nothing is suspicious" from an untouched message.
    touched_flags = next(question for question in drawn if question.type == RED_FLAGS)
    answers = {}
    for question in drawn:
        if question.type == ORDERING:
            continue
        answers[question.id] = [] if question is touched_flags else first_answer(question)
        answer_question(page, question, answers[question.id], LIVE, try_unmark=question is touched_flags)

    # One mouse click on Submit sends the answers at once.
    page.click(SUBMIT_BUTTON)
    page.wait_for_selector(f"{ROOT} [data-dsq-result]")
    submissions = log.submissions()
    assert len(submissions) == 1
    assert submissions[0].post_data_json["answers"][touched_flags.id] == []
    state = server_state(page, student)
    assert state["attempts_used"] == 1
    assert state["submitted"] is True

    assert log.foreign_urls() == []
    assert errors == []
