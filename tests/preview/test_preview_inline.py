"""Unit pages carry the runtime's and the blocks' package files inline, escaped, in one response."""

import os
import re
import sys
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from web_fragments.fragment import Fragment, FragmentResource

from digital_skills_xblocks.preview.inline import (
    JAVASCRIPT, absolute_css_urls, escape_script, escape_style, page_resources_html, resource_html,
)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli"))
from olx_samples import make_course, write  # noqa: E402  pylint: disable=wrong-import-position

HOSTILE_JS = 'var end = "</script><script>alert(1)</script>"; var upper = "</SCRIPT>";\n'
HOSTILE_CSS = '.a::after { content: "</style><script>alert(2)</script>"; } .b { background: url(img/x.png); }\n'


class ElementCollector(HTMLParser):
    """Record the start tags and the text of each <script> and <style> element, as a browser parses them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.texts = {"script": [], "style": []}
        self._open = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.texts:
            self._open = tag
            self.texts[tag].append("")

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open][-1] += data


def parse(html):
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.fixture(scope="module")
def simulation_course(tmp_path_factory, django_db):
    from digital_skills_xblocks.preview.courses import REGISTRY

    root = make_course(tmp_path_factory.mktemp("inline") / "khoa-mo-phong", with_simulation=True)
    REGISTRY.load([root])
    return root


@pytest.fixture
def client(simulation_course):
    from django.test import Client

    return Client()


@pytest.fixture
def hostile_static(tmp_path):
    """A static folder with files that contain the end tags of their own elements."""
    write(tmp_path, "thu/hostile.js", HOSTILE_JS)
    write(tmp_path, "thu/hostile.css", HOSTILE_CSS)
    write(tmp_path, "thu/comment.js", 'var x = "<!--"; var y = "<script>";\n')
    with override_settings(STATICFILES_DIRS=[str(tmp_path)]):
        yield tmp_path


def test_simulation_unit_has_no_external_files(client):
    response = client.get("/courses/khoa-mo-phong/units/don_vi_2/?student=nguoi_hoc_inline")
    html = response.content.decode()
    page = parse(html)

    assert response.status_code == 200
    assert "data-block-type='egov_simulation'" in html
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts, "the page has no <script> element"
    assert [attrs["src"] for attrs in scripts if "src" in attrs] == []
    stylesheets = [attrs for tag, attrs in page.tags if tag == "link" and attrs.get("rel") == "stylesheet"]
    assert stylesheets == []
    assert "/static/workbench/" not in html
    assert "/static/preview/" not in html


def runtime_file(path):
    from django.contrib.staticfiles import finders

    with open(finders.find(f"workbench/js/{path}"), encoding="utf-8") as stream:
        return stream.read()


def test_simulation_unit_inlines_runtime_in_order(client):
    # The workbench's runtime; a unit with only this package's blocks gets preview/runtime.js by default.
    with override_settings(PREVIEW_LIGHT_RUNTIME=False):
        html = client.get("/courses/khoa-mo-phong/units/don_vi_2/").content.decode()
    head, foot = html.split("</head>", 1)
    scripts = [code.strip() for code in parse(html).texts["script"]]

    positions = []
    for path in ("vendor/jquery.min.js", "vendor/jquery-migrate.min.js", "vendor/jquery.cookie.js", "runtime/1.js"):
        code = runtime_file(path).strip()
        # jQuery is added by the runtime for every block, but the page runs each file once.
        assert scripts.count(code) == 1, path
        positions.append(scripts.index(code))
    assert positions == sorted(positions)
    assert runtime_file("vendor/jquery.min.js").strip() in head
    assert runtime_file("runtime/1.js").strip() in foot
    # The block's own script defines its init function before the runtime calls it.
    block_script = next(index for index, code in enumerate(scripts) if "function EgovSimulationBlock" in code)
    assert block_script < positions[-1]
    assert any(".site-header" in css for css in parse(head).texts["style"])


def test_hostile_script_file_escaped(hostile_static):
    html = resource_html(FragmentResource("url", "/static/thu/hostile.js", JAVASCRIPT, "foot"))
    page = parse(html)

    assert html.startswith("<script>")
    assert "<\\/script><script>alert(1)<\\/script>" in html
    assert "<\\/SCRIPT>" in html
    assert [tag for tag, _attrs in page.tags] == ["script"]
    assert len(page.texts["script"]) == 1
    assert "alert(1)" in page.texts["script"][0]


def test_hostile_style_file_escaped(hostile_static):
    html = resource_html(FragmentResource("url", "/static/thu/hostile.css", "text/css", "head"))
    page = parse(html)

    assert html.startswith("<style>")
    assert '<\\/style><script>alert(2)</script>' in html
    assert [tag for tag, _attrs in page.tags] == ["style"]
    assert 'url("/static/thu/img/x.png")' in page.texts["style"][0]


def test_comment_opener_keeps_external(hostile_static):
    html = resource_html(FragmentResource("url", "/static/thu/comment.js", JAVASCRIPT, "foot"))

    assert html == '<script src="/static/thu/comment.js"></script>'


@pytest.mark.parametrize("url", [
    "/courses/khoa-mo-phong/static/hinh.png",
    "/static/../settings.py",
    "/static/thu/missing.js",
    "https://cdn.example.invalid/jquery.js",
    "//cdn.example.invalid/jquery.js",
    "/resource/no_such_block/public/x.js",
    "/handler/x/y/",
])
def test_other_addresses_stay_external(simulation_course, hostile_static, url):
    html = resource_html(FragmentResource("url", url, JAVASCRIPT, "foot"))

    assert html.startswith("<script src=")
    assert "alert" not in html


def test_block_text_resources_escaped():
    fragment = Fragment()
    fragment.add_javascript('var a = "</script><img src=x onerror=alert(3)>";')
    fragment.add_css('.a::after { content: "</STYLE><img src=x onerror=alert(4)>"; }')
    fragment.add_javascript_url("/static/workbench/js/runtime/1.js")
    fragment.add_resource_url("/static/workbench/js/runtime/1.js", JAVASCRIPT, "head")

    head, foot = page_resources_html(fragment)
    page = parse(head + foot)

    assert [tag for tag, _attrs in page.tags] == ["style", "script", "script"]
    assert "<img" not in "".join(tag for tag, _attrs in page.tags)
    assert "initializeBlocks" in head
    assert "initializeBlocks" not in foot


def test_escape_helpers():
    assert escape_script("a</script>b</Script >") == "a<\\/script>b<\\/Script >"
    assert escape_script("a<!--b") is None
    assert escape_script("x < y && y </ z") == "x < y && y </ z"
    assert escape_style("</style></STYLE>") == "<\\/style><\\/STYLE>"
    assert absolute_css_urls("a{b:url('../f.woff')} c{d:url(data:x)} e{f:url(/g.png)} h{i:url(#j)}",
                             "/static/x/css/s.css") == (
        'a{b:url("/static/x/f.woff")} c{d:url(data:x)} e{f:url(/g.png)} h{i:url(#j)}')


def test_package_files_cached(client):
    response = client.get("/static/workbench/js/runtime/1.js")

    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_course_files_revalidated(client):
    response = client.get("/courses/khoa-mo-phong/static/hinh.png")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Security-Policy"] == "sandbox"

    again = client.get("/courses/khoa-mo-phong/static/hinh.png", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == "sandbox"


def test_pages_inline_preview_stylesheet(client):
    for path in ("/", "/courses/khoa-mo-phong/", "/courses/khoa-mo-phong/units/don_vi_1/", "/khong-co/"):
        html = client.get(path).content.decode()
        assert re.search(r"<style>[^<]*\.site-header", html), path
        assert "preview.css" not in html, path


def test_inlining_switched_off_serves_files(client):
    with override_settings(PREVIEW_INLINE_RESOURCES=False, PREVIEW_LIGHT_RUNTIME=False):
        html = client.get("/courses/khoa-mo-phong/units/don_vi_2/?student=nguoi_hoc_inline").content.decode()
    page = parse(html)

    sources = [attrs["src"] for tag, attrs in page.tags if tag == "script" and "src" in attrs]
    assert any(source.startswith("/static/workbench/") for source in sources)
    stylesheets = [attrs["href"] for tag, attrs in page.tags if tag == "link" and attrs.get("rel") == "stylesheet"]
    assert any(href.startswith("/static/preview/") for href in stylesheets)
