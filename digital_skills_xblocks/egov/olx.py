"""Reading and writing the block's OLX without losing a character of the author's scenario."""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from digital_skills_xblocks.common.safe_xml import parse_xml

ROOT_TAG = "egov_simulation"


def serialize_children(element: etree._Element) -> str:
    """Return the text and children of ``element``, tails included, as XML that parses back to the same tree.

    lxml returns ``element.text`` unescaped, so it is escaped here the way
    lxml escapes text (``&``, ``<``, ``>`` and carriage returns, which the
    parser would otherwise turn into line feeds).
    """
    parts = [escape_text(element.text or "")]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts)


def wrap_scenario(inner_xml: str) -> etree._Element:
    """Parse stored inner content back into an ``<egov_simulation>`` element with the hardened parser.

    Line numbers count from the root's start tag, which is line 1.
    """
    return parse_xml(f"<{ROOT_TAG}>{inner_xml}</{ROOT_TAG}>")


def escape_text(text: str) -> str:
    """Return ``text`` escaped as element content, matching lxml's own serialisation."""
    return escape(text).replace("\r", "&#13;")
