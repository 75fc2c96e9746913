"""OLX import → export → import of both blocks keeps every field and gives byte-identical OLX."""

import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml


PACKAGE = Path(__file__).resolve().parents[2] / "digital_skills_xblocks"
BIRTH_XML = (PACKAGE / "egov" / "scenarios" / "dang_ky_khai_sinh.xml").read_text(encoding="utf-8")
QUIZ_XML = (PACKAGE / "quiz" / "templates_library" / "nhan_dien_lua_dao.xml").read_text(encoding="utf-8")
URL_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

NFC_NAME = "Đăng ký khai sinh trực tuyến"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
HARD_NAMES = [
    NFC_NAME,
    NFD_NAME,
    'Thủ tục 100% "trực tuyến" #1 / <bước> & [mẫu] {x} (y) \'z\' 🇻🇳🙂',
    "a]]>b <![CDATA[c]]> %20 #anchor /path",
]
EGOV_FIELDS = ("display_name", "weight", "max_attempts", "scenario_xml")
QUIZ_FIELDS = ("display_name", "weight", "max_attempts", "passing_percentage", "show_answers", "allow_reset", "data")
_scenarios = itertools.count()


@pytest.fixture(name="runtime_factory")
def runtime_factory_fixture(django_db):
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    def load(xml):
        ID_MANAGER.set_scenario(f"roundtrip-{next(_scenarios)}")
        root = parse_xml(xml)
        usage_id = WorkbenchRuntime("author")._usage_id_from_node(root, None)  # pylint: disable=protected-access
        return WorkbenchRuntime("author").get_block(usage_id)

    return load


def export(block) -> bytes:
    """Return the OLX the runtime would write for ``block``: its node plus a url_name we choose."""
    node = etree.Element("placeholder")
    block.add_xml_to_node(node)
    node.set("url_name", "block_" + block.scope_ids.block_type)
    return etree.tostring(node, encoding="utf-8")


def fields_of(block, names) -> dict:
    return {name: (getattr(block, name), block.fields[name].is_set_on(block)) for name in names}


def round_trip(runtime_factory, xml, names):
    first = runtime_factory(xml)
    exported = export(first)
    second = runtime_factory(exported)
    exported_again = export(second)
    return first, second, exported, exported_again, names


def egov_with_hard_content(display_name: str) -> str:
    """Return the birth scenario with hard values in its display name, intro and persona facts."""
    root = parse_xml(BIRTH_XML)
    root.set("display_name", display_name)
    root.set("weight", "2.5")
    root.set("max_attempts", "3")
    xml = etree.tostring(root, encoding="unicode")
    hard_intro = (
        "<intro><p>Chào bạn 👋 — " + NFD_NAME + " &amp; 100% #1 /a ]]&gt; b</p>"
        "<![CDATA[<p>Văn bản <b>CDATA</b> với a < b và ]]]]><![CDATA[> ở giữa</p>]]></intro>"
    )
    return re.sub(r"<intro>.*?</intro>", lambda match: hard_intro, xml, count=1, flags=re.DOTALL)


@pytest.mark.parametrize("display_name", HARD_NAMES)
def test_egov_roundtrip_hard_values(runtime_factory, display_name):
    first, second, exported, exported_again, names = round_trip(
        runtime_factory, egov_with_hard_content(display_name), EGOV_FIELDS)

    assert fields_of(first, names) == fields_of(second, names)
    assert exported == exported_again
    assert second.display_name == display_name
    assert second.load_scenario() is not None, second.scenario_problems()


def test_egov_roundtrip_keeps_nfd_and_emoji(runtime_factory):
    block = runtime_factory(egov_with_hard_content(NFD_NAME))

    exported = export(block).decode("utf-8")

    assert NFD_NAME in exported
    assert NFC_NAME not in exported
    assert "👋" in exported
    assert "<![CDATA[" in exported
    assert "]]&gt; b" in exported


def test_egov_root_text_with_markup_characters(runtime_factory):
    xml = BIRTH_XML.replace(">\n  <intro>", ">a &lt; b &amp; c ]]&gt;\n  <intro>", 1)

    first, second, exported, exported_again, names = round_trip(runtime_factory, xml, EGOV_FIELDS)

    assert exported == exported_again
    assert fields_of(first, names) == fields_of(second, names)
    assert parse_xml(exported).text.startswith("a < b & c ]]>")


def test_egov_defaults_not_marked_set(runtime_factory):
    xml = re.sub(r'<egov_simulation [^>]*>', "<egov_simulation>", BIRTH_XML, count=1)

    block = runtime_factory(xml)

    for name in ("display_name", "weight", "max_attempts"):
        assert not block.fields[name].is_set_on(block), name
    exported = parse_xml(export(block))
    assert set(exported.attrib) == {"url_name"}


def test_egov_every_setting_roundtrips(runtime_factory):
    xml = BIRTH_XML.replace('weight="1"', 'weight="0.75"').replace('max_attempts="0"', 'max_attempts="7"')

    first, second, exported, exported_again, names = round_trip(runtime_factory, xml, EGOV_FIELDS)

    assert second.weight == 0.75
    assert second.max_attempts == 7
    assert fields_of(first, names) == fields_of(second, names)
    assert exported == exported_again


def quiz_with_hard_content(display_name: str) -> str:
    root = parse_xml(QUIZ_XML)
    root.set("display_name", display_name)
    root.set("passing_percentage", "85")
    root.set("show_answers", "after_passing")
    root.set("allow_reset", "false")
    root.set("weight", "0.5")
    root.set("max_attempts", "0")
    prompt = root.find("question/prompt")
    for child in list(prompt):
        prompt.remove(child)
    prompt.text = None
    prompt.append(etree.fromstring(
        "<p>Tin nhắn 📱 " + NFD_NAME + " có 100% #link /a [x] \"y\" và ]]&gt; ở giữa</p>"))
    return etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("display_name", HARD_NAMES)
def test_quiz_roundtrip_hard_values(runtime_factory, display_name):
    first, second, exported, exported_again, names = round_trip(
        runtime_factory, quiz_with_hard_content(display_name), QUIZ_FIELDS)

    assert fields_of(first, names) == fields_of(second, names)
    assert exported == exported_again
    assert second.display_name == display_name
    assert second.passing_percentage == 85
    assert second.show_answers == "after_passing"
    assert second.allow_reset is False
    assert second.load_quiz()[0] is not None, second.load_quiz()[1]


def test_quiz_roundtrip_keeps_cdata_and_nfd(runtime_factory):
    xml = QUIZ_XML.replace("<intro><p>", "<intro><![CDATA[<p>CDATA " + NFD_NAME + " a < b]]><p>", 1)

    first, second, exported, exported_again, names = round_trip(runtime_factory, xml, QUIZ_FIELDS)

    text = exported.decode("utf-8")
    assert "<![CDATA[<p>CDATA " + NFD_NAME + " a < b]]>" in text
    assert exported == exported_again
    assert fields_of(first, names) == fields_of(second, names)


def test_quiz_defaults_not_marked_set(runtime_factory):
    xml = '<citizenship_quiz draw="1"><question id="q1" type="true_false" area="safety" difficulty="easy" answer="false"><prompt>P</prompt></question></citizenship_quiz>'

    block = runtime_factory(xml)

    for name in QUIZ_FIELDS[:-1]:
        assert not block.fields[name].is_set_on(block), name
    assert block.max_attempts == 2
    exported = parse_xml(export(block))
    assert set(exported.attrib) == {"draw", "url_name"}


def test_quiz_invalid_setting_kept_as_content(runtime_factory):
    xml = QUIZ_XML.replace('passing_percentage="70"', 'passing_percentage="bảy mươi"')

    first, second, exported, exported_again, names = round_trip(runtime_factory, xml, QUIZ_FIELDS)

    assert not second.fields["passing_percentage"].is_set_on(second)
    assert 'passing_percentage="bảy mươi"' in exported.decode("utf-8")
    assert exported == exported_again


@pytest.mark.parametrize("xml", [BIRTH_XML, QUIZ_XML])
def test_exported_url_names_valid(runtime_factory, xml):
    block = runtime_factory(xml)

    exported = parse_xml(export(block))

    for element in exported.iter():
        if isinstance(element.tag, str) and element.get("url_name") is not None:
            assert URL_NAME.match(element.get("url_name")), element.get("url_name")


HOSTILE = {
    "entity": '<!DOCTYPE q [<!ENTITY x "boom">]><egov_simulation>&x;</egov_simulation>',
    "external": '<!DOCTYPE q SYSTEM "http://127.0.0.1:9/x.dtd"><egov_simulation/>',
    "external entity": '<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><egov_simulation>&x;</egov_simulation>',
    "control character": "<egov_simulation>a\x01b</egov_simulation>",
    "deep": "<egov_simulation>" + "<p>" * 100 + "</p>" * 100 + "</egov_simulation>",
    "huge": "<egov_simulation>" + "<p>x</p>" * 400000 + "</egov_simulation>",
    "malformed": "<egov_simulation><intro></egov_simulation>",
    "undefined entity": "<egov_simulation>&nbsp;</egov_simulation>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_olx_rejected_clearly(name):
    with pytest.raises(UnsafeXMLError) as raised:
        parse_xml(HOSTILE[name])

    assert raised.value.message
    assert "Traceback" not in str(raised.value)
