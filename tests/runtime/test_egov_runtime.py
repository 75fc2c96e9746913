"""The egov_simulation block in the XBlock SDK's WorkbenchRuntime: views, handlers, grades, events, state."""

import itertools
import json
from pathlib import Path

import pytest
from lxml import etree
from webob import Request

from digital_skills_xblocks.common.safe_xml import parse_xml

SCENARIOS = Path(__file__).resolve().parents[2] / "digital_skills_xblocks" / "egov" / "scenarios"
BIRTH_XML = (SCENARIOS / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")

LOGIN = {"id_number": "000196012345", "password": "Hoa@2026", "otp": "482913"}
ANSWERS = [
    ("dang_nhap", LOGIN),
    ("tin_nhan_ho_tro", {"action": "tu_choi"}),
    ("to_khai_con", {
        "quan_he": "me", "ho_ten_con": "Trần Minh An", "ngay_sinh_con": "20/11/2026", "gioi_tinh_con": "nam",
        "dan_toc": "kinh", "quoc_tich": "vn", "noi_sinh": "Bệnh viện Đa khoa tỉnh Sông Xanh",
    }),
    ("to_khai_cha_me", {
        "ho_ten_me": "Lê Thị Hoa", "so_dinh_danh_me": "000196012345", "ho_ten_cha": "Trần Văn Bình",
        "so_dien_thoai": "0987000123", "nhan_ket_qua": "dien_tu", "lien_thong": [],
    }),
    ("dinh_kem", {"documents": ["giay_chung_sinh"]}),
    ("le_phi", {"method": "mien_phi", "amount": "0"}),
    ("kiem_tra", {"commitment": True}),
]
USER_STATE_FIELDS = (
    "attempt", "current_step", "step_mistakes", "step_values", "completed", "finished_attempts", "raw_earned", "raw_possible",
    "scenario_version",
)
_scenario_numbers = itertools.count()


@pytest.fixture(name="events")
def events_fixture(django_db, monkeypatch):
    from workbench.runtime import WorkbenchRuntime

    recorded = []

    def publish(self, block, event_type, event_data):
        recorded.append((event_type, event_data))

    monkeypatch.setattr(WorkbenchRuntime, "publish", publish)
    return recorded


@pytest.fixture(name="make_block")
def make_block_fixture(django_db):
    """Return a factory: OLX -> function(user) returning that user's instance of the block."""
    from django.utils import translation
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    translation.activate("vi")

    def make(xml=BIRTH_XML):
        ID_MANAGER.set_scenario(f"egov-test-{next(_scenario_numbers)}")
        root = parse_xml(xml)
        usage_id = WorkbenchRuntime("author")._usage_id_from_node(root, None)  # pylint: disable=protected-access

        def block_for(user="learner"):
            return WorkbenchRuntime(user).get_block(usage_id)

        return block_for

    yield make
    translation.deactivate()


def call(block, handler, payload=None, method="POST", raw=None):
    if raw is not None:
        body = raw
    else:
        body = json.dumps(payload or {}).encode("utf-8")
    request = Request.blank("/", method=method, body=body)
    response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body)


def user_state(block):
    return {name: json.dumps(getattr(block, name), sort_keys=True) for name in USER_STATE_FIELDS}


def complete(block, answers=ANSWERS):
    answer = None
    for step_id, values in answers:
        status, answer = call(block, "submit_step", {"step_id": step_id, "values": values})
        assert status == 200, answer
        assert answer["result"]["passed"], (step_id, answer["result"]["errors"])
    return answer


def test_student_view_renders_vietnamese(make_block):
    block = make_block()()

    html = block.runtime.render(block, "student_view").body_html()

    assert "Bước 1/8" in html
    assert "Nhân vật giả định của bạn" in html
    assert "Không bao giờ nhập dữ liệu cá nhân" in html
    assert "000196012345" in html
    assert 'data-egov-step="dang_nhap"' in html


def test_student_view_english_when_requested(make_block):
    from django.utils import translation

    block = make_block()()

    with translation.override("en"):
        fragment = block.runtime.render(block, "student_view")
    html = fragment.body_html()

    assert "Step 1/8" in html
    assert "Your fictional persona" in html
    assert "Nhân vật giả định của bạn" not in html
    assert not any("var catalog = " in (resource.data or "") for resource in fragment.resources)


def test_student_view_ships_vietnamese_js_catalog(make_block):
    block = make_block()()

    fragment = block.runtime.render(block, "student_view")

    assert any("var catalog = " in (resource.data or "") for resource in fragment.resources)


def page_and_later_steps(block) -> str:
    """Return the first page of ``block`` and the step_html of every later step, as one attempt reaches them."""
    parts = [block.runtime.render(block, "student_view").body_html()]
    for step_id, values in ANSWERS:
        status, answer = call(block, "submit_step", {"step_id": step_id, "values": values})
        assert status == 200, answer
        parts.append(answer["step_html"])
    return "".join(parts)


def pages_of_attempt(block_for) -> list[str]:
    """Return the student_view HTML at each step of one attempt, from the first step to the result."""
    pages = []
    for step_id, values in ANSWERS:
        block = block_for()
        pages.append(block.runtime.render(block, "student_view").body_html())
        status, answer = call(block, "submit_step", {"step_id": step_id, "values": values})
        assert status == 200, answer
    block = block_for()
    pages.append(block.runtime.render(block, "student_view").body_html())
    return pages


def test_dom_ids_unique_per_block(make_block):
    html = page_and_later_steps(make_block()()) + page_and_later_steps(make_block()())
    ids = etree.HTML(f"<div>{html}</div>").xpath("//@id")

    assert len(ids) == len(set(ids))
    assert len(ids) > 40


def test_labels_point_at_controls(make_block):
    pages = pages_of_attempt(make_block())
    legends = 0
    for page in pages:
        tree = etree.HTML(page)
        ids = set(tree.xpath("//@id"))
        targets = tree.xpath("//label/@for")
        described = " ".join(tree.xpath("//@aria-describedby")).split()

        assert all(target in ids for target in targets)
        assert all(target in ids for target in described)
        legends += len(tree.xpath("//fieldset/legend"))

    assert len(pages) == 8
    assert legends > 0


def test_student_view_has_only_current_step(make_block):
    block_for = make_block()
    login_page = etree.HTML(block_for().runtime.render(block_for(), "student_view").body_html())
    call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": LOGIN})
    block = block_for()
    trap_page = etree.HTML(block.runtime.render(block, "student_view").body_html())

    assert login_page.xpath("//section/@data-egov-step") == ["dang_nhap"]
    assert len(login_page.xpath("//form[@data-egov-form]")) == 1
    assert len(login_page.xpath("//*[@data-egov-stepper-item]")) == 8
    assert trap_page.xpath("//section/@data-egov-step") == ["tin_nhan_ho_tro"]
    assert len(trap_page.xpath("//form[@data-egov-form]")) == 1
    assert trap_page.xpath("//section/@hidden") == []


def test_submit_step_returns_next_step_html(make_block):
    block = make_block()()

    _status, answer = call(block, "submit_step", {"step_id": "dang_nhap", "values": LOGIN})
    section = etree.HTML(answer["step_html"]).xpath("//section")

    assert answer["state"]["current_step"] == "tin_nhan_ho_tro"
    assert [node.get("data-egov-step") for node in section] == ["tin_nhan_ho_tro"]
    assert section[0].get("data-egov-kind") == "trap"
    assert section[0].xpath(".//input[@name='action']")
    assert "Bước 2/8" in answer["step_html"]


def test_failed_step_sends_no_step_html(make_block):
    block = make_block()()

    _status, answer = call(block, "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN, otp="111111")})

    assert answer["result"]["passed"] is False
    assert answer["step_html"] is None


def test_reset_returns_first_step_html(make_block):
    block_for = make_block()
    complete(block_for())

    status, answer = call(block_for(), "reset")
    section = etree.HTML(answer["step_html"]).xpath("//section")

    assert status == 200
    assert [node.get("data-egov-step") for node in section] == ["dang_nhap"]
    assert section[0].xpath(".//form[@data-egov-form]")


def test_get_state_returns_no_answers(make_block):
    block = make_block()()

    status, answer = call(block, "get_state")

    assert status == 200
    assert answer["state"]["current_step"] == "dang_nhap"
    assert answer["state"]["total_steps"] == 8
    assert "Hoa@2026" not in json.dumps(answer)


def test_wrong_step_counts_mistake(make_block, events):
    block = make_block()()

    status, answer = call(block, "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN, otp="111111")})

    assert status == 200
    assert answer["result"]["passed"] is False
    assert answer["result"]["incomplete"] is False
    assert "OTP" in answer["result"]["errors"]["otp"]
    assert answer["state"]["mistakes"] == {"dang_nhap": 1}
    submitted = [data for name, data in events if name == "edx.digitalskills.egov.step_submitted"]
    assert submitted == [{
        "step_id": "dang_nhap", "step_kind": "login", "passed": False, "error_fields": ["otp"],
        "step_mistakes": 1, "attempt": 1,
    }]


def test_events_never_contain_typed_values(make_block, events):
    block = make_block()()

    complete(block)

    logged = json.dumps(events, ensure_ascii=False)
    for secret in ("Hoa@2026", "482913", "000196012345", "Trần Minh An", "0987000123"):
        assert secret not in logged


def test_completion_publishes_grade_and_events(make_block, events):
    block = make_block()()
    call(block, "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN, password="x")})

    answer = complete(block)

    names = [name for name, _data in events]
    assert names.count("grade") == 1
    assert ("completion", {"completion": 1.0}) in events
    assert "edx.digitalskills.egov.completed" in names
    grade = dict(events)["grade"]
    assert grade["value"] == 7.75
    assert grade["max_value"] == 8.0
    state = answer["state"]
    assert state["completed"] is True
    assert state["current_step"] == "ket_qua"
    assert state["dossier"]["status"] == "Đã tiếp nhận"
    assert state["dossier"]["code"].startswith("KS-000-")
    assert state["score"] == {"earned": 7.75, "possible": 8.0, "attempt_earned": 7.75}


def test_result_page_shows_dossier(make_block):
    block_for = make_block()
    block = block_for()
    answer = complete(block)

    html = block_for().runtime.render(block_for(), "student_view").body_html()

    assert answer["state"]["dossier"]["code"] in html
    assert "Mã hồ sơ" in html


def test_dossier_code_same_after_reload(make_block):
    block_for = make_block()
    first = complete(block_for())["state"]["dossier"]["code"]

    _status, again = call(block_for(), "get_state")

    assert again["state"]["dossier"]["code"] == first
    other = complete(block_for("someone-else"))["state"]["dossier"]["code"]
    assert other != first


def test_reload_resumes_same_step(make_block):
    block_for = make_block()
    for step_id, values in ANSWERS[:4]:
        call(block_for(), "submit_step", {"step_id": step_id, "values": values})
    call(block_for(), "submit_step", {"step_id": "dinh_kem", "values": {"documents": ["so_ho_khau"]}})

    reloaded = block_for()
    _status, answer = call(reloaded, "get_state")

    assert answer["state"]["current_step"] == "dinh_kem"
    assert answer["state"]["mistakes"] == {"dinh_kem": 1}
    assert reloaded.step_values["to_khai_con"]["ho_ten_con"] == "Trần Minh An"
    html = reloaded.runtime.render(reloaded, "student_view").body_html()
    assert "Bước 5/8" in html


def test_review_state_has_summary(make_block):
    block = make_block()()
    for step_id, values in ANSWERS[:6]:
        call(block, "submit_step", {"step_id": step_id, "values": values})

    _status, answer = call(block, "get_state")

    titles = [section["title"] for section in answer["state"]["summary"]]
    assert titles == ["Tờ khai: thông tin người được khai sinh", "Tờ khai: thông tin cha, mẹ"]


def test_other_learner_state_separate(make_block):
    block_for = make_block()
    call(block_for("a"), "submit_step", {"step_id": "dang_nhap", "values": LOGIN})

    _status, answer = call(block_for("b"), "get_state")

    assert answer["state"]["current_step"] == "dang_nhap"


def test_reset_starts_new_attempt(make_block, events):
    block_for = make_block(BIRTH_XML.replace('max_attempts="0"', 'max_attempts="2"'))
    complete(block_for())

    status, answer = call(block_for(), "reset")

    assert status == 200
    assert answer["state"]["attempt"] == 2
    assert answer["state"]["current_step"] == "dang_nhap"
    assert answer["state"]["completed"] is False
    assert answer["state"]["attempts_left"] == 0
    assert ("edx.digitalskills.egov.reset", {"attempt": 2, "previous_attempt_completed": True}) in events
    assert block_for().get_score().raw_earned == 8.0


def test_reset_refused_when_no_attempts_left(make_block):
    block_for = make_block(BIRTH_XML.replace('max_attempts="0"', 'max_attempts="1"'))
    block = block_for()
    complete(block)
    before = user_state(block_for())

    status, answer = call(block_for(), "reset")

    assert status == 409
    assert answer["error"]["code"] == "no_attempts_left"
    assert "1" in answer["error"]["message"]
    assert user_state(block_for()) == before


def test_new_attempt_dossier_differs(make_block):
    block_for = make_block()
    first = complete(block_for())["state"]["dossier"]["code"]
    call(block_for(), "reset")

    second = complete(block_for())["state"]["dossier"]["code"]

    assert first != second


def test_best_attempt_counts(make_block, events):
    block_for = make_block()
    complete(block_for())
    call(block_for(), "reset")
    call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN, otp="111111")})

    complete(block_for())

    grades = [data["value"] for name, data in events if name == "grade"]
    assert grades == [8.0, 8.0]


def test_scoring_api(make_block):
    block_for = make_block()
    block = block_for()

    assert block.max_score() == 8.0
    assert block.has_submitted_answer() is False
    assert block.get_score().raw_earned == 0.0
    call(block, "submit_step", {"step_id": "dang_nhap", "values": {}})
    complete(block)
    assert block_for().has_submitted_answer() is True


def test_rescore_uses_current_scenario(make_block, events):
    block_for = make_block()
    block = block_for()
    call(block, "submit_step", {"step_id": "tin_nhan_ho_tro", "values": {}})
    call(block, "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN, otp="111111")})
    complete(block)

    block = block_for()
    block.set_score(block.get_score()._replace(raw_earned=1.0))
    block.save()
    events.clear()
    block.rescore(only_if_higher=False)

    assert events == [("grade", {"value": 7.75, "max_value": 8.0, "only_if_higher": False})]
    assert block.get_score().raw_earned == 7.75


def test_rescore_refused_before_submission(make_block):
    block = make_block()()
    # The LMS gives every block a location; the rescore message names it.
    block.location = block.scope_ids.usage_id

    with pytest.raises(ValueError):
        block.rescore(only_if_higher=False)


BAD_REQUESTS = [
    ("malformed json", "submit_step", b"{not json", "POST", 400, "invalid_json"),
    ("json array", "submit_step", b"[1, 2]", "POST", 400, "invalid_json"),
    ("get request", "submit_step", b"", "GET", 405, "method_not_allowed"),
    ("get on reset", "reset", b"", "GET", 405, "method_not_allowed"),
    ("oversized body", "submit_step", json.dumps({"step_id": "dang_nhap", "values": {"otp": "9" * 20000}}).encode(), "POST", 413, "too_large"),
    ("step id number", "submit_step", b'{"step_id": 5, "values": {}}', "POST", 400, "invalid_step_id"),
    ("values list", "submit_step", b'{"step_id": "dang_nhap", "values": []}', "POST", 400, "invalid_values"),
    ("value number", "submit_step", b'{"step_id": "dang_nhap", "values": {"otp": 482913}}', "POST", 400, "invalid_type"),
    ("unknown field", "submit_step", b'{"step_id": "dang_nhap", "values": {"score": "8"}}', "POST", 400, "unknown_field"),
    ("unknown key", "submit_step", b'{"step_id": "dang_nhap", "values": {}, "score": 8}', "POST", 400, "unknown_keys"),
    ("unknown step", "submit_step", b'{"step_id": "hack", "values": {}}', "POST", 404, "unknown_step"),
    ("step not current", "submit_step", b'{"step_id": "kiem_tra", "values": {"commitment": true}}', "POST", 409, "step_not_current"),
    ("value too long", "submit_step", json.dumps({"step_id": "dang_nhap", "values": {"otp": "9" * 501}}).encode(), "POST", 400, "value_too_long"),
    ("too many values", "submit_step", json.dumps({"step_id": "dang_nhap", "values": {f"f{n}": "" for n in range(41)}}).encode(), "POST", 400, "too_many_values"),
    ("reset with values", "reset", b'{"attempt": 9}', "POST", 400, "unknown_keys"),
]


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=[case[0] for case in BAD_REQUESTS])
def test_bad_request_leaves_state_unchanged(make_block, events, case):
    _name, handler, body, method, expected_status, code = case
    block_for = make_block()
    call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN, otp="1")})
    events.clear()
    before = user_state(block_for())

    status, answer = call(block_for(), handler, method=method, raw=body)

    assert status == expected_status
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]
    assert user_state(block_for()) == before
    assert events == []


def test_error_message_in_vietnamese(make_block):
    block = make_block()()

    _status, answer = call(block, "submit_step", raw=b'{"step_id": "hack", "values": {}}')

    assert answer["error"]["message"] == "Bài mô phỏng không có bước hack."


def test_finished_attempt_rejects_more_submissions(make_block):
    block_for = make_block()
    complete(block_for())
    before = user_state(block_for())

    status, answer = call(block_for(), "submit_step", {"step_id": "kiem_tra", "values": {"commitment": True}})

    assert status == 409
    assert answer["error"]["code"] == "attempt_finished"
    assert user_state(block_for()) == before


HOSTILE_XML = BIRTH_XML.replace('name="Lê Thị Hoa"', 'name="&lt;script&gt;alert(1)&lt;/script&gt;Hoa"').replace(
    'label="Họ, chữ đệm và tên của trẻ"', 'label="&lt;img src=x onerror=alert(2)&gt;Tên"'
).replace(
    "<p>Điền thông tin của con", '<p onclick="steal()">Điền<script>alert(3)</script> thông tin của con'
).replace(
    "Hãy nhập họ tên của trẻ.", "&lt;b onmouseover=alert(4)&gt;Nhập tên&lt;/b&gt;"
)


def test_author_html_escaped_in_view(make_block):
    block_for = make_block(HOSTILE_XML)
    call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN)})
    call(block_for(), "submit_step", {"step_id": "tin_nhan_ho_tro", "values": {"action": "tu_choi"}})
    block = block_for()

    html = block.runtime.render(block, "student_view").body_html()

    assert 'data-egov-step="to_khai_con"' in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Hoa" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;Tên" in html
    assert "onclick" not in html
    assert "alert(3)" not in html


def test_author_html_escaped_in_step_html(make_block):
    block = make_block(HOSTILE_XML)()
    call(block, "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN)})

    _status, answer = call(block, "submit_step", {"step_id": "tin_nhan_ho_tro", "values": {"action": "tu_choi"}})
    html = answer["step_html"]

    assert 'data-egov-step="to_khai_con"' in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;Tên" in html
    assert "Điền thông tin của con" in html
    assert "onclick" not in html
    assert "alert(3)" not in html
    assert "<script" not in html


def test_author_text_plain_in_json(make_block):
    block = make_block(HOSTILE_XML)()
    call(block, "submit_step", {"step_id": "dang_nhap", "values": dict(LOGIN)})
    call(block, "submit_step", {"step_id": "tin_nhan_ho_tro", "values": {"action": "tu_choi"}})

    _status, answer = call(block, "submit_step", {"step_id": "to_khai_con", "values": {}})
    data = block.student_view_data()

    assert answer["result"]["errors"]["ho_ten_con"] == "<b onmouseover=alert(4)>Nhập tên</b>"
    assert data["persona"]["name"] == "<script>alert(1)</script>Hoa"
    assert "alert(3)" not in json.dumps(data)
    assert "onclick" not in json.dumps(data)


def test_student_view_data_has_no_answers(make_block):
    block = make_block()()

    data = block.student_view_data()
    text = json.dumps(data, ensure_ascii=False)

    assert data["valid"] is True
    assert [step["kind"] for step in data["steps"]][-1] == "result"
    assert "correct" not in text
    assert "Hãy chọn quan hệ" not in text
    assert "Không phải nộp: đăng ký khai sinh đúng hạn" in text
    assert block.multi_device is True
    assert block.has_score is True
    assert block.icon_class == "problem"


def test_invalid_scenario_shows_notice(make_block):
    broken = BIRTH_XML.replace('kind="result"', 'kind="finish"')
    block = make_block(broken)()

    html = block.runtime.render(block, "student_view").body_html()
    status, answer = call(block, "get_state")

    assert "kịch bản có lỗi" in html
    assert "Loại bước finish không hợp lệ" in html
    assert status == 409
    assert answer["error"]["code"] == "scenario_invalid"
    assert block.student_view_data()["valid"] is False


def test_export_round_trips_olx(make_block):
    tricky = BIRTH_XML.replace("<intro>", '<intro><![CDATA[5% <b>#1</b>]]> 😀 ')
    block = make_block(tricky)()
    node = etree.Element("unknown")

    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")

    assert node.tag == "egov_simulation"
    assert node.get("display_name") == "Mô phỏng: Đăng ký khai sinh trực tuyến"
    assert node.get("max_attempts") == "0"
    source = parse_xml(tricky)
    assert exported.split(">", 1)[1] == etree.tostring(source, encoding="unicode").split(">", 1)[1]
    assert "<![CDATA[5% <b>#1</b>]]> 😀" in exported


def test_invalid_weight_attribute_ignored(make_block):
    block = make_block(BIRTH_XML.replace('weight="1"', 'weight="nặng"'))()

    assert block.weight == 1.0


def test_workbench_scenarios_listed():
    from digital_skills_xblocks.egov.block import EgovSimulationBlock

    scenarios = EgovSimulationBlock.workbench_scenarios()

    assert [title for title, _xml in scenarios] == ["dang ky khai sinh", "dang ky thuong tru"]
    assert all(xml.lstrip().startswith("<egov_simulation") for _title, xml in scenarios)


def test_trap_without_values_is_incomplete(make_block, events):
    block = make_block()("learner")
    call(block, "submit_step", {"step_id": "dang_nhap", "values": LOGIN})

    status, answer = call(block, "submit_step", {"step_id": "tin_nhan_ho_tro"})

    assert status == 200
    assert not answer["result"]["passed"]
    assert "action" in answer["result"]["errors"]
    assert block.current_step == "tin_nhan_ho_tro"
    assert block.step_mistakes.get("tin_nhan_ho_tro", 0) == 0


def test_changed_scenario_restarts_attempt(make_block, events):
    block_for = make_block()
    learner = block_for("learner")
    complete(learner)
    earned_before = learner.get_score().raw_earned

    author = block_for("author")
    author.scenario_xml = author.scenario_xml.replace("Đã tiếp nhận", "Đã tiếp nhận hồ sơ")
    author.save()
    learner = block_for("learner")
    status, answer = call(learner, "get_state")

    assert status == 200
    state = answer["state"]
    assert state["current_index"] == 1
    assert state["completed"] is False
    assert state["total_mistakes"] == 0
    assert state["dossier"] is None
    assert learner.get_score().raw_earned == earned_before


def test_unchanged_scenario_keeps_progress(make_block):
    block_for = make_block()
    learner = block_for("learner")
    call(learner, "submit_step", {"step_id": "dang_nhap", "values": LOGIN})

    status, answer = call(block_for("learner"), "get_state")

    assert status == 200
    assert answer["state"]["current_index"] == 2


def test_empty_login_is_not_a_mistake(make_block, events):
    block_for = make_block()
    block = block_for()
    before = user_state(block)

    status, answer = call(block, "submit_step", {"step_id": "dang_nhap", "values": {
        "id_number": LOGIN["id_number"], "password": "", "otp": " ",
    }})

    assert status == 200
    result = answer["result"]
    assert result["passed"] is False
    assert result["incomplete"] is True
    assert result["errors"] == {
        "password": "Hãy nhập mật khẩu.",
        "otp": "Hãy nhập mã OTP được gửi về điện thoại của bạn.",
    }
    assert answer["step_html"] is None
    assert answer["state"]["mistakes"] == {}
    assert answer["state"]["total_mistakes"] == 0
    reloaded = block_for()
    assert reloaded.step_mistakes == {}
    assert reloaded.current_step == "dang_nhap"
    assert user_state(reloaded)["step_values"] == before["step_values"]
    submitted = [data for name, data in events if name == "edx.digitalskills.egov.step_submitted"]
    assert submitted == [{
        "step_id": "dang_nhap", "step_kind": "login", "passed": False, "error_fields": ["otp", "password"],
        "step_mistakes": 0, "attempt": 1, "incomplete": True,
    }]


def test_unfinished_steps_keep_full_score(make_block, events):
    block_for = make_block()
    call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": {}})
    call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": LOGIN})
    call(block_for(), "submit_step", {"step_id": "tin_nhan_ho_tro", "values": {"action": "tu_choi"}})
    child_form = dict(ANSWERS[2][1], ho_ten_con="", quan_he="cha")

    status, answer = call(block_for(), "submit_step", {"step_id": "to_khai_con", "values": child_form})

    assert status == 200
    assert answer["result"]["incomplete"] is True
    assert answer["result"]["errors"] == {"ho_ten_con": "Hãy nhập họ tên của trẻ."}
    assert answer["state"]["mistakes"] == {}
    assert "to_khai_con" not in block_for().step_values

    final = complete(block_for(), ANSWERS[2:])

    assert final["state"]["total_mistakes"] == 0
    assert final["state"]["score"] == {"earned": 8.0, "possible": 8.0, "attempt_earned": 8.0}
    grades = [data for name, data in events if name == "grade"]
    assert [(grade["value"], grade["max_value"]) for grade in grades] == [(8.0, 8.0)]
