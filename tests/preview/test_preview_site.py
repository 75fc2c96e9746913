"""The preview site through Django's test client and a real server on loopback."""

import json
import os
import re
import sys
import urllib.request
from unittest.mock import Mock

import pytest
import xblock.plugin
from xblock.core import XBlock

from digital_skills_xblocks.preview.courses import find_course_dirs

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli"))
from olx_samples import COURSE_EXPORTS, REAL_OLX, make_course, write  # noqa: E402  pylint: disable=wrong-import-position
from preview_counter_block import BLOCK_TYPE, CounterBlock  # noqa: E402  pylint: disable=wrong-import-position

DEMO_COURSE = os.path.join(REAL_OLX, "openedx-demo-course")
USAGE = re.compile(r"data-usage=[\"']([^\"']+)[\"']")


@pytest.fixture(scope="module")
def counter_plugin():
    """Register CounterBlock as an xblock.v1 entry point for this module, as register_temp_plugin does."""
    entry_point = Mock(dist=Mock(key="tests"), load=Mock(return_value=CounterBlock), group="xblock.v1")
    entry_point.name = BLOCK_TYPE
    old_entry_points = list(XBlock.extra_entry_points)
    old_cache = xblock.plugin.PLUGIN_CACHE
    XBlock.extra_entry_points.append((BLOCK_TYPE, entry_point))
    xblock.plugin.PLUGIN_CACHE = {}
    yield
    XBlock.extra_entry_points = old_entry_points
    xblock.plugin.PLUGIN_CACHE = old_cache


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db, counter_plugin):
    """Load a small course with a counter block and the demo course into the preview registry."""
    from digital_skills_xblocks.preview.courses import REGISTRY

    root = tmp_path_factory.mktemp("courses")
    course = make_course(root / "khoa-thu")
    write(course, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"/>\n'
          f'  <{BLOCK_TYPE} url_name="dem" label="Số lần bấm"/>\n</vertical>\n')
    REGISTRY.load([course, DEMO_COURSE, *find_course_dirs(COURSE_EXPORTS)])
    return course


@pytest.fixture
def client(site):
    from django.test import Client

    return Client()


def test_course_list_vietnamese_first(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Khoá học thử" in html
    assert "Open edX Demo Course" in html
    assert 'href="/courses/khoa-thu/"' in html
    assert 'href="#main"' in html
    assert 'id="main"' in html


def test_language_switch_to_english(client):
    response = client.get("/courses/khoa-thu/?lang=en")
    assert response.status_code == 302
    assert response["Location"] == "/courses/khoa-thu/"

    html = client.get("/courses/khoa-thu/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert 'hreflang="vi"' in html

    client.get("/?lang=vi")
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_outline_lists_units(client):
    html = client.get("/courses/khoa-thu/").content.decode()

    assert "Chương 1" in html
    assert "Bài 1" in html
    assert 'href="/courses/khoa-thu/units/don_vi_1/"' in html
    assert 'href="/courses/khoa-thu/units/don_vi_2/"' in html
    assert 'aria-label="Đường dẫn"' in html
    assert "<summary>Giới thiệu khóa học</summary>" in html
    assert "<h2>Giới thiệu khoá học</h2>" in html


def test_unit_renders_sanitised_html(client):
    response = client.get("/courses/khoa-thu/units/don_vi_1/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Dịch vụ công trực tuyến</h2>" in html
    assert 'src="/courses/khoa-thu/static/hinh.png"' in html
    assert "alert(" not in html
    assert 'rel="next" href="/courses/khoa-thu/units/don_vi_2/"' in html
    assert 'rel="prev"' not in html


def test_unknown_type_placeholder(client):
    html = client.get("/courses/khoa-thu/units/don_vi_1/").content.decode()

    assert 'data-block-type="video"' in html
    assert "Khối nội dung loại “video” chưa được hỗ trợ trong bản xem trước." in html

    client.get("/?lang=en")
    html = client.get("/courses/khoa-thu/units/don_vi_1/").content.decode()
    assert "Blocks of type “video” are not supported in the preview yet." in html


def test_xblock_rendered_with_runtime(client):
    html = client.get("/courses/khoa-thu/units/don_vi_2/?student=hoc_vien_a").content.decode()

    assert "Số lần bấm: <span class=\"count\">0</span>" in html
    assert USAGE.search(html).group(1) == "khoa-thu.preview_counter.dem.d0.u0"
    assert 'var studentId = "hoc_vien_a";' in html
    # The workbench's jQuery and runtime 1.js are inlined into the page.
    assert "initializeBlocks" in html
    assert "jQuery" in html
    assert "<script src=" not in html
    assert 'rel="prev" href="/courses/khoa-thu/units/don_vi_1/"' in html


def test_runtime_scripts_served(client):
    response = client.get("/static/workbench/js/runtime/1.js")

    assert response.status_code == 200
    assert b"initializeBlocks" in b"".join(response.streaming_content)


def test_handler_updates_learner_state(client):
    usage_id = "khoa-thu.preview_counter.dem.d0.u0"
    url = f"/handler/{usage_id}/increment/?student=hoc_vien_b"

    first = client.post(url, data="{}", content_type="application/json")
    second = client.post(url, data="{}", content_type="application/json")

    assert first.status_code == 200
    assert json.loads(second.content) == {"count": 2}
    html = client.get("/courses/khoa-thu/units/don_vi_2/?student=hoc_vien_b").content.decode()
    assert "<span class=\"count\">2</span>" in html
    other = client.get("/courses/khoa-thu/units/don_vi_2/?student=hoc_vien_c").content.decode()
    assert "<span class=\"count\">0</span>" in other


def test_student_kept_across_pages(client):
    client.get("/courses/khoa-thu/?student=hoc_vien_d")

    html = client.get("/courses/khoa-thu/units/don_vi_2/").content.decode()

    assert 'var studentId = "hoc_vien_d";' in html


def test_invalid_student_ignored(client):
    html = client.get('/courses/khoa-thu/units/don_vi_2/?student=x"><script>').content.decode()

    assert 'var studentId = "student_1";' in html


@pytest.mark.parametrize("path", [
    "/courses/khong-co/",
    "/courses/khoa-thu/units/khong_co/",
    "/courses/khoa-thu/static/../course.xml",
    "/courses/khoa-thu/static/%2e%2e/course.xml",
    "/courses/khoa-thu/static/khong_co.png",
    "/handler/khong.co.id.d0.u0/increment/",
])
def test_missing_pages_404(client, path):
    assert client.get(path).status_code == 404


def test_course_static_file_served(client):
    response = client.get("/courses/khoa-thu/static/hinh.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"


def test_demo_course_every_unit(client):
    from digital_skills_xblocks.preview.courses import REGISTRY

    course = REGISTRY.get("openedx-demo-course")
    assert len(course.units) == 58
    placeholder_types = set()
    for unit in course.units:
        response = client.get(f"/courses/openedx-demo-course/units/{unit.key}/")
        html = response.content.decode()
        assert response.status_code == 200, unit.key
        assert 'class="preview-error"' not in html, unit.key
        placeholder_types.update(re.findall(r'data-block-type="([^"]+)"', html))
    assert {"problem", "video", "lti", "library_content", "openassessment"} <= placeholder_types


def test_shipped_courses_render_blocks(client):
    from digital_skills_xblocks.preview.courses import REGISTRY

    folders = {os.path.abspath(path) for path in find_course_dirs(COURSE_EXPORTS)}
    shipped = [course for course in REGISTRY.courses.values() if course.directory in folders]
    assert shipped, "course_exports/ has no course"
    rendered_types = set()
    for course in shipped:
        for unit in course.units:
            response = client.get(f"/courses/{course.slug}/units/{unit.key}/")
            html = response.content.decode()
            assert response.status_code == 200, unit.key
            assert 'class="preview-error"' not in html, unit.key
            assert 'class="preview-placeholder"' not in html, unit.key
            rendered_types.update(re.findall(r"data-block-type=[\"']([^\"']+)[\"']", html))
    assert "egov_simulation" in rendered_types


def test_real_server_serves_handler(site):
    from digital_skills_xblocks.preview.courses import REGISTRY
    from digital_skills_xblocks.preview.server import start_in_thread

    running = start_in_thread([site])
    try:
        assert running.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(running.url + "courses/khoa-thu/units/don_vi_2/?student=qua_mang") as page:
            html = page.read().decode()
        usage_id = USAGE.search(html).group(1)
        request = urllib.request.Request(
            f"{running.url}handler/{usage_id}/increment/?student=qua_mang", data=b"{}", method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            assert json.loads(response.read()) == {"count": 1}
    finally:
        running.stop()
        REGISTRY.load([site, DEMO_COURSE, *find_course_dirs(COURSE_EXPORTS)])


def test_not_found_page_translated(client):
    response = client.get("/courses/khong-co/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert "Bản xem trước này không có khóa học “khong-co”." in html
    assert '<a href="/">Quay lại danh sách khóa học</a>' in html
    assert 'id="main"' in html

    client.get("/?lang=en")
    html = client.get("/courses/khong-co/").content.decode()
    assert "<h1>Page not found</h1>" in html
    assert "Back to the course list" in html


def test_missing_unit_links_to_course(client):
    response = client.get("/courses/khoa-thu/units/khong_co/?lang=en", follow=True)

    assert response.status_code == 404
    html = response.content.decode()
    assert "The course “Khoá học thử” has no unit “khong_co”." in html
    assert '<a href="/courses/khoa-thu/">Back to the course outline</a>' in html


def test_unknown_address_not_found(client):
    response = client.get("/khong/co/trang/nay")

    assert response.status_code == 404
    assert "Địa chỉ này không phải là một trang của bản xem trước." in response.content.decode()


@pytest.mark.parametrize("path", [
    "/courses/course-v1:ThuNghiem+KN01+2026/jump_to_id/thuc_hanh",
    "/courses/khoa-thu/jump_to_id/thuc_hanh",
    "/courses/khoa-thu/jump_to_id/don_vi_2/",
])
def test_course_jump_to_id(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/courses/khoa-thu/units/don_vi_2/"


def test_course_jump_to_id_is_scoped(client):
    from digital_skills_xblocks.preview.courses import REGISTRY

    demo = REGISTRY.get("openedx-demo-course")
    other_unit = demo.units[0].node.url_name

    assert client.get(f"/jump_to_id/{other_unit}").status_code == 302
    response = client.get(f"/courses/khoa-thu/jump_to_id/{other_unit}")
    assert response.status_code == 404
    assert f"Khóa học “Khoá học thử” không có khối “{other_unit}”." in response.content.decode()
    assert client.get("/courses/course-v1:Khac+KN01+2026/jump_to_id/thuc_hanh").status_code == 404


def test_shipped_course_keys_resolve(client):
    from digital_skills_xblocks.preview.courses import REGISTRY

    folders = {os.path.abspath(path) for path in find_course_dirs(COURSE_EXPORTS)}
    for course in REGISTRY.courses.values():
        if course.directory not in folders:
            continue
        assert course.course_key and course.course_key.startswith("course-v1:"), course.slug
        unit = course.units[0]
        response = client.get(f"/courses/{course.course_key}/jump_to_id/{unit.node.url_name}")
        assert response.status_code == 302, course.course_key
        assert response["Location"] == f"/courses/{course.slug}/units/{unit.key}/"


def test_unknown_handler_is_json_404(client):
    usage_id = "khoa-thu.preview_counter.dem.d0.u0"
    response = client.post(f"/handler/{usage_id}/khong_co/?student=hoc_vien_e", data="{}",
                           content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "unknown_handler"


def test_oversized_handler_body_is_json_413(client):
    from django.test import override_settings

    usage_id = "khoa-thu.preview_counter.dem.d0.u0"
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        response = client.post(f"/handler/{usage_id}/increment/?student=hoc_vien_f", data="x" * 2048,
                               content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    html = client.get("/courses/khoa-thu/units/don_vi_2/?student=hoc_vien_f").content.decode()
    assert "<span class=\"count\">0</span>" in html
