"""`digital-skills validate`: clean courses pass, broken ones fail with file, line and fix."""

import os
import subprocess
import sys

import pytest

from digital_skills_xblocks.cli import main
from digital_skills_xblocks.olx.validate import validate_course
from olx_samples import COURSE_EXPORTS, REAL_OLX, make_course, write

DEMO_COURSE = os.path.join(REAL_OLX, "openedx-demo-course")


def run_cli(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def errors_of(problems):
    return [problem for problem in problems if problem.severity == "error"]


def test_valid_course_is_clean(tmp_path, capsys):
    course = make_course(tmp_path / "course")

    code, out, _err = run_cli(capsys, "validate", course)

    assert code == 0, out
    assert "errors: 0," in out


def test_valid_course_with_simulation(tmp_path, capsys):
    course = make_course(tmp_path / "course", with_simulation=True)

    code, out, _err = run_cli(capsys, "validate", course)

    assert code == 0, out
    assert "error:" not in out


def test_shipped_courses_are_clean(capsys):
    courses = [os.path.join(COURSE_EXPORTS, name) for name in sorted(os.listdir(COURSE_EXPORTS))
               if os.path.isfile(os.path.join(COURSE_EXPORTS, name, "course.xml"))]
    assert courses, "course_exports/ has no course"
    for course in courses:
        code, out, _err = run_cli(capsys, "validate", course)
        assert code == 0, out


def test_missing_pointer_target(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "vertical", "don_vi_2.xml"))

    code, out, _err = run_cli(capsys, "validate", course)

    assert code == 1
    assert "sequential/bai_1.xml:3: vertical[url_name=don_vi_2]: error:" in out
    assert "vertical/don_vi_2.xml" in out
    assert "Create vertical/don_vi_2.xml or fix the url_name." in out


def test_missing_html_file(tmp_path):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "html", "gioi_thieu.html"))

    problems = errors_of(validate_course(course))

    assert [problem.file for problem in problems] == ["html/gioi_thieu.xml"]
    assert problems[0].line == 1
    assert "html/gioi_thieu.html" in problems[0].message


def test_bad_json_policy(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    write(course, "policies/2026/policy.json", '{\n  "course/2026": {\n    "advanced_modules": [,]\n  }\n}\n')

    code, out, _err = run_cli(capsys, "validate", course)

    assert code == 1
    assert "policies/2026/policy.json:3: error: The JSON is invalid" in out


def test_policy_without_course_key(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "policies/2026/policy.json", '{"course/khac": {}}')

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert problems[0].file == "policies/2026/policy.json"
    assert '"course/2026"' in problems[0].message


@pytest.mark.parametrize("grading, expected", [
    ('{"GRADER": {}, "GRADE_CUTOFFS": {"Pass": 0.5}}', "GRADER is missing or not a list"),
    ('{"GRADER": [{"type": "A", "min_count": -1, "drop_count": 0, "weight": 1}], "GRADE_CUTOFFS": {"Pass": 0.5}}',
     "min_count must be a whole number"),
    ('{"GRADER": [{"type": "A", "min_count": 1, "drop_count": 0, "weight": 2}], "GRADE_CUTOFFS": {"Pass": 0.5}}',
     "weight must be a number from 0 to 1"),
    ('{"GRADER": [{"type": "A", "min_count": 1, "drop_count": 0, "weight": 1}], "GRADE_CUTOFFS": {"Pass": 1.5}}',
     'The cutoff of grade "Pass"'),
    ('{"GRADER": [{"type": "A", "min_count": 1, "drop_count": 0, "weight": 1}]}', "GRADE_CUTOFFS is missing"),
    ('[]', "The grading policy must be a JSON object"),
])
def test_bad_grading_policy(tmp_path, grading, expected):
    course = make_course(tmp_path / "course")
    write(course, "policies/2026/grading_policy.json", grading)

    problems = errors_of(validate_course(course))

    assert any(expected in problem.message for problem in problems), [p.format() for p in problems]
    assert all(problem.file == "policies/2026/grading_policy.json" for problem in problems)


def test_bad_url_name(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml",
          '<sequential display_name="Bài 1">\n  <vertical url_name="don vi 1"/>\n</sequential>\n')
    write(course, "vertical/don vi 1.xml", '<vertical display_name="X"><html url_name="gioi_thieu"/></vertical>')

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert problems[0].file == "sequential/bai_1.xml"
    assert problems[0].line == 2
    assert "don vi 1" in problems[0].message


def test_duplicate_url_name(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <html url_name="gioi_thieu"/>\n</vertical>\n')

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert problems[0].file == "vertical/don_vi_2.xml"
    assert problems[0].line == 2
    assert "used 2 times" in problems[0].message


@pytest.mark.parametrize("content, expected", [
    ('<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<vertical>&a;</vertical>', "DOCTYPE"),
    ("<vertical>" * 100 + "</vertical>" * 100, "nested more than"),
    ("<vertical><html url_name='x'></vertical>", "invalid XML"),
    ("<vertical>" + "x" * (3 * 1024 * 1024) + "</vertical>", "more than the limit"),
])
def test_hostile_xml_reported(tmp_path, content, expected):
    course = make_course(tmp_path / "course")
    write(course, "vertical/don_vi_2.xml", content)

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert problems[0].file == "vertical/don_vi_2.xml"
    assert expected in problems[0].message
    # The rest of the course is still read: the first unit's html file was checked.
    write(course, "html/gioi_thieu.html", "")
    os.remove(os.path.join(course, "html", "gioi_thieu.html"))
    assert any("gioi_thieu.html" in problem.message for problem in errors_of(validate_course(course)))


def test_missing_advanced_module(tmp_path, capsys):
    course = make_course(tmp_path / "course", with_simulation=True, advanced_modules=[])

    code, out, _err = run_cli(capsys, "validate", course)

    assert code == 1
    assert "policies/2026/policy.json:4: error: The course uses egov_simulation but advanced_modules" in out
    assert 'Add "egov_simulation" to advanced_modules' in out


def test_broken_scenario_reported(tmp_path):
    course = make_course(tmp_path / "course", with_simulation=True)
    write(course, "egov_simulation/khai_sinh.xml", '<egov_simulation display_name="Trống">\n</egov_simulation>\n')

    problems = errors_of(validate_course(course))

    assert problems, "an empty scenario must be an error"
    assert all(problem.file == "egov_simulation/khai_sinh.xml" for problem in problems)
    assert all(problem.location.startswith("egov_simulation[url_name=khai_sinh]") for problem in problems)


def test_missing_checker_reported(tmp_path, monkeypatch):
    from digital_skills_xblocks.olx import validate

    course = make_course(tmp_path / "course", with_simulation=True)
    monkeypatch.setitem(validate.CHECKERS, "egov_simulation", ("digital_skills_xblocks.no_such_module", "check"))

    problems = errors_of(validate_course(course))

    assert len(problems) == 1
    assert "cannot be checked" in problems[0].message
    assert "digital_skills_xblocks.no_such_module.check" in problems[0].message


def test_orphan_file_is_warning(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    write(course, "html/bo_quen.xml", "<html/>")

    code, out, _err = run_cli(capsys, "validate", course)
    assert code == 0
    assert "html/bo_quen.xml: warning: No block of the course uses this file." in out

    code, out, _err = run_cli(capsys, "validate", "--strict", course)
    assert code == 1


def test_missing_static_is_warning(tmp_path):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "static", "hinh.png"))

    problems = validate_course(course)

    assert [problem.severity for problem in problems] == ["warning"]
    assert problems[0].file == "html/gioi_thieu.html"
    assert "/static/hinh.png" in problems[0].message


def test_demo_course_has_no_errors(capsys):
    code, out, _err = run_cli(capsys, "validate", DEMO_COURSE)

    assert code == 0, out
    assert "warning:" in out  # large static files were removed from this copy


@pytest.mark.parametrize("make_args", [
    lambda tmp: ["validate", str(tmp / "missing")],
    lambda tmp: ["validate", str(tmp)],
    lambda tmp: ["pack", str(tmp), "-o", str(tmp / "x.tar.gz")],
    lambda tmp: ["preview", str(tmp / "missing")],
    lambda tmp: ["preview", "--host", "0.0.0.0"],
    lambda tmp: ["validate"],
    lambda tmp: ["frobnicate"],
])
def test_usage_errors_exit_2(tmp_path, capsys, make_args):
    with pytest.raises(SystemExit) as exit_info:
        main(make_args(tmp_path))

    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_messages_in_vietnamese(tmp_path):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "vertical", "don_vi_2.xml"))
    environment = dict(os.environ, LANGUAGE="vi", LANG="vi_VN.UTF-8")

    result = subprocess.run([sys.executable, "-m", "digital_skills_xblocks.cli", "validate", course],
                            capture_output=True, text=True, env=environment, check=False)

    assert result.returncode == 1
    assert "vertical/don_vi_2.xml" in result.stdout
    assert "lỗi" in result.stdout
    assert "is missing" not in result.stdout


def test_help_describes_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["preview", "--help"])

    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--allow-remote" in out
    assert "SQLite" in out


def test_pointer_path_not_followed(tmp_path):
    outside = tmp_path / "vertical" / "bi_mat.xml"
    write(tmp_path, "vertical/bi_mat.xml", '<vertical display_name="Ngoài khoá học"/>')
    course = make_course(tmp_path / "course")
    write(course, "sequential/bai_1.xml",
          '<sequential display_name="Bài 1">\n  <vertical url_name="../../vertical/bi_mat"/>\n</sequential>\n')

    problems = errors_of(validate_course(course))

    assert outside.exists()
    assert len(problems) == 1
    assert "../../vertical/bi_mat" in problems[0].message
    assert problems[0].file == "sequential/bai_1.xml"


def test_deep_pointer_chain_reported(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "vertical/don_vi_2.xml", '<vertical><vertical url_name="v0"/></vertical>')
    for index in range(200):
        write(course, f"vertical/v{index}.xml", f'<vertical><vertical url_name="v{index + 1}"/></vertical>')

    problems = errors_of(validate_course(course))

    assert any("nested more than" in problem.message for problem in problems)
