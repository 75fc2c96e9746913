"""XML errors in a course export: their line, their language, and no false "unused file" advice."""

import pytest

from digital_skills_xblocks.cli import main
from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml, xml_error_text
from digital_skills_xblocks.olx.validate import validate_course
from olx_samples import make_course, write

DOCTYPE_UNIT = '<?xml version="1.0"?>\n<!DOCTYPE vertical [<!ENTITY a "aaaa">]>\n<vertical>&a;</vertical>\n'


def mark(message):
    return f"[{message}]"


@pytest.mark.parametrize("document, kwargs", [
    ('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>', {}),
    ("<a>" + "x" * 200 + "</a>", {"max_bytes": 100}),
    ("<a>\x01</a>", {}),
    ("   ", {}),
    ("<a>" * 10 + "</a>" * 10, {"max_depth": 5}),
    ("<a><b></a>", {}),
])
def test_every_safe_xml_message_translated(document, kwargs):
    with pytest.raises(UnsafeXMLError) as error:
        parse_xml(document, **kwargs)

    text = xml_error_text(error.value, mark)

    # The marker shows that a msgid was looked up instead of the English text being passed through.
    assert text.startswith("["), error.value.message
    assert "{" not in text


def test_unknown_message_kept_in_english():
    assert xml_error_text(UnsafeXMLError("something new"), mark) == "something new"


def test_doctype_error_has_file_line(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    write(course, "vertical/don_vi_2.xml", DOCTYPE_UNIT)

    code = main(["--language", "en", "validate", course])
    out = capsys.readouterr().out

    assert code == 1
    assert "vertical/don_vi_2.xml:2: vertical[url_name=don_vi_2]: error: The XML is invalid or unsafe: DOCTYPE" in out


def test_xml_error_in_vietnamese(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    write(course, "vertical/don_vi_2.xml", DOCTYPE_UNIT)
    write(course, "vertical/don_vi_1.xml",
          '<vertical display_name="Giới thiệu">\n  <html url_name="x"\n</vertical>')

    code = main(["--language", "vi", "validate", course])
    out = capsys.readouterr().out

    assert code == 1
    assert "không được dùng khai báo DOCTYPE và ENTITY" in out
    assert "are not allowed" not in out
    assert "XML không hợp lệ (thông báo của trình phân tích:" in out
    assert "invalid XML" not in out


def test_unparsable_file_suppresses_orphans(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    # html/thuc_hanh.xml is used only by this unit, which can no longer be read.
    write(course, "vertical/don_vi_2.xml", '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"\n')

    problems = validate_course(course)
    code = main(["validate", course])
    out = capsys.readouterr().out

    assert code == 1
    assert "No block of the course uses this file" not in out
    assert "html/thuc_hanh.xml" not in out
    warnings = [problem for problem in problems if problem.severity == "warning"]
    assert len(warnings) == 1
    assert "vertical/don_vi_2.xml could not be read" in warnings[0].message


def test_orphans_reported_when_all_parse(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "vertical/don_vi_2.xml", '<vertical display_name="Thực hành"/>\n')

    problems = validate_course(course)

    assert [(problem.severity, problem.file) for problem in problems] == [("warning", "html/thuc_hanh.xml")]
    assert "No block of the course uses this file" in problems[0].message
