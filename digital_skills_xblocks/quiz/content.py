"""The block's content: the quiz OLX, read from and written back to course exports unchanged."""

from __future__ import annotations

import copy
import logging
from functools import lru_cache

from lxml import etree
from xblock.fields import Scope, String

from digital_skills_xblocks.common.i18n import catalog_for, current_language
from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml
from digital_skills_xblocks.common.problems import Problem

from .bank import Quiz, QuizError, check_quiz, parse_quiz

log = logging.getLogger(__name__)

# Root attributes that are block settings (fields), not quiz content.
SETTINGS_ATTRIBUTES = ("display_name", "weight", "max_attempts", "passing_percentage", "show_answers", "allow_reset")
# Attributes the runtime writes itself.
RUNTIME_ATTRIBUTES = ("url_name", "xblock-family")

DEFAULT_OLX = """<citizenship_quiz draw="1">
  <question id="q1" type="true_false" area="safety" difficulty="easy" answer="false">
    <prompt><p>A bank may send you a link by SMS and ask you to log in through it.</p></prompt>
    <explanation>Banks do not send login links by SMS.</explanation>
  </question>
</citizenship_quiz>"""



@lru_cache(maxsize=256)
def parse_stored_quiz(data: str, language: str) -> tuple[Quiz | None, tuple[Problem, ...]]:
    """Return the quiz of the stored OLX ``data``, or None and its problems in ``language``.

    Quizzes are frozen dataclasses, so one parse serves every learner and
    request of a process until the author changes the content.
    """
    translate = catalog_for(language).gettext
    try:
        return parse_quiz(parse_xml(data), translate=translate), ()
    except UnsafeXMLError as error:
        return None, (Problem(message=error.message, line=error.line),)
    except QuizError as error:
        return None, tuple(error.problems)

class QuizContentMixin:
    """Store the quiz OLX in ``data`` and turn it into a ``Quiz`` on demand."""

    data = String(
        display_name="Quiz OLX",
        help="The questions, draw and recommendations of the quiz as OLX.",
        scope=Scope.content,
        default=DEFAULT_OLX,
    )

    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):  # pylint: disable=unused-argument
        """Build the block from its OLX: settings from root attributes, everything else into ``data``."""
        block = runtime.construct_xblock_from_class(cls, keys)

        content = etree.Element(node.tag)
        for name, value in node.attrib.items():
            if name in SETTINGS_ATTRIBUTES and name in block.fields:
                field = block.fields[name]
                try:
                    setattr(block, name, field.from_string(value))
                except (TypeError, ValueError):
                    # Kept as content so that validation reports it with its line.
                    log.warning("Invalid %s=%r on citizenship_quiz %s", name, value, keys.usage_id)
                    content.set(name, value)
            elif name not in RUNTIME_ATTRIBUTES:
                content.set(name, value)
        content.text = node.text
        for child in node:
            content.append(_copy(child))
        block.data = etree.tostring(content, encoding="unicode")
        return block

    def add_xml_to_node(self, node):
        """Write ``data`` and the settings that were set back into ``node`` for export."""
        root = parse_xml(self.data)
        node.tag = self.scope_ids.block_type
        for name, value in root.attrib.items():
            node.set(name, value)
        node.text = root.text
        for child in root:
            node.append(_copy(child))

        for name in SETTINGS_ATTRIBUTES:
            field = self.fields[name]
            if field.is_set_on(self):
                node.set(name, field.to_string(getattr(self, name)))

    def quiz_element(self) -> etree._Element:
        """Return the parsed OLX with the current settings as root attributes, as the validator sees it."""
        root = parse_xml(self.data)
        for name in SETTINGS_ATTRIBUTES:
            field = self.fields[name]
            if field.is_set_on(self):
                root.set(name, field.to_string(getattr(self, name)))
        return root

    def load_quiz(self) -> tuple[Quiz | None, list[Problem]]:
        """Return the quiz, or None and the problems that make it unusable."""
        return parse_stored_quiz(self.data, current_language())

    def check_content(self) -> list[Problem]:
        """Return every problem of the OLX, settings included."""
        try:
            return check_quiz(self.quiz_element(), translate=self._)
        except UnsafeXMLError as error:
            return [Problem(message=error.message, line=error.line)]


def _copy(element: etree._Element) -> etree._Element:
    """Return a deep copy of ``element``, tail included, detached from its tree."""
    return copy.deepcopy(element)
