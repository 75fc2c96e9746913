"""Measurements in Chromium against a preview on 127.0.0.1: bytes downloaded and time to a usable unit.

A temporary course holds one unit per block (ours and the peers') and one
unit with only an HTML component, whose page is the runtime's own page. The
preview's development server sends files uncompressed, so every response body
is gzip-compressed here (level 6, what web servers commonly use) and both
sizes are reported.
"""

from __future__ import annotations

import gzip
import json
import statistics
from pathlib import Path
from typing import Any

from .server_side import EGOV_XML, QUIZ_XML

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SLUG = "khoa-do-luong"
# The unit with only an HTML component: its page is the preview's own page, the floor of the others.
HTML_ONLY = "HTML-only unit"
UNITS = {
    HTML_ONLY: "",
    "egov_simulation": '<egov_simulation url_name="mo_phong"/>',
    "citizenship_quiz": '<citizenship_quiz url_name="kiem_tra"/>',
    "drag-and-drop-v2": '<drag-and-drop-v2 url_name="keo_tha"/>',
    "poll": '<poll url_name="binh_chon"/>',
}
UNIT_KEYS = {name: f"don_vi_{number}" for number, name in enumerate(UNITS)}
# The runtime's files (the workbench's jQuery and JS runtime) and the preview's own stylesheet.
RUNTIME_PREFIXES = ("/static/workbench/", "/static/preview/")
# Chrome DevTools' "Slow 3G" preset (named "3G" in newer versions): 400 kbit/s both ways, 2,000 ms round trip.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 500 * 1000 / 8 * 0.8,
           "uploadThroughput": 500 * 1000 / 8 * 0.8}
CPU_SLOWDOWN = 4
# The key of the slow-3G time of the simulation unit served with the workbench's jQuery runtime.
WITH_JQUERY = "egov_simulation, workbench jQuery runtime"


def write_course(root: Path) -> None:
    verticals = "".join(f'<vertical url_name="{key}"/>' for key in UNIT_KEYS.values())
    files = {
        "course.xml": '<course url_name="2026" org="DigitalSkillsVN" course="BENCH01"/>',
        "course/2026.xml": '<course display_name="Khoá đo lường" language="vi"><chapter url_name="chuong"/></course>',
        "chapter/chuong.xml": '<chapter display_name="Chương"><sequential url_name="bai"/></chapter>',
        "sequential/bai.xml": f'<sequential display_name="Bài">{verticals}</sequential>',
        "html/gioi_thieu.xml": '<html filename="gioi_thieu" display_name="Giới thiệu"/>',
        "html/gioi_thieu.html": "<p>Đơn vị học để đo kích thước trang.</p>",
        "egov_simulation/mo_phong.xml": EGOV_XML,
        "citizenship_quiz/kiem_tra.xml": QUIZ_XML,
        "policies/2026/policy.json": json.dumps({"course/2026": {"display_name": "Khoá đo lường", "language": "vi"}}),
        "policies/2026/grading_policy.json": json.dumps({"GRADER": [], "GRADE_CUTOFFS": {"Pass": 0.5}}),
    }
    for name, child in UNITS.items():
        files[f"vertical/{UNIT_KEYS[name]}.xml"] = (
            f'<vertical display_name="{name}"><html url_name="gioi_thieu"/>{child}</vertical>')
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def unit_url(base: str, name: str, student: str) -> str:
    return f"{base}courses/{SLUG}/units/{UNIT_KEYS[name]}/?student={student}"


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def page_bytes(browser, base: str, name: str) -> dict[str, Any]:
    """Load one unit with an empty cache; return raw and gzip bytes by kind of resource."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    bodies: list[tuple[str, str, bytes]] = []

    def record(response) -> None:
        try:
            body = response.body()
        except Exception:  # pylint: disable=broad-except
            body = b""
        bodies.append((response.url, response.request.resource_type, body))

    page.on("response", record)
    page.goto(unit_url(base, name, "bytes"), wait_until="networkidle")
    context.close()

    totals: dict[str, Any] = {"runtime": {"raw": 0, "gzip": 0}, "block": {"raw": 0, "gzip": 0},
                              "document": {"raw": 0, "gzip": 0}, "files": []}
    for url, kind, body in bodies:
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else url
        sizes = {"raw": len(body), "gzip": len(gzip.compress(body, 6)) if body else 0}
        if kind == "document":
            bucket = "document"
        elif path.startswith(RUNTIME_PREFIXES):
            bucket = "runtime"
        else:
            bucket = "block"
            totals["files"].append({"path": path.split("?")[0], "kind": kind, **sizes})
        for key in ("raw", "gzip"):
            totals[bucket][key] += sizes[key]
    return totals


def block_bytes(browser, base: str) -> dict[str, dict[str, Any]]:
    """Bytes each block adds: its own files plus its share of the unit HTML over the HTML-only unit's."""
    measured = {name: page_bytes(browser, base, name) for name in UNITS}
    floor = measured[HTML_ONLY]["document"]
    results = {}
    for name, totals in measured.items():
        if name == HTML_ONLY:
            continue
        html = {key: totals["document"][key] - floor[key] for key in ("raw", "gzip")}
        results[name] = {
            "html": html,
            "files": totals["block"],
            "total": {key: html[key] + totals["block"][key] for key in ("raw", "gzip")},
            "file_list": totals["files"],
            "runtime": totals["runtime"],
        }
    results[HTML_ONLY] = {"total": {key: floor[key] + measured[HTML_ONLY]["runtime"][key]
                                              for key in ("raw", "gzip")}}
    return results


USABLE = {
    "egov_simulation": "[data-egov-stepper-item].is-current",
    HTML_ONLY: ".preview-html",
    "drag-and-drop-v2": ".xblock--drag-and-drop .item-bank .option, .themed-xblock.xblock--drag-and-drop .option",
    "poll": ".poll-block input[type=radio], .poll-answer input[type=radio], form input[type=radio]",
}


def time_to_usable(browser, base: str, name: str, runs: int) -> dict[str, float]:
    """Milliseconds from navigation start until the unit's block is usable, under slow 3G and 4× CPU.

    Usable means the block's JavaScript has run: for the simulation, the
    current step is marked in the stepper, which only its init code does.
    """
    samples = []
    for run in range(runs):
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        session.send("Network.emulateNetworkConditions", SLOW_3G)
        session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(unit_url(base, name, f"slow-{run}"), wait_until="commit", timeout=120_000)
        page.wait_for_selector(USABLE[name], state="attached", timeout=120_000)
        samples.append(page.evaluate("() => performance.now()"))
        context.close()
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}
