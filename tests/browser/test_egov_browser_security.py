"""Hostile author text in an egov_simulation scenario, rendered in Chromium.

A copy of the first course gets a birth-registration scenario whose persona,
labels, feedback, titles and HTML parts carry script payloads. The test
checks that no payload runs, that no element from them reaches the DOM, and
that plain-text fields show the payload as literal text.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from lxml import etree
from playwright.sync_api import expect

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov.scenario import parse_scenario

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SLUG = "dich-vu-cong-truc-tuyen"
COURSE = os.path.join(REPO_ROOT, "course_exports", SLUG)
SCENARIO_PATH = os.path.join("egov_simulation", "dang_ky_khai_sinh.xml")
UNIT = "khai_sinh_mo_phong"
USAGE_ID = f"{SLUG}.egov_simulation.dang_ky_khai_sinh.d0.u0"

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
# Plain-text fields: each gets a distinct payload so the test can find it on the page.
PLAIN = {
    "display_name": f"Mô phỏng {SCRIPT}",
    "persona_name": f"Lê Thị Hoa {IMG}",
    "fact_label": f"Họ tên con {SVG}",
    "fact_value": f"Trần Minh An {SCRIPT}",
    "step_title": f"Đăng nhập {SVG}",
    "password_feedback": f"Mật khẩu sai {IMG} {SCRIPT}",
    "sender": f"Hỗ trợ {IMG}",
    "action_label": f"Gửi mã OTP {SVG}",
    "action_feedback": f"Sai rồi {SCRIPT} {IMG}",
    "field_label": f'Họ tên của trẻ {SVG} {IMG}',
    "field_help": f"Ghi đủ dấu {SCRIPT}",
    "option_label": f"Mẹ {IMG}",
    "document_label": f"Giấy chứng sinh {SVG}",
    "commitment": f"Tôi cam đoan {SCRIPT}",
    "status": f"Đã tiếp nhận {IMG}",
}
# HTML fields (intro, instructions, messages): markup the sanitiser must remove.
HOSTILE_HTML = (
    "<p>Nội dung <strong>an toàn</strong></p>"
    "<script>alert(4)</script>"
    '<img src="x" onerror="alert(5)"/>'
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(6)"><circle r="1"/></svg>'
    '<p onclick="alert(7)"><a href="javascript:alert(8)">liên kết</a></p>'
    '<iframe src="javascript:alert(9)"></iframe>'
)


def replace_html(element: etree._Element) -> None:
    """Replace the children of ``element`` with ``HOSTILE_HTML``."""
    for child in list(element):
        element.remove(child)
    element.text = None
    for child in etree.fromstring(f"<wrapper>{HOSTILE_HTML}</wrapper>"):
        element.append(child)


def hostile_scenario(source: bytes) -> bytes:
    """Return the scenario ``source`` with the payloads in its plain-text and HTML parts."""
    root = parse_xml(source)
    root.set("display_name", PLAIN["display_name"])
    replace_html(root.find("intro"))
    persona = root.find("persona")
    persona.set("name", PLAIN["persona_name"])
    child_name = persona.find("fact[@name='child_name']")
    child_name.set("label", PLAIN["fact_label"])
    child_name.text = PLAIN["fact_value"]

    login = root.find("step[@kind='login']")
    login.set("title", PLAIN["step_title"])
    replace_html(login.find("instructions"))
    login.find("feedback[@field='password']").text = PLAIN["password_feedback"]

    trap = root.find("step[@kind='trap']")
    trap.set("sender", PLAIN["sender"])
    replace_html(trap.find("message"))
    wrong_action = trap.find("action[@correct='false']")
    wrong_action.set("label", PLAIN["action_label"])
    wrong_action.text = PLAIN["action_feedback"]

    form = root.find("step[@id='to_khai_con']")
    name_field = form.find("field[@name='ho_ten_con']")
    name_field.set("label", PLAIN["field_label"])
    name_field.set("help", PLAIN["field_help"])
    form.find("field[@name='quan_he']/option[@value='me']").text = PLAIN["option_label"]

    root.find("step[@kind='attachments']/document[@role='required']").set("label", PLAIN["document_label"])
    root.find("step[@kind='review']/commitment").set("label", PLAIN["commitment"])
    result = root.find("step[@kind='result']")
    result.set("status", PLAIN["status"])
    replace_html(result.find("message"))
    return etree.tostring(root, encoding="utf-8")


def load_hostile_scenario():
    with open(os.path.join(COURSE, SCENARIO_PATH), "rb") as source:
        return parse_scenario(parse_xml(hostile_scenario(source.read())))


@pytest.fixture(scope="module")
def hostile_preview(tmp_path_factory):
    """A preview of a copy of the course whose birth-registration scenario carries the payloads."""
    from digital_skills_xblocks.preview.server import start_process  # pylint: disable=import-outside-toplevel

    root = tmp_path_factory.mktemp("hostile")
    course = root / "courses" / SLUG
    shutil.copytree(COURSE, course)
    scenario_file = course / SCENARIO_PATH
    scenario_file.write_bytes(hostile_scenario(scenario_file.read_bytes()))
    # The block must still accept the scenario, or it would show the "cannot be shown" page instead.
    parse_scenario(parse_xml(scenario_file.read_bytes()))

    running = start_process([str(root / "courses")], db_path=str(root / "preview.sqlite3"))
    yield running
    running.stop()


INJECTED_NODES = r"""(root) => {
  const found = [];
  for (const node of root.querySelectorAll('*')) {
    const tag = node.tagName.toLowerCase();
    if (['script', 'svg', 'iframe', 'object', 'embed'].includes(tag)) {
      found.push(tag);
    }
    for (const attribute of node.attributes) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.startsWith('on') || value.startsWith('javascript:')) {
        found.push(tag + ' ' + attribute.name + '=' + attribute.value);
      }
    }
  }
  return found;
}"""


def injected_nodes(page) -> list[str]:
    """Return the elements and attributes inside the block that only a payload could have added.

    An ``<img>`` alone is not listed: the sanitiser keeps images in HTML fields, without their handlers.
    """
    return page.locator("[data-egov-root]").evaluate(INJECTED_NODES)


def call_handler(page, preview, student: str, handler: str, payload: dict) -> dict:
    response = page.request.post(f"{preview.url}handler/{USAGE_ID}/{handler}/?student={student}",
                                 data=json.dumps(payload), headers={"Content-Type": "application/json"})
    assert response.ok, f"{handler} answered {response.status}: {response.text()}"
    return response.json()


def test_hostile_author_text_escaped(page, hostile_preview):
    # pylint: disable-next=import-outside-toplevel,import-error
    from test_egov_browser import correct_values, fill_step_by_keyboard

    student = "hostile_learner"
    scenario = load_hostile_scenario()
    page.goto(f"{hostile_preview.url}courses/{SLUG}/units/{UNIT}/?student={student}")
    expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(1)
    root = page.locator("[data-egov-root]")

    # Plain-text fields show the payload as text.
    expect(root.locator(".egov-sim__title")).to_have_text(PLAIN["display_name"])
    expect(root.locator("[data-egov-persona] summary")).to_contain_text(PLAIN["persona_name"])
    persona_text = root.locator("[data-egov-persona]").text_content()
    assert PLAIN["fact_label"] in persona_text
    assert PLAIN["fact_value"] in persona_text
    login = root.locator('[data-egov-step="dang_nhap"]')
    expect(login.locator("[data-egov-step-title]")).to_contain_text(PLAIN["step_title"])

    # HTML fields keep their harmless markup and lose the rest.
    expect(root.locator(".egov-sim__intro strong")).to_have_text("an toàn")
    expect(root.locator(".egov-sim__intro a")).to_have_text("liên kết")
    assert injected_nodes(page) == []

    # A wrong password shows the author's feedback as text.
    login.locator('input[name="id_number"]').fill(scenario.persona.id_number)
    login.locator('input[name="password"]').fill("sai-mat-khau")
    login.locator('input[name="otp"]').fill(scenario.persona.otp)
    login.locator("[data-egov-submit]").click()
    expect(login.locator('[data-egov-error-for="password"]')).to_have_text(PLAIN["password_feedback"])

    login.locator('input[name="password"]').fill(scenario.persona.password)
    login.locator("[data-egov-submit]").click()

    # Each later step arrives as the step_html of the step before it. Its plain text shows as text.
    trap = root.locator('[data-egov-step="tin_nhan_ho_tro"]')
    expect(trap).to_be_visible()
    assert PLAIN["sender"] in trap.locator(".egov-trap__sender").text_content()
    assert PLAIN["action_label"] in trap.text_content()
    assert injected_nodes(page) == []

    # A wrong answer to the trap shows that action's feedback as text.
    trap.get_by_label(PLAIN["action_label"]).check()
    trap.locator("[data-egov-submit]").click()
    expect(trap.locator('[data-egov-error-for="action"]')).to_have_text(PLAIN["action_feedback"])
    assert injected_nodes(page) == []

    # The right action, then the form steps by keyboard, up to the review step.
    trap_step = scenario.step("tin_nhan_ho_tro")
    right_action = correct_values(trap_step, scenario.persona)["action"]
    trap.locator(f'input[name="action"][value="{right_action}"]').check()
    trap.locator("[data-egov-submit]").click()
    step_texts = {
        "dinh_kem": [PLAIN["document_label"]],
        "kiem_tra": [PLAIN["commitment"]],
    }
    start = scenario.steps.index(scenario.step("to_khai_con"))
    for step in scenario.steps[start:-1]:
        section = root.locator(f'[data-egov-step="{step.id}"]')
        expect(section.locator("[data-egov-step-title]")).to_be_focused()
        expect(root.locator("[data-egov-step]")).to_have_count(1)
        for text in step_texts.get(step.id, []):
            assert text in section.text_content(), (step.id, text)
        if step.id == "to_khai_con":
            assert PLAIN["field_label"] in section.locator('label[for$="-ho_ten_con"]').text_content()
            assert section.locator('[id$="-ho_ten_con-help"]').text_content() == PLAIN["field_help"]
            assert section.locator('select[name="quan_he"] option[value="me"]').text_content() == PLAIN["option_label"]
        assert injected_nodes(page) == []
        if step.kind == "review":
            break
        fill_step_by_keyboard(page, step.id, correct_values(step, scenario.persona))
        page.keyboard.press("Enter")

    expect(root.locator('[data-egov-step="kiem_tra"]')).to_be_visible()
    # Any onerror handler has had its chance: the page loaded and every request finished.
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []


# The review summary repeats author labels and learner values. They must not end a <script>
# element early: the block sends its state through json_script, never through the runtime's
# unescaped JSON init arguments.
def test_hostile_text_in_review_and_result(page, hostile_preview):
    from test_egov_browser import correct_values  # pylint: disable=import-outside-toplevel,import-error

    student = "hostile_reviewer"
    scenario = load_hostile_scenario()
    page.goto(f"{hostile_preview.url}courses/{SLUG}/units/{UNIT}/?student={student}")
    for step in scenario.steps[:-2]:
        answer = call_handler(page, hostile_preview, student, "submit_step",
                              {"step_id": step.id, "values": correct_values(step, scenario.persona)})
        assert answer["result"]["passed"], answer["result"]["errors"]
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    assert injected_nodes(page) == []

    # The review summary repeats the form's labels and values, including the persona fact.
    root = page.locator("[data-egov-root]")
    review = root.locator('[data-egov-step="kiem_tra"]')
    expect(review).to_be_visible()
    summary = review.locator("[data-egov-summary]")
    expect(summary).to_contain_text(PLAIN["field_label"])
    expect(summary).to_contain_text(PLAIN["fact_value"])

    review.get_by_label(PLAIN["commitment"]).check()
    review.locator("[data-egov-submit]").click()
    result = root.locator('[data-egov-step="ket_qua"]')
    expect(result).to_be_visible()
    expect(result.locator("[data-egov-dossier-status]")).to_have_text(PLAIN["status"])
    expect(result.locator(".egov-result__message strong")).to_have_text("an toàn")
    assert injected_nodes(page) == []
    assert page.dialogs == []
