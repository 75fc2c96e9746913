"""Parsing and validation of egov_simulation scenarios: each problem names its element, line and fix."""

from pathlib import Path

import pytest

from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml
from digital_skills_xblocks.egov.olx import serialize_children, wrap_scenario
from digital_skills_xblocks.egov.scenario import ScenarioError, check_scenario, parse_scenario, parse_scenario_string

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "digital_skills_xblocks" / "egov" / "scenarios"
COURSE = ROOT / "course_exports" / "dich-vu-cong-truc-tuyen" / "egov_simulation"

PERSONA = (
    '<persona name="Nguyễn Văn Test" birth_date="05/09/1990" sex="Nam" id_number="000090123456" '
    'address="Số 1, phường Thử Nghiệm, tỉnh Sông Xanh" phone="0912000111" password="Pass@1" otp="123456">'
    '<fact name="child_name" label="Tên con">Nguyễn Bé Na</fact></persona>'
)
LOGIN = (
    '<step id="login" kind="login" title="Đăng nhập">'
    '<feedback field="id_number">ID sai</feedback><feedback field="password">MK sai</feedback>'
    '<feedback field="otp">OTP sai</feedback></step>'
)
RESULT = '<step id="result" kind="result" title="Xong" status="Đã tiếp nhận" dossier_prefix="KS"/>'


def scenario_xml(steps="", persona=PERSONA, result=RESULT):
    return f'<egov_simulation display_name="T">\n{persona}\n{LOGIN}\n{steps}\n{result}\n</egov_simulation>'


def problems_of(xml):
    return check_scenario(parse_xml(xml))


def messages(problems):
    return [problem.message for problem in problems]


def only_problem(xml, contains):
    found = [problem for problem in problems_of(xml) if contains in problem.message]
    assert len(found) == 1, [problem.format() for problem in problems_of(xml)]
    return found[0]


@pytest.mark.parametrize("name", ["dang_ky_khai_sinh", "dang_ky_thuong_tru"])
def test_shipped_scenario_has_no_problems(name):
    root = parse_xml((SCENARIOS / f"{name}.xml").read_bytes())

    problems = check_scenario(root)

    assert problems == []


@pytest.mark.parametrize("name", ["dang_ky_khai_sinh", "dang_ky_thuong_tru"])
def test_course_file_matches_packaged_scenario(name):
    assert (COURSE / f"{name}.xml").read_text(encoding="utf-8") == (SCENARIOS / f"{name}.xml").read_text(encoding="utf-8")


def test_birth_registration_parses_into_model():
    scenario = parse_scenario(parse_xml((SCENARIOS / "dang_ky_khai_sinh.xml").read_bytes()))

    kinds = [step.kind for step in scenario.steps]

    assert kinds == ["login", "trap", "form", "form", "attachments", "payment", "review", "result"]
    assert scenario.persona.id_number.startswith("000")
    assert scenario.persona.value("child_name") == "Trần Minh An"
    assert scenario.step("le_phi").amount == 0
    assert scenario.result_step.dossier_prefix == "KS"
    assert [field.name for field in scenario.step("dang_nhap").fields] == ["id_number", "password", "otp"]


def test_residence_scenario_has_otp_trap():
    scenario = parse_scenario(parse_xml((SCENARIOS / "dang_ky_thuong_tru.xml").read_bytes()))

    trap = scenario.step("cuoc_goi_gia_danh")

    assert trap.kind == "trap"
    assert trap.channel == "call"
    assert [choice.id for choice in trap.choices if choice.correct] == ["tu_choi_bao_cao"]
    assert scenario.step("le_phi").amount == 10000


def test_minimal_scenario_parses():
    scenario = parse_scenario_string(scenario_xml())

    assert [step.id for step in scenario.steps] == ["login", "result"]


def test_parse_raises_with_all_problems():
    xml = scenario_xml('<step id="x" kind="teleport" title="?"/><step id="x" kind="review" title="R"/>')

    with pytest.raises(ScenarioError) as raised:
        parse_scenario(parse_xml(xml))

    assert len(raised.value.problems) >= 3


def test_unknown_step_kind_reported():
    problem = only_problem(scenario_xml('<step id="x" kind="teleport" title="?"/>'), "kind teleport is unknown")

    assert problem.location == "step[id=x]"
    assert problem.line == 4
    assert "login" in problem.fix


def test_duplicate_step_id_reported():
    xml = scenario_xml('<step id="login" kind="review" title="R"><commitment label="Cam đoan">Hãy tích</commitment></step>')

    problem = only_problem(xml, "used twice")

    assert problem.location == "step[id=login]"
    assert "line 3" in problem.message
    assert problem.line == 4


@pytest.mark.parametrize("attribute", ["name", "birth_date", "phone", "otp", "password"])
def test_missing_persona_attribute_reported(attribute):
    persona = PERSONA.replace(f' {attribute}="', f' x{attribute}="', 1)

    problem = only_problem(scenario_xml(persona=persona), f"no {attribute} attribute")

    assert problem.location == "persona"
    assert problem.line == 2
    assert attribute in problem.fix


def test_id_number_without_000_reported():
    persona = PERSONA.replace('id_number="000090123456"', 'id_number="001090123456"')

    problem = only_problem(scenario_xml(persona=persona), "does not start with 000")

    assert problem.location == "persona"
    assert "000" in problem.fix


def test_id_number_century_digit_checked():
    persona = PERSONA.replace('id_number="000090123456"', 'id_number="000190123456"')

    problem = only_problem(scenario_xml(persona=persona), "4th digit")

    assert "need 0" in problem.message


def test_id_number_year_digits_checked():
    persona = PERSONA.replace('id_number="000090123456"', 'id_number="000091123456"')

    only_problem(scenario_xml(persona=persona), "Digits 5-6")


@pytest.mark.parametrize(
    "attribute, bad, contains",
    [
        ("phone", "0123456789", "not a Vietnamese mobile number"),
        ("phone", "091200011", "not a Vietnamese mobile number"),
        ("birth_date", "1990-09-05", "not a date written dd/mm/yyyy"),
        ("birth_date", "31/02/1990", "not a date written dd/mm/yyyy"),
        ("otp", "12345", "not a 6-digit code"),
        ("sex", "X", "not Nam or Nữ"),
    ],
)
def test_invalid_persona_values_reported(attribute, bad, contains):
    import re

    persona = re.sub(f' {attribute}="[^"]*"', f' {attribute}="{bad}"', PERSONA)

    problems = [problem for problem in problems_of(scenario_xml(persona=persona)) if contains in problem.message]

    assert problems, contains
    assert problems[0].line == 2


def test_district_address_is_warning():
    persona = PERSONA.replace("phường Thử Nghiệm", "quận Thử Nghiệm")

    problem = only_problem(scenario_xml(persona=persona), "district level")

    assert problem.severity == "warning"
    parse_scenario_string(scenario_xml(persona=persona))


def test_invalid_regex_reported_at_its_line():
    steps = '<step id="f" kind="form" title="F">\n<field name="a" label="A">\n<pattern regex="[0-9">Sai</pattern>\n</field>\n</step>'

    problem = only_problem(scenario_xml(steps), "is invalid")

    assert problem.location == "step[id=f]/field[name=a]/pattern"
    assert problem.line == 6


def test_slow_regex_rejected():
    steps = '<step id="f" kind="form" title="F"><field name="a" label="A"><pattern regex="(a+)+b">Sai</pattern></field></step>'

    only_problem(scenario_xml(steps), "repeats a group")


def test_overlong_regex_rejected():
    steps = f'<step id="f" kind="form" title="F"><field name="a" label="A"><pattern regex="{"a" * 201}">Sai</pattern></field></step>'

    only_problem(scenario_xml(steps), "the limit is 200")


def test_missing_persona_reference_reported():
    steps = '<step id="f" kind="form" title="F">\n<field name="a" label="A">\n<equals persona="pet_name">Sai</equals>\n</field>\n</step>'

    problem = only_problem(scenario_xml(steps), "persona value pet_name")

    assert problem.location == "step[id=f]/field[name=a]"
    assert problem.line == 6


def test_select_answer_outside_options_reported():
    steps = (
        '<step id="f" kind="form" title="F"><field name="s" type="select" label="S">'
        '<option value="a">A</option><option value="b">B</option><equals answer="c">Sai</equals></field></step>'
    )

    problem = only_problem(scenario_xml(steps), "answer c is not the value")

    assert "a, b" in problem.fix


def test_allowed_choice_outside_options_reported():
    steps = (
        '<step id="f" kind="form" title="F"><field name="s" type="radio" label="S">'
        '<option value="a">A</option><allowed choices="a z">Sai</allowed></field></step>'
    )

    only_problem(scenario_xml(steps), "allowed choice z")


def test_persona_value_matching_no_option_reported():
    steps = (
        '<step id="f" kind="form" title="F"><field name="s" type="radio" label="S">'
        '<option value="nu">Nữ</option><equals persona="sex">Sai</equals></field></step>'
    )

    only_problem(scenario_xml(steps), "matches no option")


def test_pattern_that_persona_cannot_match_reported():
    steps = (
        '<step id="f" kind="form" title="F"><field name="p" label="P">'
        '<pattern regex="08[0-9]{8}">Sai</pattern><equals persona="phone">Sai</equals></field></step>'
    )

    only_problem(scenario_xml(steps), "no answer can pass")


def test_select_without_options_reported():
    steps = '<step id="f" kind="form" title="F"><field name="s" type="select" label="S"><required>Chọn</required></field></step>'

    only_problem(scenario_xml(steps), "has no <option>")


def test_rule_without_feedback_reported():
    steps = '<step id="f" kind="form" title="F"><field name="a" label="A"><required/></field></step>'

    problem = only_problem(scenario_xml(steps), "no feedback text")

    assert problem.location == "step[id=f]/field[name=a]/required"


def test_missing_result_step_reported():
    problem = only_problem(scenario_xml(result=""), "no result step")

    assert problem.line == 1


def test_result_not_last_reported():
    steps = RESULT.replace('id="result"', 'id="early"')
    xml = scenario_xml(steps, result='<step id="r" kind="review" title="R"><commitment label="C">Tích</commitment></step>')

    only_problem(xml, "is not the last step")


def test_login_feedback_required_for_each_field():
    xml = scenario_xml().replace('<feedback field="otp">OTP sai</feedback>', "")

    problem = only_problem(xml, "no feedback for otp")

    assert problem.location == "step[id=login]"


def test_trap_needs_one_correct_action():
    steps = (
        '<step id="t" kind="trap" channel="sms" sender="Lạ" title="T"><message><p>Gửi OTP</p></message>'
        '<action id="a" correct="true" label="A">ok</action><action id="b" correct="true" label="B">ok</action></step>'
    )

    only_problem(scenario_xml(steps), "2 correct actions")


def test_attachments_need_required_document():
    steps = '<step id="d" kind="attachments" title="D"><document id="x" label="X"/></step>'

    only_problem(scenario_xml(steps), "no required document")


def test_payment_amount_must_be_number():
    steps = (
        '<step id="p" kind="payment" amount="mười" title="P"><method id="m" correct="true" label="M">ok</method>'
        "<amount_feedback>Sai</amount_feedback></step>"
    )

    only_problem(scenario_xml(steps), "not a whole number")


def test_unknown_element_reported():
    steps = '<step id="f" kind="form" title="F"><field name="a" label="A"><required>R</required></field><script>x</script></step>'

    problem = only_problem(scenario_xml(steps), "Unknown element <script>")

    assert problem.location == "step[id=f]"


def test_problem_messages_translated():
    catalog = {"The scenario has no result step.": "Kịch bản không có bước kết quả."}

    problems = check_scenario(parse_xml(scenario_xml(result="")), lambda message: catalog.get(message, message))

    assert "Kịch bản không có bước kết quả." in messages(problems)


def test_wrong_root_reported():
    problems = problems_of("<problem/>")

    assert "<problem>" in problems[0].message


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE x [<!ENTITY e "boom">]><egov_simulation>&e;</egov_simulation>',
        '<egov_simulation><intro>\x01</intro></egov_simulation>',
        "<egov_simulation><persona>",
        "<a>" * 100 + "</a>" * 100,
    ],
)
def test_hostile_xml_rejected(xml):
    with pytest.raises(UnsafeXMLError):
        parse_scenario_string(xml)


def test_inner_content_round_trips_exactly():
    source = (SCENARIOS / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
    tricky = source.replace("<intro>", '<intro><![CDATA[5% <b>#1</b>]]> 😀 &amp; ')

    inner = serialize_children(parse_xml(tricky))
    again = serialize_children(wrap_scenario(inner))

    assert again == inner
    assert "<![CDATA[5% <b>#1</b>]]> 😀 &amp; " in inner
