"""Studio editors of both blocks in the WorkbenchRuntime: save checks, templates, author preview, sanitising."""

import itertools
import json
from pathlib import Path

import pytest
from webob import Request

from digital_skills_xblocks.common.safe_xml import parse_xml


PACKAGE = Path(__file__).resolve().parents[2] / "digital_skills_xblocks"
BIRTH_XML = (PACKAGE / "egov" / "scenarios" / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
QUIZ_XML = (PACKAGE / "quiz" / "templates_library" / "nhan_dien_lua_dao.xml").read_text(encoding="utf-8")
SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src="x" onerror="alert(1)"/>'
_scenarios = itertools.count()


@pytest.fixture(name="load")
def load_fixture(django_db):
    """Return a factory: OLX -> function(user) returning that user's instance of the block."""
    from django.utils import translation
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    translation.activate("vi")

    def load(xml):
        ID_MANAGER.set_scenario(f"studio-{next(_scenarios)}")
        usage_id = WorkbenchRuntime("author")._usage_id_from_node(parse_xml(xml), None)  # pylint: disable=protected-access
        return lambda user="author": WorkbenchRuntime(user).get_block(usage_id)

    yield load
    translation.deactivate()


def call(block, handler, payload=None, method="POST", raw=None):
    body = raw if raw is not None else json.dumps(payload if payload is not None else {}).encode("utf-8")
    response = block.runtime.handle(block, handler, Request.blank("/", method=method, body=body))
    assert response.content_type == "application/json", response.body[:200]
    return response.status_code, json.loads(response.body)


def stored(block, names):
    return {name: (json.dumps(getattr(block, name)), block.fields[name].is_set_on(block)) for name in names}


EGOV_STORED = ("display_name", "weight", "max_attempts", "scenario_xml")
QUIZ_STORED = ("display_name", "weight", "max_attempts", "passing_percentage", "show_answers", "allow_reset", "data")


def egov_content(block):
    return f"<egov_simulation>{block.scenario_xml}</egov_simulation>"


def egov_settings(**changes):
    values = {"display_name": "Khai sinh", "weight": "1", "max_attempts": "0"}
    values.update(changes)
    return values


def quiz_settings(**changes):
    values = {"display_name": "Kiểm tra", "weight": "1", "max_attempts": "3", "passing_percentage": "70",
              "show_answers": "after_submission", "allow_reset": True}
    values.update(changes)
    return values


# egov_simulation ---------------------------------------------------------------


def test_egov_studio_view_shows_editor(load):
    block = load(BIRTH_XML)()

    html = block.runtime.render(block, "studio_view").body_html()

    assert "data-dsx-studio" in html
    assert "Cài đặt" in html
    assert "Bắt đầu từ một mẫu" in html
    assert 'value="scenarios/dang_ky_khai_sinh"' in html
    assert "&lt;persona" in html
    assert 'value="Mô phỏng: Đăng ký khai sinh trực tuyến' in html or "Mô phỏng" in html


def test_egov_failed_save_changes_nothing(load):
    block = load(BIRTH_XML)()
    before = stored(block, EGOV_STORED)
    broken = egov_content(block).replace('otp="482913"', 'otp="12"').replace('kind="payment"', 'kind="thanh_toan"')

    status, body = call(block, "studio_submit", {
        "settings": egov_settings(display_name="", weight="nhiều", max_attempts="-2"),
        "content": broken,
    })

    assert status == 400
    assert body["error"]["code"] == "invalid_content"
    assert body["error"]["message"].startswith("Chưa lưu gì cả")
    settings = {problem["setting"] for problem in body["problems"] if problem["setting"]}
    assert settings == {"display_name", "weight", "max_attempts"}
    locations = " ".join(problem["location"] for problem in body["problems"])
    assert "persona" in locations
    assert "step[id=le_phi]" in locations
    assert all(problem["line"] for problem in body["problems"] if not problem["setting"])
    texts = " ".join(problem["text"] for problem in body["problems"])
    assert "Tên hiển thị" in texts
    assert "ngoài khoảng cho phép" in texts
    assert stored(block, EGOV_STORED) == before


def test_egov_failed_save_persists_nothing(load):
    block_for = load(BIRTH_XML)
    block = block_for()
    before = stored(block, EGOV_STORED)

    call(block, "studio_submit", {"settings": egov_settings(weight="-1"), "content": egov_content(block) + "x"})

    assert stored(block_for("other"), EGOV_STORED) == before


def test_egov_save_updates_learner_view(load):
    block_for = load(BIRTH_XML)
    author = block_for()
    content = egov_content(author).replace("Đăng nhập bằng tài khoản VNeID", "Đăng nhập VNeID (đã sửa)")

    status, body = call(author, "studio_submit", {
        "settings": egov_settings(display_name="Khai sinh 100% #1", weight="2,5", max_attempts="4"),
        "content": content,
    })

    assert status == 200, body
    assert body["saved"] is True
    learner = block_for("learner")
    assert learner.display_name == "Khai sinh 100% #1"
    assert learner.weight == 2.5
    assert learner.max_attempts == 4
    html = learner.runtime.render(learner, "student_view").body_html()
    assert "Đăng nhập VNeID (đã sửa)" in html


def test_egov_unchanged_defaults_stay_unset(load):
    xml = BIRTH_XML.replace(' weight="1" max_attempts="0"', "")
    block = load(xml)()
    assert not block.fields["weight"].is_set_on(block)

    status, _body = call(block, "studio_submit", {
        "settings": egov_settings(display_name=block.display_name, weight="1", max_attempts="0"),
        "content": egov_content(block),
    })

    assert status == 200
    assert not block.fields["weight"].is_set_on(block)
    assert not block.fields["max_attempts"].is_set_on(block)


def test_egov_settings_attribute_in_olx_rejected(load):
    block = load(BIRTH_XML)()

    status, body = call(block, "studio_submit", {
        "settings": egov_settings(),
        "content": egov_content(block).replace("<egov_simulation>", '<egov_simulation weight="3">', 1),
    })

    assert status == 400
    assert any("biểu mẫu cài đặt" in problem["message"] for problem in body["problems"])


HOSTILE_CONTENT = {
    "entity": '<!DOCTYPE egov_simulation [<!ENTITY x "boom">]><egov_simulation>&x;</egov_simulation>',
    "external": '<!DOCTYPE egov_simulation SYSTEM "http://127.0.0.1:9/x.dtd"><egov_simulation/>',
    "control character": "<egov_simulation>\n<intro>a\x07b</intro></egov_simulation>",
    "lone surrogate": "<egov_simulation><intro>a\ud800b</intro></egov_simulation>",
    "deep": "<egov_simulation>" + "<p>" * 80 + "</p>" * 80 + "</egov_simulation>",
    "malformed": "<egov_simulation><intro></egov_simulation>",
    "wrong root": "<citizenship_quiz/>",
    "not text": 42,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONTENT))
def test_egov_hostile_content_rejected(load, name):
    block = load(BIRTH_XML)()
    before = stored(block, EGOV_STORED)

    status, body = call(block, "studio_submit", {"settings": egov_settings(), "content": HOSTILE_CONTENT[name]})

    assert status == 400
    assert body["problems"]
    assert body["problems"][0]["message"]
    assert stored(block, EGOV_STORED) == before


def test_egov_control_character_line_reported(load):
    block = load(BIRTH_XML)()

    _status, body = call(block, "studio_submit", {"settings": egov_settings(), "content": HOSTILE_CONTENT["control character"]})

    assert body["problems"][0]["line"] == 2
    assert "U+0007" in body["problems"][0]["message"]


def test_egov_control_character_in_name_rejected(load):
    block = load(BIRTH_XML)()

    status, body = call(block, "studio_submit", {"settings": egov_settings(display_name="Tên\x00lạ"), "content": egov_content(block)})

    assert status == 400
    assert body["problems"][0]["setting"] == "display_name"


@pytest.mark.parametrize("request_body, method, expected", [
    (b"{not json", "POST", 400),
    (b"[1, 2]", "POST", 400),
    (b"", "GET", 405),
    (b'{"settings": {}, "content": "", "extra": 1}', "POST", 400),
    (b'{"settings": {"colour": "red"}, "content": "<egov_simulation/>"}', "POST", 400),
])
def test_egov_save_bad_requests_answer_json(load, request_body, method, expected):
    block = load(BIRTH_XML)()

    status, body = call(block, "studio_submit", method=method, raw=request_body)

    assert status == expected
    assert body["error"]["message"]


def test_egov_oversized_save_rejected(load):
    block = load(BIRTH_XML)()

    status, body = call(block, "studio_submit", raw=json.dumps({"content": "x" * (4 * 1024 * 1024)}).encode())

    assert status == 413
    assert body["error"]["code"] == "too_large"


def test_egov_templates_at_least_six(load):
    from digital_skills_xblocks.egov.library import load_templates

    templates = load_templates()

    assert len(templates) >= 6, [template.id for template in templates]
    assert {"scenarios/dang_ky_khai_sinh", "scenarios/dang_ky_thuong_tru"} <= {template.id for template in templates}


def test_egov_every_template_saves(load):
    from digital_skills_xblocks.egov.library import load_templates

    block = load(BIRTH_XML)()
    for listed in load_templates():
        status, body = call(block, "studio_template", {"id": listed.id})
        assert status == 200, listed.id
        template = body["template"]
        settings = egov_settings(**template["settings"])

        status, body = call(block, "studio_submit", {"settings": settings, "content": template["content"]})

        assert status == 200, (listed.id, [problem["text"] for problem in body.get("problems", [])])
        assert block.display_name == template["title"]


@pytest.mark.parametrize("template_id", ["nope/none", "../../etc/passwd", 7, ""])
def test_egov_unknown_template_404(load, template_id):
    block = load(BIRTH_XML)()

    status, body = call(block, "studio_template", {"id": template_id})

    assert status == 404
    assert body["error"]["code"] == "template_not_found"


def test_egov_author_view_without_learner_state(load):
    from xblock.fields import Scope

    block = load(BIRTH_XML)("staff_never_started")

    html = block.runtime.render(block, "author_view").body_html()

    assert "Tóm tắt cho tác giả khóa học" in html
    assert "8 bước" in html
    assert "Điểm tối đa: 8 điểm" in html
    assert "Kịch bản không có lỗi nào." in html
    assert 'data-egov-step="dang_nhap"' in html
    user_fields = [name for name, field in block.fields.items() if field.scope == Scope.user_state]
    assert not [name for name in user_fields if block.fields[name].is_set_on(block)]


def test_egov_author_view_lists_problems(load):
    block = load(BIRTH_XML.replace('otp="482913"', 'otp="12"'))()

    html = block.runtime.render(block, "author_view").body_html()

    assert "Lỗi: học viên chưa dùng được" in html
    assert "otp" in html


def hostile_egov_xml():
    xml = BIRTH_XML.replace("<intro>", f"<intro>{SCRIPT}{IMG}", 1)
    xml = xml.replace("<instructions>", f"<instructions>{SCRIPT}<a href=\"javascript:alert(2)\">x</a>", 1)
    return xml.replace('display_name="', 'display_name="&lt;script&gt;alert(3)&lt;/script&gt;', 1)


@pytest.mark.parametrize("view", ["student_view", "author_view", "studio_view"])
def test_egov_script_never_reaches_page(load, view):
    block = load(hostile_egov_xml())()

    html = block.runtime.render(block, view).body_html()

    assert "<script>alert" not in html
    if view == "studio_view":
        # The OLX is shown for editing as escaped text, so the textarea keeps the author's markup visible.
        assert "&lt;script&gt;alert(" in html
    else:
        assert "onerror" not in html
        assert "javascript:alert" not in html


def test_egov_script_absent_from_view_data(load):
    block = load(hostile_egov_xml())()

    view_data = block.student_view_data()
    # display_name is a plain-text field that clients show as text, never as HTML.
    assert view_data.pop("display_name").startswith("<script>alert(3)")
    data = json.dumps(view_data, ensure_ascii=False)

    assert "<script" not in data
    assert "onerror" not in data
    assert "javascript:" not in data


# citizenship_quiz -----------------------------------------------------------------


def test_quiz_studio_view_shows_editor(load):
    block = load(QUIZ_XML)()

    html = block.runtime.render(block, "studio_view").body_html()

    assert "Ngân hàng câu hỏi" in html
    assert 'value="bao_ve_du_lieu_ca_nhan"' in html
    assert "&lt;citizenship_quiz" in html
    assert 'name="show_answers"' in html
    assert 'name="allow_reset"' in html


def test_quiz_failed_save_changes_nothing(load):
    block_for = load(QUIZ_XML)
    block = block_for()
    before = stored(block, QUIZ_STORED)
    broken = block.data.replace('type="single_choice"', 'type="one_choice"', 1).replace('draw="5"', 'draw="50"')

    status, body = call(block, "studio_submit", {
        "settings": quiz_settings(passing_percentage="150", show_answers="always", allow_reset="yes"),
        "content": broken,
    })

    assert status == 400
    settings = {problem["setting"] for problem in body["problems"] if problem["setting"]}
    assert settings == {"passing_percentage", "show_answers", "allow_reset"}
    texts = " ".join(problem["text"] for problem in body["problems"])
    assert "one_choice" in texts
    assert "draw" in texts
    assert stored(block, QUIZ_STORED) == before
    assert stored(block_for("other"), QUIZ_STORED) == before


def test_quiz_save_updates_learner_view(load):
    block_for = load(QUIZ_XML)
    author = block_for()
    content = author.data.replace('draw="5"', 'draw="7"')
    content = content.replace("<intro><p>", "<intro><p>Đã sửa trong Studio. ", 1)

    status, body = call(author, "studio_submit", {
        "settings": quiz_settings(display_name="Kiểm tra [mới] 100%", passing_percentage="80", allow_reset=False),
        "content": content,
    })

    assert status == 200, body
    learner = block_for("learner")
    assert learner.display_name == "Kiểm tra [mới] 100%"
    assert learner.passing_percentage == 80
    assert learner.allow_reset is False
    html = learner.runtime.render(learner, "student_view").body_html()
    assert "Đã sửa trong Studio." in html
    assert "Kiểm tra [mới] 100%" in html


def test_quiz_settings_attribute_in_olx_rejected(load):
    block = load(QUIZ_XML)()

    status, body = call(block, "studio_submit", {
        "settings": quiz_settings(),
        "content": block.data.replace("<citizenship_quiz", '<citizenship_quiz weight="2" url_name="x"', 1),
    })

    assert status == 400
    messages = [problem["message"] for problem in body["problems"]]
    assert any("biểu mẫu cài đặt" in message for message in messages)
    assert any("url_name" in message for message in messages)


@pytest.mark.parametrize("name", sorted(HOSTILE_CONTENT))
def test_quiz_hostile_content_rejected(load, name):
    block = load(QUIZ_XML)()
    before = stored(block, QUIZ_STORED)
    content = HOSTILE_CONTENT[name]
    if isinstance(content, str) and name != "wrong root":
        content = content.replace("egov_simulation", "citizenship_quiz")

    status, body = call(block, "studio_submit", {"settings": quiz_settings(), "content": content})

    assert status == 400
    assert body["problems"]
    assert stored(block, QUIZ_STORED) == before


def test_quiz_templates_at_least_three_and_valid(load):
    from digital_skills_xblocks.quiz.library import load_templates

    templates = load_templates()
    block = load(QUIZ_XML)()

    assert len(templates) >= 3
    for listed in templates:
        status, body = call(block, "studio_template", {"id": listed.id})
        assert status == 200
        template = body["template"]
        settings = quiz_settings(**template["settings"])
        status, body = call(block, "studio_submit", {"settings": settings, "content": template["content"]})
        assert status == 200, (listed.id, body)
        assert block.display_name == template["title"]


def test_quiz_author_view_without_learner_state(load):
    from xblock.fields import Scope

    block = load(QUIZ_XML)("staff_never_started")

    html = block.runtime.render(block, "author_view").body_html()

    assert "Câu hỏi trong ngân hàng: 7" in html or ": 7." in html
    assert "Mỗi câu được rút tính 1 điểm" in html
    assert html.count("data-question-id") >= 5 or html.count("dsq-question") >= 5
    user_fields = [name for name, field in block.fields.items() if field.scope == Scope.user_state]
    assert not [name for name in user_fields if block.fields[name].is_set_on(block)]


def hostile_quiz_xml():
    xml = QUIZ_XML.replace("<intro><p>", f"<intro>{SCRIPT}{IMG}<p>", 1)
    xml = xml.replace("<prompt>", f"<prompt>{SCRIPT}", 1)
    xml = xml.replace("<feedback>", f"<feedback>{IMG}", 1)
    return xml.replace('display_name="', 'display_name="&lt;script&gt;alert(3)&lt;/script&gt;', 1)


@pytest.mark.parametrize("view", ["student_view", "author_view", "studio_view"])
def test_quiz_script_never_reaches_page(load, view):
    block = load(hostile_quiz_xml())()

    html = block.runtime.render(block, view).body_html()

    assert "<script>alert" not in html
    if view != "studio_view":
        assert "onerror" not in html


def test_quiz_script_absent_from_view_data(load):
    block = load(hostile_quiz_xml())()

    view_data = block.student_view_data()
    # display_name is a plain-text field that clients show as text, never as HTML.
    assert view_data.pop("display_name").startswith("<script>alert(3)")
    data = json.dumps(view_data, ensure_ascii=False)

    assert "<script" not in data
    assert "onerror" not in data


# Both blocks ---------------------------------------------------------------


XML_ERROR_CASES = {
    # A closing tag that does not match: lxml's own message is kept as a quoted detail.
    "malformed": ("<{root}>\n  <intro>\n</{root}>\n", 3),
    "doctype": ('<!DOCTYPE {root} [<!ENTITY x "boom">]>\n<{root}>&x;</{root}>', 1),
    "empty": ("   ", None),
}


def lxml_detail(content):
    """Return lxml's English message for ``content``, as safe_xml quotes it, or None for a well-formed text."""
    from lxml import etree

    try:
        etree.fromstring(content.encode("utf-8"))
    except etree.XMLSyntaxError as error:
        return error.msg
    return None


@pytest.mark.parametrize("block_xml, root, settings", [
    (BIRTH_XML, "egov_simulation", egov_settings),
    (QUIZ_XML, "citizenship_quiz", quiz_settings),
], ids=["egov", "quiz"])
@pytest.mark.parametrize("case", sorted(XML_ERROR_CASES))
def test_xml_error_message_vietnamese(load, block_xml, root, settings, case):
    template, line = XML_ERROR_CASES[case]
    content = template.format(root=root)
    block = load(block_xml)()

    status, body = call(block, "studio_submit", {"settings": settings(), "content": content})

    assert status == 400
    problem = body["problems"][0]
    assert problem["line"] == line
    detail = lxml_detail(content) if case == "malformed" else None
    message, text = problem["message"], problem["text"]
    if detail:
        assert f"(thông báo của trình phân tích: {detail})" in message
        message, text = message.replace(detail, ""), text.replace(detail, "")
    for english in ("invalid XML", "line ", "DOCTYPE and ENTITY", "the XML document is empty"):
        assert english not in message
        assert english not in text
    assert message.startswith("OLX ")
    if line:
        assert text.startswith(f"dòng {line}: content: lỗi: ")
    else:
        assert text.startswith("content: lỗi: ")
