"""The egov_simulation block in the preview, driven in Chromium.

The birth-registration simulation of the first course is completed with the
keyboard alone, using the answers read from the scenario file with the
block's own ``parse_scenario``. Other tests check the English interface, an
axe-core scan and the 360 px layout. Each test plays a different learner
(``?student=``), so the tests share one preview without sharing learner state.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from playwright.sync_api import Page, expect

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov import engine, scoring
from digital_skills_xblocks.egov.model import Field, Persona, Scenario, Step
from digital_skills_xblocks.egov.scenario import parse_scenario

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COURSE_EXPORTS = os.path.join(REPO_ROOT, "course_exports")
SLUG = "dich-vu-cong-truc-tuyen"
UNIT = "khai_sinh_mo_phong"
USAGE_ID = f"{SLUG}.egov_simulation.dang_ky_khai_sinh.d0.u0"
SCENARIO_FILE = os.path.join(COURSE_EXPORTS, SLUG, "egov_simulation", "dang_ky_khai_sinh.xml")
DOSSIER_CODE = re.compile(r"^KS-000-\d{6}-\d{4}$")
# Each keyboard step presses Tab at most this often before it gives up, so a focus trap fails fast.
MAX_TABS = 80


def load_scenario(path: str = SCENARIO_FILE) -> Scenario:
    with open(path, "rb") as source:
        return parse_scenario(parse_xml(source.read()))


def unit_url(preview, student: str, query: str = "") -> str:
    return f"{preview.url}courses/{SLUG}/units/{UNIT}/?student={student}{query}"


# Correct answers, derived from the scenario's rules


def field_answer(item: Field, persona: Persona) -> Any:
    """Return a value that satisfies the rules of ``item``: an option value for choices, text otherwise."""
    for rule in item.rules:
        if rule.kind == "equals":
            expected = persona.value(rule.persona) if rule.persona is not None else rule.answer
            assert expected is not None, f"field {item.name}: rule refers to a missing persona value"
            if item.is_group:
                return expected.split()
            if item.type in ("select", "radio"):
                wanted = engine._comparable(expected)  # pylint: disable=protected-access
                for option in item.options:
                    if wanted in (engine._comparable(option.value), engine._comparable(option.label)):  # pylint: disable=protected-access
                        return option.value
                raise AssertionError(f"field {item.name}: no option matches {expected!r}")
            return expected
        if rule.kind == "allowed":
            return list(rule.choices) if item.is_group else rule.choices[0]
    if item.is_group:
        return []
    if item.required and item.options:
        return item.options[0].value
    if item.type == "checkbox":
        return False
    assert not item.required, f"field {item.name}: cannot derive an answer from its rules"
    return ""


def correct_values(step: Step, persona: Persona) -> dict[str, Any]:
    """Return the submission that passes ``step`` without a mistake."""
    if step.kind in ("login", "form"):
        return {item.name: field_answer(item, persona) for item in step.fields}
    if step.kind == "attachments":
        return {"documents": [doc.id for doc in step.documents if doc.role == "required"]}
    if step.kind in ("payment", "trap"):
        correct = [choice.id for choice in step.choices if choice.correct]
        assert len(correct) == 1, f"step {step.id}: expected one correct choice, got {correct}"
        key = "method" if step.kind == "payment" else "action"
        values: dict[str, Any] = {key: correct[0]}
        if step.kind == "payment":
            values["amount"] = str(step.amount)
        return values
    if step.kind == "review":
        return {"commitment": True}
    raise AssertionError(f"step {step.id}: no answers for kind {step.kind}")


def test_derived_answers_pass_engine():
    """Guard for the helpers above: the engine itself accepts every derived submission."""
    scenario = load_scenario()
    for step in scenario.steps[:-1]:
        outcome = engine.check_step(step, correct_values(step, scenario.persona), scenario.persona, lambda text: text)
        assert outcome.passed, f"step {step.id}: {outcome.errors}"


# Talking to the block's handlers the way its JavaScript does


def call_handler(page: Page, preview, student: str, handler: str, payload: dict) -> dict:
    response = page.request.post(
        f"{preview.url}handler/{USAGE_ID}/{handler}/?student={student}",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )
    assert response.ok, f"{handler} answered {response.status}: {response.text()}"
    return response.json()


def complete_by_handler(page: Page, preview, student: str, scenario: Scenario, upto: int | None = None) -> dict:
    """Submit correct answers for the first ``upto`` steps (all but the result by default); return the state."""
    steps = scenario.steps[:-1] if upto is None else scenario.steps[:upto]
    state = call_handler(page, preview, student, "get_state", {})["state"]
    for step in steps:
        answer = call_handler(page, preview, student, "submit_step",
                              {"step_id": step.id, "values": correct_values(step, scenario.persona)})
        assert answer["result"]["passed"], f"step {step.id}: {answer['result']['errors']}"
        state = answer["state"]
    return state


def wait_for_block(page: Page) -> None:
    """Wait until the block's JavaScript has run: only its render() marks the current stepper item."""
    expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(1)


# Keyboard helpers: every action below is a key press or typed text


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
          const node = document.activeElement;
          const section = node && node.closest('[data-egov-step]');
          return {
            tag: node ? node.tagName.toLowerCase() : '',
            type: node && node.type ? node.type : '',
            name: node && node.name ? node.name : '',
            value: node && 'value' in node ? node.value : '',
            checked: !!(node && node.checked),
            step: section ? section.getAttribute('data-egov-step') : null,
            submit: !!(node && node.hasAttribute('data-egov-submit')),
            id: node ? node.id : '',
          };
        }"""
    )


def tab_into_step(page: Page, step_id: str) -> dict:
    """Press Tab until the focus is on a control of step ``step_id``."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        current = focused(page)
        if current["step"] == step_id and current["tag"] in ("input", "select", "button"):
            return current
    raise AssertionError(f"Tab never reached a control of step {step_id}")


def choose_in_select(page: Page, want: str) -> None:
    """Move the focused, closed <select> to the option ``want`` with the arrow keys."""
    options = page.evaluate("() => Array.from(document.activeElement.options).map(o => o.value)")
    current = page.evaluate("() => document.activeElement.selectedIndex")
    target = options.index(want)
    key = "ArrowDown" if target > current else "ArrowUp"
    for _press in range(abs(target - current)):
        page.keyboard.press(key)
    assert focused(page)["value"] == want


def choose_radio(page: Page, name: str, want: str) -> None:
    """Check radio ``want`` of group ``name``; the focus is on the group's first radio, none checked yet."""
    values = page.evaluate(
        "(name) => Array.from(document.activeElement.form.querySelectorAll('input[type=radio]'))"
        ".filter(r => r.name === name).map(r => r.value)",
        name,
    )
    target = values.index(want)
    if target == 0:
        page.keyboard.press("Space")
    else:
        # Arrow keys move through a radio group and check the radio they land on.
        for _press in range(target):
            page.keyboard.press("ArrowDown")
    current = focused(page)
    assert current["value"] == want, f"radio {name}: {current}"
    assert current["checked"], f"radio {name}: {current}"


def type_text(page: Page, text: str) -> None:
    """Replace the text of the focused input with ``text``."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def fill_step_by_keyboard(page: Page, step_id: str, values: dict[str, Any]) -> None:
    """Tab through step ``step_id`` setting ``values`` with keys, and stop on its submit button."""
    current = tab_into_step(page, step_id)
    for _press in range(MAX_TABS):
        if current["step"] != step_id:
            raise AssertionError(f"the focus left step {step_id} before its submit button: {current}")
        if current["submit"]:
            return
        name = current["name"]
        assert name in values, f"step {step_id}: unexpected control {current}"
        want = values[name]
        if current["tag"] == "select":
            choose_in_select(page, want)
        elif current["type"] == "radio":
            choose_radio(page, name, want)
        elif current["type"] == "checkbox":
            should_check = want is True or (isinstance(want, list) and current["value"] in want)
            if should_check != current["checked"]:
                page.keyboard.press("Space")
            assert focused(page)["checked"] == should_check, f"checkbox {name}={current['value']}"
        elif current["value"] != str(want):
            type_text(page, str(want))
            assert focused(page)["value"] == str(want)
        page.keyboard.press("Tab")
        current = focused(page)
    raise AssertionError(f"Tab never reached the submit button of step {step_id}")


def test_keyboard_completion_with_mistake(page, preview):
    scenario = load_scenario()
    persona = scenario.persona
    total = len(scenario.steps)
    student = "keyboard_learner"
    page.goto(unit_url(preview, student))
    wait_for_block(page)
    progress = page.locator("[data-egov-progress]")

    # Step 1, login: one deliberate mistake in the password (wrong case).
    login = scenario.steps[0]
    assert login.kind == "login"
    expect(progress).to_have_text(f"Bước 1/{total}")
    wrong = correct_values(login, persona)
    wrong["password"] = persona.password.swapcase()
    assert wrong["password"] != persona.password
    fill_step_by_keyboard(page, login.id, wrong)
    page.keyboard.press("Enter")

    section = page.locator(f'[data-egov-step="{login.id}"]')
    error = section.locator('[data-egov-error-for="password"]')
    password_feedback = login.field("password").rules[0].feedback
    expect(error).to_be_visible()
    expect(error).to_have_text(password_feedback)
    for other in ("id_number", "otp"):
        expect(section.locator(f'[data-egov-error-for="{other}"]')).to_be_hidden()
    password_input = section.locator('input[name="password"]')
    error_id = error.get_attribute("id")
    assert error_id in (password_input.get_attribute("aria-describedby") or "").split()
    expect(password_input).to_have_attribute("aria-invalid", "true")
    # The focus moves to the field to correct, so its description (the error) is read out.
    expect(password_input).to_be_focused()
    status = page.locator("[data-egov-status]")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    expect(status).to_have_text("1 câu trả lời cần sửa.")
    # A rejected submission stays on the same step.
    expect(progress).to_have_text(f"Bước 1/{total}")

    # Correct the password where the focus already is, then submit from the button.
    type_text(page, persona.password)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["submit"], focused(page)
    page.keyboard.press("Enter")

    # The other steps, each with the persona's values.
    for index, step in enumerate(scenario.steps[1:-1], start=2):
        expect(progress).to_have_text(f"Bước {index}/{total}")
        title = page.locator(f'[data-egov-step="{step.id}"] [data-egov-step-title]')
        # After a step passes, the focus moves to the next step's title.
        expect(title).to_be_focused()
        expect(title).to_contain_text(f"Bước {index}/{total}")
        fill_step_by_keyboard(page, step.id, correct_values(step, persona))
        page.keyboard.press("Enter")

    # The result screen.
    result = scenario.result_step
    expect(progress).to_have_text(f"Bước {total}/{total}")
    result_section = page.locator(f'[data-egov-step="{result.id}"]')
    expect(result_section).to_be_visible()
    expect(result_section.locator("[data-egov-step-title]")).to_be_focused()
    expect(result_section).to_contain_text("Mã hồ sơ")
    expect(result_section).to_contain_text(result.status)
    for step in scenario.steps[:-1]:
        expect(page.locator(f'[data-egov-step="{step.id}"]')).to_be_hidden()
    # Only the current step is in the page: each new one replaced the one before.
    expect(page.locator("[data-egov-step]")).to_have_count(1)

    state = call_handler(page, preview, student, "get_state", {})["state"]
    assert state["completed"] is True
    assert state["mistakes"] == {login.id: 1}
    expected_points = scoring.earned_points(scenario, {login.id: 1})
    assert expected_points == scoring.max_points(scenario) - 0.25 * scoring.step_points(login)
    assert state["score"]["attempt_earned"] == expected_points
    assert state["score"]["possible"] == scoring.max_points(scenario)
    code = state["dossier"]["code"]
    assert DOSSIER_CODE.match(code), code

    shown_code = result_section.locator("[data-egov-dossier-code]")
    expect(shown_code).to_have_text(code)
    score = result_section.locator("[data-egov-score]")
    earned_text = vietnamese_number(expected_points)
    possible_text = vietnamese_number(state["score"]["possible"])
    score_text = f"Điểm lượt này: {earned_text}/{possible_text}. Số lần sai: 1."
    expect(score).to_contain_text(score_text)
    expect(page.locator("[data-egov-attempts-text]")).to_have_text("Lượt 1.")

    # A reload shows the same finished attempt.
    page.reload()
    wait_for_block(page)
    expect(progress).to_have_text(f"Bước {total}/{total}")
    expect(result_section).to_be_visible()
    expect(shown_code).to_have_text(code)
    expect(score).to_contain_text(score_text)
    assert call_handler(page, preview, student, "get_state", {})["state"]["dossier"]["code"] == code
    assert page.dialogs == []


def test_reset_by_keyboard_shows_first_step(page, preview):
    scenario = load_scenario()
    persona = scenario.persona
    student = "reset_learner"
    page.goto(unit_url(preview, student))
    complete_by_handler(page, preview, student, scenario)
    page.reload()
    wait_for_block(page)
    expect(page.locator(f'[data-egov-step="{scenario.result_step.id}"]')).to_be_visible()

    page.locator("[data-egov-reset]").focus()
    page.keyboard.press("Enter")

    # The reset answer carries the first step's HTML, which replaces the result step.
    first = scenario.steps[0]
    section = page.locator(f'[data-egov-step="{first.id}"]')
    expect(section.locator("[data-egov-step-title]")).to_be_focused()
    expect(page.locator("[data-egov-step]")).to_have_count(1)
    expect(page.locator("[data-egov-progress]")).to_have_text(f"Bước 1/{len(scenario.steps)}")
    expect(page.locator("[data-egov-status]")).to_have_text("Đã bắt đầu lượt làm bài mới.")
    expect(page.locator("[data-egov-attempts-text]")).to_have_text("Lượt 2.")
    for name in ("id_number", "password", "otp"):
        expect(section.locator(f'input[name="{name}"]')).to_have_value("")

    # The inserted step is wired up: a keyboard submission moves on to the second step.
    fill_step_by_keyboard(page, first.id, correct_values(first, persona))
    page.keyboard.press("Enter")
    second = scenario.steps[1]
    expect(page.locator(f'[data-egov-step="{second.id}"] [data-egov-step-title]')).to_be_focused()
    assert call_handler(page, preview, student, "get_state", {})["state"]["current_step"] == second.id


def vietnamese_number(value: float) -> str:
    """Format ``value`` as toLocaleString("vi") does for these scores: comma decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def test_english_with_lang_parameter(browser, page, preview):
    total = len(load_scenario().steps)
    page.goto(unit_url(preview, "english_learner", "&lang=en"))
    wait_for_block(page)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    root = page.locator("[data-egov-root]")
    expect(root.locator("[data-egov-progress]")).to_have_text(f"Step 1/{total}")
    first_title = root.locator("[data-egov-step]:not([hidden]) [data-egov-step-title]")
    expect(first_title).to_contain_text(f"Step 1/{total}")
    expect(root.locator("[data-egov-persona] summary")).to_contain_text("Your fictional persona")
    expect(root.locator("[data-egov-step]:not([hidden]) [data-egov-submit]")).to_have_text("Log in")
    # Set by the block's JavaScript, which runs without the Vietnamese catalog here.
    expect(root.locator("[data-egov-attempts-text]")).to_have_text("Attempt 1.")
    expect(root.locator("[data-egov-reset]")).to_have_text("Start a new attempt")
    assert "Bước" not in root.inner_text()

    # A visitor without the language cookie gets Vietnamese.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    try:
        vietnamese = context.new_page()
        vietnamese.goto(unit_url(preview, "vietnamese_learner"))
        wait_for_block(vietnamese)
        root = vietnamese.locator("[data-egov-root]")
        expect(vietnamese.locator("html")).to_have_attribute("lang", "vi")
        expect(root.locator("[data-egov-progress]")).to_have_text(f"Bước 1/{total}")
        expect(root.locator("[data-egov-persona] summary")).to_contain_text("Nhân vật giả định của bạn")
        expect(root.locator("[data-egov-step]:not([hidden]) [data-egov-submit]")).to_have_text("Đăng nhập")
        expect(root.locator("[data-egov-attempts-text]")).to_have_text("Lượt 1.")
        assert "Step 1/" not in root.inner_text()
    finally:
        context.close()


def axe_violations(page: Page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    results = Axe().run(page)
    return [
        {"id": item["id"], "impact": item["impact"], "targets": [node["target"] for node in item["nodes"]]}
        for item in results.response["violations"]
    ]


def test_axe_start_and_result(page, preview):
    scenario = load_scenario()
    student = "axe_learner"
    page.goto(unit_url(preview, student))
    wait_for_block(page)
    assert axe_violations(page) == []

    # Inline errors shown: a login with an empty form.
    login = page.locator(f'[data-egov-step="{scenario.steps[0].id}"]')
    login.locator("[data-egov-submit]").click()
    expect(login.locator('[data-egov-error-for="id_number"]')).to_be_visible()
    assert axe_violations(page) == []

    state = complete_by_handler(page, preview, student, scenario)
    assert state["completed"] is True
    page.reload()
    wait_for_block(page)
    expect(page.locator(f'[data-egov-step="{scenario.result_step.id}"]')).to_be_visible()
    expect(page.locator("[data-egov-score]")).not_to_be_empty()
    assert axe_violations(page) == []


def test_no_horizontal_scroll_at_360px(page, preview):
    """Every step, reached through the handlers and a reload, fits the 360 px viewport."""
    scenario = load_scenario()
    student = "narrow_learner"
    page.goto(unit_url(preview, student))
    for index, step in enumerate(scenario.steps):
        if index:
            previous = scenario.steps[index - 1]
            answer = call_handler(page, preview, student, "submit_step",
                                  {"step_id": previous.id, "values": correct_values(previous, scenario.persona)})
            assert answer["result"]["passed"], answer["result"]["errors"]
            page.reload()
        wait_for_block(page)
        expect(page.locator(f'[data-egov-step="{step.id}"]')).to_be_visible()
        width = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})")
        assert width["client"] == 360
        assert width["scroll"] <= width["client"], f"step {step.id}: {width}"


def test_enter_moves_to_empty_required_field(page, preview):
    """Enter moves through the login field by field, and unfinished submissions count no mistake."""
    scenario = load_scenario()
    persona = scenario.persona
    login = scenario.steps[0]
    student = "enter_learner"
    submissions = []
    page.on("request", lambda request: submissions.append(request.url) if "/submit_step/" in request.url else None)
    page.goto(unit_url(preview, student))
    wait_for_block(page)
    section = page.locator(f'[data-egov-step="{login.id}"]')
    status = page.locator("[data-egov-status]")
    id_input = section.locator('input[name="id_number"]')
    password_input = section.locator('input[name="password"]')
    otp_input = section.locator('input[name="otp"]')
    for name in ("id_number", "password", "otp"):
        expect(section.locator(f'[data-egov-field="{name}"]')).to_have_attribute("data-egov-required", "")

    # The submit button submits the empty login, and the server returns a message for each field.
    section.locator("[data-egov-submit]").focus()
    page.keyboard.press("Enter")
    expect(section.locator('[data-egov-error-for="id_number"]')).to_have_text("Hãy nhập số định danh cá nhân.")
    expect(section.locator('[data-egov-error-for="password"]')).to_have_text("Hãy nhập mật khẩu.")
    expect(section.locator('[data-egov-error-for="otp"]')).to_have_text("Hãy nhập mã OTP được gửi về điện thoại của bạn.")
    expect(status).to_have_text("Còn thiếu 3 thông tin bắt buộc.")
    expect(id_input).to_be_focused()

    # Enter after a typed field moves on to the next empty required field instead of submitting.
    type_text(page, persona.id_number)
    page.keyboard.press("Enter")
    expect(password_input).to_be_focused()
    type_text(page, persona.password)
    page.keyboard.press("Enter")
    expect(otp_input).to_be_focused()

    # Enter in the last empty field submits, and the server reports that field as empty.
    page.keyboard.press("Enter")
    expect(status).to_have_text("Còn thiếu 1 thông tin bắt buộc.")
    expect(section.locator('[data-egov-error-for="otp"]')).to_be_visible()
    expect(otp_input).to_have_attribute("aria-invalid", "true")
    expect(otp_input).to_be_focused()
    assert call_handler(page, preview, student, "get_state", {})["state"]["mistakes"] == {}

    # With every field filled, Enter submits and the step passes without a mistake.
    type_text(page, persona.otp)
    page.keyboard.press("Enter")
    second = scenario.steps[1]
    expect(page.locator(f'[data-egov-step="{second.id}"] [data-egov-step-title]')).to_be_focused()
    state = call_handler(page, preview, student, "get_state", {})["state"]
    assert state["current_step"] == second.id
    assert state["mistakes"] == {}
    # Three submissions: the empty login, the one without OTP, and the complete one.
    assert len(submissions) == 3, submissions


def test_enter_in_form_radio_and_last_field(page, preview):
    """On a form step, Enter on a radio moves on to the next empty field, and from the last field wraps to the first."""
    scenario = load_scenario()
    form = next(step for step in scenario.steps if step.kind == "form")
    student = "enter_form_learner"
    submissions = []
    page.on("request", lambda request: submissions.append(request.url) if "/submit_step/" in request.url else None)
    page.goto(unit_url(preview, student))
    complete_by_handler(page, preview, student, scenario, upto=scenario.index_of(form.id))
    page.reload()
    wait_for_block(page)
    section = page.locator(f'[data-egov-step="{form.id}"]')
    radio_field = next(item for item in form.fields if item.type == "radio" and item.required)
    required = [item.name for item in form.fields if item.required]
    after_radio = required[required.index(radio_field.name) + 1]
    last_text = [item for item in form.fields if item.type == "text" and item.required][-1]

    # Enter on a checked radio moves the focus to the next empty required field.
    section.locator(f'input[name="{radio_field.name}"]').first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(section.locator(f'[name="{after_radio}"]').first).to_be_focused()

    # Enter in the last required text field wraps the focus to the first empty one.
    section.locator(f'input[name="{last_text.name}"]').focus()
    page.keyboard.type("Nơi sinh mẫu")
    page.keyboard.press("Enter")
    expect(section.locator(f'[name="{required[0]}"]').first).to_be_focused()

    # The submit button sends the unfinished form. It is the first request from this
    # page, and the server reports the fields still empty and counts no mistake.
    section.locator("[data-egov-submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-egov-status]")).to_have_text(f"Còn thiếu {len(required) - 2} thông tin bắt buộc.")
    assert len(submissions) == 1, submissions
    state = call_handler(page, preview, student, "get_state", {})["state"]
    assert state["current_step"] == form.id
    assert state["mistakes"] == {}
