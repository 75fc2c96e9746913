"""Quiz recommendations: the course-level check of their units, and no repeated links for learners."""

from digital_skills_xblocks.olx.validate import validate_course
from digital_skills_xblocks.quiz.bank import Quiz, Recommendation
from digital_skills_xblocks.quiz.profile import recommendations_for
from olx_samples import add_quiz, make_course

QUIZ_FILE = "citizenship_quiz/kiem_tra.xml"


def test_existing_units_are_clean(tmp_path):
    course = make_course(tmp_path / "course")
    add_quiz(course, ['<recommendation area="safety" unit="don_vi_1">Bài 1</recommendation>',
                      '<recommendation area="information" href="https://example.org/bai">Trang web</recommendation>'])

    problems = validate_course(course)

    assert problems == [], [problem.format() for problem in problems]


def test_missing_unit_is_error(tmp_path):
    course = make_course(tmp_path / "course")
    add_quiz(course, ['<recommendation area="safety" unit="don_vi_1">Bài 1</recommendation>',
                      '<recommendation area="safety" unit="bai_da_xoa">Bài đã xoá</recommendation>'])

    problems = validate_course(course)

    assert len(problems) == 1
    assert problems[0].severity == "error"
    assert problems[0].file == QUIZ_FILE
    assert problems[0].line == 4
    assert problems[0].location == "citizenship_quiz[url_name=kiem_tra]/recommendation"
    assert 'unit="bai_da_xoa"' in problems[0].message
    assert "vertical" in problems[0].fix


def test_block_instead_of_unit_warns(tmp_path):
    course = make_course(tmp_path / "course")
    add_quiz(course, ['<recommendation area="safety" unit="gioi_thieu">Giới thiệu</recommendation>'])

    problems = validate_course(course)

    assert [problem.severity for problem in problems] == ["warning"]
    assert "a block of type html" in problems[0].message
    assert 'unit="don_vi_1"' in problems[0].fix


def test_duplicate_recommendation_warns(tmp_path):
    course = make_course(tmp_path / "course")
    add_quiz(course, ['<recommendation area="safety" unit="don_vi_1">Bài 1</recommendation>',
                      '<recommendation area="information" unit="don_vi_1">Bài 1</recommendation>',
                      '<recommendation area="safety" unit="don_vi_1">Bài 1, nhắc lại</recommendation>',
                      '<recommendation area="safety" href="/trang">Trang</recommendation>',
                      '<recommendation area="safety" href="/trang">Trang</recommendation>'])

    problems = validate_course(course)

    assert [problem.severity for problem in problems] == ["warning", "warning"]
    assert [problem.line for problem in problems] == [5, 7]
    assert "line 3" in problems[0].message
    assert "line 6" in problems[1].message


def test_recommendations_for_skips_duplicates():
    first = Recommendation(area="safety", text="Bài 1", unit="don_vi_1")
    same = Recommendation(area="safety", text="Bài 1", unit="don_vi_1")
    other_text = Recommendation(area="safety", text="Bài 1, nhắc lại", unit="don_vi_1")
    other_area = Recommendation(area="information", text="Bài 1", unit="don_vi_1")
    quiz = Quiz(questions=(), draw=0, recommendations=(first, same, other_text, other_area))

    chosen = recommendations_for(quiz, ["information", "safety", "safety"])

    assert chosen == [other_area, first, other_text]
