"""The ready procedures offered by the Studio template picker.

They are the workbench scenarios in ``egov/scenarios`` and the procedures in
``egov/templates_library``. Each file is a complete ``<egov_simulation>``
document; its attributes become the settings form's values and its children
the content.
"""

from __future__ import annotations

import logging
import re
from importlib import resources

from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml
from digital_skills_xblocks.common.studio import ContentTemplate, find_template as find_template_in

from .olx import ROOT_TAG, serialize_children

log = logging.getLogger(__name__)

TEMPLATE_FOLDERS = ("scenarios", "templates_library")
SETTINGS_ATTRIBUTES = ("display_name", "weight", "max_attempts")
TEMPLATE_ID = re.compile(r"^[a-z_]+/[A-Za-z0-9_-]{1,80}$")


def wrap_content(inner_xml: str) -> str:
    """Return the text the editor shows: the scenario inside a bare ``<egov_simulation>`` element."""
    return f"<{ROOT_TAG}>{inner_xml}</{ROOT_TAG}>"


def load_templates() -> list[ContentTemplate]:
    """Return every readable template file, the workbench scenarios first, each folder sorted by file name.

    A file that does not parse is left out and logged, so one broken file
    does not hide the others.
    """
    package = resources.files("digital_skills_xblocks").joinpath("egov")
    templates = []
    for folder in TEMPLATE_FOLDERS:
        directory = package.joinpath(folder)
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir(), key=lambda item: item.name):
            if not path.name.endswith(".xml"):
                continue
            template_id = f"{folder}/{path.name[:-4]}"
            if not TEMPLATE_ID.match(template_id):
                continue
            try:
                root = parse_xml(path.read_bytes())
            except (OSError, UnsafeXMLError) as error:
                log.warning("Skipping the egov template %s: %s", template_id, error)
                continue
            if root.tag != ROOT_TAG:
                log.warning("Skipping the egov template %s: its root is <%s>", template_id, root.tag)
                continue
            settings = {name: root.get(name) for name in SETTINGS_ATTRIBUTES if root.get(name) is not None}
            templates.append(ContentTemplate(
                id=template_id,
                title=root.get("display_name") or path.name[:-4].replace("_", " "),
                content=wrap_content(serialize_children(root)),
                settings=settings,
            ))
    return templates


def find_template(template_id: object) -> ContentTemplate | None:
    """Return the template with ``template_id``, or None."""
    return find_template_in(load_templates(), template_id, TEMPLATE_ID)
