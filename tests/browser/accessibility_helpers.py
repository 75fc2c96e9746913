"""Checks shared by the accessibility tests: axe-core, ids and ARIA references, layout, focus.

Each check only reads the page (``page.evaluate`` returns data) and returns
what it found, so a failing assertion prints the offending elements.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov import engine
from digital_skills_xblocks.egov.model import Scenario, Step
from digital_skills_xblocks.egov.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[2]
COURSE_EXPORTS = ROOT / "course_exports"

# The solver of tests/courses builds correct answers from a scenario's own rules.
sys.path.insert(0, str(ROOT / "tests" / "courses"))
from egov_solver import step_answer  # noqa: E402  pylint: disable=wrong-import-position,import-error

FOCUSABLE = ("a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
             "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the whole page; return its violations, shortened to rule, impact and targets."""
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    results = Axe().run(page)
    return [
        {"id": item["id"], "impact": item["impact"], "help": item["help"],
         "targets": [node["target"] for node in item["nodes"]][:5]}
        for item in results.response["violations"]
    ]


def assert_axe_clean(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core on {where}:\n{json.dumps(violations, ensure_ascii=False, indent=1)}"


REFERENCE_PROBLEMS = """() => {
  const problems = [];
  const counts = new Map();
  for (const node of document.querySelectorAll('[id]')) {
    counts.set(node.id, (counts.get(node.id) || 0) + 1);
  }
  for (const [id, count] of counts) {
    if (count > 1) problems.push(`id "${id}" is used ${count} times`);
  }
  const describe = (node) => `<${node.tagName.toLowerCase()} ${node.getAttribute('name') || node.className || ''}>`;
  for (const attribute of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns',
                           'aria-errormessage', 'aria-details', 'aria-activedescendant']) {
    for (const node of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of node.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${attribute}="${id}" of ${describe(node)} names no element`);
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    const target = document.getElementById(label.htmlFor);
    if (!target) {
      problems.push(`label for="${label.htmlFor}" names no element`);
    } else if (!target.matches('input, select, textarea, button, meter, output, progress')) {
      problems.push(`label for="${label.htmlFor}" names a <${target.tagName.toLowerCase()}>, which is not labelable`);
    }
  }
  return problems;
}"""


def reference_problems(page: Page) -> list[str]:
    """Return duplicate ids and ARIA/label references that name no (labelable) element."""
    return page.evaluate(REFERENCE_PROBLEMS)


def horizontal_overflow(page: Page) -> dict[str, Any]:
    """Return the document's scroll and client widths and the visible elements that stick out on the right."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const width = root.clientWidth;
          const wide = [];
          for (const node of document.body.querySelectorAll('*')) {
            const box = node.getBoundingClientRect();
            if (box.width && box.height && box.right > width + 1 && getComputedStyle(node).visibility !== 'hidden') {
              wide.push(`<${node.tagName.toLowerCase()} class="${node.className && node.className.baseVal === undefined ? node.className : ''}"> right=${Math.round(box.right)}`);
            }
          }
          return {scroll: root.scrollWidth, client: width, wide: wide.slice(0, 10)};
        }"""
    )


def unreachable_controls(page: Page) -> list[str]:
    """Return visible controls that are clipped, off the page sideways, or covered by another element.

    Each control is scrolled into view first, as a learner would scroll to it.
    """
    return page.evaluate(
        """(selector) => {
          const problems = [];
          const width = document.documentElement.clientWidth;
          const controls = Array.from(document.querySelectorAll(selector)).filter((node) => {
            const box = node.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && getComputedStyle(node).visibility !== 'hidden';
          });
          for (const node of controls) {
            node.scrollIntoView({block: 'center', inline: 'center'});
            let box = node.getBoundingClientRect();
            const skipLink = box.right < 0 || box.left > width;
            if (skipLink) {
              // A skip link waits off-screen until it has the focus: measure it focused.
              node.focus();
              box = node.getBoundingClientRect();
            }
            const name = `<${node.tagName.toLowerCase()} ${node.id || node.getAttribute('name') || node.textContent.trim().slice(0, 30)}>`;
            if (box.left < -1 || box.right > width + 1) {
              problems.push(`${name} lies outside the page width (${Math.round(box.left)}..${Math.round(box.right)} of ${width})`);
              continue;
            }
            for (let parent = node.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
              const style = getComputedStyle(parent);
              if (['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY)) {
                const outer = parent.getBoundingClientRect();
                if (box.left < outer.left - 1 || box.right > outer.right + 1 || box.top < outer.top - 1 || box.bottom > outer.bottom + 1) {
                  problems.push(`${name} is clipped by an overflow-hidden <${parent.tagName.toLowerCase()} class="${parent.className}">`);
                }
              }
            }
            // Labels wrap many inputs: a hit on the control, its label or a descendant counts as reachable.
            const x = Math.min(Math.max(box.left + box.width / 2, 0), width - 1);
            const y = Math.min(Math.max(box.top + box.height / 2, 0), window.innerHeight - 1);
            const hit = document.elementFromPoint(x, y);
            const label = node.labels && node.labels.length ? node.labels[0] : null;
            const ok = hit && (hit === node || node.contains(hit) || (label && (label === hit || label.contains(hit)))
                               || (hit.control && hit.control === node));
            // A visually hidden native input (custom checkbox styling) is reached through its label.
            const tiny = box.width <= 2 || box.height <= 2;
            if (!ok && !tiny) {
              problems.push(`${name} is covered by <${hit ? hit.tagName.toLowerCase() : 'nothing'} class="${hit ? hit.className : ''}">`);
            }
            if (skipLink) node.blur();
          }
          return problems;
        }""",
        FOCUSABLE,
    )


FOCUS_STYLE = """() => {
  const node = document.activeElement;
  if (!node || node === document.body) return null;
  const style = getComputedStyle(node);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  let inBlock = false;
  for (let parent = node; parent; parent = parent.parentElement) {
    if (parent.matches && parent.matches('[data-egov-root], [data-dsq-root], .preview-block, main')) inBlock = true;
  }
  return {
    name: `<${node.tagName.toLowerCase()} ${node.id || node.getAttribute('name') || (node.textContent || '').trim().slice(0, 30)}>`,
    visible: outline || !!shadow,
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    shadow: style.boxShadow,
    inBlock,
  };
}"""


def tab_through(page: Page, presses: int) -> list[dict[str, Any]]:
    """Press Tab up to ``presses`` times from the top of the page; return the focus style at each stop.

    Stops early once the focus comes back to an element seen already (the cycle is complete).
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _press in range(presses):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("() => document.activeElement")
        key = page.evaluate(
            "(node) => { if (!node.dataset.a11yStop) node.dataset.a11yStop = String(Math.random()); return node.dataset.a11yStop; }",
            handle,
        )
        if key in seen:
            break
        seen.add(key)
        style = page.evaluate(FOCUS_STYLE)
        if style is not None:
            stops.append(style)
    return stops


# egov_simulation in the curriculum


def curriculum_simulations() -> list[tuple[str, str, Scenario]]:
    """Return (course slug, url_name, scenario) for every simulation of course_exports/."""
    found = []
    for path in sorted(COURSE_EXPORTS.glob("*/egov_simulation/*.xml")):
        scenario = parse_scenario(parse_xml(path.read_bytes()))
        found.append((path.parents[1].name, path.stem, scenario))
    return found


def first_step_of_each_kind() -> dict[str, tuple[str, str, Scenario, int]]:
    """For each step kind in the curriculum: the simulation where it comes earliest, and its step index."""
    chosen: dict[str, tuple[str, str, Scenario, int]] = {}
    for slug, url_name, scenario in curriculum_simulations():
        for index, step in enumerate(scenario.steps):
            if step.kind not in chosen or index < chosen[step.kind][3]:
                chosen[step.kind] = (slug, url_name, scenario, index)
    return chosen


def correct_answer(step: Step, scenario: Scenario) -> dict[str, Any]:
    """The submission that passes ``step`` without a mistake."""
    if step.kind == "review_dossier":
        return engine.review_dossier_answer(step)
    return step_answer(step, scenario.persona)


def post_json(page: Page, url: str, payload: dict) -> dict:
    response = page.request.post(url, data=json.dumps(payload), headers={"Content-Type": "application/json"})
    assert response.ok, f"{url} answered {response.status}: {response.text()}"
    return response.json()
