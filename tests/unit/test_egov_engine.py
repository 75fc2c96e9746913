"""The step engine, scoring rule and dossier codes of egov_simulation, without a runtime."""

from pathlib import Path

import pytest

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.egov import engine, scoring
from digital_skills_xblocks.egov.dossier import dossier_code
from digital_skills_xblocks.egov.engine import SubmissionError, parse_amount
from digital_skills_xblocks.egov.model import Field, Rule, Step
from digital_skills_xblocks.egov.scenario import parse_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "digital_skills_xblocks" / "egov" / "scenarios"

BIRTH_ANSWERS = {
    "dang_nhap": {"id_number": "000196012345", "password": "Hoa@2026", "otp": "482913"},
    "tin_nhan_ho_tro": {"action": "tu_choi"},
    "to_khai_con": {
        "quan_he": "me", "ho_ten_con": "trần  minh an", "ngay_sinh_con": "20/11/2026", "gioi_tinh_con": "nam",
        "dan_toc": "kinh", "quoc_tich": "vn", "noi_sinh": "Bệnh viện Đa khoa tỉnh Sông Xanh",
    },
    "to_khai_cha_me": {
        "ho_ten_me": "Lê Thị Hoa", "so_dinh_danh_me": "000196012345", "ho_ten_cha": "Trần Văn Bình",
        "so_dien_thoai": "0987000123", "nhan_ket_qua": "dien_tu", "lien_thong": ["bhyt"],
    },
    "dinh_kem": {"documents": ["giay_chung_sinh", "giay_dang_ky_ket_hon"]},
    "le_phi": {"method": "mien_phi", "amount": "0"},
    "kiem_tra": {"commitment": True},
}


def identity(message):
    return message


@pytest.fixture(name="birth")
def birth_fixture():
    return parse_scenario(parse_xml((SCENARIOS / "dang_ky_khai_sinh.xml").read_bytes()))


@pytest.fixture(name="residence")
def residence_fixture():
    return parse_scenario(parse_xml((SCENARIOS / "dang_ky_thuong_tru.xml").read_bytes()))


def advance_to(scenario, step_id):
    progress = engine.start(scenario)
    while progress.step_id != step_id:
        progress, outcome = engine.submit(scenario, progress, progress.step_id, BIRTH_ANSWERS[progress.step_id], identity)
        assert outcome.passed, outcome.errors
    return progress


def submit(scenario, step_id, values):
    progress = advance_to(scenario, step_id)
    return engine.submit(scenario, progress, step_id, values, identity)


def test_full_run_reaches_result_without_mistakes(birth):
    progress = advance_to(birth, "ket_qua")

    assert progress.completed
    assert progress.total_mistakes == 0
    assert scoring.earned_points(birth, progress.mistakes) == scoring.max_points(birth) == 8.0


def test_login_rejects_wrong_otp(birth):
    values = dict(BIRTH_ANSWERS["dang_nhap"], otp="000000")

    progress, outcome = submit(birth, "dang_nhap", values)

    assert not outcome.passed
    assert list(outcome.errors) == ["otp"]
    assert "OTP" in outcome.errors["otp"]
    assert progress.step_id == "dang_nhap"
    assert progress.mistakes == {"dang_nhap": 1}


def test_login_password_is_case_sensitive(birth):
    values = dict(BIRTH_ANSWERS["dang_nhap"], password="hoa@2026")

    _progress, outcome = submit(birth, "dang_nhap", values)

    assert list(outcome.errors) == ["password"]


def test_login_id_number_accepts_spaces(birth):
    values = dict(BIRTH_ANSWERS["dang_nhap"], id_number="000 196 012 345")

    _progress, outcome = submit(birth, "dang_nhap", values)

    assert outcome.passed


def test_form_reports_each_failing_field(birth):
    values = dict(BIRTH_ANSWERS["to_khai_con"], ho_ten_con="Trần Minh Anh", ngay_sinh_con="2026-11-20", quan_he="cha", quoc_tich="khac")

    progress, outcome = submit(birth, "to_khai_con", values)

    assert outcome.errors["ho_ten_con"].startswith("Họ tên của trẻ chưa khớp")
    assert outcome.errors["ngay_sinh_con"] == "Enter the date as dd/mm/yyyy, for example 05/09/2025."
    assert "Mẹ" in outcome.errors["quan_he"]
    assert "quốc tịch Việt Nam" in outcome.errors["quoc_tich"]
    assert set(outcome.errors) == {"ho_ten_con", "ngay_sinh_con", "quan_he", "quoc_tich"}
    assert progress.mistakes == {"to_khai_con": 1}


def test_form_date_accepts_single_digits(residence):
    step = residence.step("to_khai_ct01")

    assert engine.check_field(step.field("ngay_sinh"), "7/9/2001", residence.persona, identity) == ""


def test_form_wrong_date_uses_author_feedback(birth):
    values = dict(BIRTH_ANSWERS["to_khai_con"], ngay_sinh_con="21/11/2026")

    _progress, outcome = submit(birth, "to_khai_con", values)

    assert outcome.errors == {"ngay_sinh_con": "Ngày sinh chưa khớp với giấy chứng sinh. Hãy kiểm tra lại ngày và tháng."}


def test_form_pattern_rule_checked_before_equals(birth):
    values = dict(BIRTH_ANSWERS["to_khai_cha_me"], so_dinh_danh_me="00019601234X")

    _progress, outcome = submit(birth, "to_khai_cha_me", values)

    assert "12 chữ số" in outcome.errors["so_dinh_danh_me"]


def test_form_optional_field_may_be_empty(residence):
    step = residence.step("to_khai_ct01")

    assert engine.check_field(step.field("email"), "", residence.persona, identity) == ""
    assert engine.check_field(step.field("email"), "không có", residence.persona, identity) != ""


def test_form_radio_equals_persona_label(residence):
    step = residence.step("to_khai_ct01")

    assert engine.check_field(step.field("gioi_tinh"), "nam", residence.persona, identity) == ""
    assert engine.check_field(step.field("gioi_tinh"), "nu", residence.persona, identity) != ""


def test_form_stores_values_for_review(birth):
    progress = advance_to(birth, "kiem_tra")

    sections = engine.summary(birth, progress, birth.step("kiem_tra"))

    assert [section["step_id"] for section in sections] == ["to_khai_con", "to_khai_cha_me"]
    items = {item["label"]: item["value"] for item in sections[0]["items"]}
    assert items["Quan hệ của người đi khai sinh với trẻ"] == "Mẹ"
    assert items["Họ, chữ đệm và tên của trẻ"] == "trần minh an"
    second = {item["label"]: item["value"] for item in sections[1]["items"]}
    assert second["Đăng ký thêm cùng hồ sơ (không bắt buộc)"] == "Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"
    assert "dang_nhap" not in progress.values


def test_attachments_missing_required(birth):
    _progress, outcome = submit(birth, "dinh_kem", {"documents": ["giay_dang_ky_ket_hon"]})

    assert "giấy chứng sinh" in outcome.errors["documents"]


def test_attachments_forbidden_document(birth):
    _progress, outcome = submit(birth, "dinh_kem", {"documents": ["giay_chung_sinh", "so_ho_khau"]})

    assert "Sổ hộ khẩu" in outcome.errors["documents"]


def test_attachments_empty_choice_not_counted(birth):
    progress, outcome = submit(birth, "dinh_kem", {"documents": []})

    assert not outcome.passed
    assert outcome.errors == {"documents": "Choose the documents to attach."}
    assert progress.mistakes == {}


def test_payment_wrong_method_and_amount(birth):
    _progress, outcome = submit(birth, "le_phi", {"method": "tai_khoan_ca_nhan", "amount": "50.000"})

    assert set(outcome.errors) == {"method", "amount"}


@pytest.mark.parametrize("amount", ["", "   "])
def test_payment_empty_amount_not_counted(birth, amount):
    progress, outcome = submit(birth, "le_phi", {"method": "tai_khoan_ca_nhan", "amount": amount})

    assert not outcome.passed
    assert outcome.incomplete
    assert outcome.errors == {"amount": "Enter the amount to pay."}
    assert progress.mistakes == {}


@pytest.mark.parametrize("text, expected", [("10.000", 10000), ("10,000 đ", 10000), ("10000 VND", 10000), ("0", 0), ("mười", None), ("", None)])
def test_amount_parsing(text, expected):
    assert parse_amount(text) == expected


def test_residence_payment_accepts_formatted_amount(residence):
    step = residence.step("le_phi")

    outcome = engine.check_step(step, {"method": "nen_tang_thanh_toan", "amount": "10.000 đ"}, residence.persona, identity)

    assert outcome.passed


def test_review_requires_commitment(birth):
    progress, outcome = submit(birth, "kiem_tra", {"commitment": False})

    assert outcome.errors == {"commitment": "Hãy đọc và đánh dấu lời cam đoan trước khi nộp hồ sơ."}
    assert progress.mistakes == {"kiem_tra": 1}


def test_trap_wrong_action_gives_its_feedback(residence):
    step = residence.step("cuoc_goi_gia_danh")

    outcome = engine.check_step(step, {"action": "doc_otp"}, residence.persona, identity)

    assert not outcome.passed
    assert "OTP" in outcome.errors["action"]


def test_trap_refusal_passes_with_feedback(residence):
    step = residence.step("cuoc_goi_gia_danh")

    outcome = engine.check_step(step, {"action": "tu_choi_bao_cao"}, residence.persona, identity)

    assert outcome.passed
    assert outcome.feedback.startswith("Đúng.")


@pytest.mark.parametrize(
    "step_id, values, code",
    [
        ("dang_nhap", {"id_number": 12}, "invalid_type"),
        ("dang_nhap", {"nickname": "x"}, "unknown_field"),
        ("dang_nhap", {"otp": "1" * 501}, "value_too_long"),
        ("dang_nhap", ["not", "a", "dict"], "invalid_values"),
        ("dang_nhap", {f"k{n}": "" for n in range(41)}, "too_many_values"),
        ("ghost", {}, "unknown_step"),
        ("to_khai_con", {}, "step_not_current"),
        ("ket_qua", {}, "step_not_current"),
        (None, {}, "invalid_step_id"),
    ],
)
def test_bad_submissions_raise(birth, step_id, values, code):
    progress = engine.start(birth)

    with pytest.raises(SubmissionError) as raised:
        engine.submit(birth, progress, step_id, values, identity)

    assert raised.value.code == code
    assert progress == engine.start(birth)


@pytest.mark.parametrize(
    "values, code",
    [
        ({"quan_he": "vua"}, "invalid_choice"),
        ({"lien_thong": "bhyt"}, "invalid_type"),
        ({"lien_thong": ["bhyt", "bhyt"]}, "invalid_choice"),
        ({"lien_thong": ["x"] * 21}, "too_many_values"),
    ],
)
def test_bad_choice_values_raise(birth, values, code):
    step = birth.step("to_khai_cha_me") if "lien_thong" in values else birth.step("to_khai_con")

    with pytest.raises(SubmissionError) as raised:
        engine.validate_values(step, values)

    assert raised.value.code == code


def test_finished_attempt_rejects_submissions(birth):
    progress = advance_to(birth, "ket_qua")

    with pytest.raises(SubmissionError) as raised:
        engine.submit(birth, progress, "kiem_tra", {"commitment": True}, identity)

    assert raised.value.code == "attempt_finished"
    assert raised.value.status == 409


def test_score_rule_penalises_mistakes(birth):
    mistakes = {"dang_nhap": 1, "tin_nhan_ho_tro": 2, "to_khai_con": 9}

    earned = scoring.earned_points(birth, mistakes)

    # login 0.75 + trap 2 * 0.5 + child form 0 + five clean steps.
    assert earned == 0.75 + 1.0 + 0.0 + 4.0
    assert scoring.max_points(birth) == 8.0


def test_score_ignores_unknown_steps(birth):
    assert scoring.earned_points(birth, {"removed_step": 3}) == scoring.max_points(birth)


def test_trap_step_worth_two_points(residence):
    assert scoring.step_points(residence.step("cuoc_goi_gia_danh")) == 2.0
    assert scoring.step_points(residence.step("ket_qua")) == 0.0


def test_dossier_code_deterministic():
    first = dossier_code("anon-1", "block-1", 1, "KS")

    assert first == dossier_code("anon-1", "block-1", 1, "KS")
    assert first.startswith("KS-000-")
    assert len(first) == len("KS-000-123456-1234")


def test_dossier_code_varies_by_input():
    codes = {
        dossier_code("anon-1", "block-1", 1, "KS"),
        dossier_code("anon-2", "block-1", 1, "KS"),
        dossier_code("anon-1", "block-2", 1, "KS"),
        dossier_code("anon-1", "block-1", 2, "KS"),
    }

    assert len(codes) == 4


# Empty required fields: an unfinished login or form step is not a mistake


LOGIN_REQUIRED = {
    "id_number": "Enter your personal ID number.",
    "password": "Enter your password.",
    "otp": "Enter the OTP code sent to your phone.",
}


def test_empty_login_is_incomplete(birth):
    start = engine.start(birth)

    progress, outcome = engine.submit(birth, start, "dang_nhap", {}, identity)

    assert not outcome.passed
    assert outcome.incomplete
    assert not outcome.counted
    assert outcome.errors == LOGIN_REQUIRED
    assert progress == start
    assert progress.mistakes == {}


def test_login_with_only_id_number_is_incomplete(birth):
    values = {"id_number": BIRTH_ANSWERS["dang_nhap"]["id_number"], "password": "", "otp": "   "}

    progress, outcome = submit(birth, "dang_nhap", values)

    assert outcome.incomplete
    assert outcome.errors == {"password": LOGIN_REQUIRED["password"], "otp": LOGIN_REQUIRED["otp"]}
    assert progress.mistakes == {}
    assert progress.step_id == "dang_nhap"


def test_login_required_messages_are_translated(birth):
    def translate(message):
        return f"vi:{message}"

    _progress, outcome = engine.submit(birth, engine.start(birth), "dang_nhap", {"password": ""}, translate)

    assert outcome.errors["password"] == "vi:Enter your password."
    assert outcome.errors["id_number"] == "vi:Enter your personal ID number."


def test_login_filled_but_wrong_counts_mistake(birth):
    values = {"id_number": "000196012346", "password": "sai", "otp": "111111"}

    progress, outcome = submit(birth, "dang_nhap", values)

    assert not outcome.incomplete
    assert outcome.counted
    assert set(outcome.errors) == {"id_number", "password", "otp"}
    assert "chưa đúng" in outcome.errors["password"]
    assert progress.mistakes == {"dang_nhap": 1}


def test_repeated_empty_login_keeps_full_points(birth):
    progress = engine.start(birth)
    for values in ({}, {"otp": ""}, {"id_number": " ", "password": "", "otp": ""}):
        progress, outcome = engine.submit(birth, progress, "dang_nhap", values, identity)
        assert outcome.incomplete

    progress, outcome = engine.submit(birth, progress, "dang_nhap", BIRTH_ANSWERS["dang_nhap"], identity)

    assert outcome.passed
    assert progress.mistakes == {}
    assert scoring.earned_points(birth, progress.mistakes) == scoring.max_points(birth)


def test_form_partly_empty_reports_only_required(birth):
    # The name is empty, the relation wrong and the date badly written. The learner has
    # not finished, so only the empty name is reported and nothing is counted.
    values = dict(BIRTH_ANSWERS["to_khai_con"], ho_ten_con="", quan_he="cha", ngay_sinh_con="2026-11-20")

    progress, outcome = submit(birth, "to_khai_con", values)

    assert outcome.incomplete
    assert outcome.errors == {"ho_ten_con": "Hãy nhập họ tên của trẻ."}
    assert progress.mistakes == {}
    assert "to_khai_con" not in progress.values


def test_form_partly_empty_then_wrong_counts_once(birth):
    progress = advance_to(birth, "to_khai_con")
    unfinished = dict(BIRTH_ANSWERS["to_khai_con"], ho_ten_con="", quan_he="cha")
    progress, _outcome = engine.submit(birth, progress, "to_khai_con", unfinished, identity)

    finished = dict(unfinished, ho_ten_con="Trần Minh An")
    progress, outcome = engine.submit(birth, progress, "to_khai_con", finished, identity)

    assert outcome.counted
    assert set(outcome.errors) == {"quan_he"}
    assert progress.mistakes == {"to_khai_con": 1}


@pytest.mark.parametrize(
    "name, empty",
    [
        ("ho_ten_con", "  \t "),
        ("gioi_tinh_con", ""),
        ("dan_toc", ""),
        ("noi_sinh", None),
    ],
)
def test_form_empty_kinds_are_required_errors(birth, name, empty):
    values = dict(BIRTH_ANSWERS["to_khai_con"])
    if empty is None:
        del values[name]
    else:
        values[name] = empty
    required_text = next(rule.feedback for rule in birth.step("to_khai_con").field(name).rules if rule.kind == "required")

    progress, outcome = submit(birth, "to_khai_con", values)

    assert outcome.incomplete
    assert outcome.errors == {name: required_text}
    assert progress.mistakes == {}


def test_form_empty_optional_field_is_not_incomplete(birth):
    # lien_thong is an optional checkbox group, so with it empty and the phone wrong the form is complete.
    values = dict(BIRTH_ANSWERS["to_khai_cha_me"], lien_thong=[], so_dien_thoai="0987000124")

    progress, outcome = submit(birth, "to_khai_cha_me", values)

    assert not outcome.incomplete
    assert set(outcome.errors) == {"so_dien_thoai"}
    assert progress.mistakes == {"to_khai_cha_me": 1}


def form_step(*fields):
    return Step(id="mau", kind="form", title="Mẫu", fields=tuple(fields))


def test_unticked_required_checkbox_is_incomplete(birth):
    box = Field(name="cam_doan", type="checkbox", label="Tôi cam đoan",
                rules=(Rule(kind="required", feedback="Hãy đánh dấu lời cam đoan."),))

    unticked = engine.check_step(form_step(box), {"cam_doan": False}, birth.persona, identity)
    ticked = engine.check_step(form_step(box), {"cam_doan": True}, birth.persona, identity)

    assert unticked.incomplete
    assert unticked.errors == {"cam_doan": "Hãy đánh dấu lời cam đoan."}
    assert ticked.passed


def test_required_rule_without_text_uses_label(birth):
    item = Field(name="nghe", type="text", label="Nghề nghiệp", rules=(Rule(kind="required", feedback=""),))

    outcome = engine.check_step(form_step(item), {"nghe": ""}, birth.persona, identity)

    assert outcome.errors == {"nghe": "Nghề nghiệp: this field is required."}


def test_choice_steps_keep_their_rules(birth, residence):
    trap = residence.step("cuoc_goi_gia_danh")

    empty_trap = engine.check_step(trap, {}, residence.persona, identity)
    wrong_trap = engine.check_step(trap, {"action": "doc_otp"}, residence.persona, identity)
    _progress, unticked_review = submit(birth, "kiem_tra", {"commitment": False})

    assert empty_trap.incomplete
    assert wrong_trap.counted
    assert not wrong_trap.incomplete
    # The review step's commitment is not a form field, so leaving it unticked stays a mistake.
    assert unticked_review.counted
    assert not unticked_review.incomplete


def test_passed_outcome_is_not_incomplete(birth):
    _progress, outcome = submit(birth, "dang_nhap", BIRTH_ANSWERS["dang_nhap"])

    assert outcome.passed
    assert not outcome.incomplete
