"""Fixtures for browser tests: Debian's Chromium through Playwright, and a running preview.

Chromium is started headless with its background networking off, so the only
addresses a test reaches are the preview's on 127.0.0.1.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("DIGITAL_SKILLS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COURSE_EXPORTS = os.path.join(REPO_ROOT, "course_exports")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium; the suite fails (never skips) when Chromium is missing."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM) or shutil.which("chromium"), (
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package (make test does this)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh browser context (no cookies) with a phone-sized viewport and Vietnamese preferred."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.fixture(scope="module")
def preview_db(tmp_path_factory):
    return str(tmp_path_factory.mktemp("preview") / "preview.sqlite3")


@pytest.fixture(scope="module")
def preview(preview_db):
    """``digital-skills preview`` of course_exports/ in its own process on a free loopback port."""
    from digital_skills_xblocks.preview.server import start_process

    running = start_process([COURSE_EXPORTS], db_path=preview_db)
    yield running
    running.stop()
