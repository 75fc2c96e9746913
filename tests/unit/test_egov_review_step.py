"""The review_dossier step of egov_simulation: parsing, validation problems, checking and scoring."""

from pathlib import Path

import pytest

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov import engine, scoring
from digital_skills_xblocks.egov.engine import SubmissionError
from digital_skills_xblocks.egov.review_view import public_review_dossier, review_dossier_context
from digital_skills_xblocks.egov.scenario import check_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_TEMPLATE = ROOT / "digital_skills_xblocks" / "egov" / "templates_library" / "tham_dinh_ho_so.xml"

PERSONA = (
    '<persona name="Đỗ Minh Quân" birth_date="12/03/1992" sex="Nam" id_number="000092004411" '
    'address="Số 3, đường Bàng, xã Hòa Lâm, tỉnh Sông Xanh" phone="0900000411" password="Quan@2026" otp="731904"/>'
)
LOGIN = (
    '<step id="login" kind="login" title="Đăng nhập">'
    '<feedback field="id_number">ID sai</feedback><feedback field="password">MK sai</feedback>'
    '<feedback field="otp">OTP sai</feedback></step>'
)
RESULT = '<step id="result" kind="result" title="Xong" status="Đã yêu cầu bổ sung" dossier_prefix="KS"/>'

DOSSIER = (
    '<dossier procedure="Đăng ký khai sinh" applicant="Vũ Thị Lan" submitted="02/12/2026">'
    '<item id="ho_ten" type="field" label="Họ tên trẻ" value="Phan Gia Bảo" flawed="false">Khớp giấy chứng sinh.</item>'
    '<item id="so_dinh_danh" type="field" label="Số định danh của mẹ" value="00019501234" flawed="true">Thiếu một chữ số.</item>'
    '<item id="giay_chung_sinh" type="attachment" label="Giấy chứng sinh" flawed="true">Chưa có giấy chứng sinh.</item>'
    '<item id="ket_hon" type="attachment" label="Giấy chứng nhận kết hôn" value="ket_hon.pdf" flawed="false">Đủ.</item>'
    '</dossier>'
)
DECISIONS = (
    '<decision id="accept" correct="false">Không tiếp nhận hồ sơ còn thiếu.</decision>'
    '<decision id="request_more" correct="true">Đúng: yêu cầu bổ sung.</decision>'
    '<decision id="refuse" label="Từ chối giải quyết" correct="false">Không từ chối khi có thể bổ sung.</decision>'
)
REASONS = (
    '<reason id="bo_sung_gcs" label="Bổ sung giấy chứng sinh" correct="true">Phải nêu giấy chứng sinh.</reason>'
    '<reason id="sua_so" label="Sửa số định danh của mẹ" correct="true">Phải nêu số định danh.</reason>'
    '<reason id="nop_ho_khau" label="Nộp sổ hộ khẩu" correct="false">Sổ hộ khẩu không còn dùng.</reason>'
)
DATA = (
    '<data_handling question="Bạn chuyển hồ sơ cho đồng nghiệp thế nào?">'
    '<option id="he_thong" label="Chuyển trên hệ thống một cửa" correct="true">Đúng: dữ liệu ở trong hệ thống.</option>'
    '<option id="zalo" label="Gửi ảnh hồ sơ qua Zalo cá nhân" correct="false">Không gửi dữ liệu cá nhân qua Zalo.</option>'
    '</data_handling>'
)
ANSWER = {
    "flagged": ["so_dinh_danh", "giay_chung_sinh"],
    "decision": "request_more",
    "reasons": ["bo_sung_gcs", "sua_so"],
    "data_handling": "he_thong",
}


def review_step(body=None):
    body = DOSSIER + DECISIONS + REASONS + DATA if body is None else body
    return f'<step id="tham_dinh" kind="review_dossier" title="Xem xét hồ sơ">\n{body}\n</step>'


def scenario_xml(body=None):
    return f'<egov_simulation display_name="T">\n{PERSONA}\n{LOGIN}\n{review_step(body)}\n{RESULT}\n</egov_simulation>'


def problems_of(xml):
    return check_scenario(parse_xml(xml))


def only_problem(xml, contains):
    found = [problem for problem in problems_of(xml) if contains in problem.message]
    assert len(found) == 1, [problem.format() for problem in problems_of(xml)]
    return found[0]


def identity(message):
    return message


@pytest.fixture(name="scenario")
def scenario_fixture():
    return parse_scenario(parse_xml(scenario_xml()))


@pytest.fixture(name="step")
def step_fixture(scenario):
    return scenario.step("tham_dinh")


def at_review(scenario):
    progress = engine.start(scenario)
    progress, outcome = engine.submit(
        scenario, progress, "login", {"id_number": "000092004411", "password": "Quan@2026", "otp": "731904"}, identity
    )
    assert outcome.passed
    return progress


# Parsing


def test_valid_review_has_no_problems():
    assert problems_of(scenario_xml()) == []


def test_review_parses_into_model(step):
    dossier = step.dossier

    assert step.kind == "review_dossier"
    assert (dossier.procedure, dossier.applicant, dossier.submitted) == ("Đăng ký khai sinh", "Vũ Thị Lan", "02/12/2026")
    assert [item.id for item in dossier.items] == ["ho_ten", "so_dinh_danh", "giay_chung_sinh", "ket_hon"]
    assert [item.flawed for item in dossier.items] == [False, True, True, False]
    assert dossier.item("giay_chung_sinh").type == "attachment"
    assert dossier.item("giay_chung_sinh").value == ""
    assert dossier.item("so_dinh_danh").explanation == "Thiếu một chữ số."
    assert dossier.correct_decision.id == "request_more"
    assert dossier.decisions[0].label == ""
    assert dossier.decisions[2].label == "Từ chối giải quyết"
    assert [reason.correct for reason in dossier.reasons] == [True, True, False]
    assert dossier.data_question == "Bạn chuyển hồ sơ cho đồng nghiệp thế nào?"
    assert [choice.id for choice in dossier.data_choices] == ["he_thong", "zalo"]


def test_reasons_and_data_handling_optional():
    scenario = parse_scenario(parse_xml(scenario_xml(DOSSIER + DECISIONS)))

    dossier = scenario.step("tham_dinh").dossier

    assert dossier.reasons == ()
    assert dossier.data_choices == ()
    assert dossier.data_question == ""


def test_review_step_worth_one_point(scenario):
    assert scoring.step_points(scenario.step("tham_dinh")) == 1.0
    assert scoring.max_points(scenario) == 2.0


def test_library_template_has_no_problems():
    problems = check_scenario(parse_xml(LIBRARY_TEMPLATE.read_bytes()))

    assert [problem.format() for problem in problems] == []


# Validation: one case per problem, each with its location, line and fix

PROBLEM_CASES = [
    ("no dossier", DECISIONS, "has no <dossier>", "step[id=tham_dinh]"),
    ("two dossiers", DOSSIER + DOSSIER + DECISIONS, "more than one <dossier>", "step[id=tham_dinh]"),
    ("no procedure", DOSSIER.replace(' procedure="Đăng ký khai sinh"', "") + DECISIONS,
     "no procedure attribute", "step[id=tham_dinh]/dossier"),
    ("no applicant", DOSSIER.replace(' applicant="Vũ Thị Lan"', "") + DECISIONS,
     "no applicant attribute", "step[id=tham_dinh]/dossier"),
    ("bad submitted date", DOSSIER.replace("02/12/2026", "31/02/2026") + DECISIONS,
     "submitted date 31/02/2026", "step[id=tham_dinh]/dossier"),
    ("unknown dossier child", DOSSIER.replace("</dossier>", "<note/></dossier>") + DECISIONS,
     "Unknown element <note> in <dossier>", "step[id=tham_dinh]/dossier"),
    ("empty dossier", '<dossier procedure="P" applicant="A"></dossier>' + DECISIONS,
     "has no <item>", "step[id=tham_dinh]/dossier"),
    ("item without id", DOSSIER.replace('id="ho_ten" ', "") + DECISIONS,
     "An <item> has no id", "step[id=tham_dinh]/dossier/item"),
    ("item bad id", DOSSIER.replace('id="ho_ten"', 'id="1bad"') + DECISIONS,
     "item id 1bad is not a valid identifier", "step[id=tham_dinh]/dossier/item[id=1bad]"),
    ("item duplicate id", DOSSIER.replace('id="ket_hon"', 'id="ho_ten"') + DECISIONS,
     "item id ho_ten is used twice", "step[id=tham_dinh]/dossier/item[id=ho_ten]"),
    ("item bad type", DOSSIER.replace('id="ho_ten" type="field"', 'id="ho_ten" type="photo"') + DECISIONS,
     "item type photo is unknown", "step[id=tham_dinh]/dossier/item[id=ho_ten]"),
    ("item no label", DOSSIER.replace(' label="Họ tên trẻ"', "") + DECISIONS,
     "no label attribute", "step[id=tham_dinh]/dossier/item[id=ho_ten]"),
    ("item bad flawed", DOSSIER.replace('value="Phan Gia Bảo" flawed="false"', 'value="Phan Gia Bảo" flawed="yes"') + DECISIONS,
     "flawed attribute is yes", "step[id=tham_dinh]/dossier/item[id=ho_ten]"),
    ("item no explanation", DOSSIER.replace("Khớp giấy chứng sinh.", "") + DECISIONS,
     "item ho_ten has no explanation", "step[id=tham_dinh]/dossier/item[id=ho_ten]"),
    ("real-looking id number", DOSSIER.replace('value="Phan Gia Bảo"', 'value="001095012345"') + DECISIONS,
     "ID number 001095012345", "step[id=tham_dinh]/dossier/item[id=ho_ten]"),
    ("unknown decision", DECISIONS.replace('id="refuse"', 'id="forward"') + DOSSIER,
     "decision id forward is unknown", "step[id=tham_dinh]/decision[id=forward]"),
    ("one decision", DOSSIER + '<decision id="request_more" correct="true">Đúng.</decision>',
     "fewer than two decisions", "step[id=tham_dinh]"),
    ("two correct decisions", DOSSIER + DECISIONS.replace('id="refuse" label="Từ chối giải quyết" correct="false"',
                                                          'id="refuse" label="Từ chối giải quyết" correct="true"'),
     "2 correct decisions", "step[id=tham_dinh]"),
    ("decision without feedback", DOSSIER + DECISIONS.replace("Đúng: yêu cầu bổ sung.", ""),
     "<decision> request_more has no feedback", "step[id=tham_dinh]/decision[id=request_more]"),
    ("duplicate decision", DOSSIER + DECISIONS + '<decision id="accept" correct="false">Lặp.</decision>',
     "id accept is used twice", "step[id=tham_dinh]/decision[id=accept]"),
    ("accept with flawed items", DOSSIER + DECISIONS.replace('id="accept" correct="false"', 'id="accept" correct="true"')
     .replace('id="request_more" correct="true"', 'id="request_more" correct="false"'),
     "2 flawed items, but the correct decision is accept", "step[id=tham_dinh]"),
    ("no correct reason", DOSSIER + DECISIONS + REASONS.replace('correct="true"', 'correct="false"'),
     "No <reason>", "step[id=tham_dinh]"),
    ("reason without label", DOSSIER + DECISIONS + REASONS.replace(' label="Nộp sổ hộ khẩu"', ""),
     "no label attribute", "step[id=tham_dinh]/reason[id=nop_ho_khau]"),
    ("data without question", DOSSIER + DECISIONS + DATA.replace(' question="Bạn chuyển hồ sơ cho đồng nghiệp thế nào?"', ""),
     "no question attribute", "step[id=tham_dinh]/data_handling"),
    ("data one option", DOSSIER + DECISIONS + DATA.split("<option id=\"zalo\"")[0] + "</data_handling>",
     "fewer than two options", "step[id=tham_dinh]/data_handling"),
    ("data no correct option", DOSSIER + DECISIONS + DATA.replace('correct="true"', 'correct="false"'),
     "0 correct options", "step[id=tham_dinh]/data_handling"),
    ("two data questions", DOSSIER + DECISIONS + DATA + DATA,
     "more than one <data_handling>", "step[id=tham_dinh]"),
    ("unknown step child", DOSSIER + DECISIONS + "<verdict/>",
     "Unknown element <verdict> in this step", "step[id=tham_dinh]"),
]


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=[case[0] for case in PROBLEM_CASES])
def test_validation_problem_reported(case):
    _name, body, contains, location = case
    xml = scenario_xml(body)

    problem = only_problem(xml, contains)

    assert problem.severity == "error"
    assert problem.location == location
    assert problem.fix
    assert isinstance(problem.line, int) and problem.line >= 4
    with pytest.raises(Exception):
        parse_scenario(parse_xml(xml))


def test_problem_line_points_at_item():
    body = DOSSIER.replace('<item id="ket_hon"', '\n\n<item id="ket_hon" flawed="maybe"').replace(
        'value="ket_hon.pdf" flawed="false"', 'value="ket_hon.pdf"'
    ) + DECISIONS
    xml = scenario_xml(body)

    problem = only_problem(xml, "flawed attribute is maybe")

    assert problem.line == xml.splitlines().index(next(line for line in xml.splitlines() if 'id="ket_hon"' in line)) + 1


def test_reasons_with_accept_reported():
    dossier = DOSSIER.replace('flawed="true"', 'flawed="false"')
    decisions = DECISIONS.replace('id="accept" correct="false"', 'id="accept" correct="true"').replace(
        'id="request_more" correct="true"', 'id="request_more" correct="false"'
    )

    problem = only_problem(scenario_xml(dossier + decisions + REASONS), "correct decision is accept")

    assert problem.location == "step[id=tham_dinh]"
    assert problem.severity == "error"


def test_nothing_flawed_but_refuse_is_warning():
    dossier = DOSSIER.replace('flawed="true"', 'flawed="false"')

    problem = only_problem(scenario_xml(dossier + DECISIONS), "No item of the dossier is flawed")

    assert problem.severity == "warning"
    assert "request_more" in problem.message
    assert parse_scenario(parse_xml(scenario_xml(dossier + DECISIONS))).step("tham_dinh").dossier is not None


def test_district_in_correct_item_is_warning():
    dossier = DOSSIER.replace('value="ket_hon.pdf"', 'value="UBND huyện Cũ"')

    problem = only_problem(scenario_xml(dossier + DECISIONS), "district level")

    assert problem.severity == "warning"
    assert problem.location == "step[id=tham_dinh]/dossier/item[id=ket_hon]"


def test_district_in_flawed_item_allowed():
    dossier = DOSSIER.replace('value="00019501234"', 'value="Thôn 2, huyện Cũ"')

    assert problems_of(scenario_xml(dossier + DECISIONS)) == []


def test_too_many_items_reported():
    items = "".join(
        f'<item id="i{number}" type="field" label="L{number}" value="v" flawed="false">Đúng.</item>' for number in range(21)
    )
    body = f'<dossier procedure="P" applicant="A">{items}<item id="x" type="field" label="X" flawed="true">Thiếu.</item></dossier>'

    problem = only_problem(scenario_xml(body + DECISIONS), "items; the limit is 20")

    assert "22" in problem.message


def test_problems_translated():
    translations = {"The review_dossier step has no <dossier>.": "KHÔNG CÓ HỒ SƠ"}

    problems = check_scenario(parse_xml(scenario_xml(DECISIONS)), lambda message: translations.get(message, message))

    assert "KHÔNG CÓ HỒ SƠ" in [problem.message for problem in problems]


# Checking


def test_correct_review_passes(scenario):
    progress = at_review(scenario)

    new_progress, outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER), identity)

    assert outcome.passed
    assert outcome.errors == {}
    assert "Đúng: yêu cầu bổ sung." in outcome.feedback
    assert "Đúng: dữ liệu ở trong hệ thống." in outcome.feedback
    assert new_progress.completed
    assert new_progress.step_id == "result"
    assert new_progress.mistakes == {}


def test_model_answer_passes(scenario, step):
    progress = at_review(scenario)

    answer = engine.review_dossier_answer(step)
    _progress, outcome = engine.submit(scenario, progress, "tham_dinh", answer, identity)

    assert answer == ANSWER
    assert outcome.passed


def test_missed_flawed_item_gets_its_explanation(scenario):
    progress = at_review(scenario)

    new_progress, outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER, flagged=["so_dinh_danh"]), identity)

    assert not outcome.passed
    assert outcome.errors == {"flagged.giay_chung_sinh": "Chưa có giấy chứng sinh."}
    assert new_progress.mistakes == {"tham_dinh": 1}
    assert new_progress.step_id == "tham_dinh"


def test_correct_item_flagged_gets_its_explanation(scenario):
    progress = at_review(scenario)

    _progress, outcome = engine.submit(
        scenario, progress, "tham_dinh", dict(ANSWER, flagged=["so_dinh_danh", "giay_chung_sinh", "ho_ten"]), identity
    )

    assert outcome.errors == {"flagged.ho_ten": "Khớp giấy chứng sinh."}


def test_wrong_decision_gets_its_feedback(scenario):
    progress = at_review(scenario)

    _progress, outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER, decision="refuse"), identity)

    assert outcome.errors == {"decision": "Không từ chối khi có thể bổ sung."}
    assert outcome.counted


def test_reasons_missing_and_wrong(scenario):
    progress = at_review(scenario)

    _progress, outcome = engine.submit(
        scenario, progress, "tham_dinh", dict(ANSWER, reasons=["bo_sung_gcs", "nop_ho_khau"]), identity
    )

    assert outcome.errors == {"reasons": "Phải nêu số định danh. Sổ hộ khẩu không còn dùng."}


def test_unsafe_data_handling_gets_feedback(scenario):
    progress = at_review(scenario)

    _progress, outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER, data_handling="zalo"), identity)

    assert outcome.errors == {"data_handling": "Không gửi dữ liệu cá nhân qua Zalo."}


def test_every_error_reported_at_once(scenario):
    progress = at_review(scenario)

    _progress, outcome = engine.submit(
        scenario, progress, "tham_dinh", {"flagged": [], "decision": "accept", "reasons": [], "data_handling": "zalo"}, identity
    )

    assert sorted(outcome.errors) == [
        "data_handling", "decision", "flagged.giay_chung_sinh", "flagged.so_dinh_danh", "reasons",
    ]


def test_missing_decision_not_counted(scenario):
    progress = at_review(scenario)

    new_progress, outcome = engine.submit(scenario, progress, "tham_dinh", {"flagged": ["ho_ten"]}, identity)

    assert not outcome.passed
    assert not outcome.counted
    assert set(outcome.errors) == {"decision", "data_handling"}
    assert new_progress.mistakes == {}


def test_missing_data_handling_not_counted(scenario):
    progress = at_review(scenario)
    values = dict(ANSWER)
    del values["data_handling"]

    new_progress, outcome = engine.submit(scenario, progress, "tham_dinh", values, identity)

    assert outcome.errors == {"data_handling": "Choose how to handle the citizen's data."}
    assert new_progress.mistakes == {}


def test_review_without_options_needs_only_decision():
    scenario = parse_scenario(parse_xml(scenario_xml(DOSSIER + DECISIONS)))
    progress = at_review(scenario)

    _progress, outcome = engine.submit(
        scenario, progress, "tham_dinh", {"flagged": ["giay_chung_sinh", "so_dinh_danh"], "decision": "request_more"}, identity
    )

    assert outcome.passed


SHAPE_ERRORS = [
    ("unknown item", {"flagged": ["diem"], "decision": "accept"}, "invalid_choice"),
    ("repeated item", {"flagged": ["ho_ten", "ho_ten"], "decision": "accept"}, "invalid_choice"),
    ("flagged not list", {"flagged": "ho_ten", "decision": "accept"}, "invalid_type"),
    ("unknown decision", {"decision": "approve"}, "invalid_choice"),
    ("decision not string", {"decision": True}, "invalid_type"),
    ("unknown reason", {"decision": "request_more", "reasons": ["khac"]}, "invalid_choice"),
    ("unknown data option", {"decision": "request_more", "data_handling": "email"}, "invalid_choice"),
    ("unknown key", {"decision": "request_more", "action": "tu_choi"}, "unknown_field"),
]


@pytest.mark.parametrize("case", SHAPE_ERRORS, ids=[case[0] for case in SHAPE_ERRORS])
def test_bad_shape_raises_and_keeps_progress(scenario, case):
    _name, values, code = case
    progress = at_review(scenario)

    with pytest.raises(SubmissionError) as raised:
        engine.submit(scenario, progress, "tham_dinh", values, identity)

    assert raised.value.code == code
    assert progress.mistakes == {}
    assert progress.step_id == "tham_dinh"


def test_reasons_key_rejected_when_step_has_none():
    scenario = parse_scenario(parse_xml(scenario_xml(DOSSIER + DECISIONS)))
    progress = at_review(scenario)

    with pytest.raises(SubmissionError) as raised:
        engine.submit(scenario, progress, "tham_dinh", {"decision": "request_more", "reasons": []}, identity)

    assert raised.value.code == "unknown_field"


# Scoring


def test_mistakes_follow_scoring_rule(scenario):
    progress = at_review(scenario)
    progress, _outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER, decision="accept"), identity)
    progress, _outcome = engine.submit(scenario, progress, "tham_dinh", {"flagged": []}, identity)
    progress, _outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER, flagged=[]), identity)
    progress, outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER), identity)

    assert outcome.passed
    assert progress.mistakes == {"tham_dinh": 2}
    assert scoring.earned_points(scenario, progress.mistakes) == 1.5


def test_four_mistakes_leave_zero_for_step(scenario):
    progress = at_review(scenario)
    for _ in range(5):
        progress, _outcome = engine.submit(scenario, progress, "tham_dinh", dict(ANSWER, decision="refuse"), identity)

    assert progress.mistakes == {"tham_dinh": 5}
    assert scoring.earned_points(scenario, progress.mistakes) == 1.0


# What the learner view receives


def test_view_context_hides_answers(step):
    context = review_dossier_context(step, "sfx-tham_dinh", identity)
    text = repr(context)

    assert [group["title"] for group in context["groups"]] == ["E-form", "Attachments"]
    assert [item["id"] for item in context["groups"][0]["items"]] == ["ho_ten", "so_dinh_danh"]
    assert context["groups"][1]["items"][0]["value"] == "Not attached"
    assert context["groups"][1]["items"][0]["empty"] is True
    assert [choice["label"] for choice in context["decisions"]] == [
        "Accept the dossier", "Request more documents", "Từ chối giải quyết",
    ]
    for secret in ("Thiếu một chữ số", "Đúng: yêu cầu bổ sung", "Không gửi dữ liệu", "flawed", "correct"):
        assert secret not in text


def test_public_data_hides_answers(step):
    data = public_review_dossier(step)
    text = repr(data)

    assert [item["id"] for item in data["dossier"]["items"]] == ["ho_ten", "so_dinh_danh", "giay_chung_sinh", "ket_hon"]
    assert data["data_handling"]["question"] == "Bạn chuyển hồ sơ cho đồng nghiệp thế nào?"
    for secret in ("Thiếu một chữ số", "Phải nêu", "Không gửi dữ liệu", "flawed", "correct"):
        assert secret not in text
