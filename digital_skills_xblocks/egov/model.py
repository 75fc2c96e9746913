"""Data model of an e-government simulation scenario: a fictional persona and ordered steps.

Plain dataclasses with no XBlock import. ``scenario.py`` builds them from OLX,
``engine.py`` checks submitted steps against them.
"""

from __future__ import annotations

from dataclasses import dataclass

STEP_KINDS = ("login", "form", "attachments", "payment", "review", "trap", "review_dossier", "result")
FIELD_TYPES = ("text", "date", "select", "radio", "checkbox")
RULE_KINDS = ("required", "pattern", "equals", "allowed")
DOCUMENT_ROLES = ("required", "forbidden", "optional")
TRAP_CHANNELS = ("sms", "call", "chat", "email")
# The decisions an official can take on a received dossier: accept it, request
# more documents ("yêu cầu bổ sung") or refuse it.
DOSSIER_DECISIONS = ("accept", "request_more", "refuse")
# Kinds of dossier item: an e-form field with its value, or an attachment.
DOSSIER_ITEM_TYPES = ("field", "attachment")

# The persona attributes every scenario must define, in the order of the persona card.
PERSONA_ATTRIBUTES = ("name", "birth_date", "sex", "id_number", "address", "phone", "password", "otp")

# The three fields of a VNeID login step; each must equal the persona attribute of the same name.
LOGIN_FIELDS = ("id_number", "password", "otp")


@dataclass(frozen=True)
class Rule:
    """One check on a field value with the author's feedback shown when it fails.

    ``kind`` is ``required``, ``pattern`` (``regex`` must match the whole value),
    ``equals`` (the value equals the persona attribute ``persona`` or the fixed
    ``answer``) or ``allowed`` (every chosen option is among ``choices``).
    """

    kind: str
    feedback: str
    regex: str | None = None
    persona: str | None = None
    answer: str | None = None
    choices: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """A control of a form or login step.

    A ``checkbox`` with options is a group whose value is a list of option
    values; without options it is a single box whose value is a boolean.
    """

    name: str
    type: str
    label: str
    help: str = ""
    options: tuple[Option, ...] = ()
    rules: tuple[Rule, ...] = ()

    @property
    def is_group(self) -> bool:
        return self.type == "checkbox" and bool(self.options)

    @property
    def required(self) -> bool:
        return any(rule.kind == "required" for rule in self.rules)

    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True)
class Document:
    """A document offered on an attachments step; ``feedback`` is shown when the choice is wrong."""

    id: str
    label: str
    role: str
    feedback: str


@dataclass(frozen=True)
class Choice:
    """A payment method or a trap action; ``feedback`` is shown when the learner picks it."""

    id: str
    label: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class DossierItem:
    """One e-form value or attachment of a submitted dossier that the official reviews.

    ``flawed`` marks an item that is missing or wrong, so the learner must flag
    it. ``explanation`` is shown when the learner misjudges the item.
    """

    id: str
    type: str
    label: str
    value: str
    flawed: bool
    explanation: str


@dataclass(frozen=True)
class DossierReview:
    """The content of a ``review_dossier`` step: the learner is the official.

    ``decisions`` has exactly one correct choice. A correct ``reasons`` choice
    must be sent to the citizen and a wrong one must not. ``data_choices``
    (optional, with ``data_question``) asks how to handle the citizen's data.
    """

    procedure: str
    applicant: str
    submitted: str
    items: tuple[DossierItem, ...]
    decisions: tuple[Choice, ...]
    reasons: tuple[Choice, ...] = ()
    data_question: str = ""
    data_choices: tuple[Choice, ...] = ()

    def item(self, item_id: str) -> DossierItem | None:
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        return None

    @property
    def correct_decision(self) -> Choice | None:
        for choice in self.decisions:
            if choice.correct:
                return choice
        return None


@dataclass(frozen=True)
class Step:
    """One step of the procedure. Only the attributes of its ``kind`` are filled.

    ``instructions`` and ``message`` are author HTML (sanitised on output);
    every other text is plain.
    """

    id: str
    kind: str
    title: str
    instructions: str = ""
    line: int | None = None
    fields: tuple[Field, ...] = ()
    documents: tuple[Document, ...] = ()
    choices: tuple[Choice, ...] = ()
    amount: int | None = None
    amount_feedback: str = ""
    commitment: str = ""
    commitment_feedback: str = ""
    summary_steps: tuple[str, ...] = ()
    channel: str = ""
    sender: str = ""
    message: str = ""
    status: str = ""
    dossier_prefix: str = ""
    dossier: DossierReview | None = None

    @property
    def gradable(self) -> bool:
        return self.kind != "result"

    def field(self, name: str) -> Field | None:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        return None

    def choice(self, choice_id: str) -> Choice | None:
        for candidate in self.choices:
            if candidate.id == choice_id:
                return candidate
        return None

    def document(self, document_id: str) -> Document | None:
        for candidate in self.documents:
            if candidate.id == document_id:
                return candidate
        return None


@dataclass(frozen=True)
class Fact:
    """An extra persona value (for example the child's name) that form rules can reference."""

    name: str
    label: str
    value: str


@dataclass(frozen=True)
class Persona:
    """The fictional citizen the learner plays; every value is invented (ID prefix 000)."""

    name: str
    birth_date: str
    sex: str
    id_number: str
    address: str
    phone: str
    password: str
    otp: str
    facts: tuple[Fact, ...] = ()

    def value(self, key: str) -> str | None:
        """Return the persona attribute or fact called ``key``, or None when there is none."""
        if key in PERSONA_ATTRIBUTES:
            return getattr(self, key)
        for fact in self.facts:
            if fact.name == key:
                return fact.value
        return None


@dataclass(frozen=True)
class Scenario:
    persona: Persona
    steps: tuple[Step, ...]
    intro: str = ""

    def step(self, step_id: str) -> Step | None:
        for candidate in self.steps:
            if candidate.id == step_id:
                return candidate
        return None

    def index_of(self, step_id: str) -> int:
        for index, candidate in enumerate(self.steps):
            if candidate.id == step_id:
                return index
        raise KeyError(step_id)

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    @property
    def result_step(self) -> Step:
        return self.steps[-1]
