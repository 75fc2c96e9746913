"""The shipped JavaScript catalog translates in a real browser, plural forms included."""

from pathlib import Path

CATALOG = Path(__file__).resolve().parents[2] / "digital_skills_xblocks" / "public" / "js" / "translations" / "vi" / "text.js"


def test_vietnamese_plural_for_any_count(page):
    page.set_content("<!doctype html><html lang='vi'><body></body></html>")
    page.add_script_tag(content=CATALOG.read_text(encoding="utf-8"))

    texts = page.evaluate("""() => [1, 2, 5, 0].map((count) => window.DigitalSkillsI18N.interpolate(
        window.DigitalSkillsI18N.ngettext("{count} answer needs correcting.", "{count} answers need correcting.", count),
        {count: count}))""")

    assert texts == ["1 câu trả lời cần sửa.", "2 câu trả lời cần sửa.", "5 câu trả lời cần sửa.", "0 câu trả lời cần sửa."]


def test_unknown_message_falls_back_to_english(page):
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=CATALOG.read_text(encoding="utf-8"))

    result = page.evaluate("""() => [window.DigitalSkillsI18N.gettext("No such message"),
        window.DigitalSkillsI18N.ngettext("one thing", "{n} things", 3)]""")

    assert result == ["No such message", "{n} things"]
