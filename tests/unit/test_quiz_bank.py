"""Parsing and validation of the quiz OLX: every problem is reported, with its place."""

import pytest

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.quiz.bank import (
    AREAS,
    ORDERING,
    RED_FLAGS,
    QuizError,
    check_quiz,
    inner_html,
    parse_quiz,
)

VALID = """<citizenship_quiz draw="2" shuffle_options="true">
  <intro><p>Giới thiệu</p></intro>
  <recommendation area="safety" unit="unit-scams">Bài nhận diện lừa đảo</recommendation>
  <recommendation area="information" href="https://example.org/du-lieu">Dữ liệu cá nhân</recommendation>
  <question id="q1" type="single_choice" area="safety" difficulty="easy">
    <prompt><p>Số nào để báo tin nhắn lừa đảo?</p></prompt>
    <option id="a" correct="true">156<feedback>Đúng &lt;số&gt;</feedback></option>
    <option id="b">113</option>
    <explanation source="Luật An ninh mạng 2025"><p>Giải thích</p></explanation>
  </question>
  <question id="q2" type="true_false" area="information" difficulty="medium" answer="false">
    <prompt>Im lặng là đồng ý.</prompt>
    <feedback for="true">Không đúng.</feedback>
  </question>
  <question id="q3" type="ordering" area="problem_solving" difficulty="hard">
    <prompt>Sắp xếp</prompt>
    <item id="x">Một</item><item id="y">Hai</item><item id="z">Ba</item>
  </question>
  <question id="q4" type="red_flags" area="safety" difficulty="hard">
    <prompt>Đánh dấu</prompt>
    <message kind="web" title="Cổng giả">
      <part id="url" field="address" suspicious="true">https://dichvucong.vn-gov.top</part>
      <part id="body">Chào mừng</part>
    </message>
  </question>
  <question id="q5" type="multiple_response" area="communication" difficulty="easy" shuffle="false">
    <prompt>Chọn hết</prompt>
    <option id="a" correct="true">A</option><option id="b" correct="true">B</option><option id="c">C</option>
  </question>
</citizenship_quiz>"""


def problems_of(xml):
    return check_quiz(parse_xml(xml))


def messages_of(xml):
    return [problem.message for problem in problems_of(xml)]


def test_valid_quiz_has_no_problems():
    assert problems_of(VALID) == []


def test_parse_builds_model():
    quiz = parse_quiz(parse_xml(VALID))

    assert quiz.draw == 2
    assert [question.id for question in quiz.questions] == ["q1", "q2", "q3", "q4", "q5"]
    assert quiz.question("q1").correct_ids == ["a"]
    assert quiz.question("q1").source == "Luật An ninh mạng 2025"
    assert quiz.question("q2").correct_ids == ["false"]
    assert quiz.question("q2").choice("true").feedback == "Không đúng."
    assert quiz.question("q3").type == ORDERING
    assert quiz.question("q3").correct_ids == ["x", "y", "z"]
    assert quiz.question("q4").type == RED_FLAGS
    assert quiz.question("q4").message.kind == "web"
    assert quiz.question("q4").choice("url").field == "address"
    assert quiz.question("q4").correct_ids == ["url"]
    assert quiz.question("q5").shuffle is False
    assert [r.area for r in quiz.recommendations] == ["safety", "information"]


def test_option_text_excludes_feedback_and_keeps_escapes():
    quiz = parse_quiz(parse_xml(VALID))
    option = quiz.question("q1").choice("a")

    assert option.html == "156"
    assert option.feedback == "Đúng &lt;số&gt;"


def test_inner_html_escapes_text_and_keeps_children():
    element = parse_xml("<p>a &lt;script&gt; <b>bold</b> &amp; tail</p>")

    assert inner_html(element) == "a &lt;script&gt; <b>bold</b> &amp; tail"


def test_draw_defaults_to_pool_size():
    xml = VALID.replace(' draw="2"', "")

    assert parse_quiz(parse_xml(xml)).draw == 5


def test_parse_raises_with_all_problems():
    xml = VALID.replace('difficulty="easy"', 'difficulty="trivial"').replace('area="information" difficulty', 'area="music" difficulty')

    with pytest.raises(QuizError) as raised:
        parse_quiz(parse_xml(xml))

    messages = [problem.message for problem in raised.value.problems]
    assert sum("Difficulty \"trivial\"" in message for message in messages) == 2
    assert any("Competence area \"music\"" in message for message in messages)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="0"', 'draw="0" is not a whole number'),
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="9"', "more than the 5 questions"),
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="2" colour="red"', "Unknown attribute colour"),
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="2" max_attempts="-1"', "max_attempts=\"-1\""),
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="2" passing_percentage="120"', "passing_percentage=\"120\""),
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="2" weight="heavy"', "weight=\"heavy\""),
        ('<citizenship_quiz draw="2"', '<citizenship_quiz draw="2" show_answers="always"', "show_answers=\"always\""),
        ('shuffle_options="true"', 'shuffle_options="maybe"', "shuffle_options=\"maybe\" is not true or false"),
        ("<intro>", "<outro></outro><intro>", "Unknown element <outro>"),
        ('id="q2"', 'id="q1"', "used twice"),
        ('id="q2"', 'id="bad id!"', "is not valid"),
        ('id="q2" ', "", "has no id"),
        ('type="single_choice"', 'type="essay"', 'Question type "essay"'),
        ('area="communication"', 'area=""', 'Competence area ""'),
        ('difficulty="medium"', 'difficulty="extreme"', 'Difficulty "extreme"'),
        ("<prompt>Sắp xếp</prompt>", "", "needs one <prompt>"),
        ("<prompt>Chọn hết</prompt>", "<prompt>  </prompt>", "needs one <prompt>"),
        ('<option id="b">113</option>', '<option id="b" correct="true">113</option>', "2 correct options"),
        ('<option id="b">113</option>', "", "has 1 options"),
        ('<option id="b">113</option>', '<option id="a">113</option>', "<option> id \"a\" is used twice"),
        ('<option id="b">113</option>', '<option id="b"> </option>', "The option has no text"),
        ('<option id="b">113</option>', '<option id="b" correct="yes please">113</option>', "correct=\"yes please\""),
        ('<option id="a" correct="true">A</option><option id="b" correct="true">B</option>',
         '<option id="a">A</option><option id="b">B</option>', "no correct option"),
        ('answer="false"', 'answer="maybe"', "needs answer=\"true\" or answer=\"false\""),
        ('<feedback for="true">', '<feedback for="yes">', 'for="yes"'),
        ('<item id="y">Hai</item><item id="z">Ba</item>', "", "has 1 items"),
        ('<item id="y">Hai</item>', '<item id="y"></item>', "The item has no text"),
        ('<message kind="web"', '<message kind="fax"', 'Message kind "fax"'),
        ('<part id="body">Chào mừng</part>', "", "has 1 parts"),
        ('field="address" suspicious="true"', 'field="footer" suspicious="true"', 'Part field "footer"'),
        ('field="address" suspicious="true"', 'field="address"', "No part of the message is marked"),
        ('<part id="body">Chào mừng</part>', '<part id="body">Chào mừng</part><link/>', "Unknown element <link> in <message>"),
        ("<explanation source", "<hint/><explanation source", "Unknown element <hint>"),
        ('area="safety" unit="unit-scams"', 'area="luck" unit="unit-scams"', 'Recommendation area "luck"'),
        ('unit="unit-scams"', "", "exactly one of unit or href"),
        ('unit="unit-scams"', 'unit="unit-scams" href="https://example.org"', "exactly one of unit or href"),
        ('unit="unit-scams"', 'unit="bad unit/"', "is not a valid url_name"),
        ('href="https://example.org/du-lieu"', 'href="javascript:alert(1)"', "must start with https://"),
        (">Bài nhận diện lừa đảo<", "><", "has no link text"),
    ],
)
def test_check_reports_problem(old, new, expected):
    assert old in VALID, old
    problems = problems_of(VALID.replace(old, new, 1))

    assert any(expected in problem.message for problem in problems), [problem.message for problem in problems]
    assert all(problem.line for problem in problems)


def test_check_reports_wrong_root():
    problems = problems_of("<problem/>")

    assert len(problems) == 1
    assert "<problem>" in problems[0].message


def test_check_reports_empty_pool():
    assert any("no questions" in message for message in messages_of("<citizenship_quiz/>"))


def test_check_reports_every_problem_at_once():
    xml = VALID.replace('type="single_choice"', 'type="essay"').replace('kind="web"', 'kind="fax"').replace('draw="2"', 'draw="x"')

    messages = messages_of(xml)

    assert len(messages) == 3


def test_check_translates_messages():
    translated = check_quiz(parse_xml("<citizenship_quiz/>"), translate=lambda message: "VI:" + message)

    assert translated[0].message.startswith("VI:")
    assert translated[0].fix.startswith("VI:")


def test_problem_names_location():
    problems = problems_of(VALID.replace('<option id="b">113</option>', '<option id="b"> </option>'))

    assert problems[0].location == "question[id=q1]/option[id=b]"
    assert "question[id=q1]/option[id=b]" in problems[0].format()


def test_areas_are_the_five_digcomp_areas():
    assert len(AREAS) == 5
