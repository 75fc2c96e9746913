"""`validate` on graded subsections whose format names no assignment type of the grading policy."""

import json
import unicodedata

from digital_skills_xblocks.cli import main
from digital_skills_xblocks.olx.validate import validate_course
from olx_samples import make_course, write

GRADED_SEQUENTIAL = ('<sequential display_name="Bài 1" graded="true" format="{format}">\n'
                     '  <vertical url_name="don_vi_1"/>\n  <vertical url_name="don_vi_2"/>\n</sequential>\n')


def errors_of(problems):
    return [problem for problem in problems if problem.severity == "error"]


def test_matching_format_is_clean(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml", GRADED_SEQUENTIAL.format(format="Thực hành"))

    assert errors_of(validate_course(course)) == []


def test_unknown_format_is_error(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml", GRADED_SEQUENTIAL.format(format="Bài tập về nhà"))

    code = main(["validate", course])
    out = capsys.readouterr().out

    assert code == 1
    assert ('sequential/bai_1.xml:1: sequential[url_name=bai_1]: error: The format "Bài tập về nhà" of this '
            "graded subsection matches no assignment type") in out
    assert 'policies/2026/grading_policy.json: "Thực hành"' in out
    assert 'add a GRADER entry with "type": "Bài tập về nhà"' in out


def test_ungraded_format_is_ignored(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml",
          GRADED_SEQUENTIAL.format(format="Không có").replace('graded="true"', 'graded="false"'))

    assert errors_of(validate_course(course)) == []


def test_graded_without_format_is_error(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml", GRADED_SEQUENTIAL.replace(' format="{format}"', ""))

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert problems[0].file == "sequential/bai_1.xml"
    assert "has no format" in problems[0].message


def test_nfd_format_explained(tmp_path):
    course = make_course(tmp_path / "course")
    decomposed = unicodedata.normalize("NFD", "Thực hành")
    write(course, "sequential/bai_1.xml", GRADED_SEQUENTIAL.format(format=decomposed))

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert "NFC" in problems[0].fix


def test_policy_json_format_wins(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml", GRADED_SEQUENTIAL.format(format="Thực hành"))
    policy = {"course/2026": {"advanced_modules": []},
              "sequential/bai_1": {"graded": True, "format": "Kiểm tra"}}
    write(course, "policies/2026/policy.json", json.dumps(policy, ensure_ascii=False, indent=2) + "\n")

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert problems[0].file == "policies/2026/policy.json"
    assert problems[0].line == 5
    assert '"Kiểm tra"' in problems[0].message


def test_invalid_grader_skips_check(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml", GRADED_SEQUENTIAL.format(format="Bài tập về nhà"))
    write(course, "policies/2026/grading_policy.json", '{"GRADER": {}, "GRADE_CUTOFFS": {"Pass": 0.5}}')

    problems = errors_of(validate_course(course))

    assert [problem.file for problem in problems] == ["policies/2026/grading_policy.json"]
