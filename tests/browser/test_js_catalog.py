"""The shipped JavaScript catalogs translate in a real browser, plural forms included, and add up on one page."""

from pathlib import Path

CATALOGS = Path(__file__).resolve().parents[2] / "digital_skills_xblocks" / "public" / "js" / "translations" / "vi"
CATALOG = CATALOGS / "egov.js"


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


def test_catalogs_of_two_blocks_add_up(page):
    page.set_content("<!doctype html><html lang='vi'><body></body></html>")
    for name in ("quiz.js", "egov.js", "quiz.js"):
        page.add_script_tag(content=(CATALOGS / name).read_text(encoding="utf-8"))

    texts = page.evaluate("""() => [window.DigitalSkillsI18N.gettext("Marked as suspicious."),
        window.DigitalSkillsI18N.gettext("Step completed."),
        window.DigitalSkillsI18N.gettext("Saved.")]""")

    # The quiz's and the simulation's strings are both there; the Studio editor's catalog was not added.
    assert texts == ["Đã đánh dấu là đáng ngờ.", "Đã hoàn thành bước.", "Saved."]
