"""Learner state in the preview survives a restart of the server process."""

import json
import os
import re
import sys
import urllib.request

from digital_skills_xblocks.preview.server import start_process

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "cli"))
from olx_samples import make_course, write  # noqa: E402  pylint: disable=wrong-import-position

USAGE = re.compile(r"data-usage=[\"']([^\"']+)[\"']")
LAUNCHER = [sys.executable, os.path.join(HERE, "preview_counter_block.py")]


def fetch(url, data=None):
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def counter_course(root, name, extra_unit=False):
    course = make_course(root / name)
    write(course, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"/>\n'
          '  <preview_counter url_name="dem" label="Số lần bấm"/>\n</vertical>\n')
    if extra_unit:
        # A block added before the counter must not shift the counter's usage id.
        write(course, "vertical/don_vi_1.xml",
              '<vertical display_name="Giới thiệu">\n  <preview_counter url_name="moi" label="Mới"/>\n'
              '  <html url_name="gioi_thieu"/>\n</vertical>\n')
    return course


def test_state_survives_restart(tmp_path):
    course = counter_course(tmp_path, "khoa-thu")
    other = make_course(tmp_path / "khoa-khac")
    database = str(tmp_path / "state" / "preview.sqlite3")
    unit = "courses/khoa-thu/units/don_vi_2/?student=hoc_vien"

    first = start_process([course], database, launcher=LAUNCHER)
    try:
        usage_id = USAGE.search(fetch(first.url + unit)).group(1)
        for _ in range(3):
            answer = fetch(f"{first.url}handler/{usage_id}/increment/?student=hoc_vien", b"{}")
        assert json.loads(answer) == {"count": 3}
    finally:
        first.stop()

    # Same database, another course listed first and a new block in the course.
    counter_course(tmp_path, "khoa-thu", extra_unit=True)
    second = start_process([other, course], database, launcher=LAUNCHER)
    try:
        html = fetch(second.url + unit)
        assert USAGE.search(html).group(1) == usage_id
        assert '<span class="count">3</span>' in html
        answer = fetch(f"{second.url}handler/{usage_id}/increment/?student=hoc_vien", b"{}")
        assert json.loads(answer) == {"count": 4}
    finally:
        second.stop()
    assert os.path.isfile(database)
