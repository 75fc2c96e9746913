"""Read and validate the OLX of an ``egov_simulation`` block into a ``Scenario``.

``check_scenario`` returns every problem at once, each with the element's
location (``step[id=login]/field[name=otp]``), its source line and a fix, so
Studio authors and the ``digital-skills validate`` command see the same
report. ``parse_scenario`` returns the model or raises ``ScenarioError``.

Messages are English msgids passed through ``translate`` and then formatted,
so the caller chooses the language.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Callable

from lxml import etree

from digital_skills_xblocks.common.problems import Problem
from digital_skills_xblocks.common.safe_xml import parse_xml

from .model import (
    DOCUMENT_ROLES,
    DOSSIER_DECISIONS,
    DOSSIER_ITEM_TYPES,
    FIELD_TYPES,
    LOGIN_FIELDS,
    PERSONA_ATTRIBUTES,
    STEP_KINDS,
    TRAP_CHANNELS,
    Choice,
    Document,
    DossierItem,
    DossierReview,
    Fact,
    Field,
    Option,
    Persona,
    Rule,
    Scenario,
    Step,
)

Translate = Callable[[str], str]

# A pattern longer than this is hard to review and is rejected.
MAX_PATTERN_LENGTH = 200
# A group that is itself repeated and contains a repeat, such as (a+)+, can take
# exponential time on a 500-character value; such patterns are rejected.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_PHONE = re.compile(r"^0[35789]\d{8}$")
_OTP = re.compile(r"^\d{6}$")
_DOSSIER_PREFIX = re.compile(r"^[A-Z]{1,4}$")
# District-level names that no longer exist since the two-level local government of 1/7/2025.
_DISTRICT_WORDS = re.compile(r"\b(quận|huyện|thị xã)\b", re.IGNORECASE)
# A 12-digit run in a dossier value is read as a personal ID number, which must be fictional.
_ID_NUMBER_RUN = re.compile(r"(?<!\d)\d{12}(?!\d)")
# The engine accepts at most this many flagged items in one submission.
MAX_DOSSIER_ITEMS = 20
SEX_VALUES = {"nam": "male", "nữ": "female", "male": "male", "female": "female"}


def identity(message: str) -> str:
    return message


class ScenarioError(ValueError):
    """Raised by ``parse_scenario`` with every problem found in the scenario."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.format() for problem in problems))
        self.problems = problems


def parse_scenario(element: etree._Element, translate: Translate = identity) -> Scenario:
    """Return the scenario of ``element`` (an ``egov_simulation`` element), or raise ``ScenarioError``."""
    reader = _ScenarioReader(translate)
    scenario = reader.read(element)
    errors = [problem for problem in reader.problems if problem.severity == "error"]
    if errors or scenario is None:
        raise ScenarioError(errors or reader.problems)
    return scenario


def check_scenario(element: etree._Element, translate: Translate = identity) -> list[Problem]:
    """Return every problem of the scenario in ``element``, in document order, without raising."""
    reader = _ScenarioReader(translate)
    reader.read(element)
    return reader.problems


def parse_scenario_string(xml: str | bytes, translate: Translate = identity) -> Scenario:
    """Parse ``xml`` with the hardened parser, then read the scenario; unsafe XML raises ``ScenarioError``."""
    return parse_scenario(parse_xml(xml), translate)


def normalize_text(value: str) -> str:
    """Return ``value`` in NFC with runs of whitespace collapsed and the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def parse_date(value: str) -> date | None:
    """Return the date of a ``dd/mm/yyyy`` string (one-digit day or month accepted), or None."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def inner_xml(element: etree._Element) -> str:
    """Return the text and child markup inside ``element`` exactly as serialised by lxml."""
    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def element_text(element: etree._Element) -> str:
    """Return the plain text of ``element`` with whitespace collapsed."""
    return normalize_text("".join(element.itertext()))


class _ScenarioReader:
    """Build the model while collecting problems; never stops at the first one."""

    def __init__(self, translate: Translate):
        self._ = translate
        self.problems: list[Problem] = []

    # Reporting

    def problem(self, message: str, fix: str, location: str, at, severity: str = "error", **values) -> None:
        """Record a problem; ``at`` is the element it concerns or its line number."""
        line = at if isinstance(at, int) or at is None else at.sourceline
        self.problems.append(
            Problem(
                message=message.format(**values),
                fix=fix.format(**values),
                location=location,
                line=line,
                severity=severity,
            )
        )

    def attribute(self, element, name: str, location: str, required: bool = True) -> str:
        value = normalize_text(element.get(name, ""))
        if not value and required:
            self.problem(
                self._("The <{tag}> element has no {attribute} attribute."),
                self._('Add {attribute}="..." to the element.'),
                location, element, tag=etree.QName(element).localname, attribute=name,
            )
        return value

    # The whole scenario

    def read(self, root) -> Scenario | None:
        if not isinstance(root.tag, str) or etree.QName(root).localname != "egov_simulation":
            tag = etree.QName(root).localname if isinstance(root.tag, str) else "?"
            self.problem(
                self._("The root element is <{tag}>, not <egov_simulation>."),
                self._("Put the scenario inside <egov_simulation>...</egov_simulation>."),
                "egov_simulation", root, tag=tag,
            )
            return None

        persona = None
        intro = ""
        steps: list[Step] = []
        persona_elements = []
        for child in root:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "persona":
                persona_elements.append(child)
            elif tag == "intro":
                intro = inner_xml(child)
            elif tag == "step":
                continue
            else:
                self.problem(
                    self._("Unknown element <{tag}> in the scenario."),
                    self._("Use only <intro>, <persona> and <step> inside <egov_simulation>."),
                    tag, child, tag=tag,
                )

        if not persona_elements:
            self.problem(
                self._("The scenario has no <persona>."),
                self._("Add a <persona> with the fictional citizen's name, birth_date, sex, id_number, "
                       "address, phone, password and otp."),
                "egov_simulation", root,
            )
        else:
            if len(persona_elements) > 1:
                self.problem(
                    self._("The scenario has more than one <persona>."),
                    self._("Keep one <persona> and delete the others."),
                    "persona", persona_elements[1],
                )
            persona = self.read_persona(persona_elements[0])

        seen_ids: dict[str, int | None] = {}
        for child in root:
            if isinstance(child.tag, str) and etree.QName(child).localname == "step":
                step = self.read_step(child, seen_ids)
                if step is not None:
                    steps.append(step)

        self.check_order(root, steps)
        if persona is not None:
            self.check_references(root, persona, steps)
        if persona is None or not steps:
            return None
        return Scenario(persona=persona, steps=tuple(steps), intro=intro)

    # Persona

    def read_persona(self, element) -> Persona | None:
        values = {name: self.attribute(element, name, "persona") for name in PERSONA_ATTRIBUTES}
        self.check_persona_values(element, values)

        facts = []
        fact_names = set(PERSONA_ATTRIBUTES)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if etree.QName(child).localname != "fact":
                self.problem(
                    self._("Unknown element <{tag}> in <persona>."),
                    self._('Use <fact name="..." label="...">value</fact> for extra persona values.'),
                    "persona", child, tag=etree.QName(child).localname,
                )
                continue
            name = self.attribute(child, "name", "persona/fact")
            location = f"persona/fact[name={name}]"
            label = self.attribute(child, "label", location)
            value = element_text(child)
            if not value:
                self.problem(
                    self._("The persona fact {name} has no value."),
                    self._("Write the fictional value between <fact> and </fact>."),
                    location, child, name=name,
                )
            if name and name in fact_names:
                self.problem(
                    self._("The persona value {name} is defined twice."),
                    self._("Give each <fact> a name that no persona attribute or other fact uses."),
                    location, child, name=name,
                )
            elif name and not _IDENTIFIER.match(name):
                self.problem(
                    self._("The persona fact name {name} is not a valid identifier."),
                    self._("Use letters, digits, _ or -, starting with a letter."),
                    location, child, name=name,
                )
            fact_names.add(name)
            facts.append(Fact(name=name, label=label, value=value))

        if not all(values.values()):
            return None
        return Persona(facts=tuple(facts), **values)

    def check_persona_values(self, element, values: dict[str, str]) -> None:
        birth = None
        if values["birth_date"]:
            birth = parse_date(values["birth_date"]) if _DATE.match(values["birth_date"]) else None
            if birth is None:
                self.problem(
                    self._("The persona birth_date {value} is not a date written dd/mm/yyyy."),
                    self._("Write the date as day/month/year with two-digit day and month, for example 05/09/1990."),
                    "persona", element, value=values["birth_date"],
                )

        sex = SEX_VALUES.get(values["sex"].lower()) if values["sex"] else None
        if values["sex"] and sex is None:
            self.problem(
                self._("The persona sex {value} is not Nam or Nữ."),
                self._('Write sex="Nam" or sex="Nữ".'),
                "persona", element, value=values["sex"],
            )

        number = values["id_number"]
        if number:
            self.check_id_number(element, number, birth, sex)

        if values["phone"] and not _PHONE.match(values["phone"]):
            self.problem(
                self._("The persona phone {value} is not a Vietnamese mobile number."),
                self._("Use 10 digits starting with 03, 05, 07, 08 or 09, for example 0912000111."),
                "persona", element, value=values["phone"],
            )
        if values["otp"] and not _OTP.match(values["otp"]):
            self.problem(
                self._("The persona otp {value} is not a 6-digit code."),
                self._("Write six digits, for example 482913."),
                "persona", element, value=values["otp"],
            )
        if values["address"] and _DISTRICT_WORDS.search(values["address"]):
            self.problem(
                self._("The persona address names a district level, which no longer exists since 1/7/2025."),
                self._("Write the address as house, street, xã/phường and tỉnh/thành phố."),
                "persona", element, severity="warning",
            )

    def check_id_number(self, element, number: str, birth: date | None, sex: str | None) -> None:
        if not re.fullmatch(r"\d{12}", number):
            self.problem(
                self._("The persona id_number {value} does not have 12 digits."),
                self._("Write 12 digits: 000, the century/sex digit, two digits of the birth year, six digits."),
                "persona", element, value=number,
            )
            return
        if not number.startswith("000"):
            self.problem(
                self._("The persona id_number {value} does not start with 000."),
                self._("Start fictional ID numbers with the province code 000, which no real province uses."),
                "persona", element, value=number,
            )
        if birth is None or sex is None:
            return

        # Decree 137/2015/NĐ-CP, Art. 13: 1900s male 0, female 1; 2000s male 2, female 3; and so on by century.
        century_index = (birth.year // 100) - 19
        expected_digit = century_index * 2 + (1 if sex == "female" else 0)
        if 0 <= expected_digit <= 9 and number[3] != str(expected_digit):
            self.problem(
                self._("The 4th digit of the persona id_number is {digit}, but the birth year and sex need {expected}."),
                self._("Use 0 or 1 for men or women born in the 1900s, 2 or 3 for the 2000s."),
                "persona", element, digit=number[3], expected=expected_digit,
            )
        if number[4:6] != f"{birth.year % 100:02d}":
            self.problem(
                self._("Digits 5-6 of the persona id_number are {digits}, but the birth year ends in {year}."),
                self._("Put the last two digits of the birth year after the century/sex digit."),
                "persona", element, digits=number[4:6], year=f"{birth.year % 100:02d}",
            )

    # Steps

    def read_step(self, element, seen_ids: dict[str, int | None]) -> Step | None:
        step_id = normalize_text(element.get("id", ""))
        location = f"step[id={step_id}]" if step_id else "step"
        kind = normalize_text(element.get("kind", ""))

        if not step_id:
            self.problem(
                self._("A <step> has no id."),
                self._('Add id="..." with a short unique name such as login or form.'),
                location, element,
            )
        elif not _IDENTIFIER.match(step_id):
            self.problem(
                self._("The step id {id} is not a valid identifier."),
                self._("Use letters, digits, _ or -, starting with a letter, at most 64 characters."),
                location, element, id=step_id,
            )
        elif step_id in seen_ids:
            self.problem(
                self._("The step id {id} is used twice (first on line {first})."),
                self._("Give each step its own id."),
                location, element, id=step_id, first=seen_ids[step_id],
            )
        else:
            seen_ids[step_id] = element.sourceline

        if kind not in STEP_KINDS:
            self.problem(
                self._("The step kind {kind} is unknown."),
                self._("Use one of: {kinds}."),
                location, element, kind=kind or '""', kinds=", ".join(STEP_KINDS),
            )
            return None

        title = self.attribute(element, "title", location)
        instructions = ""
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).localname == "instructions":
                instructions = inner_xml(child)

        reader = getattr(self, f"read_{kind}_step")
        details = reader(element, location)
        return Step(id=step_id, kind=kind, title=title, instructions=instructions, line=element.sourceline, **details)

    def children(self, element, location: str, allowed: tuple[str, ...]):
        """Yield (tag, child) for element children, reporting tags not in ``allowed``."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "instructions":
                continue
            if tag not in allowed:
                self.problem(
                    self._("Unknown element <{tag}> in this step."),
                    self._("Use only these elements here: {allowed}."),
                    location, child, tag=tag, allowed=", ".join(f"<{name}>" for name in ("instructions",) + allowed),
                )
                continue
            yield tag, child

    def read_login_step(self, element, location: str) -> dict:
        feedback: dict[str, str] = {}
        for _tag, child in self.children(element, location, ("feedback",)):
            name = normalize_text(child.get("field", ""))
            if name not in LOGIN_FIELDS:
                self.problem(
                    self._("The login feedback is for field {field}, which a login step does not have."),
                    self._("Use field=\"id_number\", field=\"password\" or field=\"otp\"."),
                    location, child, field=name or '""',
                )
                continue
            feedback[name] = element_text(child)

        fields = []
        for name in LOGIN_FIELDS:
            text = feedback.get(name, "")
            if not text:
                self.problem(
                    self._("The login step has no feedback for {field}."),
                    self._('Add <feedback field="{field}">what the learner should check</feedback>.'),
                    location, element, field=name,
                )
            rules = (
                Rule(kind="required", feedback=text, line=element.sourceline),
                Rule(kind="equals", feedback=text, persona=name, line=element.sourceline),
            )
            fields.append(Field(name=name, type="text", label="", rules=rules))
        return {"fields": tuple(fields)}

    def read_form_step(self, element, location: str) -> dict:
        fields = []
        names: set[str] = set()
        for _tag, child in self.children(element, location, ("field",)):
            field = self.read_field(child, location, names)
            if field is not None:
                fields.append(field)
        if not fields:
            self.problem(
                self._("The form step has no <field>."),
                self._('Add at least one <field name="..." type="text" label="...">.'),
                location, element,
            )
        return {"fields": tuple(fields)}

    def read_field(self, element, step_location: str, names: set[str]) -> Field | None:
        name = normalize_text(element.get("name", ""))
        location = f"{step_location}/field[name={name}]"
        if not name:
            self.problem(self._("A <field> has no name."), self._('Add name="..." to the field.'), location, element)
        elif not _IDENTIFIER.match(name):
            self.problem(
                self._("The field name {name} is not a valid identifier."),
                self._("Use letters, digits, _ or -, starting with a letter."),
                location, element, name=name,
            )
        elif name in names:
            self.problem(
                self._("The field name {name} is used twice in this step."),
                self._("Give each field of a step its own name."),
                location, element, name=name,
            )
        names.add(name)

        field_type = normalize_text(element.get("type", "text"))
        if field_type not in FIELD_TYPES:
            self.problem(
                self._("The field type {type} is unknown."),
                self._("Use one of: {types}."),
                location, element, type=field_type, types=", ".join(FIELD_TYPES),
            )
            return None
        label = self.attribute(element, "label", location)

        options = []
        rules = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "option":
                value = normalize_text(child.get("value", ""))
                if not value:
                    self.problem(
                        self._("An <option> has no value."),
                        self._('Add value="..." to the option.'),
                        location, child,
                    )
                elif value in (option.value for option in options):
                    self.problem(
                        self._("The option value {value} is used twice."),
                        self._("Give each option its own value."),
                        location, child, value=value,
                    )
                options.append(Option(value=value, label=element_text(child) or value))
            elif tag in ("required", "pattern", "equals", "allowed"):
                rule = self.read_rule(tag, child, f"{location}/{tag}")
                if rule is not None:
                    rules.append(rule)
            else:
                self.problem(
                    self._("Unknown element <{tag}> in a field."),
                    self._("Use <option>, <required>, <pattern>, <equals> or <allowed> inside <field>."),
                    location, child, tag=tag,
                )

        if field_type in ("select", "radio") and not options:
            self.problem(
                self._("The {type} field {name} has no <option>."),
                self._('Add <option value="...">label</option> for each choice.'),
                location, element, type=field_type, name=name,
            )
        if field_type in ("text", "date") and options:
            self.problem(
                self._("The {type} field {name} has options, which only select, radio and checkbox use."),
                self._('Change type to "select" or delete the options.'),
                location, element, type=field_type, name=name,
            )

        field = Field(
            name=name, type=field_type, label=label, help=normalize_text(element.get("help", "")),
            options=tuple(options), rules=tuple(rules),
        )
        self.check_field_rules(field, element, location)
        return field

    def read_rule(self, tag: str, element, location: str) -> Rule | None:
        feedback = element_text(element)
        if not feedback:
            self.problem(
                self._("The <{tag}> rule has no feedback text."),
                self._("Write what the learner should correct between <{tag}> and </{tag}>."),
                location, element, tag=tag,
            )
        if tag == "required":
            return Rule(kind="required", feedback=feedback, line=element.sourceline)

        if tag == "pattern":
            regex = element.get("regex", "")
            if not regex:
                self.problem(
                    self._("The <pattern> rule has no regex attribute."),
                    self._('Add regex="..." with the regular expression the whole value must match.'),
                    location, element,
                )
                return None
            if len(regex) > MAX_PATTERN_LENGTH:
                self.problem(
                    self._("The regex is {length} characters long; the limit is {limit}."),
                    self._("Shorten the regular expression."),
                    location, element, length=len(regex), limit=MAX_PATTERN_LENGTH,
                )
                return None
            try:
                re.compile(regex)
            except re.error as error:
                self.problem(
                    self._("The regex {regex} is invalid: {error}."),
                    self._("Correct the regular expression (Python syntax)."),
                    location, element, regex=regex, error=str(error),
                )
                return None
            if _NESTED_QUANTIFIER.search(regex):
                self.problem(
                    self._("The regex {regex} repeats a group that itself repeats, which can be very slow."),
                    self._("Rewrite it without a quantifier on a group that contains + or *."),
                    location, element, regex=regex,
                )
                return None
            return Rule(kind="pattern", feedback=feedback, regex=regex, line=element.sourceline)

        if tag == "equals":
            persona = normalize_text(element.get("persona", ""))
            answer = element.get("answer")
            if bool(persona) == (answer is not None):
                self.problem(
                    self._("The <equals> rule needs exactly one of persona or answer."),
                    self._('Write persona="id_number" to compare with the persona, or answer="..." for a fixed value.'),
                    location, element,
                )
                return None
            if persona:
                return Rule(kind="equals", feedback=feedback, persona=persona, line=element.sourceline)
            return Rule(kind="equals", feedback=feedback, answer=normalize_text(answer or ""), line=element.sourceline)

        choices = tuple(normalize_text(element.get("choices", "")).split())
        if not choices:
            self.problem(
                self._("The <allowed> rule has no choices."),
                self._('Add choices="value1 value2" with the option values the learner may pick.'),
                location, element,
            )
            return None
        return Rule(kind="allowed", feedback=feedback, choices=choices, line=element.sourceline)

    def check_field_rules(self, field: Field, element, location: str) -> None:
        values = set(field.option_values())
        for rule in field.rules:
            if rule.kind == "allowed":
                if not field.options:
                    self.problem(
                        self._("The <allowed> rule is on the {type} field {name}, which has no options."),
                        self._("Use <allowed> only on select, radio or checkbox fields with options."),
                        location, element, type=field.type, name=field.name,
                    )
                for choice in rule.choices:
                    if choice not in values:
                        self.problem(
                            self._("The allowed choice {choice} is not the value of any option of field {name}."),
                            self._("Use option values: {values}."),
                            location, element, choice=choice, name=field.name, values=", ".join(sorted(values)),
                        )
            if rule.kind == "pattern" and field.type not in ("text", "date"):
                self.problem(
                    self._("The <pattern> rule is on the {type} field {name}."),
                    self._("Use <pattern> only on text and date fields."),
                    location, element, type=field.type, name=field.name,
                )
            if rule.kind == "equals" and rule.answer is not None and field.options:
                if field.is_group:
                    missing = [value for value in rule.answer.split() if value not in values]
                else:
                    missing = [] if rule.answer in values else [rule.answer]
                for value in missing:
                    self.problem(
                        self._("The answer {answer} is not the value of any option of field {name}."),
                        self._("Use option values: {values}."),
                        location, element, answer=value, name=field.name, values=", ".join(sorted(values)),
                    )
            if rule.kind == "equals" and rule.answer is not None and field.type == "date" and parse_date(rule.answer) is None:
                self.problem(
                    self._("The answer {answer} of the date field {name} is not a date written dd/mm/yyyy."),
                    self._("Write the answer as day/month/year, for example 05/09/2025."),
                    location, element, answer=rule.answer, name=field.name,
                )
        if field.type == "checkbox" and not field.options:
            for rule in field.rules:
                if rule.kind != "required":
                    self.problem(
                        self._("A single checkbox only supports the <required> rule."),
                        self._("Delete the other rules, or add options to make it a group."),
                        location, element,
                    )

    def read_attachments_step(self, element, location: str) -> dict:
        documents = []
        for _tag, child in self.children(element, location, ("document",)):
            document_id = self.attribute(child, "id", location)
            doc_location = f"{location}/document[id={document_id}]"
            label = self.attribute(child, "label", doc_location)
            role = normalize_text(child.get("role", "optional"))
            if role not in DOCUMENT_ROLES:
                self.problem(
                    self._("The document role {role} is unknown."),
                    self._("Use role=\"required\", role=\"forbidden\" or role=\"optional\"."),
                    doc_location, child, role=role,
                )
                continue
            feedback = element_text(child)
            if role != "optional" and not feedback:
                self.problem(
                    self._("The {role} document {id} has no feedback text."),
                    self._("Write why this document is needed or must not be attached, inside <document>."),
                    doc_location, child, role=role, id=document_id,
                )
            if document_id in (document.id for document in documents):
                self.problem(
                    self._("The document id {id} is used twice."),
                    self._("Give each document its own id."),
                    doc_location, child, id=document_id,
                )
            documents.append(Document(id=document_id, label=label, role=role, feedback=feedback))
        if not any(document.role == "required" for document in documents):
            self.problem(
                self._("The attachments step has no required document."),
                self._('Mark at least one <document> with role="required".'),
                location, element,
            )
        return {"documents": tuple(documents)}

    def read_choices(self, element, location: str, tag: str, label_required: bool = True) -> tuple[Choice, ...]:
        choices = []
        for child in element:
            if not isinstance(child.tag, str) or etree.QName(child).localname != tag:
                continue
            choice_id = self.attribute(child, "id", location)
            choice_location = f"{location}/{tag}[id={choice_id}]"
            label = self.attribute(child, "label", choice_location, required=label_required)
            correct = normalize_text(child.get("correct", "false")).lower()
            if correct not in ("true", "false"):
                self.problem(
                    self._("The correct attribute is {value}, not true or false."),
                    self._('Write correct="true" or correct="false".'),
                    choice_location, child, value=correct,
                )
            feedback = element_text(child)
            if not feedback:
                self.problem(
                    self._("The <{tag}> {id} has no feedback text."),
                    self._("Write the feedback the learner sees after choosing it, inside the element."),
                    choice_location, child, tag=tag, id=choice_id,
                )
            if choice_id in (choice.id for choice in choices):
                self.problem(
                    self._("The id {id} is used twice in this step."),
                    self._("Give each <{tag}> its own id."),
                    choice_location, child, id=choice_id, tag=tag,
                )
            choices.append(Choice(id=choice_id, label=label, correct=correct == "true", feedback=feedback))
        return tuple(choices)

    def read_payment_step(self, element, location: str) -> dict:
        for _tag, _child in self.children(element, location, ("method", "amount_feedback")):
            pass
        choices = self.read_choices(element, location, "method")
        if not any(choice.correct for choice in choices):
            self.problem(
                self._("The payment step has no correct <method>."),
                self._('Mark at least one <method> with correct="true".'),
                location, element,
            )

        raw_amount = normalize_text(element.get("amount", ""))
        amount = None
        if not re.fullmatch(r"\d{1,12}", raw_amount):
            self.problem(
                self._("The payment amount {value} is not a whole number of đồng."),
                self._('Write amount="0" for a free procedure or the fee in đồng without separators, for example amount="15000".'),
                location, element, value=raw_amount or '""',
            )
        else:
            amount = int(raw_amount)

        amount_feedback = ""
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).localname == "amount_feedback":
                amount_feedback = element_text(child)
        if not amount_feedback:
            self.problem(
                self._("The payment step has no <amount_feedback>."),
                self._("Add <amount_feedback> with what the learner should check when the amount is wrong."),
                location, element,
            )
        return {"choices": choices, "amount": amount, "amount_feedback": amount_feedback}

    def read_review_step(self, element, location: str) -> dict:
        commitment = ""
        commitment_feedback = ""
        summary_steps: tuple[str, ...] = ()
        for tag, child in self.children(element, location, ("commitment", "summary")):
            if tag == "commitment":
                commitment = self.attribute(child, "label", f"{location}/commitment")
                commitment_feedback = element_text(child)
            else:
                summary_steps = tuple(normalize_text(child.get("steps", "")).split())
        if not commitment:
            self.problem(
                self._("The review step has no <commitment>."),
                self._('Add <commitment label="Tôi xin cam đoan...">feedback when not ticked</commitment>.'),
                location, element,
            )
        elif not commitment_feedback:
            self.problem(
                self._("The <commitment> has no feedback text."),
                self._("Write what the learner should do when the box is not ticked, inside <commitment>."),
                location, element,
            )
        return {"commitment": commitment, "commitment_feedback": commitment_feedback, "summary_steps": summary_steps}

    def read_trap_step(self, element, location: str) -> dict:
        channel = normalize_text(element.get("channel", ""))
        if channel not in TRAP_CHANNELS:
            self.problem(
                self._("The trap channel {channel} is unknown."),
                self._("Use one of: {channels}."),
                location, element, channel=channel or '""', channels=", ".join(TRAP_CHANNELS),
            )
        sender = self.attribute(element, "sender", location)
        message = ""
        for tag, child in self.children(element, location, ("message", "action")):
            if tag == "message":
                message = inner_xml(child)
        if not message:
            self.problem(
                self._("The trap step has no <message>."),
                self._("Add <message> with what the caller or sender says."),
                location, element,
            )
        choices = self.read_choices(element, location, "action")
        correct = [choice for choice in choices if choice.correct]
        if len(correct) != 1:
            self.problem(
                self._("The trap step has {count} correct actions; it needs exactly one."),
                self._('Mark the one safe action (refuse or report) with correct="true".'),
                location, element, count=len(correct),
            )
        if len(choices) < 2:
            self.problem(
                self._("The trap step offers fewer than two actions."),
                self._("Add at least one unsafe <action> next to the safe one."),
                location, element,
            )
        return {"channel": channel, "sender": sender, "message": message, "choices": choices}

    def read_review_dossier_step(self, element, location: str) -> dict:
        dossiers = []
        data_elements = []
        for tag, child in self.children(element, location, ("dossier", "decision", "reason", "data_handling")):
            if tag == "dossier":
                dossiers.append(child)
            elif tag == "data_handling":
                data_elements.append(child)

        review = None
        if not dossiers:
            self.problem(
                self._("The review_dossier step has no <dossier>."),
                self._('Add <dossier procedure="..." applicant="..."> with an <item> for each field value and attachment.'),
                location, element,
            )
        elif len(dossiers) > 1:
            self.problem(
                self._("The review_dossier step has more than one <dossier>."),
                self._("Keep one <dossier> per step and put every item inside it."),
                location, dossiers[1],
            )
        if dossiers:
            review = self.read_dossier(dossiers[0], f"{location}/dossier")

        decisions = self.read_decisions(element, location)
        reasons = self.read_reasons(element, location, decisions)
        data_question, data_choices = "", ()
        if len(data_elements) > 1:
            self.problem(
                self._("The review_dossier step has more than one <data_handling>."),
                self._("Keep one <data_handling> question per step."),
                location, data_elements[1],
            )
        if data_elements:
            data_question, data_choices = self.read_data_handling(data_elements[0], f"{location}/data_handling")

        if review is None:
            return {}
        procedure, applicant, submitted, items = review
        self.check_decision_matches_items(element, location, items, decisions)
        dossier = DossierReview(
            procedure=procedure, applicant=applicant, submitted=submitted, items=items, decisions=decisions,
            reasons=reasons, data_question=data_question, data_choices=data_choices,
        )
        return {"dossier": dossier}

    def read_dossier(self, element, location: str) -> tuple[str, str, str, tuple[DossierItem, ...]]:
        procedure = self.attribute(element, "procedure", location)
        applicant = self.attribute(element, "applicant", location)
        submitted = normalize_text(element.get("submitted", ""))
        if submitted and (not _DATE.match(submitted) or parse_date(submitted) is None):
            self.problem(
                self._("The dossier submitted date {value} is not a date written dd/mm/yyyy."),
                self._("Write the date as day/month/year, for example 03/12/2026, or delete the attribute."),
                location, element, value=submitted,
            )

        items: list[DossierItem] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag != "item":
                self.problem(
                    self._("Unknown element <{tag}> in <dossier>."),
                    self._('Use <item id="..." type="field|attachment" label="..." value="..." flawed="true|false">explanation</item>.'),
                    location, child, tag=tag,
                )
                continue
            item = self.read_dossier_item(child, location, items)
            if item is not None:
                items.append(item)

        if not items:
            self.problem(
                self._("The <dossier> has no <item>."),
                self._("Add an <item> for each e-form value and each attachment of the dossier."),
                location, element,
            )
        elif len(items) > MAX_DOSSIER_ITEMS:
            self.problem(
                self._("The <dossier> has {count} items; the limit is {limit}."),
                self._("Keep the items the learner must judge and delete the others."),
                location, element, count=len(items), limit=MAX_DOSSIER_ITEMS,
            )
        return procedure, applicant, submitted, tuple(items)

    def read_dossier_item(self, element, dossier_location: str, items: list[DossierItem]) -> DossierItem | None:
        item_id = normalize_text(element.get("id", ""))
        location = f"{dossier_location}/item[id={item_id}]" if item_id else f"{dossier_location}/item"
        if not item_id:
            self.problem(self._("An <item> has no id."), self._('Add id="..." to the item.'), location, element)
        elif not _IDENTIFIER.match(item_id):
            self.problem(
                self._("The item id {id} is not a valid identifier."),
                self._("Use letters, digits, _ or -, starting with a letter, at most 64 characters."),
                location, element, id=item_id,
            )
        elif item_id in (item.id for item in items):
            self.problem(
                self._("The item id {id} is used twice in this dossier."),
                self._("Give each item its own id."),
                location, element, id=item_id,
            )

        item_type = normalize_text(element.get("type", ""))
        if item_type not in DOSSIER_ITEM_TYPES:
            self.problem(
                self._("The item type {type} is unknown."),
                self._('Write type="field" for an e-form value or type="attachment" for an attached document.'),
                location, element, type=item_type or '""',
            )
        label = self.attribute(element, "label", location)
        value = normalize_text(element.get("value", ""))
        flawed = normalize_text(element.get("flawed", "")).lower()
        if flawed not in ("true", "false"):
            self.problem(
                self._("The flawed attribute is {value}, not true or false."),
                self._('Write flawed="true" for a missing or wrong item and flawed="false" for a correct one.'),
                location, element, value=flawed or '""',
            )
        explanation = element_text(element)
        if not explanation:
            self.problem(
                self._("The item {id} has no explanation text."),
                self._("Write inside <item> why the item is correct, or what is missing or wrong in it."),
                location, element, id=item_id,
            )
        self.check_dossier_value(element, location, value, flawed == "true")
        if not item_id or item_type not in DOSSIER_ITEM_TYPES or flawed not in ("true", "false"):
            return None
        return DossierItem(id=item_id, type=item_type, label=label, value=value, flawed=flawed == "true", explanation=explanation)

    def check_dossier_value(self, element, location: str, value: str, flawed: bool) -> None:
        """Report real-looking ID numbers, and district names on items presented as correct."""
        for number in _ID_NUMBER_RUN.findall(value):
            if not number.startswith("000"):
                self.problem(
                    self._("The item value contains the ID number {value}, which does not start with 000."),
                    self._("Start fictional ID numbers with the province code 000, which no real province uses."),
                    location, element, value=number,
                )
        if not flawed and _DISTRICT_WORDS.search(value):
            self.problem(
                self._("A correct item names a district level, which no longer exists since 1/7/2025."),
                self._('Write the address with xã/phường and tỉnh/thành phố, or mark the item flawed="true" if the old address is the mistake.'),
                location, element, severity="warning",
            )

    def read_decisions(self, element, location: str) -> tuple[Choice, ...]:
        decisions = self.read_choices(element, location, "decision", label_required=False)
        for decision, child in zip(decisions, self.child_elements(element, "decision")):
            if decision.id and decision.id not in DOSSIER_DECISIONS:
                self.problem(
                    self._("The decision id {id} is unknown."),
                    self._("Use one of: {decisions}."),
                    f"{location}/decision[id={decision.id}]", child, id=decision.id, decisions=", ".join(DOSSIER_DECISIONS),
                )
        if len(decisions) < 2:
            self.problem(
                self._("The review_dossier step offers fewer than two decisions."),
                self._('Add <decision id="accept">, <decision id="request_more"> and <decision id="refuse">, each with its feedback.'),
                location, element,
            )
        correct = [decision for decision in decisions if decision.correct]
        if len(correct) != 1:
            self.problem(
                self._("The review_dossier step has {count} correct decisions; it needs exactly one."),
                self._('Mark the one right decision with correct="true".'),
                location, element, count=len(correct),
            )
        return decisions

    def read_reasons(self, element, location: str, decisions: tuple[Choice, ...]) -> tuple[Choice, ...]:
        reasons = self.read_choices(element, location, "reason")
        if not reasons:
            return reasons
        if not any(reason.correct for reason in reasons):
            self.problem(
                self._("No <reason> of the review_dossier step is marked correct."),
                self._('Mark the reasons the official must send to the citizen with correct="true".'),
                location, element,
            )
        correct = [decision for decision in decisions if decision.correct]
        if len(correct) == 1 and correct[0].id == "accept":
            self.problem(
                self._("The step offers reasons to send to the citizen, but the correct decision is accept."),
                self._("Delete the <reason> elements, or make request_more or refuse the correct decision."),
                location, element,
            )
        return reasons

    def read_data_handling(self, element, location: str) -> tuple[str, tuple[Choice, ...]]:
        question = self.attribute(element, "question", location)
        for _tag, _child in self.children(element, location, ("option",)):
            pass
        choices = self.read_choices(element, location, "option")
        correct = [choice for choice in choices if choice.correct]
        if len(choices) < 2:
            self.problem(
                self._("The <data_handling> question offers fewer than two options."),
                self._("Add at least one unsafe <option> next to the safe one."),
                location, element,
            )
        if len(correct) != 1:
            self.problem(
                self._("The <data_handling> question has {count} correct options; it needs exactly one."),
                self._('Mark the one safe way to handle the citizen\'s data with correct="true".'),
                location, element, count=len(correct),
            )
        return question, choices

    def check_decision_matches_items(self, element, location: str, items: tuple[DossierItem, ...], decisions: tuple[Choice, ...]) -> None:
        correct = [decision for decision in decisions if decision.correct]
        if len(correct) != 1 or not items:
            return
        flawed = [item for item in items if item.flawed]
        if flawed and correct[0].id == "accept":
            self.problem(
                self._("The dossier has {count} flawed items, but the correct decision is accept."),
                self._("Make request_more or refuse the correct decision, or mark the items flawed=\"false\"."),
                location, element, count=len(flawed),
            )
        if not flawed and correct[0].id != "accept":
            self.problem(
                self._("No item of the dossier is flawed, but the correct decision is {decision}."),
                self._('Mark the missing or wrong items flawed="true", or make accept the correct decision.'),
                location, element, severity="warning", decision=correct[0].id,
            )

    @staticmethod
    def child_elements(element, tag: str) -> list:
        return [child for child in element if isinstance(child.tag, str) and etree.QName(child).localname == tag]

    def read_result_step(self, element, location: str) -> dict:
        status = self.attribute(element, "status", location)
        prefix = normalize_text(element.get("dossier_prefix", "HS"))
        if not _DOSSIER_PREFIX.match(prefix):
            self.problem(
                self._("The dossier_prefix {value} is not 1-4 capital letters."),
                self._('Write a short code such as dossier_prefix="KS".'),
                location, element, value=prefix,
            )
        message = ""
        for tag, child in self.children(element, location, ("message",)):
            message = inner_xml(child)
        return {"status": status, "dossier_prefix": prefix, "message": message}

    # Whole-scenario checks

    def check_order(self, root, steps: list[Step]) -> None:
        results = [step for step in steps if step.kind == "result"]
        if not results:
            self.problem(
                self._("The scenario has no result step."),
                self._('End the scenario with <step id="result" kind="result" status="...">.'),
                "egov_simulation", root,
            )
            return
        if len(results) > 1:
            self.problem(
                self._("The scenario has {count} result steps."),
                self._("Keep one result step, at the end."),
                f"step[id={results[1].id}]", root, count=len(results),
            )
        if steps[-1].kind != "result":
            self.problem(
                self._("The result step {id} is not the last step."),
                self._("Move the result step to the end of the scenario."),
                f"step[id={results[0].id}]", root, id=results[0].id,
            )
        if len(steps) < 2:
            self.problem(
                self._("The scenario has no step before the result."),
                self._("Add the steps the learner completes before the result."),
                "egov_simulation", root,
            )

    def check_references(self, root, persona: Persona, steps: list[Step]) -> None:
        by_id = {step.id: step for step in steps}
        for step in steps:
            location = f"step[id={step.id}]"
            for field in step.fields:
                for rule in field.rules:
                    if rule.persona is not None:
                        self.check_persona_reference(root, persona, step, field, rule, f"{location}/field[name={field.name}]")
            for name in step.summary_steps:
                if name not in by_id or by_id[name].kind != "form":
                    self.problem(
                        self._("The review summary names step {id}, which is not a form step of this scenario."),
                        self._("List the ids of form steps in <summary steps=\"...\">."),
                        location, root, id=name,
                    )

    def check_persona_reference(self, root, persona: Persona, step: Step, field: Field, rule: Rule, location: str) -> None:
        expected = persona.value(rule.persona or "")
        line_element = rule.line
        if expected is None:
            self.problem(
                self._("The rule refers to persona value {name}, which the persona does not define."),
                self._('Add {name}="..." to <persona>, or a <fact name="{name}">, or correct the name.'),
                location, line_element, name=rule.persona,
            )
            return
        if field.options and not field.is_group:
            normalized = normalize_text(expected).casefold()
            matches = [o for o in field.options if normalize_text(o.value).casefold() == normalized
                       or normalize_text(o.label).casefold() == normalized]
            if not matches:
                self.problem(
                    self._("The persona value {value} matches no option of field {name}."),
                    self._("Add an option whose value or label is {value}."),
                    location, line_element, value=expected, name=field.name,
                )
        if field.type == "date" and parse_date(expected) is None:
            self.problem(
                self._("The persona value {value} compared with the date field {name} is not a date."),
                self._("Write the persona value as dd/mm/yyyy."),
                location, line_element, value=expected, name=field.name,
            )
        for other in field.rules:
            if other.kind == "pattern" and other.regex and not re.fullmatch(other.regex, normalize_text(expected)):
                self.problem(
                    self._("The persona value {value} does not match the field's pattern, so no answer can pass."),
                    self._("Correct the regex or the persona value."),
                    location, line_element, value=expected,
                )
