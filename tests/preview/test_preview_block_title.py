"""The preview's block pages (Studio editor, author view) title a block with its current display name."""

import html
import json
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli"))
from olx_samples import make_course  # noqa: E402  pylint: disable=wrong-import-position

SLUG = "khoa-doi-ten"
UNIT = "don_vi_2"
OLX_NAME = "Mô phỏng: Đăng ký khai sinh trực tuyến"
SAVED_NAME = "Khai sinh: tên đã lưu trong Studio"
USAGE = re.compile(r"data-usage=[\"']([^\"']+)[\"']")
EDIT_KEY = re.compile(r"data-preview-edit=[\"']([^\"']+)[\"']")
H1 = re.compile(r"<h1>(.*?)</h1>", re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


@pytest.fixture(scope="module", name="renamed_site")
def renamed_site_fixture(tmp_path_factory, django_db):
    """Load one course with a simulation into the preview registry; restore the registry afterwards."""
    from digital_skills_xblocks.preview.courses import REGISTRY

    course = make_course(tmp_path_factory.mktemp("courses") / SLUG, with_simulation=True)
    previous = dict(REGISTRY.courses)
    REGISTRY.load([course])
    yield course
    REGISTRY.courses = previous


@pytest.fixture(name="client")
def client_fixture(renamed_site):
    from django.test import Client

    return Client()


def page_heading_and_title(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    return html.unescape(H1.search(text).group(1).strip()), html.unescape(TITLE.search(text).group(1).strip())


def test_block_pages_show_saved_name(client):
    from workbench.runtime import WorkbenchRuntime

    unit_html = client.get(f"/courses/{SLUG}/units/{UNIT}/?student=tac_gia").content.decode()
    usage_id = USAGE.search(unit_html).group(1)
    key = EDIT_KEY.search(unit_html).group(1)
    block = WorkbenchRuntime("tac_gia").get_block(usage_id)
    assert block.display_name.startswith(OLX_NAME)
    heading, _title = page_heading_and_title(
        client, f"/courses/{SLUG}/units/{UNIT}/blocks/{key}/studio/?student=tac_gia")
    assert heading.startswith(OLX_NAME)

    response = client.post(
        f"/handler/{usage_id}/studio_submit/?student=tac_gia",
        data=json.dumps({
            "settings": {"display_name": SAVED_NAME, "weight": "1", "max_attempts": "0"},
            "content": f"<egov_simulation>{block.scenario_xml}</egov_simulation>",
        }),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:500]

    for view in ("studio", "author"):
        heading, title = page_heading_and_title(
            client, f"/courses/{SLUG}/units/{UNIT}/blocks/{key}/{view}/?student=tac_gia")
        assert heading == SAVED_NAME, view
        assert title.startswith(f"{SAVED_NAME} · "), view
        assert OLX_NAME not in title, view
