"""Unit pages load the preview's jQuery-free runtime.js only when all their XBlocks are this package's."""

import importlib.util
import os
import sys
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from web_fragments.fragment import Fragment
from xblock.core import XBlock, XBlockAside
from xblock.runtime import Mixologist

from digital_skills_xblocks.egov.block import EgovSimulationBlock
from digital_skills_xblocks.preview import settings as preview_settings
from digital_skills_xblocks.quiz.block import CitizenshipQuizBlock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cli"))
from olx_samples import add_quiz, make_course, write  # noqa: E402  pylint: disable=wrong-import-position
from preview_counter_block import BLOCK_TYPE, CounterBlock  # noqa: E402  pylint: disable=wrong-import-position

JAVASCRIPT = "application/javascript"
WORKBENCH_JS = "/static/workbench/js/"
RUNTIME_URL = "/static/preview/runtime.js"
ASIDE_TYPE = "preview_marker_aside"


class MarkerMixin:
    """A runtime mixin, as an LMS adds to every block class."""


class MarkerAside(XBlockAside):
    """An aside from outside this package that adds a paragraph under every student_view."""

    @XBlockAside.aside_for("student_view")
    def student_view_aside(self, block, context=None):  # pylint: disable=unused-argument
        return Fragment('<p class="marker-aside">Ghi chú</p>')


def read_static(path):
    with open(finders.find(path), encoding="utf-8") as stream:
        return stream.read().strip()


class ScriptCollector(HTMLParser):
    """Record the ``src`` and the code of each <script> element, as a browser parses them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sources = []
        self.codes = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
            self.codes.append("")
            source = dict(attrs).get("src")
            if source:
                self.sources.append(source)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
            self.codes[-1] = self.codes[-1].strip()

    def handle_data(self, data):
        if self._in_script:
            self.codes[-1] += data


def scripts(html):
    collector = ScriptCollector()
    collector.feed(html)
    collector.close()
    return collector


def has_workbench_runtime(html):
    page = scripts(html)
    return (read_static("workbench/js/vendor/jquery.min.js") in page.codes
            or any(source.startswith(WORKBENCH_JS) for source in page.sources))


def has_light_runtime(html):
    page = scripts(html)
    return read_static("preview/runtime.js") in page.codes or RUNTIME_URL in page.sources


@pytest.fixture(scope="module")
def own_blocks_course(tmp_path_factory):
    """A course whose second unit contains an html block, an egov_simulation and a citizenship_quiz."""
    root = make_course(tmp_path_factory.mktemp("light") / "khoa-nhe", with_simulation=True)
    add_quiz(root, [])
    write(root, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"/>\n'
          '  <egov_simulation url_name="khai_sinh"/>\n  <citizenship_quiz url_name="kiem_tra"/>\n</vertical>\n')
    return root


@pytest.fixture(scope="module")
def mixed_course(tmp_path_factory):
    """A course whose second unit contains an egov_simulation and a counter block from outside this package."""
    root = make_course(tmp_path_factory.mktemp("mixed") / "khoa-tron", with_simulation=True)
    write(root, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <egov_simulation url_name="khai_sinh"/>\n'
          f'  <{BLOCK_TYPE} url_name="dem" label="Số lần bấm"/>\n</vertical>\n')
    return root


@pytest.fixture
def client(django_db, own_blocks_course):
    from django.test import Client

    from digital_skills_xblocks.preview.courses import REGISTRY

    REGISTRY.load([own_blocks_course])
    return Client()


@pytest.fixture
def light_runtime(django_db):
    """The light_runtime module, which imports the workbench and so needs Django set up first."""
    from digital_skills_xblocks.preview import light_runtime as module

    return module


@pytest.fixture
def light_on():
    with override_settings(PREVIEW_LIGHT_RUNTIME=True, PREVIEW_INLINE_RESOURCES=True):
        yield


def unit_html(client, slug, unit="don_vi_2"):
    response = client.get(f"/courses/{slug}/units/{unit}/?student=nguoi_hoc_nhe")
    assert response.status_code == 200
    return response.content.decode()


def test_own_blocks_unit_without_jquery(client, light_on):
    html = unit_html(client, "khoa-nhe")
    page = scripts(html)

    assert "data-block-type='egov_simulation'" in html
    assert "data-block-type='citizenship_quiz'" in html
    assert not has_workbench_runtime(html)
    assert "/static/workbench/" not in html
    # A name from runtime/1.js, and jQuery's own header comment.
    assert "initializeBlocks" not in html
    assert "jQuery v" not in html
    assert page.codes.count(read_static("preview/runtime.js")) == 1
    assert page.sources == []


def test_light_runtime_in_place_of_runtime_1(client, light_on):
    html = unit_html(client, "khoa-nhe")
    head, foot = html.split("</head>", 1)
    runtime_code = read_static("preview/runtime.js")

    # runtime/1.js is a foot resource, and so is its replacement. The quiz's own script comes later
    # (each file once, in the order of the blocks), which is why the runtime waits for DOMContentLoaded.
    assert runtime_code in foot
    assert runtime_code not in head
    assert 'var handlerBaseUrl = "/handler/"' in head
    assert 'var studentId = "nguoi_hoc_nhe"' in head
    codes = scripts(html).codes
    egov_position = next(index for index, code in enumerate(codes) if "function EgovSimulationBlock" in code)
    assert egov_position < codes.index(runtime_code)


def test_setting_off_keeps_jquery(client):
    with override_settings(PREVIEW_LIGHT_RUNTIME=False, PREVIEW_INLINE_RESOURCES=True):
        html = unit_html(client, "khoa-nhe")
    codes = scripts(html).codes

    assert read_static("workbench/js/vendor/jquery.min.js") in codes
    assert read_static("workbench/js/runtime/1.js") in codes
    assert read_static("preview/runtime.js") not in codes


def test_inline_off_links_light_runtime(client):
    with override_settings(PREVIEW_LIGHT_RUNTIME=True, PREVIEW_INLINE_RESOURCES=False):
        html = unit_html(client, "khoa-nhe")
    sources = scripts(html).sources

    assert RUNTIME_URL in sources
    assert [source for source in sources if source.startswith("/static/workbench/")] == []
    assert not has_workbench_runtime(html)


def test_light_runtime_file_served(client):
    response = client.get(RUNTIME_URL)

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert b"handlerUrl" in b"".join(response.streaming_content)


def test_html_only_unit_has_no_runtime(client, light_on):
    # The first unit contains an html block and a video placeholder, neither of them an XBlock.
    html = unit_html(client, "khoa-nhe", "don_vi_1")

    assert 'data-block-type="video"' in html
    assert not has_light_runtime(html)
    assert not has_workbench_runtime(html)


@XBlock.register_temp_plugin(CounterBlock, BLOCK_TYPE)
def test_other_xblock_keeps_jquery(client, light_on, mixed_course):
    from digital_skills_xblocks.preview.courses import REGISTRY

    REGISTRY.load([mixed_course])
    html = unit_html(client, "khoa-tron")
    codes = scripts(html).codes

    assert "data-block-type='preview_counter'" in html
    assert "data-block-type='egov_simulation'" in html
    assert read_static("workbench/js/vendor/jquery.min.js") in codes
    assert read_static("workbench/js/runtime/1.js") in codes
    assert not has_light_runtime(html)


@XBlockAside.register_temp_plugin(MarkerAside, ASIDE_TYPE, group="xblock_asides.v1")
def test_other_aside_keeps_jquery(client, light_on):
    html = unit_html(client, "khoa-nhe")

    assert 'class="marker-aside"' in html
    assert has_workbench_runtime(html)
    assert not has_light_runtime(html)


def test_package_class_check(light_runtime):
    is_package_class = light_runtime.is_package_class
    mixed = Mixologist([MarkerMixin]).mix(EgovSimulationBlock)

    assert is_package_class(EgovSimulationBlock)
    assert is_package_class(CitizenshipQuizBlock)
    # The mixed class is created in the xblock package, so only its unmixed class shows where it comes from.
    assert not mixed.__module__.startswith("digital_skills_xblocks.")
    assert is_package_class(mixed)
    assert not is_package_class(CounterBlock)
    assert not is_package_class(MarkerAside)


def test_allowed_only_for_package_classes(light_runtime):
    light_runtime_allowed = light_runtime.light_runtime_allowed
    with override_settings(PREVIEW_LIGHT_RUNTIME=True):
        assert light_runtime_allowed([EgovSimulationBlock, CitizenshipQuizBlock])
        assert not light_runtime_allowed([EgovSimulationBlock, CounterBlock])
        assert not light_runtime_allowed([])
    with override_settings(PREVIEW_LIGHT_RUNTIME=False):
        assert not light_runtime_allowed([EgovSimulationBlock])


def workbench_page():
    """A fragment with resources in the order WorkbenchRuntime adds them around a block's own files."""
    page = Fragment()
    page.add_css(".khoi { color: black; }")
    page.add_javascript("function KhoiInit(runtime, element) {}")
    page.add_resource_url("/static/workbench/js/vendor/jquery.min.js", JAVASCRIPT, "head")
    page.add_javascript_url("/static/workbench/js/vendor/jquery-migrate.min.js")
    page.add_javascript_url("/static/workbench/js/vendor/jquery.cookie.js")
    page.add_javascript_url("/resource/egov_simulation/public/js/egov_simulation.js")
    page.add_javascript_url("/static/workbench/js/runtime/1.js")
    return page


def test_swap_replaces_runtime_1_in_place(light_runtime):
    light = light_runtime.with_light_runtime(workbench_page())

    assert [(resource.kind, resource.data, resource.placement) for resource in light.resources] == [
        ("text", ".khoi { color: black; }", "head"),
        ("text", "function KhoiInit(runtime, element) {}", "foot"),
        ("url", "/resource/egov_simulation/public/js/egov_simulation.js", "foot"),
        ("url", RUNTIME_URL, "foot"),
    ]
    assert light.resources[-1].mimetype == JAVASCRIPT


def test_swap_without_runtime_1_drops_jquery(light_runtime):
    page = Fragment()
    page.add_resource_url("/static/workbench/js/vendor/jquery.min.js", JAVASCRIPT, "head")
    page.add_javascript_url("/static/workbench/js/vendor/jquery-migrate.min.js")
    page.add_javascript_url("/static/workbench/js/vendor/jquery.cookie.js")

    assert light_runtime.with_light_runtime(page).resources == []


def test_swap_keeps_other_runtime_version(light_runtime):
    page = workbench_page()
    page.add_javascript_url("/static/workbench/js/runtime/2.js")

    assert light_runtime.with_light_runtime(page) is page


def test_swap_keeps_lookalike_addresses(light_runtime):
    page = Fragment()
    for url in ("/static/other/js/vendor/jquery.min.js", "/resource/x/js/runtime/1.js",
                "https://cdn.example.invalid/static/workbench/js/vendor/jquery.min.js"):
        page.add_javascript_url(url)

    assert [resource.data for resource in light_runtime.with_light_runtime(page).resources] == [
        resource.data for resource in page.resources]


def load_settings_copy():
    """Execute the preview's settings module again, as a separate module, under the current environment."""
    spec = importlib.util.spec_from_file_location("preview_settings_copy", preview_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("value, expected", [(None, True), ("1", True), ("0", False), ("", True)])
def test_environment_switch(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME", raising=False)
    else:
        monkeypatch.setenv("DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME", value)

    assert load_settings_copy().PREVIEW_LIGHT_RUNTIME is expected
