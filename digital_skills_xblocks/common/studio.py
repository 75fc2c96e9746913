"""The Studio editor shared by both blocks: settings form, OLX textarea, template picker and save checks.

A block describes its settings with ``SettingSpec`` entries and its content
check with a function; this module validates a save request as a whole and
reports every problem at once. Nothing is written to the block unless the
whole request is valid.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree
from web_fragments.fragment import Fragment
from xblock.core import XBlock

from .handlers import HandlerError, json_response, validated_json_handler
from .problems import Problem
from .resources import load_compact, render_template
from .safe_xml import UnsafeXMLError, parse_xml, xml_error_text

# A scenario or a question pool of 500 questions stays well under the XML limit of safe_xml.
MAX_STUDIO_REQUEST_BYTES = 3 * 1024 * 1024
MAX_DISPLAY_NAME_LENGTH = 255
# Characters that XML 1.0 cannot carry in any form, lone surrogates included.
NOT_XML_CHARACTER = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

TEMPLATE = "common/templates/studio_editor.html"
JS = "common/static/js/studio_editor.js"
CSS = "common/static/css/studio_editor.css"

Translate = Callable[[str], str]


@dataclass(frozen=True)
class SettingSpec:
    """One input of the settings form, bound to the block field ``name``.

    ``kind`` is ``text``, ``float``, ``integer``, ``select`` or ``boolean``.
    ``label`` and ``help`` are English msgids; ``choices`` are (value, msgid)
    pairs of a ``select``.
    """

    name: str
    kind: str
    label: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ContentTemplate:
    """A ready scenario or quiz offered by the template picker.

    ``content`` is the OLX the textarea receives and ``settings`` the values
    the settings form receives (display name and any other settings in the file).
    """

    id: str
    title: str
    content: str
    settings: dict = field(default_factory=dict)


def find_template(templates: list[ContentTemplate], template_id: object,
                  id_pattern: re.Pattern) -> ContentTemplate | None:
    """Return the template of ``templates`` whose id is ``template_id``, or None for an unknown or malformed id."""
    if not isinstance(template_id, str) or not id_pattern.match(template_id):
        return None
    for template in templates:
        if template.id == template_id:
            return template
    return None


class ContentRejected(Exception):
    """Raised by a save handler body when the request has problems; nothing has been saved."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.message = message
        self.problems = problems


def problem_json(problem: Problem, translate: Translate = str) -> dict:
    """Return ``problem`` as the JSON the editor shows; ``setting`` names a settings input, if any."""
    setting = problem.location[len("settings/"):] if problem.location.startswith("settings/") else ""
    return {
        "message": problem.message,
        "fix": problem.fix,
        "location": problem.location,
        "line": problem.line,
        "severity": problem.severity,
        "setting": setting,
        "text": problem.format(translate),
    }


def answers_rejected_content(handler):
    """Turn ``ContentRejected`` raised below ``validated_json_handler`` into a 400 JSON response listing every problem.

    Put it between ``@XBlock.handler`` and ``@validated_json_handler``.
    """

    @functools.wraps(handler)
    def wrapper(self, request, suffix=""):
        try:
            return handler(self, request, suffix)
        except ContentRejected as error:
            payload = {
                "error": {"code": "invalid_content", "message": error.message},
                "problems": [problem_json(problem, self._) for problem in error.problems],
            }
            return json_response(payload, status=400)

    return wrapper


def xml_text_problem(value: str) -> str | None:
    """Return the first character of ``value`` that XML cannot store, as ``U+XXXX``, or None."""
    found = find_non_xml_character(value)
    return found[0] if found else None


def find_non_xml_character(value: str) -> tuple[str, int] | None:
    """Return the first character of ``value`` that XML cannot store, as ``U+XXXX``, and its 1-based line."""
    match = NOT_XML_CHARACTER.search(value)
    if match is None:
        return None
    return f"U+{ord(match.group()):04X}", value.count("\n", 0, match.start()) + 1


def content_character_problem(content: str, translate: Translate) -> Problem | None:
    """Return a problem for the first character of the editor's OLX that XML cannot store, or None."""
    found = find_non_xml_character(content)
    if found is None:
        return None
    _ = translate
    return Problem(
        _("The OLX contains the control character {character}, which XML cannot store.").format(character=found[0]),
        _("Delete it; it often comes from copying text out of a PDF or a word processor."),
        location="content", line=found[1],
    )


def parse_editor_olx(content: object, translate: Translate, missing: str,
                     invalid: str) -> tuple[etree._Element | None, list[Problem]]:
    """Parse the OLX text of a Studio editor and return its root element, or None with the problem that stops the check.

    ``missing`` and ``invalid`` are the block's msgids for a request without
    the text and for text that is not safe XML; ``invalid`` takes ``{error}``.
    """
    _ = translate
    if not isinstance(content, str):
        return None, [Problem(_(missing), location="content")]
    bad_character = content_character_problem(content, _)
    if bad_character is not None:
        return None, [bad_character]
    try:
        return parse_xml(content), []
    except UnsafeXMLError as error:
        return None, [Problem(
            _(invalid).format(error=xml_error_text(error, _)),
            _("Correct the XML at that line. DOCTYPE and entity declarations are never accepted."),
            location="content", line=error.line,
        )]


def check_settings(specs: tuple[SettingSpec, ...], values: object, translate: Translate) -> tuple[dict, list[Problem]]:
    """Return the typed settings from the request's ``settings`` object and every problem in them."""
    _ = translate
    problems: list[Problem] = []
    if not isinstance(values, dict):
        problems.append(Problem(_("The settings are missing from the request."), location="settings"))
        return {}, problems

    known = {spec.name for spec in specs}
    for name in sorted(str(key)[:64] for key in values if key not in known):
        problems.append(Problem(_("Unknown setting {name}.").format(name=name), location="settings"))

    typed: dict = {}
    for spec in specs:
        if spec.name not in values:
            continue
        value, problem = convert_setting(spec, values[spec.name], translate)
        if problem is not None:
            problems.append(problem)
        else:
            typed[spec.name] = value
    return typed, problems


def convert_setting(spec: SettingSpec, raw: object, translate: Translate) -> tuple[object, Problem | None]:
    """Return the value of one setting in the field's type, or a problem that names the setting."""
    _ = translate
    location = f"settings/{spec.name}"
    label = _(spec.label)

    def reject(message: str, fix: str, **values) -> tuple[None, Problem]:
        return None, Problem(message.format(label=label, **values), fix.format(label=label, **values), location)

    if spec.kind == "text":
        if not isinstance(raw, str):
            return reject(_("{label} must be text."), _("Type the text again."))
        value = raw.strip()
        if not value:
            return reject(_("{label} is empty."), _("Write a name that learners will see in the course outline."))
        if len(value) > MAX_DISPLAY_NAME_LENGTH:
            return reject(_("{label} has {count} characters; the limit is {limit}."), _("Shorten it."),
                          count=len(value), limit=MAX_DISPLAY_NAME_LENGTH)
        bad = xml_text_problem(value)
        if bad or "\n" in value or "\r" in value or "\t" in value:
            return reject(_("{label} contains the control character {character}."),
                          _("Write it on one line with letters, digits and punctuation only."),
                          character=bad or "U+000A")
        return value, None

    if spec.kind == "boolean":
        if not isinstance(raw, bool):
            return reject(_("{label} must be true or false."), _("Tick or untick the box."))
        return raw, None

    if spec.kind == "select":
        allowed = [value for value, _label in spec.choices]
        if raw not in allowed:
            return reject(_("{label} has the value \"{value}\", which is not offered."), _("Choose one of the listed values."),
                          value=str(raw)[:64])
        return raw, None

    # Numbers: the form sends them as text so that a typo reaches us and gets a message.
    text = str(raw).strip().replace(",", ".") if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) else ""
    try:
        number = float(text) if spec.kind == "float" else int(text)
    except ValueError:
        number = None
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        expected = _("a whole number") if spec.kind == "integer" else _("a number")
        return reject(_("{label} is \"{value}\", not {expected}."), _("Type digits only, for example 2."),
                      value=str(raw)[:64], expected=expected)
    if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
        limits = f"{spec.minimum:g}–{spec.maximum:g}" if spec.maximum is not None else f">= {spec.minimum:g}"
        return reject(_("{label} is {value}, outside the allowed range {limits}."), _("Type a value in that range."),
                      value=f"{number:g}", limits=limits)
    return number, None


def apply_settings(block, values: dict) -> None:
    """Write the settings to ``block``, leaving fields that keep their default unset so export stays minimal."""
    for name, value in values.items():
        field_object = block.fields[name]
        if field_object.is_set_on(block) or value != getattr(block, name):
            setattr(block, name, value)


def settings_context(block, specs: tuple[SettingSpec, ...], translate: Translate, dom_prefix: str) -> list[dict]:
    """Return the inputs of the settings form with the block's current values."""
    _ = translate
    inputs = []
    for spec in specs:
        value = getattr(block, spec.name)
        if value is None:
            shown = ""
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = value
        inputs.append({
            "name": spec.name,
            "kind": spec.kind,
            "id": f"{dom_prefix}-{spec.name}",
            "label": _(spec.label),
            "help": _(spec.help) if spec.help else "",
            "value": shown,
            "checked": bool(value) if spec.kind == "boolean" else False,
            "min": "" if spec.minimum is None else f"{spec.minimum:g}",
            "max": "" if spec.maximum is None else f"{spec.maximum:g}",
            "choices": [{"value": choice, "label": _(label), "selected": choice == value} for choice, label in spec.choices],
        })
    return inputs


def studio_fragment(block, *, specs: tuple[SettingSpec, ...], content: str, templates: list[ContentTemplate],
                    texts: dict, dom_prefix: str) -> Fragment:
    """Render the editor of ``block``: settings form, template picker and the OLX textarea.

    Every value reaches the page as escaped text: the OLX is shown for editing,
    never rendered as HTML.
    """
    _ = block._
    context = {
        "prefix": dom_prefix,
        "settings": settings_context(block, specs, _, dom_prefix),
        "content": content,
        "templates": [{"id": item.id, "title": item.title} for item in templates],
        "texts": texts,
    }
    fragment = Fragment(render_template(TEMPLATE, context, block.runtime.service(block, "i18n")))
    fragment.add_css(load_compact(CSS))
    catalog = block.js_catalog_path("studio")
    if catalog:
        fragment.add_javascript(load_compact(catalog))
    fragment.add_javascript(load_compact(JS))
    fragment.initialize_js("DigitalSkillsStudioEditor", {"prefix": dom_prefix})
    return fragment


SUBMIT_KEYS = frozenset({"settings", "content"})


class StudioHandlersMixin:
    """The save and template handlers both editors share.

    A block using it defines ``STUDIO_SETTINGS`` (its ``SettingSpec`` tuple),
    ``studio_library`` (a module with ``find_template(id)``),
    ``check_studio_content(content, settings)`` returning the value to store
    and every problem, and ``store_studio_content(value)``.
    """

    STUDIO_SETTINGS: tuple[SettingSpec, ...] = ()
    studio_library = None

    @XBlock.handler
    @answers_rejected_content
    @validated_json_handler(max_bytes=MAX_STUDIO_REQUEST_BYTES)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Validate the settings and the content together; save both only when neither has an error."""
        unknown = sorted(str(key)[:64] for key in set(data) - SUBMIT_KEYS)
        if unknown:
            raise HandlerError(self._("Unknown keys in the request: {keys}.").format(keys=", ".join(unknown)), 400,
                               "unknown_keys")
        settings, problems = check_settings(self.STUDIO_SETTINGS, data.get("settings"), self._)
        content, content_problems = self.check_studio_content(data.get("content"), settings)
        problems += content_problems

        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            message = self.ngettext(
                "Nothing was saved because of {count} problem.",
                "Nothing was saved because of {count} problems.",
                len(errors),
            ).format(count=len(errors))
            raise ContentRejected(message, problems)

        apply_settings(self, settings)
        self.store_studio_content(content)
        return {"saved": True, "warnings": [problem_json(problem, self._) for problem in problems]}

    @XBlock.handler
    @validated_json_handler()
    def studio_template(self, data, suffix=""):  # pylint: disable=unused-argument
        """Return the OLX and settings of one template of the picker: ``{"id": "..."}``."""
        template = self.studio_library.find_template(data.get("id"))
        if template is None:
            raise HandlerError(self._("There is no template with this id."), 404, "template_not_found")
        return {"template": {"id": template.id, "title": template.title, "settings": template.settings,
                             "content": template.content}}
