"""Two of each block on one page, a 360×640 phone, 200% zoom, visible focus and announced results.

A temporary course holds one unit with two egov_simulation blocks and two
citizenship_quiz blocks made from the same OLX, so any id built from the
content instead of the block's usage would collide. The preview serves it on
127.0.0.1 in its own process. A zoom of 200% on a 1280×720 screen is emulated
as a 640×360 CSS viewport drawn at two device pixels per CSS pixel. Focus
indicators are checked for visibility and for 3:1 contrast against their
background on the unit page, at every step of a simulation, and on the course
list, the outline and the Studio and author views.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from accessibility_helpers import (
    MIN_FOCUS_CONTRAST,
    assert_axe_clean,
    background_of,
    contrast_ratio,
    correct_answer,
    focus_style,
    horizontal_overflow,
    parse_color,
    post_json,
    reference_problems,
    ring_colors,
    tab_through,
    unreachable_controls,
    weak_focus_contrast,
)
from digital_skills_xblocks.common.i18n import catalog_for
from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov.scenario import parse_scenario

PACKAGE = Path(__file__).resolve().parents[2] / "digital_skills_xblocks"
BIRTH_XML = (PACKAGE / "egov" / "scenarios" / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
QUIZ_XML = (PACKAGE / "quiz" / "templates_library" / "nhan_dien_lua_dao.xml").read_text(encoding="utf-8")
SLUG = "khoa-hai-khoi"
UNIT = "hai_khoi"
SIMULATIONS = ("mo_phong_a", "mo_phong_b")
QUIZZES = ("kiem_tra_a", "kiem_tra_b")
# Tab presses that cover the whole unit page of four blocks, with room to spare.
MAX_TABS = 400


def renamed(xml: str, number: int) -> str:
    """Return ``xml`` with "(bản N)" appended to the root's display name."""
    return re.sub(r'display_name="([^"]*)"', lambda match: f'display_name="{match.group(1)} (bản {number})"', xml, count=1)


def write_course(root: Path) -> None:
    children = "".join(f'<egov_simulation url_name="{name}"/>' for name in SIMULATIONS)
    children += "".join(f'<citizenship_quiz url_name="{name}"/>' for name in QUIZZES)
    files = {
        "course.xml": '<course url_name="2026" org="DigitalSkillsVN" course="A11Y01"/>',
        "course/2026.xml": '<course display_name="Khoá thử trợ năng" language="vi"><chapter url_name="chuong"/></course>',
        "chapter/chuong.xml": '<chapter display_name="Chương"><sequential url_name="bai"/></chapter>',
        "sequential/bai.xml": f'<sequential display_name="Bài"><vertical url_name="{UNIT}"/></sequential>',
        f"vertical/{UNIT}.xml": f'<vertical display_name="Hai khối của mỗi loại">{children}</vertical>',
        "policies/2026/policy.json": json.dumps({"course/2026": {"display_name": "Khoá thử trợ năng", "language": "vi"}}),
        "policies/2026/grading_policy.json": json.dumps({"GRADER": [], "GRADE_CUTOFFS": {"Pass": 0.5}}),
        # The outline shows an overview as a <details>, so its <summary> is a Tab stop too.
        "about/overview.html": "<p>Khoá thử dùng để kiểm tra trợ năng của hai khối.</p>",
    }
    # Same content, a different display name: what an author does with a copy.
    for number, name in enumerate(SIMULATIONS, start=1):
        files[f"egov_simulation/{name}.xml"] = renamed(BIRTH_XML, number)
    for number, name in enumerate(QUIZZES, start=1):
        files[f"citizenship_quiz/{name}.xml"] = renamed(QUIZ_XML, number)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", name="twin_preview")
def twin_preview_fixture(tmp_path_factory):
    from digital_skills_xblocks.preview.server import start_process

    base = tmp_path_factory.mktemp("a11y")
    write_course(base / SLUG)
    running = start_process([str(base / SLUG)], db_path=str(base / "preview.sqlite3"))
    yield running
    running.stop()


def unit_url(preview, student: str) -> str:
    return f"{preview.url}courses/{SLUG}/units/{UNIT}/?student={student}"


def open_unit(page: Page, preview, student: str) -> None:
    page.goto(unit_url(preview, student))
    expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(len(SIMULATIONS))
    expect(page.locator("[data-dsq-root]")).to_have_count(len(QUIZZES))


def submit_quiz(quiz: Locator) -> None:
    """Press the quiz's Submit until its result shows.

    A second press confirms the warning that the quiz shows first when questions are unanswered.
    """
    quiz.locator("button[type=submit]").click()
    expect(quiz.locator("[data-dsq-result-title], [data-dsq-error]:not(:empty)").first).to_be_visible()
    if not quiz.locator("[data-dsq-result-title]").is_visible():
        quiz.locator("button[type=submit]").click()
    expect(quiz.locator("[data-dsq-result-title]")).to_be_visible()


def new_page(browser, **options) -> Page:
    context = browser.new_context(locale="vi-VN", **options)
    return context.new_page()


def test_two_of_each_block_keep_ids_unique(page, twin_preview):
    open_unit(page, twin_preview, "a11y_twins")
    assert page.locator("[data-egov-root]").count() == len(SIMULATIONS)
    assert reference_problems(page) == []
    assert_axe_clean(page, "a unit with two simulations and two quizzes")

    # Errors shown in one simulation point at that simulation's own fields.
    first, second = page.locator("[data-egov-root]").nth(0), page.locator("[data-egov-root]").nth(1)
    first.locator("[data-egov-step]:not([hidden]) [data-egov-submit]").click()
    expect(first.locator("[data-egov-error-for]:not([hidden])").first).to_be_visible()
    expect(second.locator("[data-egov-error-for]:not([hidden])")).to_have_count(0)
    invalid = first.locator("[aria-invalid=true]").first
    described = (invalid.get_attribute("aria-describedby") or "").split()
    visible_errors = [first.locator(f"#{name}") for name in described if first.locator(f"#{name}").count()]
    assert any(error.is_visible() for error in visible_errors), described
    assert reference_problems(page) == []
    assert_axe_clean(page, "the twin unit with errors shown in the first simulation")

    # Both quizzes submitted: their results, charts and tables too.
    for quiz in (page.locator("[data-dsq-root]").nth(0), page.locator("[data-dsq-root]").nth(1)):
        submit_quiz(quiz)
    assert reference_problems(page) == []
    assert_axe_clean(page, "the twin unit with both quizzes submitted")


def test_phone_360x640_has_no_horizontal_scrolling(browser, twin_preview):
    page = new_page(browser, viewport={"width": 360, "height": 640})
    try:
        for path in ("", f"courses/{SLUG}/", f"courses/{SLUG}/units/{UNIT}/?student=a11y_phone"):
            page.goto(twin_preview.url + path)
            page.wait_for_load_state("load")
            overflow = horizontal_overflow(page)
            assert overflow["client"] == 360
            assert overflow["scroll"] <= overflow["client"], (path, overflow)

        # The result screens and the inline errors are laid out within 360 px too.
        page.locator("[data-egov-root]").first.locator("[data-egov-step]:not([hidden]) [data-egov-submit]").click()
        submit_quiz(page.locator("[data-dsq-root]").first)
        overflow = horizontal_overflow(page)
        assert overflow["scroll"] <= overflow["client"], overflow
        assert unreachable_controls(page) == []
    finally:
        page.context.close()


# Reads every cell of the blocks' tables: its computed wrapping, and whether a one-word cell
# (such as "Điểm" or "100%") is laid out on more than one line, which means the word was split.
TABLE_CELLS = """() => Array.from(document.querySelectorAll(
    '[data-egov-root] th, [data-egov-root] td, [data-dsq-root] th, [data-dsq-root] td, '
    + '[data-dsx-author-summary] th, [data-dsx-author-summary] td'))
  .filter((cell) => cell.getBoundingClientRect().width > 0)
  .map((cell) => {
    const style = getComputedStyle(cell);
    const text = cell.textContent.trim();
    let lines = 1;
    if (text && !/\\s/.test(text)) {
      const range = document.createRange();
      range.selectNodeContents(cell);
      lines = new Set(Array.from(range.getClientRects()).filter((box) => box.width > 0)
        .map((box) => Math.round(box.top))).size;
    }
    return {text, wordBreak: style.wordBreak, overflowWrap: style.overflowWrap, lines};
  })"""
# Each table of the blocks sits in a named scroll container that keyboard users can focus. It is a
# group, not a region landmark, because two copies of a block on one page would repeat the landmark's name.
TABLE_REGIONS = """() => Array.from(document.querySelectorAll(
    '[data-egov-root] table, [data-dsq-root] table, [data-dsx-author-summary] table'))
  .map((table) => {
    const region = table.parentElement;
    return {caption: table.caption ? table.caption.textContent.trim() : '',
            role: region.getAttribute('role'), tabindex: region.getAttribute('tabindex'),
            name: (region.getAttribute('aria-label') || '').trim(),
            scrolls: getComputedStyle(region).overflowX};
  })"""


def assert_tables_wrap_between_words(page: Page, where: str) -> None:
    cells = page.evaluate(TABLE_CELLS)
    assert cells, f"no table cells on {where}"
    assert [cell for cell in cells if cell["wordBreak"] == "break-all"] == [], where
    assert [cell for cell in cells if cell["overflowWrap"] == "anywhere"] == [], where
    assert [cell for cell in cells if cell["lines"] > 1] == [], f"a one-word cell is split on {where}"
    for region in page.evaluate(TABLE_REGIONS):
        assert region["role"] == "group", (where, region)
        assert region["tabindex"] == "0", (where, region)
        assert region["name"], (where, region)
        assert region["scrolls"] == "auto", (where, region)
    overflow = horizontal_overflow(page)
    assert overflow["scroll"] <= overflow["client"], (where, overflow)


def test_tables_wrap_between_words_at_360(browser, twin_preview):
    page = new_page(browser, viewport={"width": 360, "height": 640})
    try:
        open_unit(page, twin_preview, "a11y_tables")
        quiz = page.locator("[data-dsq-root]").first
        submit_quiz(quiz)
        expect(quiz.locator("[data-dsq-profile-table]")).to_be_visible()
        assert_tables_wrap_between_words(page, "the quiz result")

        keys = [page.locator("[data-preview-edit]").nth(index).get_attribute("data-preview-edit")
                for index in (0, len(SIMULATIONS))]
        for key in keys:
            page.goto(f"{twin_preview.url}courses/{SLUG}/units/{UNIT}/blocks/{key}/author/?student=a11y_tables")
            expect(page.locator("[data-dsx-author-summary] table")).to_be_visible()
            assert_tables_wrap_between_words(page, f"the author view of {key}")
    finally:
        page.context.close()


def test_zoom_200_percent_keeps_every_control_reachable(browser, twin_preview):
    page = new_page(browser, viewport={"width": 640, "height": 360}, device_scale_factor=2)
    try:
        page.goto(unit_url(twin_preview, "a11y_zoom"))
        expect(page.locator("[data-egov-stepper-item].is-current")).to_have_count(len(SIMULATIONS))
        overflow = horizontal_overflow(page)
        assert overflow["scroll"] <= overflow["client"], overflow
        assert unreachable_controls(page) == []

        # Every control the learner can see is also reached with Tab.
        stops = tab_through(page, MAX_TABS)
        reached = {stop["name"] for stop in stops}
        visible = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-egov-root] button, [data-egov-root] input, '
                + '[data-egov-root] select, [data-dsq-root] button, [data-dsq-root] input'))
              .filter((node) => node.getBoundingClientRect().width > 0 && !node.disabled && node.type !== 'radio')
              .map((node) => `<${node.tagName.toLowerCase()} ${node.id || node.getAttribute('name') || (node.textContent || '').trim().slice(0, 30)}>`)"""
        )
        missing = [name for name in visible if name not in reached]
        assert missing == [], f"not reached with Tab: {missing}"
    finally:
        page.context.close()


def test_contrast_ratio_matches_wcag_examples():
    """Guard the measurement itself: known ratios, alpha blending and the ring hidden by an outline."""
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((255, 185, 0), (255, 255, 255)) == pytest.approx(1.72, abs=0.01)
    assert parse_color("rgba(0, 0, 0, 0.5)") == (0, 0, 0, 0.5)
    with pytest.raises(ValueError):
        parse_color("color(srgb 1 1 1)")

    # A half-transparent black layer with no opaque layer below it is blended over the white page.
    color, source = background_of([{"name": "<div.shade>", "color": "rgba(0, 0, 0, 0.5)"},
                                   {"name": "<body>", "color": "rgba(0, 0, 0, 0)"}])
    assert color == pytest.approx((127.5, 127.5, 127.5))
    assert source == "<div.shade>"

    stop = {"name": "<button x>", "outline": "solid 3px rgb(31, 41, 51)", "outlineStyle": "solid",
            "outlineWidth": 3.0, "outlineOffset": 2.0, "outlineColor": "rgb(31, 41, 51)",
            "shadow": "inset rgb(179, 45, 46) 4px 0px 0px 0px, rgb(255, 255, 255) 0px 0px 0px 2px",
            "ancestors": [{"name": "<header>", "color": "rgb(11, 61, 110)"}], "beneath": None}
    assert ring_colors(stop) == [(255, 255, 255, 1.0)]
    assert weak_focus_contrast(stop) == []
    # With no gap the outline covers the ring, and the dark outline alone fails on the dark header.
    problems = weak_focus_contrast({**stop, "outlineOffset": 0.0})
    assert len(problems) == 1, problems
    assert "1.34:1 against #0b3d6e" in problems[0], problems


def assert_focus_contrast(stops: list[dict], where: str) -> None:
    problems = [problem for stop in stops for problem in weak_focus_contrast(stop)]
    assert not problems, f"focus indicators under {MIN_FOCUS_CONTRAST:g}:1 on {where}:\n" + "\n".join(problems)


def test_focus_is_always_visible(page, twin_preview):
    open_unit(page, twin_preview, "a11y_focus")
    stops = tab_through(page, MAX_TABS)
    in_blocks = [stop for stop in stops if stop["inBlock"]]
    assert len(in_blocks) >= 10, f"Tab stopped on only {len(in_blocks)} controls of the blocks"
    hidden = [stop for stop in stops if not stop["visible"]]
    assert hidden == [], f"focused without a visible outline or shadow: {hidden}"
    assert_focus_contrast(stops, "the unit page")

    # After a submission the new controls (result, reset) show focus too, and so does the
    # result heading that the script focuses.
    for quiz in (page.locator("[data-dsq-root]").nth(0), page.locator("[data-dsq-root]").nth(1)):
        submit_quiz(quiz)
        expect(quiz.locator("[data-dsq-result-title]")).to_be_focused()
        title = focus_style(page)
        assert title is not None and title["visible"], f"the focused result heading shows no focus: {title}"
        assert_focus_contrast([title], "the focused result heading")
    stops = tab_through(page, MAX_TABS)
    hidden = [stop for stop in stops if not stop["visible"]]
    assert hidden == [], f"focused without a visible outline or shadow after the submission: {hidden}"
    assert_focus_contrast(stops, "the unit page after both quizzes were submitted")


# Removes the preview's own stylesheet, whose focus rules would otherwise cover the block's.
WITHOUT_PREVIEW_CSS = """() => {
  const sheets = [...document.styleSheets].filter((sheet) =>
    [...sheet.cssRules].some((rule) => rule.cssText.includes(".skip-link")));
  sheets.forEach((sheet) => sheet.ownerNode.remove());
  return sheets.length;
}"""


@pytest.mark.parametrize("preview_css", [True, False], ids=["preview-css", "block-css-only"])
def test_focus_contrast_at_each_simulation_step(page, twin_preview, preview_css):
    """Reach every step of the first simulation with correct answers, and Tab through the page at each.

    Without the preview's stylesheet the block's own focus rules are measured, as the LMS shows them.
    """
    scenario = parse_scenario(parse_xml(BIRTH_XML.encode("utf-8")))
    student = "a11y_focus_steps" if preview_css else "a11y_focus_steps_block_css"
    usage = f"{SLUG}.egov_simulation.{SIMULATIONS[0]}.d0.u0"
    handler = f"{twin_preview.url}handler/{usage}/submit_step/?student={student}"
    for index, step in enumerate(scenario.steps):
        if index:
            previous = scenario.steps[index - 1]
            answer = post_json(page, handler, {"step_id": previous.id, "values": correct_answer(previous, scenario)})
            assert answer["result"]["passed"], (previous.id, answer["result"].get("errors"))
        page.goto(unit_url(twin_preview, student))
        simulation = page.locator("[data-egov-root]").first
        expect(simulation.locator(f'[data-egov-step="{step.id}"]')).to_be_visible()
        if not preview_css:
            assert page.evaluate(WITHOUT_PREVIEW_CSS) == 1

        stops = tab_through(page, MAX_TABS)
        if step.kind != "result":
            # The result step has no control of its own: its restart button sits below the steps.
            in_step = [stop["name"] for stop in stops if stop["egovStep"] == step.id]
            assert in_step, f"Tab reached no control of step {step.id} ({step.kind})"
        hidden = [stop for stop in stops if not stop["visible"]]
        assert hidden == [], f"focused without a visible outline or shadow at step {step.id}: {hidden}"
        assert_focus_contrast(stops, f"the unit page at step {step.id} ({step.kind})")


def test_focus_contrast_on_preview_and_studio_pages(page, twin_preview):
    """The header, breadcrumbs and links of the preview, and the Studio editor and author view of both blocks."""
    student = "a11y_focus_pages"
    page.goto(unit_url(twin_preview, student))
    keys = [page.locator("[data-preview-edit]").nth(index).get_attribute("data-preview-edit")
            for index in (0, len(SIMULATIONS))]
    paths = {"the course list": "", "the course outline": f"courses/{SLUG}/"}
    for key in keys:
        for view in ("studio", "author"):
            paths[f"the {view} view of {key}"] = f"courses/{SLUG}/units/{UNIT}/blocks/{key}/{view}/"

    names_by_page = {}
    for where, path in paths.items():
        page.goto(f"{twin_preview.url}{path}?student={student}")
        page.wait_for_load_state("load")
        stops = tab_through(page, MAX_TABS)
        names_by_page[where] = [stop["name"] for stop in stops]
        # The skip link, the site name and the language link of the header come first on every page.
        assert len(stops) >= 3, f"Tab stopped only on {names_by_page[where]} on {where}"
        hidden = [stop for stop in stops if not stop["visible"]]
        assert hidden == [], f"focused without a visible outline or shadow on {where}: {hidden}"
        assert_focus_contrast(stops, where)

    # The outline's overview and each Studio editor's own controls were among the stops checked.
    assert any(name.startswith("<summary") for name in names_by_page["the course outline"]), names_by_page
    for key in keys:
        editor = [name for name in names_by_page[f"the studio view of {key}"] if name.startswith(("<textarea", "<select"))]
        assert editor, f"Tab reached no textarea or select of the Studio editor of {key}"


def test_simulation_errors_and_progress_are_announced(page, twin_preview):
    open_unit(page, twin_preview, "a11y_announce")
    simulation = page.locator("[data-egov-root]").nth(1)
    status = simulation.locator("[data-egov-status]")
    assert status.get_attribute("role") == "status" or status.get_attribute("aria-live") in ("polite", "assertive")

    # A rejected step: the count of errors goes to the live region and the focus to the first wrong field.
    simulation.locator("[data-egov-step]:not([hidden]) [data-egov-submit]").click()
    expect(status).not_to_be_empty()
    focused = page.evaluate(
        "() => ({invalid: document.activeElement.getAttribute('aria-invalid'),"
        " inside: !!document.activeElement.closest('[data-egov-root]')})")
    assert focused == {"invalid": "true", "inside": True}, focused
    assert simulation.evaluate("(root) => root.contains(document.activeElement)")


def test_quiz_errors_and_results_are_announced(page, twin_preview):
    student = "a11y_quiz_announce"
    open_unit(page, twin_preview, student)
    quiz = page.locator("[data-dsq-root]").nth(0)
    error_box = quiz.locator("[data-dsq-error]")
    assert error_box.get_attribute("role") == "alert"

    # The attempt is submitted elsewhere (another tab) first: this page's submission is refused.
    usage = f"{SLUG}.citizenship_quiz.{QUIZZES[0]}.d0.u0"
    response = page.request.post(f"{twin_preview.url}handler/{usage}/submit/?student={student}",
                                 data=json.dumps({"answers": {}}), headers={"Content-Type": "application/json"})
    assert response.status == 200, response.text()
    refusal = catalog_for("vi").gettext("This attempt is already submitted. Start a new attempt to answer again.")
    quiz.locator("button[type=submit]").click()
    expect(error_box).not_to_be_empty()
    if refusal not in (error_box.text_content() or ""):
        # The first press only warned that questions are unanswered; the second one sends the answers.
        quiz.locator("button[type=submit]").click()
    expect(error_box).to_contain_text(refusal)
    expect(error_box).to_be_visible()

    # A result moves the focus to its heading, so it is read out.
    page.reload()
    other = page.locator("[data-dsq-root]").nth(1)
    submit_quiz(other)
    expect(other.locator("[data-dsq-result-title]")).to_be_focused()
