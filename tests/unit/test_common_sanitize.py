"""Author HTML keeps its formatting and loses everything that can run code."""

import pytest

from digital_skills_xblocks.common.sanitize import plain_text, sanitize_html


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://example.invalid"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_removes_executable_content(html):
    cleaned = sanitize_html(html)

    assert "<script" not in cleaned.lower()
    assert "onerror" not in cleaned.lower()
    assert "onload" not in cleaned.lower()
    assert "javascript:" not in cleaned.lower()
    assert "<iframe" not in cleaned.lower()
    assert "style=" not in cleaned.lower()


def test_keeps_formatting_and_vietnamese():
    html = '<p>Gọi <strong>156</strong> hoặc xem <a href="https://dichvucong.gov.vn">Cổng</a></p>'

    cleaned = sanitize_html(html)

    assert "<strong>156</strong>" in cleaned
    assert 'href="https://dichvucong.gov.vn"' in cleaned
    assert "Gọi" in cleaned


def test_plain_text_drops_all_tags():
    assert plain_text("<b>Nguyễn</b> <script>x()</script>Văn A") == "Nguyễn Văn A"
