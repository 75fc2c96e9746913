"""Test set-up: Django settings for the WorkbenchRuntime on a throw-away SQLite file."""

import os
import tempfile

import pytest

_DB_DIR = tempfile.mkdtemp(prefix="digital-skills-tests-")
os.environ.setdefault("DIGITAL_SKILLS_PREVIEW_DB", os.path.join(_DB_DIR, "runtime.sqlite3"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digital_skills_xblocks.preview.settings")
# Playwright's sync API keeps an asyncio loop running on the main thread while a browser is
# open, and Django then rejects even synchronous database calls from the runtime tests that
# share the session. The tests make no concurrent database calls, so the check can go.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COURSE_EXPORTS = os.path.join(REPO_ROOT, "course_exports")
REAL_OLX = os.path.join(os.path.dirname(REPO_ROOT), "shared", "real_olx")


@pytest.fixture(scope="session")
def django_db():
    """Configure Django once and create the workbench tables (they ship without migrations)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    return True
