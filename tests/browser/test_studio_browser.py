"""The Studio editors in Chromium: start from a template, see Vietnamese errors, fix them, save, learn.

A small course written to a temporary folder holds a clean simulation and
blocks whose author fields carry scripts; the preview serves it on
127.0.0.1 in its own process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accessibility_helpers import horizontal_overflow

PACKAGE = Path(__file__).resolve().parents[2] / "digital_skills_xblocks"
BIRTH_XML = (PACKAGE / "egov" / "scenarios" / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
QUIZ_XML = (PACKAGE / "quiz" / "templates_library" / "nhan_dien_lua_dao.xml").read_text(encoding="utf-8")
SLUG = "khoa-soan-thao"
SCRIPTS = "<script>alert('script')</script><img src=\"x\" onerror=\"alert('img')\"/>"
HOSTILE_NAME = "&quot;&gt;&lt;script&gt;alert('name')&lt;/script&gt;&lt;img src=x onerror=alert('name2')&gt;"


def hostile_egov() -> str:
    xml = BIRTH_XML.replace("<intro>", f"<intro>{SCRIPTS}", 1)
    xml = xml.replace("<instructions>", f"<instructions>{SCRIPTS}<a href=\"javascript:alert('link')\">liên kết</a>", 1)
    return re.sub(r'display_name="[^"]*"', f'display_name="{HOSTILE_NAME}"', xml, count=1)


def hostile_quiz() -> str:
    xml = QUIZ_XML.replace("<intro><p>", f"<intro>{SCRIPTS}<p>", 1)
    xml = xml.replace("<prompt>", f"<prompt>{SCRIPTS}", 1)
    xml = xml.replace("<feedback>", f"<feedback>{SCRIPTS}", 1)
    return re.sub(r'display_name="[^"]*"', f'display_name="{HOSTILE_NAME}"', xml, count=1)


def write_course(root: Path) -> None:
    files = {
        "course.xml": '<course url_name="2026" org="DigitalSkillsVN" course="TEST01"/>',
        "course/2026.xml": '<course display_name="Khoá thử soạn thảo" language="vi"><chapter url_name="chuong"/></course>',
        "chapter/chuong.xml": '<chapter display_name="Chương"><sequential url_name="bai"/></chapter>',
        "sequential/bai.xml": '<sequential display_name="Bài"><vertical url_name="mo_phong"/><vertical url_name="doc_hai"/></sequential>',
        "vertical/mo_phong.xml": '<vertical display_name="Mô phỏng"><egov_simulation url_name="sach"/></vertical>',
        "vertical/doc_hai.xml": ('<vertical display_name="Nội dung có mã độc">'
                                 '<egov_simulation url_name="doc_hai_mo_phong"/><citizenship_quiz url_name="doc_hai_kiem_tra"/>'
                                 '</vertical>'),
        "egov_simulation/sach.xml": BIRTH_XML,
        "egov_simulation/doc_hai_mo_phong.xml": hostile_egov(),
        "citizenship_quiz/doc_hai_kiem_tra.xml": hostile_quiz(),
        "policies/2026/policy.json": json.dumps({"course/2026": {"display_name": "Khoá thử soạn thảo", "language": "vi"}}),
        "policies/2026/grading_policy.json": json.dumps({"GRADER": [], "GRADE_CUTOFFS": {"Pass": 0.5}}),
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", name="studio_preview")
def studio_preview_fixture(tmp_path_factory):
    """``digital-skills preview`` of the temporary course in its own process on a free loopback port."""
    from digital_skills_xblocks.preview.server import start_process

    course = tmp_path_factory.mktemp("courses") / SLUG
    write_course(course)
    running = start_process([str(course)], db_path=str(tmp_path_factory.mktemp("studio-db") / "preview.sqlite3"))
    yield running
    running.stop()


def unit_url(preview, unit: str, student: str) -> str:
    return f"{preview.url}/courses/{SLUG}/units/{unit}/?student={student}"


def test_studio_template_edit_error_fix_save(studio_preview, page: Page):
    page.goto(unit_url(studio_preview, "mo_phong", "author_1"))
    page.locator("[data-preview-edit]").first.click()
    editor = page.locator("[data-dsx-studio]")
    expect(editor).to_be_visible()
    content = editor.locator("[data-dsx-content]")

    editor.locator("[data-dsx-template]").select_option("scenarios/dang_ky_thuong_tru")
    editor.get_by_role("button", name="Dùng mẫu này").click()
    expect(content).to_have_value(re.compile("Phạm Quốc Dũng"))
    name_input = editor.get_by_label("Tên hiển thị")
    expect(name_input).to_have_value("Mô phỏng: Đăng nhập VNeID và đăng ký thường trú")

    name_input.fill("Thường trú: bản sửa trong Studio")
    editor.get_by_label("Trọng số bài").fill("hai")
    template_text = content.input_value()
    content.fill(template_text.replace('otp="615207"', 'otp="12"').replace("Nộp lệ phí", "Nộp lệ phí đăng ký"))
    editor.get_by_role("button", name="Lưu").click()

    problems = editor.locator("[data-dsx-problems]")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("Chưa lưu gì cả")
    expect(problems.locator("li")).to_have_count(2)
    expect(problems).to_contain_text("Trọng số bài")
    expect(problems).to_contain_text("otp")
    expect(editor.get_by_label("Trọng số bài")).to_have_attribute("aria-invalid", "true")

    page.goto(unit_url(studio_preview, "mo_phong", "learner_before"))
    expect(page.locator(".egov-sim__title").first).to_contain_text("Mô phỏng")
    expect(page.locator(".egov-sim__title").first).not_to_contain_text("bản sửa")

    page.go_back()
    editor = page.locator("[data-dsx-studio]")
    content = editor.locator("[data-dsx-content]")
    editor.locator("[data-dsx-template]").select_option("scenarios/dang_ky_thuong_tru")
    editor.get_by_role("button", name="Dùng mẫu này").click()
    expect(content).to_have_value(re.compile("Phạm Quốc Dũng"))
    editor.get_by_label("Tên hiển thị").fill("Thường trú: bản sửa trong Studio")
    editor.get_by_label("Trọng số bài").fill("2")
    content.fill(content.input_value().replace("Nộp lệ phí", "Nộp lệ phí đăng ký"))
    editor.get_by_role("button", name="Lưu").click()
    expect(editor.locator("[data-dsx-status]")).to_have_text("Đã lưu.")
    expect(editor.locator("[data-dsx-problems]")).to_be_hidden()

    page.goto(unit_url(studio_preview, "mo_phong", "learner_after"))
    expect(page.locator(".egov-sim__title").first).to_have_text("Thường trú: bản sửa trong Studio")
    expect(page.locator("[data-egov-root]")).to_contain_text("Phạm Quốc Dũng")
    assert "Nộp lệ phí đăng ký" in page.content()
    assert page.dialogs == []


@pytest.mark.parametrize("path", [
    "units/doc_hai/",
    "units/doc_hai/blocks/doc_hai_mo_phong/studio/",
    "units/doc_hai/blocks/doc_hai_mo_phong/author/",
    "units/doc_hai/blocks/doc_hai_kiem_tra/studio/",
    "units/doc_hai/blocks/doc_hai_kiem_tra/author/",
])
def test_author_script_never_runs(studio_preview, page: Page, path):
    page.goto(f"{studio_preview.url}/courses/{SLUG}/{path}?student=xss_viewer")
    page.wait_for_load_state("networkidle")

    assert page.locator(".preview-error").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    assert page.dialogs == []


def test_saved_script_in_name_never_runs(studio_preview, page: Page):
    page.goto(f"{studio_preview.url}/courses/{SLUG}/units/doc_hai/blocks/doc_hai_kiem_tra/studio/?student=xss_author")
    editor = page.locator("[data-dsx-studio]")
    editor.get_by_label("Tên hiển thị").fill("\"><script>alert('saved')</script><img src=x onerror=alert('saved2')>")
    editor.get_by_role("button", name="Lưu").click()
    expect(editor.locator("[data-dsx-status]")).to_have_text("Đã lưu.")

    for view in ("units/doc_hai/", "units/doc_hai/blocks/doc_hai_kiem_tra/author/"):
        page.goto(f"{studio_preview.url}/courses/{SLUG}/{view}?student=xss_author")
        page.wait_for_load_state("networkidle")
        # The name is shown as text, with its markup visible and inert.
        expect(page.locator(".dsq-title").first).to_contain_text("<script>alert('saved')</script>")
        assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0

    assert page.dialogs == []


@pytest.mark.parametrize("path, content", [
    ("units/mo_phong/blocks/sach/studio/", "<egov_simulation>\n  <intro>\n</egov_simulation>"),
    ("units/doc_hai/blocks/doc_hai_kiem_tra/studio/", "<citizenship_quiz>\n  <intro>\n</citizenship_quiz>"),
], ids=["egov", "quiz"])
def test_studio_fits_phone_width(studio_preview, browser, path, content):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(f"{studio_preview.url}/courses/{SLUG}/{path}?student=phone_author")
        editor = page.locator("[data-dsx-studio]")
        expect(editor).to_be_visible()
        overflow = horizontal_overflow(page)
        assert overflow["client"] == 360
        assert overflow["scroll"] <= overflow["client"], overflow

        # A failed save lists the problems, with lxml's long message, above the form.
        editor.locator("[data-dsx-content]").fill(content)
        editor.get_by_role("button", name="Lưu").click()
        expect(editor.locator("[data-dsx-problems]")).to_be_visible()
        expect(editor.locator("[data-dsx-problems]")).to_contain_text("dòng 3")
        overflow = horizontal_overflow(page)
        assert overflow["scroll"] <= overflow["client"], overflow
    finally:
        context.close()
