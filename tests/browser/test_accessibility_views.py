"""axe-core finds nothing on any view of either block, nor on the preview's own pages.

The preview serves the curriculum in course_exports/. The simulation is
scanned at the first step of every kind the curriculum uses, reached by
submitting correct answers to the earlier steps, and on its result. The quiz
is scanned before and after a submission. The author and Studio views of both
blocks are scanned, and so are the course list, every course outline and the
units that hold the blocks. Every page must also have unique ids and ARIA
references that name existing elements.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accessibility_helpers import (
    COURSE_EXPORTS,
    assert_axe_clean,
    correct_answer,
    curriculum_simulations,
    first_step_of_each_kind,
    post_json,
    reference_problems,
)

STEP_KINDS = first_step_of_each_kind()
COURSE_SLUGS = sorted(path.parent.name for path in COURSE_EXPORTS.glob("*/course.xml"))
QUIZ_SLUG = "cong-dan-so-an-toan"
QUIZ_URL_NAME = "kiem_tra_lua_dao"


def usage_id(slug: str, block_type: str, url_name: str) -> str:
    return f"{slug}.{block_type}.{url_name}.d0.u0"


def check_page(page: Page, where: str) -> None:
    assert reference_problems(page) == [], where
    assert_axe_clean(page, where)


def open_block_unit(page: Page, preview, url_name: str, student: str) -> None:
    """Open the unit holding the block ``url_name`` through the preview's jump_to_id redirect."""
    response = page.request.get(f"{preview.url}jump_to_id/{url_name}", max_redirects=0)
    assert response.status == 302, f"jump_to_id/{url_name} answered {response.status}"
    location = response.headers["location"]
    page.goto(f"{preview.url.rstrip('/')}{location}?student={student}")


def test_curriculum_uses_the_main_step_kinds():
    """Guard: the kinds scanned below include every kind a learner meets first and last."""
    assert {"login", "form", "result"} <= set(STEP_KINDS), sorted(STEP_KINDS)


def test_course_list_and_outlines(page, preview):
    page.goto(preview.url)
    expect(page.locator("h1")).to_be_visible()
    check_page(page, "the course list")
    for slug in COURSE_SLUGS:
        page.goto(f"{preview.url}courses/{slug}/")
        expect(page.locator("h1")).to_be_visible()
        check_page(page, f"the outline of {slug}")


@pytest.mark.parametrize("kind", sorted(STEP_KINDS))
def test_simulation_at_each_step_kind(page, preview, kind):
    slug, url_name, scenario, index = STEP_KINDS[kind]
    student = f"a11y_kind_{kind}"
    handler = f"{preview.url}handler/{usage_id(slug, 'egov_simulation', url_name)}/submit_step/?student={student}"
    for step in scenario.steps[:index]:
        answer = post_json(page, handler, {"step_id": step.id, "values": correct_answer(step, scenario)})
        assert answer["result"]["passed"], (step.id, answer["result"].get("errors"))

    open_block_unit(page, preview, url_name, student)
    step = scenario.steps[index]
    section = page.locator(f'[data-egov-step="{step.id}"]')
    expect(section).to_be_visible()
    check_page(page, f"{slug}/{url_name} at step {step.id} ({kind})")

    if kind != "result":
        # The same step with every inline error shown: an empty submission.
        section.locator("[data-egov-submit]").click()
        expect(page.locator("[data-egov-status]")).not_to_be_empty()
        check_page(page, f"{slug}/{url_name} at step {step.id} ({kind}) with its errors")


def test_every_simulation_start_page(page, preview):
    """Scan the first step of every simulation in the curriculum, since each has its own fields."""
    for slug, url_name, scenario in curriculum_simulations():
        open_block_unit(page, preview, url_name, "a11y_start")
        expect(page.locator(f'[data-egov-step="{scenario.steps[0].id}"]')).to_be_visible()
        check_page(page, f"the unit of {slug}/{url_name}")


def test_quiz_before_and_after_submission(page, preview):
    student = "a11y_quiz"
    open_block_unit(page, preview, QUIZ_URL_NAME, student)
    root = page.locator("[data-dsq-root]").first
    expect(root.locator("[data-question-id]").first).to_be_visible()
    check_page(page, "the quiz before a submission")

    # Nothing is answered, so the first press only warns; the second one submits.
    root.locator("button[type=submit]").click()
    expect(root.locator("[data-dsq-error]")).not_to_be_empty()
    check_page(page, "the quiz warning about unanswered questions")

    root.locator("button[type=submit]").click()
    expect(root.locator("[data-dsq-result-title]")).to_be_visible()
    expect(root.locator("[data-dsq-result-title]")).to_be_focused()
    check_page(page, "the quiz after a submission")

    page.reload()
    expect(page.locator("[data-dsq-result-title]").first).to_be_visible()
    check_page(page, "the quiz result after a reload")


def authoring_links(page: Page, preview, slug: str, block_type: str) -> list[str]:
    """Return the Studio and author view links of the first ``block_type`` block of course ``slug``."""
    for path in sorted((COURSE_EXPORTS / slug / block_type).glob("*.xml")):
        open_block_unit(page, preview, path.stem, "a11y_author")
        section = page.locator(f"section.block-{block_type}").first
        if section.count():
            links = section.locator(".block-authoring a")
            return [links.nth(number).get_attribute("href") for number in range(links.count())]
    raise AssertionError(f"no {block_type} block in {slug} has authoring links")


@pytest.mark.parametrize("block_type,slug", [("egov_simulation", "dich-vu-cong-truc-tuyen"),
                                             ("citizenship_quiz", QUIZ_SLUG)])
def test_author_and_studio_views(page, preview, block_type, slug):
    links = authoring_links(page, preview, slug, block_type)
    views = sorted(link.rstrip("/").rsplit("/", 1)[-1] for link in links)
    assert views == ["author", "studio"], links
    for link in links:
        page.goto(preview.url.rstrip("/") + link)
        page.wait_for_load_state("load")
        expect(page.locator("main, body").first).to_be_visible()
        assert "could not be shown" not in page.content()
        check_page(page, f"{link}")


def test_review_dossier_inserted_after_trap(page, preview):
    """The review_dossier step arrives as step_html: its toggles work, axe finds nothing, and it can be sent."""
    slug, url_name, scenario, index = STEP_KINDS["review_dossier"]
    trap, review = scenario.steps[index - 1], scenario.steps[index]
    assert trap.kind == "trap"
    student = "a11y_review_inserted"
    handler = f"{preview.url}handler/{usage_id(slug, 'egov_simulation', url_name)}/submit_step/?student={student}"
    for step in scenario.steps[:index - 1]:
        answer = post_json(page, handler, {"step_id": step.id, "values": correct_answer(step, scenario)})
        assert answer["result"]["passed"], (step.id, answer["result"].get("errors"))

    open_block_unit(page, preview, url_name, student)
    trap_section = page.locator(f'[data-egov-step="{trap.id}"]')
    trap_section.locator(f'input[name="action"][value="{correct_answer(trap, scenario)["action"]}"]').check()
    trap_section.locator("[data-egov-submit]").click()

    section = page.locator(f'[data-egov-step="{review.id}"]')
    expect(section.locator("[data-egov-step-title]")).to_be_focused()
    expect(page.locator("[data-egov-step]")).to_have_count(1)
    check_page(page, f"{slug}/{url_name} at step {review.id} after the client inserted it")

    answer = correct_answer(review, scenario)
    for item_id in answer["flagged"]:
        toggle = section.locator(f'button[data-egov-input="toggle"][value="{item_id}"]')
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
    section.locator(f'input[name="decision"][value="{answer["decision"]}"]').check()
    for reason in answer.get("reasons") or []:
        section.locator(f'input[name="reasons"][value="{reason}"]').check()
    if answer.get("data_handling"):
        section.locator(f'input[name="data_handling"][value="{answer["data_handling"]}"]').check()
    section.locator("[data-egov-submit]").click()

    result = page.locator(f'[data-egov-step="{scenario.result_step.id}"]')
    expect(result.locator("[data-egov-step-title]")).to_be_focused()
    expect(result.locator("[data-egov-score]")).not_to_be_empty()
    expect(page.locator("[data-egov-status]")).not_to_be_empty()
    check_page(page, f"{slug}/{url_name} at its result after the client inserted it")
