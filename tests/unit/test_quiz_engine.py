"""Selection, shuffling, scoring of each question type, profile, recommendations and statistics."""

import csv
import io
from collections import Counter

import pytest

from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.quiz.bank import parse_quiz
from digital_skills_xblocks.quiz.profile import competence_profile, recommendations_for, weak_areas
from digital_skills_xblocks.quiz.scoring import (
    AnswerError,
    AttemptResult,
    QuestionResult,
    normalize_answer,
    normalize_answers,
    score_attempt,
    score_question,
)
from digital_skills_xblocks.quiz.selection import Layout, attempt_seed, draw_layout, layout_matches
from digital_skills_xblocks.quiz.stats import question_rows, record_attempt, stats_csv


def single(qid, area="safety", shuffle=""):
    return f"""<question id="{qid}" type="single_choice" area="{area}" difficulty="easy"{shuffle}>
      <prompt>P {qid}</prompt>
      <option id="a" correct="true">A</option><option id="b">B</option><option id="c">C</option><option id="d">D</option>
    </question>"""


QUESTIONS = """
  <question id="mr" type="multiple_response" area="information" difficulty="medium">
    <prompt>MR</prompt>
    <option id="a" correct="true">A</option><option id="b" correct="true">B</option>
    <option id="c">C</option><option id="d">D</option>
  </question>
  <question id="tf" type="true_false" area="communication" difficulty="easy" answer="true"><prompt>TF</prompt></question>
  <question id="ord" type="ordering" area="problem_solving" difficulty="hard">
    <prompt>ORD</prompt><item id="i1">1</item><item id="i2">2</item><item id="i3">3</item><item id="i4">4</item>
  </question>
  <question id="rf" type="red_flags" area="safety" difficulty="hard">
    <prompt>RF</prompt>
    <message kind="sms"><part id="p1" suspicious="true">x</part><part id="p2" suspicious="true">y</part><part id="p3">z</part><part id="p4">w</part></message>
  </question>
"""


def make_quiz(draw=None, shuffle_options="true", extra="", pool=10):
    draw_attribute = f' draw="{draw}"' if draw else ""
    singles = "".join(single(f"s{index}") for index in range(pool))
    xml = f"""<citizenship_quiz{draw_attribute} shuffle_options="{shuffle_options}">
      <recommendation area="safety" unit="u-safety">An toàn</recommendation>
      <recommendation area="information" href="https://example.org/info">Thông tin</recommendation>
      <recommendation area="safety" href="/extra">Thêm</recommendation>
      {singles}{QUESTIONS}{extra}
    </citizenship_quiz>"""
    return parse_quiz(parse_xml(xml))


# Selection.

def test_seed_depends_on_each_input():
    base = attempt_seed("anon", "block", 1)

    assert attempt_seed("anon", "block", 1) == base
    assert attempt_seed("anon2", "block", 1) != base
    assert attempt_seed("anon", "block2", 1) != base
    assert attempt_seed("anon", "block", 2) != base


def test_draw_is_reproducible_for_same_learner_and_attempt():
    quiz = make_quiz(draw=5)
    seed = attempt_seed("learner-1", "usage-1", 1)

    assert draw_layout(quiz, seed) == draw_layout(quiz, seed)


def test_draw_differs_between_attempts():
    quiz = make_quiz(draw=5)
    layouts = {draw_layout(quiz, attempt_seed("learner-1", "usage-1", attempt)).question_ids for attempt in range(1, 6)}

    assert len(layouts) > 1


def test_draw_takes_n_distinct_questions():
    quiz = make_quiz(draw=6)
    layout = draw_layout(quiz, 12345)

    assert len(layout.question_ids) == 6
    assert len(set(layout.question_ids)) == 6
    assert set(layout.choice_orders) == set(layout.question_ids)


def test_draw_covers_pool_evenly():
    quiz = make_quiz(draw=3, pool=6)
    counts = Counter()
    for learner in range(600):
        counts.update(draw_layout(quiz, attempt_seed(f"learner-{learner}", "usage", 1)).question_ids)

    # 600 draws of 3 from 10 questions: 180 expected each; 110–250 is far outside chance.
    assert set(counts) == {question.id for question in quiz.questions}
    assert min(counts.values()) > 110
    assert max(counts.values()) < 250


def test_options_shuffled_when_enabled():
    quiz = make_quiz()
    orders = {draw_layout(quiz, seed).choice_orders["s0"] for seed in range(40)}

    assert len(orders) > 1
    assert all(sorted(order) == ["a", "b", "c", "d"] for order in orders)


def test_options_kept_when_quiz_disables_shuffle():
    quiz = make_quiz(shuffle_options="false")

    for seed in range(20):
        assert draw_layout(quiz, seed).choice_orders["s0"] == ("a", "b", "c", "d")


def test_options_kept_when_question_disables_shuffle():
    quiz = make_quiz(extra=single("fixed", shuffle=' shuffle="false"'))

    for seed in range(20):
        assert draw_layout(quiz, seed).choice_orders["fixed"] == ("a", "b", "c", "d")


def test_ordering_never_shown_in_right_order():
    quiz = make_quiz(shuffle_options="false")

    for seed in range(50):
        order = draw_layout(quiz, seed).choice_orders["ord"]
        assert order != ("i1", "i2", "i3", "i4")
        assert sorted(order) == ["i1", "i2", "i3", "i4"]


def test_true_false_and_message_parts_keep_order():
    quiz = make_quiz()

    for seed in range(10):
        layout = draw_layout(quiz, seed)
        assert layout.choice_orders["tf"] == ("true", "false")
        assert layout.choice_orders["rf"] == ("p1", "p2", "p3", "p4")


def test_layout_json_round_trip():
    layout = draw_layout(make_quiz(draw=4), 99)

    assert Layout.from_json(layout.to_json()) == layout


def test_layout_matches_detects_edited_pool():
    quiz = make_quiz()
    layout = Layout(question_ids=("s0", "gone"), choice_orders={"s0": ("a", "b", "c", "d"), "gone": ()})

    assert not layout_matches(quiz, layout)
    assert layout_matches(quiz, draw_layout(quiz, 1))


# Scoring.

@pytest.fixture(name="quiz")
def quiz_fixture():
    return make_quiz()


@pytest.mark.parametrize("answer, expected", [("a", 1.0), ("b", 0.0), (None, 0.0)])
def test_single_choice_scoring(quiz, answer, expected):
    assert score_question(quiz.question("s0"), answer) == expected


@pytest.mark.parametrize("answer, expected", [("true", 1.0), ("false", 0.0)])
def test_true_false_scoring(quiz, answer, expected):
    assert score_question(quiz.question("tf"), answer) == expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        (["a", "b"], 1.0),
        (["a"], 0.5),
        (["a", "b", "c"], 0.5),
        (["a", "c"], 0.0),
        (["a", "c", "d"], 0.0),
        (["a", "b", "c", "d"], 0.0),
        ([], 0.0),
    ],
)
def test_multiple_response_partial_credit(quiz, answer, expected):
    question = quiz.question("mr")

    assert score_question(question, normalize_answer(question, answer)) == expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        (["p1", "p2"], 1.0),
        (["p2"], 0.5),
        (["p1", "p2", "p3"], 0.5),
        (["p3", "p4"], 0.0),
        (["p1", "p2", "p3", "p4"], 0.0),
    ],
)
def test_red_flags_partial_credit(quiz, answer, expected):
    question = quiz.question("rf")

    assert score_question(question, normalize_answer(question, answer)) == expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        (["i1", "i2", "i3", "i4"], 1.0),
        (["i2", "i1", "i3", "i4"], 0.5),
        (["i1", "i3", "i2", "i4"], 0.5),
        (["i4", "i3", "i2", "i1"], 0.0),
        (["i1", "i4", "i3", "i2"], 0.5),
    ],
)
def test_ordering_partial_credit(quiz, answer, expected):
    assert score_question(quiz.question("ord"), answer) == expected


@pytest.mark.parametrize(
    "qid, answer",
    [
        ("s0", "z"),
        ("s0", ["a"]),
        ("s0", 3),
        ("tf", "yes"),
        ("tf", 1),
        ("mr", "a"),
        ("mr", ["a", "a"]),
        ("mr", ["a", "zz"]),
        ("mr", [1, 2]),
        ("mr", {"a": True}),
        ("ord", ["i1", "i2"]),
        ("ord", ["i1", "i2", "i3", "i9"]),
        ("rf", ["p1", None]),
    ],
)
def test_normalize_rejects_bad_answers(quiz, qid, answer):
    with pytest.raises(AnswerError):
        normalize_answer(quiz.question(qid), answer)


def test_normalize_accepts_booleans_and_sorts_sets(quiz):
    assert normalize_answer(quiz.question("tf"), True) == "true"
    assert normalize_answer(quiz.question("tf"), False) == "false"
    assert normalize_answer(quiz.question("mr"), ["b", "a"]) == ["a", "b"]
    assert normalize_answer(quiz.question("ord"), ["i2", "i1", "i3", "i4"]) == ["i2", "i1", "i3", "i4"]
    assert normalize_answer(quiz.question("mr"), []) is None


def test_normalize_answers_rejects_question_outside_layout(quiz):
    layout = Layout(question_ids=("s0",), choice_orders={"s0": ("a", "b", "c", "d")})

    with pytest.raises(AnswerError):
        normalize_answers(quiz, layout, {"s0": "a", "s1": "a"})


def test_normalize_answers_fills_missing_with_none(quiz):
    layout = Layout(question_ids=("s0", "tf"), choice_orders={})

    assert normalize_answers(quiz, layout, {"s0": "a"}) == {"s0": "a", "tf": None}


def test_attempt_score_and_percent(quiz):
    layout = Layout(question_ids=("s0", "mr", "ord"), choice_orders={})
    answers = normalize_answers(quiz, layout, {"s0": "a", "mr": ["a"], "ord": ["i2", "i1", "i3", "i4"]})

    result = score_attempt(quiz, layout, answers)

    assert result.earned == 2.0
    assert result.possible == 3.0
    assert result.percent == 66
    assert not result.passed(70)
    assert result.passed(66)
    assert [item.status for item in result.results] == ["correct", "partial", "partial"]


def test_percent_rounds_down_without_float_noise():
    result = AttemptResult(tuple(QuestionResult(f"q{index}", score) for index, score in enumerate([0.29, 0, 0, 0])))
    one = AttemptResult((QuestionResult("q", 0.29),))

    assert one.percent == 29
    assert result.percent == 7


# Profile and recommendations.

def test_profile_groups_by_area_in_digcomp_order(quiz):
    layout = Layout(question_ids=("rf", "s0", "mr", "tf"), choice_orders={})
    answers = normalize_answers(quiz, layout, {"s0": "a", "rf": ["p1"], "mr": ["c"], "tf": "true"})
    result = score_attempt(quiz, layout, answers)

    profile = competence_profile(quiz, result)

    assert [(area.area, area.earned, area.possible, area.percent) for area in profile] == [
        ("information", 0.0, 1.0, 0),
        ("communication", 1.0, 1.0, 100),
        ("safety", 1.5, 2.0, 75),
    ]


def test_weak_areas_weakest_first(quiz):
    layout = Layout(question_ids=("rf", "s0", "mr", "tf"), choice_orders={})
    result = score_attempt(quiz, layout, normalize_answers(quiz, layout, {"s0": "a", "rf": ["p1"], "mr": ["a"], "tf": "true"}))

    assert weak_areas(competence_profile(quiz, result), 80) == ["information", "safety"]
    assert weak_areas(competence_profile(quiz, result), 50) == []


def test_recommendations_follow_weak_areas(quiz):
    links = recommendations_for(quiz, ["information", "safety"])

    assert [(link.area, link.unit or link.href) for link in links] == [
        ("information", "https://example.org/info"),
        ("safety", "u-safety"),
        ("safety", "/extra"),
    ]
    assert recommendations_for(quiz, ["communication"]) == []


# Statistics.

def test_stats_count_correct_and_wrong_choices(quiz):
    layout = Layout(question_ids=("s0", "mr", "ord", "rf", "tf"), choice_orders={})
    stats = {}
    submissions = [
        {"s0": "a", "mr": ["a", "c"], "ord": ["i2", "i1", "i3", "i4"], "rf": ["p1", "p3"]},
        {"s0": "b", "mr": ["a", "b"], "ord": ["i1", "i2", "i3", "i4"], "rf": ["p1", "p2"]},
        {"s0": "b", "mr": ["c", "d"]},
    ]
    for submission in submissions:
        answers = normalize_answers(quiz, layout, submission)
        stats = record_attempt(stats, quiz, answers, score_attempt(quiz, layout, answers))

    assert stats["s0"] == {"answered": 3, "correct": 1, "wrong": {"b": 2}}
    assert stats["mr"] == {"answered": 3, "correct": 1, "wrong": {"c": 2, "d": 1}}
    assert stats["ord"] == {"answered": 2, "correct": 1, "wrong": {"i2": 1, "i1": 1}}
    assert stats["rf"] == {"answered": 2, "correct": 1, "wrong": {"p3": 1}}
    assert "tf" not in stats

    rows = {row["id"]: row for row in question_rows(stats, quiz)}
    assert rows["s0"]["correct_rate"] == 33
    assert rows["s0"]["top_wrong_id"] == "b"
    assert rows["s0"]["top_wrong_text"] == "B"
    assert rows["s0"]["top_wrong_count"] == 2
    assert rows["tf"]["answered"] == 0
    assert rows["tf"]["correct_rate"] is None


def test_record_attempt_does_not_mutate_input(quiz):
    layout = Layout(question_ids=("s0",), choice_orders={})
    stats = {"s0": {"answered": 1, "correct": 0, "wrong": {"b": 1}}}
    answers = normalize_answers(quiz, layout, {"s0": "b"})

    record_attempt(stats, quiz, answers, score_attempt(quiz, layout, answers))

    assert stats == {"s0": {"answered": 1, "correct": 0, "wrong": {"b": 1}}}


def test_csv_neutralises_formulas():
    rows = [{
        "id": "q1", "type": "single_choice", "area": "safety", "difficulty": "easy", "prompt": "=HYPERLINK(\"x\")",
        "answered": 2, "correct": 1, "correct_rate": 50, "top_wrong_id": "b", "top_wrong_text": "@cmd", "top_wrong_count": 1,
    }]

    parsed = list(csv.reader(io.StringIO(stats_csv(rows))))

    assert parsed[0][0] == "id"
    assert parsed[1][4] == "'=HYPERLINK(\"x\")"
    assert parsed[1][9] == "'@cmd"
    assert parsed[1][7] == "50"
