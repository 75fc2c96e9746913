"""Preview unit pages with only this package's blocks run on runtime.js, without jQuery, in Chromium.

The unit contains an html block, a citizenship_quiz and an egov_simulation, in
that order. Each block starts, and one request to one of its handlers goes
through ``runtime.handlerUrl()`` and back: a quiz submission and the
simulation's login step. Two tests edit the unit page on its way to the
browser (``page.route``) so that the quiz, the first block, has a missing or
a throwing init function, and check that the simulation after it still starts.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov.scenario import parse_scenario

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli"))
from olx_samples import EGOV_SCENARIOS, add_quiz, make_course, write  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.browser

SLUG = "khoa-khong-jquery"
UNIT = "don_vi_2"
QUIZ_USAGE_ID = f"{SLUG}.citizenship_quiz.kiem_tra.d0.u0"
RUNTIME_PATH = "/static/preview/runtime.js"
# Appended to the unit page before </body>, so it runs after the blocks' scripts and before
# DOMContentLoaded, when runtime.js reads window[data-init].
THROWING_INIT = ('<script>window.CitizenshipQuizBlock = function (runtime, element) '
                 '{ throw new Error("quiz init failed on purpose"); };</script>')

QUIZ_BEFORE_SIMULATION = """() => {
  const quiz = document.querySelector("[data-block-type='citizenship_quiz']");
  const simulation = document.querySelector("[data-block-type='egov_simulation']");
  return Boolean(quiz.compareDocumentPosition(simulation) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def load_scenario():
    with open(os.path.join(EGOV_SCENARIOS, "dang_ky_khai_sinh.xml"), "rb") as source:
        return parse_scenario(parse_xml(source.read()))


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("khong-jquery") / SLUG, with_simulation=True)
    add_quiz(root, [])
    write(root, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"/>\n'
          '  <citizenship_quiz url_name="kiem_tra"/>\n  <egov_simulation url_name="khai_sinh"/>\n</vertical>\n')
    return root


@pytest.fixture(scope="module", params=["inline", "linked"])
def light_preview(request, course_dir, tmp_path_factory):
    """The preview of the course, with its files inlined (the default) or linked (DIGITAL_SKILLS_PREVIEW_INLINE=0)."""
    from digital_skills_xblocks.preview.server import start_process

    env = {"DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME": "1",
           "DIGITAL_SKILLS_PREVIEW_INLINE": "1" if request.param == "inline" else "0"}
    db_path = str(tmp_path_factory.mktemp("khong-jquery-db") / "preview.sqlite3")
    running = start_process([course_dir], db_path=db_path, env=env)
    running.mode = request.param
    yield running
    running.stop()


def unit_url(preview, student: str) -> str:
    return f"{preview.url}courses/{SLUG}/units/{UNIT}/?student={student}"


def watch(page: Page) -> dict:
    """Record the URL of every request and every console error and uncaught exception of ``page``."""
    seen: dict = {"requests": [], "console_errors": [], "page_errors": []}

    def record_console(message) -> None:
        if message.type == "error":
            seen["console_errors"].append(message.text)

    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", record_console)
    page.on("pageerror", lambda error: seen["page_errors"].append(str(error)))
    return seen


def assert_loopback_only(requests: list[str]) -> None:
    assert requests, "the page made no request"
    for url in requests:
        parts = urlsplit(url)
        assert parts.scheme == "data" or parts.hostname == "127.0.0.1", url


def pass_login_step(page: Page) -> None:
    """Submit the simulation's login step with the persona's values and wait for the server's verdict."""
    scenario = load_scenario()
    login = scenario.steps[0]
    assert login.kind == "login"
    section = page.locator(f'[data-egov-step="{login.id}"]')
    for field in login.fields:
        rule = next(rule for rule in field.rules if rule.kind == "equals")
        section.locator(f'input[name="{field.name}"]').fill(scenario.persona.value(rule.persona))
    section.locator("[data-egov-submit]").click()
    expect(page.locator("[data-egov-progress]")).to_have_text(f"Bước 2/{len(scenario.steps)}")


def submit_quiz(page: Page):
    """Answer both quiz questions with their first option, submit, and return the quiz once its result has focus."""
    quiz = page.locator("[data-block-type='citizenship_quiz']")
    questions = quiz.locator("[data-question-id]")
    expect(questions).to_have_count(2)
    for index in range(2):
        questions.nth(index).locator("input").first.check()
    with page.expect_response(lambda response: f"/handler/{QUIZ_USAGE_ID}/submit/" in response.url) as submitted:
        quiz.locator("[data-dsq-form] button[type=submit]").click()
    assert submitted.value.ok
    expect(quiz.locator("[data-dsq-result-title]")).to_be_focused()
    return quiz


def test_blocks_start_without_jquery(page, light_preview):
    seen = watch(page)
    page.goto(unit_url(light_preview, f"khong_jquery_{light_preview.mode}"))

    assert page.evaluate("() => typeof window.jQuery") == "undefined"
    assert page.evaluate("() => typeof window.$") == "undefined"
    # Only the simulation's init code marks the current item of its stepper.
    expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(1)

    pass_login_step(page)

    submit_quiz(page)

    assert_loopback_only(seen["requests"])
    paths = [urlsplit(url).path for url in seen["requests"]]
    assert not any(path.startswith("/static/workbench/") for path in paths)
    assert (RUNTIME_PATH in paths) == (light_preview.mode == "linked")
    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert page.dialogs == []


def edit_unit_page(page: Page, preview, edit) -> None:
    """Serve the unit page to ``page`` with ``edit`` applied to its HTML; other requests pass unchanged."""
    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, body=edit(response.text()))

    page.route(f"{preview.url}courses/{SLUG}/units/{UNIT}/*", handle)


@pytest.mark.parametrize("case", ["throwing", "missing"])
def test_failing_init_spares_other_block(page, light_preview, case):
    if case == "throwing":
        def edit(html):
            return html.replace("</body>", THROWING_INIT + "</body>")
        expected_error = "quiz init failed on purpose"
    else:
        def edit(html):
            return html.replace("data-init='CitizenshipQuizBlock'", "data-init='KhongCoHamNay'")
        expected_error = "KhongCoHamNay is not defined"
    edit_unit_page(page, light_preview, edit)
    seen = watch(page)

    page.goto(unit_url(light_preview, f"khoi_loi_{case}_{light_preview.mode}"))

    if case == "throwing":
        assert "on purpose" in page.evaluate("() => String(window.CitizenshipQuizBlock)")
    else:
        expect(page.locator("[data-init='KhongCoHamNay']")).to_have_count(1)
    # The quiz comes first in the page, so the simulation only starts when the runtime went on past it.
    assert page.evaluate(QUIZ_BEFORE_SIMULATION)
    expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(1)
    pass_login_step(page)

    failures = [text for text in seen["console_errors"] if QUIZ_USAGE_ID in text]
    assert len(failures) == 1, seen["console_errors"]
    assert "failed to initialise" in failures[0]
    assert expected_error in failures[0]
    assert seen["page_errors"] == []
    assert_loopback_only(seen["requests"])


@pytest.fixture(scope="module")
def jquery_preview(course_dir, tmp_path_factory):
    """The same course served with the workbench's jQuery runtime (DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME=0)."""
    from digital_skills_xblocks.preview.server import start_process

    db_path = str(tmp_path_factory.mktemp("jquery-db") / "preview.sqlite3")
    running = start_process([course_dir], db_path=db_path, env={"DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME": "0"})
    yield running
    running.stop()


def test_blocks_still_start_on_workbench_runtime(page, jquery_preview):
    seen = watch(page)
    page.goto(unit_url(jquery_preview, "voi_jquery"))

    assert page.evaluate("() => typeof window.jQuery") == "function"
    expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(1)
    pass_login_step(page)

    submit_quiz(page)

    assert_loopback_only(seen["requests"])
    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
