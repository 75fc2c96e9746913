"""The review_dossier step in the XBlock SDK's WorkbenchRuntime: rendering, handler round trips, bad input."""

import itertools
import json

import pytest
from lxml import etree
from webob import Request

from digital_skills_xblocks.common.safe_xml import parse_xml

REVIEW_XML = """<egov_simulation display_name="Mô phỏng: Xem xét hồ sơ khai sinh" weight="1" max_attempts="0">
  <intro><p>Bạn là công chức một cửa của UBND xã Hòa Lâm.</p></intro>
  <persona name="Đỗ Minh Quân" birth_date="12/03/1992" sex="Nam" id_number="000092004411"
           address="Số 3, đường Bàng, xã Hòa Lâm, tỉnh Sông Xanh" phone="0900000411" password="Quan@2026" otp="731904"/>
  <step id="dang_nhap" kind="login" title="Đăng nhập hệ thống">
    <feedback field="id_number">ID sai</feedback>
    <feedback field="password">Mật khẩu sai</feedback>
    <feedback field="otp">OTP sai</feedback>
  </step>
  <step id="tham_dinh" kind="review_dossier" title="Xem xét hồ sơ">
    <instructions><p>Đánh dấu mục thiếu hoặc sai.</p></instructions>
    <dossier procedure="Đăng ký khai sinh" applicant="Vũ Thị Lan" submitted="02/12/2026">
      <item id="ho_ten" type="field" label="Họ tên trẻ" value="Phan Gia Bảo" flawed="false">Khớp giấy chứng sinh.</item>
      <item id="so_dinh_danh" type="field" label="Số định danh của mẹ" value="000195012345" flawed="false">Đủ 12 chữ số.</item>
      <item id="giay_chung_sinh" type="attachment" label="Giấy chứng sinh" flawed="true">BI_MAT_THIEU_GIAY_CHUNG_SINH</item>
    </dossier>
    <decision id="accept" correct="false">Không tiếp nhận hồ sơ còn thiếu.</decision>
    <decision id="request_more" correct="true">BI_MAT_YEU_CAU_BO_SUNG</decision>
    <decision id="refuse" correct="false">Không từ chối khi có thể bổ sung.</decision>
    <reason id="bo_sung_gcs" label="Bổ sung giấy chứng sinh" correct="true">Phải nêu giấy chứng sinh.</reason>
    <reason id="nop_ho_khau" label="Nộp sổ hộ khẩu" correct="false">Sổ hộ khẩu không còn dùng.</reason>
    <data_handling question="Bạn trao đổi hồ sơ với đồng nghiệp thế nào?">
      <option id="he_thong" label="Trên hệ thống một cửa" correct="true">Đúng.</option>
      <option id="zalo" label="Gửi ảnh qua Zalo cá nhân" correct="false">BI_MAT_KHONG_GUI_ZALO</option>
    </data_handling>
  </step>
  <step id="ket_qua" kind="result" status="Đã yêu cầu bổ sung" dossier_prefix="KS" title="Đã gửi kết quả"/>
</egov_simulation>"""

LOGIN = {"id_number": "000092004411", "password": "Quan@2026", "otp": "731904"}
REVIEW = {"flagged": ["giay_chung_sinh"], "decision": "request_more", "reasons": ["bo_sung_gcs"], "data_handling": "he_thong"}
# Text only the server may know: explanations, feedback and the flawed flags.
SECRETS = ("BI_MAT_THIEU_GIAY_CHUNG_SINH", "BI_MAT_YEU_CAU_BO_SUNG", "BI_MAT_KHONG_GUI_ZALO", "flawed")
USER_STATE_FIELDS = (
    "attempt", "current_step", "step_mistakes", "step_values", "completed", "finished_attempts", "raw_earned", "raw_possible",
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


@pytest.fixture(name="block_for")
def block_for_fixture(django_db):
    """Return a function(user) giving that user's instance of a new review block."""
    from django.utils import translation
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    translation.activate("vi")
    ID_MANAGER.set_scenario(f"egov-review-test-{next(_scenario_numbers)}")
    usage_id = WorkbenchRuntime("author")._usage_id_from_node(parse_xml(REVIEW_XML), None)  # pylint: disable=protected-access

    def block_for(user="learner"):
        return WorkbenchRuntime(user).get_block(usage_id)

    yield block_for
    translation.deactivate()


def call(block, handler, payload=None, method="POST", raw=None):
    body = raw if raw is not None else json.dumps(payload or {}).encode("utf-8")
    request = Request.blank("/", method=method, body=body)
    response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body)


def user_state(block):
    return {name: json.dumps(getattr(block, name), sort_keys=True) for name in USER_STATE_FIELDS}


def at_review(block_for):
    status, answer = call(block_for(), "submit_step", {"step_id": "dang_nhap", "values": LOGIN})
    assert status == 200, answer
    assert answer["result"]["passed"], answer
    return answer


def render(block):
    return block.runtime.render(block, "student_view").body_html()


def test_review_step_renders_toggles(block_for):
    at_review(block_for)
    block = block_for()

    tree = etree.HTML(render(block))
    section = tree.xpath('//section[@data-egov-step="tham_dinh"]')[0]
    toggles = section.xpath('.//button[@data-egov-input="toggle"]')

    assert section.get("hidden") is None
    assert [button.get("value") for button in toggles] == ["ho_ten", "so_dinh_danh", "giay_chung_sinh"]
    assert {button.get("aria-pressed") for button in toggles} == {"false"}
    assert {button.get("type") for button in toggles} == {"button"}
    assert [button.get("name") for button in toggles][2] == "flagged.giay_chung_sinh"
    assert section.xpath('.//*[@data-egov-error-for="flagged.giay_chung_sinh"]')
    assert [node.get("value") for node in section.xpath('.//input[@name="decision"]')] == ["accept", "request_more", "refuse"]
    assert len(section.xpath('.//input[@name="reasons"]')) == 2
    assert len(section.xpath('.//input[@name="data_handling"]')) == 2


def test_review_step_vietnamese_labels(block_for):
    at_review(block_for)
    html = render(block_for())

    assert "Yêu cầu bổ sung hồ sơ" in html
    assert "Tiếp nhận hồ sơ" in html
    assert "Chưa đính kèm" in html
    assert "Thiếu hoặc sai" in html
    assert "Gửi kết quả xem xét" in html


def test_review_html_hides_answers(block_for):
    step_html = at_review(block_for)["step_html"]
    html = render(block_for())

    assert 'data-egov-step="tham_dinh"' in step_html
    assert 'data-egov-step="tham_dinh"' in html
    for secret in SECRETS:
        assert secret not in step_html
        assert secret not in html


def test_review_ids_and_labels_resolve(block_for):
    at_review(block_for)
    tree = etree.HTML(render(block_for()))
    ids = tree.xpath("//@id")
    references = " ".join(tree.xpath("//@aria-labelledby") + tree.xpath("//@aria-describedby")).split()

    assert len(ids) == len(set(ids))
    assert all(reference in set(ids) for reference in references)
    assert all(target in set(ids) for target in tree.xpath("//label/@for"))


def test_student_view_data_hides_answers(block_for):
    data = block_for().student_view_data()
    step = next(step for step in data["steps"] if step["id"] == "tham_dinh")

    assert [item["id"] for item in step["dossier"]["items"]] == ["ho_ten", "so_dinh_danh", "giay_chung_sinh"]
    for secret in SECRETS:
        assert secret not in json.dumps(data, ensure_ascii=False)


def test_review_round_trip_completes(block_for, events):
    at_review(block_for)
    events.clear()

    status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": REVIEW})

    assert status == 200
    assert answer["result"]["passed"] is True
    assert "BI_MAT_YEU_CAU_BO_SUNG" in answer["result"]["feedback"]
    assert answer["state"]["completed"] is True
    assert answer["state"]["dossier"]["status"] == "Đã yêu cầu bổ sung"
    assert answer["state"]["score"] == {"earned": 2.0, "possible": 2.0, "attempt_earned": 2.0}
    submitted = [data for name, data in events if name == "edx.digitalskills.egov.step_submitted"]
    assert submitted == [{
        "step_id": "tham_dinh", "step_kind": "review_dossier", "passed": True, "error_fields": [],
        "step_mistakes": 0, "attempt": 1, "decision": "request_more", "flagged_count": 1,
    }]
    grades = [data for name, data in events if name == "grade"]
    assert [(grade["value"], grade["max_value"]) for grade in grades] == [(2.0, 2.0)]


def test_wrong_review_counts_one_mistake(block_for, events):
    at_review(block_for)

    status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": dict(
        REVIEW, flagged=["ho_ten"], decision="accept", data_handling="zalo",
    )})

    assert status == 200
    result = answer["result"]
    assert result["passed"] is False
    assert result["errors"]["flagged.giay_chung_sinh"] == "BI_MAT_THIEU_GIAY_CHUNG_SINH"
    assert result["errors"]["flagged.ho_ten"] == "Khớp giấy chứng sinh."
    assert result["errors"]["decision"] == "Không tiếp nhận hồ sơ còn thiếu."
    assert result["errors"]["data_handling"] == "BI_MAT_KHONG_GUI_ZALO"
    assert answer["state"]["mistakes"] == {"tham_dinh": 1}
    assert answer["state"]["current_step"] == "tham_dinh"
    assert block_for().step_mistakes == {"tham_dinh": 1}


def test_mistake_lowers_final_score(block_for, events):
    at_review(block_for)
    call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": dict(REVIEW, decision="refuse")})

    _status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": REVIEW})

    assert answer["state"]["score"]["attempt_earned"] == 1.75
    assert [data["value"] for name, data in events if name == "grade"] == [1.75]


def test_missing_decision_is_not_a_mistake(block_for):
    at_review(block_for)

    status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": {"flagged": ["ho_ten"]}})

    assert status == 200
    assert set(answer["result"]["errors"]) == {"decision", "data_handling"}
    assert "hướng xử lý" in answer["result"]["errors"]["decision"]
    assert answer["state"]["mistakes"] == {}


def test_reload_keeps_review_step(block_for):
    at_review(block_for)
    call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": dict(REVIEW, flagged=[])})

    _status, answer = call(block_for(), "get_state")

    assert answer["state"]["current_step"] == "tham_dinh"
    assert answer["state"]["mistakes"] == {"tham_dinh": 1}
    assert "Bước 2/3" in render(block_for())


BAD_REVIEW_VALUES = [
    ("unknown item", {"flagged": ["hack"], "decision": "accept"}, 400, "invalid_choice"),
    ("repeated item", {"flagged": ["ho_ten", "ho_ten"], "decision": "accept"}, 400, "invalid_choice"),
    ("flagged string", {"flagged": "ho_ten", "decision": "accept"}, 400, "invalid_type"),
    ("flagged numbers", {"flagged": [1, 2], "decision": "accept"}, 400, "invalid_type"),
    ("flagged too many", {"flagged": ["ho_ten"] * 21, "decision": "accept"}, 400, "too_many_values"),
    ("unknown decision", {"decision": "approve"}, 400, "invalid_choice"),
    ("decision object", {"decision": {"id": "accept"}}, 400, "invalid_type"),
    ("decision too long", {"decision": "a" * 501}, 400, "value_too_long"),
    ("unknown reason", {"decision": "request_more", "reasons": ["tien"]}, 400, "invalid_choice"),
    ("unknown data option", {"decision": "request_more", "data_handling": "email"}, 400, "invalid_choice"),
    ("score smuggled", {"decision": "request_more", "score": 2}, 400, "unknown_field"),
]


@pytest.mark.parametrize("case", BAD_REVIEW_VALUES, ids=[case[0] for case in BAD_REVIEW_VALUES])
def test_bad_review_input_leaves_state_unchanged(block_for, events, case):
    _name, values, expected_status, code = case
    at_review(block_for)
    events.clear()
    before = user_state(block_for())

    status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": values})

    assert status == expected_status
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]
    assert user_state(block_for()) == before
    assert events == []


def test_review_before_login_is_409(block_for, events):
    before = user_state(block_for())

    status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": REVIEW})

    assert status == 409
    assert answer["error"]["code"] == "step_not_current"
    assert user_state(block_for()) == before
    assert events == []


def test_review_after_finish_is_409(block_for):
    at_review(block_for)
    call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": REVIEW})
    before = user_state(block_for())

    status, answer = call(block_for(), "submit_step", {"step_id": "tham_dinh", "values": REVIEW})

    assert status == 409
    assert answer["error"]["code"] == "attempt_finished"
    assert user_state(block_for()) == before
