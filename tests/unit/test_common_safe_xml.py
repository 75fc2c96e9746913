"""The hardened XML parser rejects hostile documents with a clear error."""

import pytest

from digital_skills_xblocks.common.safe_xml import MAX_XML_DEPTH, UnsafeXMLError, parse_xml


def test_parses_vietnamese_and_cdata():
    root = parse_xml("<a title='Đăng ký 😀 %#'><b><![CDATA[x ]]]]><![CDATA[> y]]></b></a>")

    assert root.get("title") == "Đăng ký 😀 %#"
    assert root.find("b").text == "x ]]> y"


@pytest.mark.parametrize(
    "document, expected",
    [
        ('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>', "DOCTYPE"),
        ('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', "DOCTYPE"),
        ("<a>&undefined;</a>", "invalid XML"),
        ("<a>\x07</a>", "U+0007"),
        ("<a><b></a>", "invalid XML"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_rejects_hostile_or_broken(document, expected):
    with pytest.raises(UnsafeXMLError) as error:
        parse_xml(document)

    assert expected in str(error.value)


def test_external_entity_file_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    document = f'<!DOCTYPE a [<!ENTITY s SYSTEM "file://{secret}">]><a>&s;</a>'

    with pytest.raises(UnsafeXMLError) as error:
        parse_xml(document)

    assert "TOP-SECRET" not in str(error.value)


def test_rejects_deep_nesting():
    depth = MAX_XML_DEPTH + 5
    document = "<a>" * depth + "</a>" * depth

    with pytest.raises(UnsafeXMLError) as error:
        parse_xml(document)

    assert "nested" in str(error.value)


def test_rejects_oversized_document():
    document = "<a>" + "x" * 2000 + "</a>"

    with pytest.raises(UnsafeXMLError) as error:
        parse_xml(document, max_bytes=1000)

    assert "limit of 1000 bytes" in str(error.value)


def test_error_reports_line_number():
    with pytest.raises(UnsafeXMLError) as error:
        parse_xml("<a>\n<b>\n</a>")

    assert error.value.line is not None
    assert str(error.value).startswith(f"line {error.value.line}:")


@pytest.mark.parametrize("document, line", [
    ('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>', 1),
    ('<?xml version="1.0"?>\n\n<!DOCTYPE a SYSTEM "x.dtd">\n<a/>', 3),
    ('<a>\n  <b/>\n</a>\n<!ENTITY late "x">', 4),
])
def test_doctype_error_has_line(document, line):
    with pytest.raises(UnsafeXMLError) as error:
        parse_xml(document)

    assert "DOCTYPE" in error.value.message
    assert error.value.line == line
