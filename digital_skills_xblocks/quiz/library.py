"""The ready quizzes offered by the Studio template picker, read from ``quiz/templates_library``.

Each file is a complete ``<citizenship_quiz>`` document. Its settings
attributes (display name, weight, attempts...) go to the settings form; the
rest of the document is the content the editor shows.
"""

from __future__ import annotations

import logging
import re
from importlib import resources

from lxml import etree

from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml
from digital_skills_xblocks.common.studio import ContentTemplate, find_template as find_template_in

from .bank import ROOT_TAG
from .content import SETTINGS_ATTRIBUTES

log = logging.getLogger(__name__)

TEMPLATE_FOLDER = "templates_library"
TEMPLATE_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def load_templates() -> list[ContentTemplate]:
    """Return every readable quiz template, sorted by file name; a file that does not parse is logged and left out."""
    directory = resources.files("digital_skills_xblocks.quiz").joinpath(TEMPLATE_FOLDER)
    if not directory.is_dir():
        return []
    templates = []
    for path in sorted(directory.iterdir(), key=lambda item: item.name):
        template_id = path.name[:-4]
        if not path.name.endswith(".xml") or not TEMPLATE_ID.match(template_id):
            continue
        try:
            root = parse_xml(path.read_bytes())
        except (OSError, UnsafeXMLError) as error:
            log.warning("Skipping the quiz template %s: %s", template_id, error)
            continue
        if root.tag != ROOT_TAG:
            log.warning("Skipping the quiz template %s: its root is <%s>", template_id, root.tag)
            continue
        settings = {}
        for name in SETTINGS_ATTRIBUTES:
            value = root.attrib.pop(name, None)
            if value is not None:
                settings[name] = value == "true" if name == "allow_reset" else value
        templates.append(ContentTemplate(
            id=template_id,
            title=settings.get("display_name") or template_id.replace("_", " "),
            content=etree.tostring(root, encoding="unicode"),
            settings=settings,
        ))
    return templates


def find_template(template_id: object) -> ContentTemplate | None:
    """Return the template with ``template_id``, or None."""
    return find_template_in(load_templates(), template_id, TEMPLATE_ID)
