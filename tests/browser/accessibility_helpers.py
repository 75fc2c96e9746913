"""Checks shared by the accessibility tests: axe-core, ids and ARIA references, layout, focus and its contrast.

Each check only reads the page (``page.evaluate`` returns data) and returns
what it found, so a failing assertion prints the offending elements.
"""

from __future__ import annotations

import json
import re
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


# WCAG 2.1 SC 1.4.11 (non-text contrast): a focus indicator needs 3:1 against the colours next to it.
MIN_FOCUS_CONTRAST = 3.0

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
  const describe = (element) => {
    const classes = typeof element.className === 'string' ? element.className.trim().split(/\\s+/).filter(Boolean) : [];
    return `<${element.tagName.toLowerCase()}${classes.map((name) => '.' + name).join('')}>`;
  };
  const layer = (element) => ({name: describe(element), color: getComputedStyle(element).backgroundColor});

  // The background around the element: its ancestors from the parent up, nearest first.
  const ancestors = [];
  for (let parent = node.parentElement; parent; parent = parent.parentElement) ancestors.push(layer(parent));

  // What is painted under the element's centre, nearest first. It differs from the ancestors
  // where the element is positioned over other content, as the focused skip link is over the header.
  let beneath = null;
  const box = node.getBoundingClientRect();
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  if (x >= 0 && y >= 0 && x < document.documentElement.clientWidth && y < window.innerHeight) {
    const stack = document.elementsFromPoint(x, y);
    const index = stack.indexOf(node);
    if (index >= 0) beneath = stack.slice(index + 1).filter((element) => !node.contains(element)).map(layer);
  }
  const step = node.closest('[data-egov-step]');
  return {
    name: `<${node.tagName.toLowerCase()} ${node.id || node.getAttribute('name') || (node.textContent || '').trim().slice(0, 30)}>`,
    visible: outline || !!shadow,
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    shadow: style.boxShadow,
    inBlock,
    egovStep: step ? step.getAttribute('data-egov-step') : null,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineOffset: parseFloat(style.outlineOffset) || 0,
    outlineColor: style.outlineColor,
    ancestors,
    beneath,
  };
}"""

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]
WHITE: RGB = (255.0, 255.0, 255.0)


def parse_color(value: str) -> RGBA:
    """Parse a computed CSS colour such as "rgb(31, 41, 51)" or "rgba(0, 0, 0, 0)" into 0-255 channels and alpha.

    Raises ValueError on any other syntax, such as ``color(srgb ...)``. Chromium returns the hex
    colours that our CSS uses in the rgb() and rgba() forms.
    """
    match = re.fullmatch(r"\s*rgba?\(([^)]*)\)\s*", value)
    if match is None:
        raise ValueError(f"unsupported colour {value!r}: expected rgb(...) or rgba(...)")
    parts = [part for part in re.split(r"[\s,/]+", match.group(1)) if part]
    if len(parts) not in (3, 4):
        raise ValueError(f"invalid colour {value!r}: expected 3 channels and an optional alpha")
    red, green, blue = (float(part) for part in parts[:3])
    alpha = 1.0
    if len(parts) == 4:
        alpha = float(parts[3][:-1]) / 100 if parts[3].endswith("%") else float(parts[3])
    return (red, green, blue, alpha)


def blend(top: RGBA, bottom: RGB) -> RGB:
    """Return ``top`` painted over the opaque colour ``bottom`` (source-over alpha compositing)."""
    alpha = top[3]
    return (
        top[0] * alpha + bottom[0] * (1 - alpha),
        top[1] * alpha + bottom[1] * (1 - alpha),
        top[2] * alpha + bottom[2] * (1 - alpha),
    )


def relative_luminance(color: RGB) -> float:
    """Return the relative luminance of an sRGB colour as WCAG 2.x defines it (0 for black, 1 for white)."""
    channels = []
    for value in color:
        scaled = value / 255
        channels.append(scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first: RGB, second: RGB) -> float:
    """Return the WCAG contrast ratio of two opaque colours, from 1 (same luminance) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hex_color(color: RGB) -> str:
    return "#" + "".join(f"{round(value):02x}" for value in color)


def background_of(layers: list[dict[str, str]]) -> tuple[RGB, str]:
    """Composite background layers (nearest first) over a white page, and return the colour and its top layer.

    NOTE: background images and gradients are not read, so a layer drawn with one counts as its
    background-color only. The blocks and the preview use plain colours.
    """
    color = WHITE
    source = "the white page"
    for layer in reversed(layers):
        red, green, blue, alpha = parse_color(layer["color"])
        if alpha > 0:
            color = blend((red, green, blue, alpha), color)
            source = layer["name"]
    return color, source


def split_shadows(value: str) -> list[str]:
    """Split a computed box-shadow list at the commas that are outside parentheses."""
    shadows: list[str] = []
    depth = 0
    current = ""
    for character in value:
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        if character == "," and depth == 0:
            shadows.append(current.strip())
            current = ""
        else:
            current += character
    if current.strip():
        shadows.append(current.strip())
    return shadows


def ring_colors(stop: dict[str, Any]) -> list[RGBA]:
    """Return the colours of the box-shadow rings that show around the element while it has the focus.

    A ring is an outer shadow with no offset and no blur, as ``box-shadow: 0 0 0 2px #fff`` draws.
    Only a ring that shows at least 1px wide outside the outline counts: the outline is painted
    over the shadow, from ``outline-offset`` to ``outline-offset + outline-width`` past the border.
    """
    if not stop["shadow"] or stop["shadow"] == "none":
        return []
    has_outline = stop["outlineStyle"] not in ("none", "hidden") and stop["outlineWidth"] >= 1
    colors = []
    for shadow in split_shadows(stop["shadow"]):
        if shadow.startswith("inset") or shadow.endswith("inset"):
            continue
        color_match = re.search(r"rgba?\([^)]*\)", shadow)
        if color_match is None:
            continue
        lengths = [float(length) for length in re.findall(r"(-?[\d.]+)px", shadow.replace(color_match.group(0), ""))]
        offset_x, offset_y, blur, spread = (lengths + [0.0, 0.0, 0.0, 0.0])[:4]
        if offset_x or offset_y or blur or spread < 1:
            continue
        visible_width = spread
        if has_outline:
            outline_start = stop["outlineOffset"]
            outline_end = outline_start + stop["outlineWidth"]
            visible_width -= max(0.0, min(spread, outline_end) - max(0.0, outline_start))
        if visible_width >= 1:
            colors.append(parse_color(color_match.group(0)))
    return colors


def focus_indicators(stop: dict[str, Any]) -> list[tuple[str, RGBA]]:
    """Return the colours that mark the focus of a Tab stop: its outline and its box-shadow rings."""
    indicators: list[tuple[str, RGBA]] = []
    # NOTE: Chromium draws ``outline-style: auto`` (its default focus ring) in two tones of its own
    # choice, and only the computed outline-color of such a ring is measured here.
    if stop["outlineStyle"] not in ("none", "hidden") and stop["outlineWidth"] >= 1:
        indicators.append(("outline", parse_color(stop["outlineColor"])))
    indicators.extend(("ring", color) for color in ring_colors(stop))
    return indicators


def weak_focus_contrast(stop: dict[str, Any], minimum: float = MIN_FOCUS_CONTRAST) -> list[str]:
    """Return one message for each background of ``stop`` on which no focus indicator reaches ``minimum``.

    The backgrounds are the one set by the ancestors and, where it differs, the one painted under
    the element. An indicator colour with an alpha is blended over the background first. A Tab
    stop with no indicator at all fails with ratio 1.
    """
    backgrounds = {"ancestors": background_of(stop["ancestors"])}
    if stop["beneath"] is not None:
        beneath = background_of(stop["beneath"])
        if beneath[0] != backgrounds["ancestors"][0]:
            backgrounds["painted beneath"] = beneath
    indicators = focus_indicators(stop)
    problems = []
    for where, (background, source) in backgrounds.items():
        best_ratio, best_name = 1.0, "no outline or ring"
        for kind, color in indicators:
            blended = blend(color, background)
            ratio = contrast_ratio(blended, background)
            if ratio > best_ratio:
                best_ratio, best_name = ratio, f"{kind} {hex_color(blended)}"
        if best_ratio < minimum:
            problems.append(
                f"{stop['name']}: best indicator ({best_name}) has {best_ratio:.2f}:1 against {hex_color(background)}"
                f" from {source} ({where}); needs {minimum:g}:1. Outline: {stop['outline']}; box-shadow: {stop['shadow']}"
            )
    return problems


def focus_style(page: Page) -> dict[str, Any] | None:
    """Return the focus style of the focused element, or None when the focus is on the page itself."""
    return page.evaluate(FOCUS_STYLE)


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
        style = focus_style(page)
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
