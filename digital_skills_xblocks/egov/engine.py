"""Check a submitted step against the scenario and move the learner's progress on.

The client sends only what the learner entered; this module decides whether
the step passes, which feedback to show, and which step comes next. Shape
errors (unknown step or field, wrong type, oversized value) raise
``SubmissionError`` before anything is checked, so the caller can respond with a
4xx error and keep the learner's state unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from .model import DossierReview, Field, Persona, Rule, Scenario, Step
from .scenario import normalize_text, parse_date

Translate = Callable[[str], str]

# Limits on one submission; a real form step has a few dozen short values at most.
MAX_VALUE_LENGTH = 500
MAX_VALUES = 40
MAX_LIST_ITEMS = 20

_AMOUNT_SEPARATORS = re.compile(r"[\s.,]|đồng|đ|vnd", re.IGNORECASE)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogs; the block translates it when it builds the response."""
    return message


# The messages for an empty login field. The login step's <feedback> texts are
# written for a wrong value ("Mật khẩu chưa đúng"), so they do not fit an empty one.
LOGIN_REQUIRED_MESSAGES = {
    "id_number": gettext_noop("Enter your personal ID number."),
    "password": gettext_noop("Enter your password."),
    "otp": gettext_noop("Enter the OTP code sent to your phone."),
}


class SubmissionError(Exception):
    """A submission with the wrong shape; ``message`` is an English msgid formatted with ``params``."""

    def __init__(self, message: str, code: str, status: int = 400, **params: Any):
        super().__init__(message.format(**params))
        self.message = message
        self.code = code
        self.status = status
        self.params = params


@dataclass(frozen=True)
class Progress:
    """The learner's position and record in one attempt.

    ``values`` stores, per form step, the values needed for the review summary;
    nothing from login steps (password, OTP) is stored.
    """

    step_id: str
    mistakes: dict[str, int] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    completed: bool = False

    @property
    def total_mistakes(self) -> int:
        return sum(self.mistakes.values())


@dataclass(frozen=True)
class Outcome:
    """The result of checking one submission.

    ``errors`` maps a field name (or ``documents``, ``method``, ``amount``,
    ``commitment``, ``action``, and on a dossier review ``flagged.<item id>``,
    ``decision``, ``reasons``, ``data_handling``) to the feedback to show. ``counted`` is False
    when a required answer is missing (an empty required field, or nothing chosen),
    which is not counted as a mistake.
    """

    passed: bool
    errors: dict[str, str] = field(default_factory=dict)
    feedback: str = ""
    counted: bool = True

    @property
    def incomplete(self) -> bool:
        """Whether the submission was rejected only because a required answer is missing."""
        return not self.passed and not self.counted


def start(scenario: Scenario) -> Progress:
    """Return the progress of a new attempt: at the first step, no mistakes."""
    return Progress(step_id=scenario.first_step.id)


def submit(scenario: Scenario, progress: Progress, step_id: Any, values: Any, translate: Translate) -> tuple[Progress, Outcome]:
    """Check ``values`` for ``step_id`` and return the new progress and the outcome.

    Raises ``SubmissionError`` for an unknown or non-current step, a finished
    attempt, or values of the wrong shape; ``progress`` is never modified.
    """
    if not isinstance(step_id, str) or not step_id:
        raise SubmissionError(gettext_noop("The step_id must be a non-empty string."), "invalid_step_id")
    step = scenario.step(step_id)
    if step is None:
        raise SubmissionError(gettext_noop("There is no step {step_id} in this simulation."), "unknown_step", 404, step_id=step_id[:64])
    if progress.completed:
        raise SubmissionError(gettext_noop("This attempt is finished. Start a new attempt to practise again."), "attempt_finished", 409)
    if step.id != progress.step_id:
        raise SubmissionError(gettext_noop("Step {step_id} is not the current step."), "step_not_current", 409, step_id=step.id)
    if step.kind == "result":
        raise SubmissionError(gettext_noop("The result step takes no answers."), "step_not_current", 409, step_id=step.id)

    clean = validate_values(step, values)
    outcome = check_step(step, clean, scenario.persona, translate)

    if outcome.incomplete:
        # The learner has not finished the step, so nothing is counted or stored.
        return progress, outcome
    if not outcome.passed:
        mistakes = dict(progress.mistakes)
        mistakes[step.id] = mistakes.get(step.id, 0) + 1
        return replace(progress, mistakes=mistakes), outcome

    stored = dict(progress.values)
    if step.kind == "form":
        stored[step.id] = clean
    next_step = scenario.steps[scenario.index_of(step.id) + 1]
    return replace(progress, step_id=next_step.id, values=stored, completed=next_step.kind == "result"), outcome


# Shape validation


def validate_values(step: Step, values: Any) -> dict[str, Any]:
    """Return ``values`` checked for shape against ``step``, or raise ``SubmissionError``."""
    if not isinstance(values, dict):
        raise SubmissionError(gettext_noop("The values must be a JSON object."), "invalid_values")
    if len(values) > MAX_VALUES:
        raise SubmissionError(
            gettext_noop("Too many values ({count}); the limit is {limit}."), "too_many_values", count=len(values), limit=MAX_VALUES
        )

    expected = _expected_shape(step)
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in expected:
            raise SubmissionError(gettext_noop("The step has no field {name}."), "unknown_field", name=str(name)[:64])
        clean[name] = _check_value(name, value, expected[name])
    return clean


def _expected_shape(step: Step) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Map each accepted key to (kind, allowed choices): kind is ``text``, ``choice``, ``bool`` or ``list``."""
    if step.kind in ("login", "form"):
        shape = {}
        for item in step.fields:
            if item.is_group:
                shape[item.name] = ("list", item.option_values())
            elif item.type == "checkbox":
                shape[item.name] = ("bool", ())
            elif item.type in ("select", "radio"):
                shape[item.name] = ("choice", item.option_values())
            else:
                shape[item.name] = ("text", ())
        return shape
    if step.kind == "attachments":
        return {"documents": ("list", tuple(document.id for document in step.documents))}
    if step.kind == "payment":
        return {"method": ("choice", tuple(choice.id for choice in step.choices)), "amount": ("text", ())}
    if step.kind == "review":
        return {"commitment": ("bool", ())}
    if step.kind == "trap":
        return {"action": ("choice", tuple(choice.id for choice in step.choices))}
    if step.kind == "review_dossier" and step.dossier is not None:
        return _review_dossier_shape(step.dossier)
    return {}


def _review_dossier_shape(dossier: DossierReview) -> dict[str, tuple[str, tuple[str, ...]]]:
    shape = {
        "flagged": ("list", tuple(item.id for item in dossier.items)),
        "decision": ("choice", tuple(choice.id for choice in dossier.decisions)),
    }
    if dossier.reasons:
        shape["reasons"] = ("list", tuple(choice.id for choice in dossier.reasons))
    if dossier.data_choices:
        shape["data_handling"] = ("choice", tuple(choice.id for choice in dossier.data_choices))
    return shape


def _check_value(name: str, value: Any, shape: tuple[str, tuple[str, ...]]) -> Any:
    kind, choices = shape
    if kind == "bool":
        if not isinstance(value, bool):
            raise SubmissionError(gettext_noop("The value of {name} must be true or false."), "invalid_type", name=name)
        return value

    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise SubmissionError(gettext_noop("The value of {name} must be a list of strings."), "invalid_type", name=name)
        if len(value) > MAX_LIST_ITEMS:
            raise SubmissionError(
                gettext_noop("The value of {name} has too many items; the limit is {limit}."), "too_many_values", name=name, limit=MAX_LIST_ITEMS
            )
        unknown = [item for item in value if item not in choices]
        if unknown or len(set(value)) != len(value):
            raise SubmissionError(gettext_noop("The value of {name} contains an unknown or repeated choice."), "invalid_choice", name=name)
        return list(value)

    if not isinstance(value, str):
        raise SubmissionError(gettext_noop("The value of {name} must be a string."), "invalid_type", name=name)
    if len(value) > MAX_VALUE_LENGTH:
        raise SubmissionError(
            gettext_noop("The value of {name} is too long; the limit is {limit} characters."), "value_too_long", name=name, limit=MAX_VALUE_LENGTH
        )
    if kind == "choice" and value and value not in choices:
        raise SubmissionError(gettext_noop("The value of {name} is not one of the offered choices."), "invalid_choice", name=name)
    return value


# Checking


def check_step(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    """Return the outcome of ``values`` (already shape-checked) on ``step``."""
    checker = {
        "login": _check_fields,
        "form": _check_fields,
        "attachments": _check_attachments,
        "payment": _check_payment,
        "review": _check_review,
        "trap": _check_trap,
        "review_dossier": _check_review_dossier,
    }[step.kind]
    return checker(step, values, persona, translate)


def _check_fields(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    """Check a login or form step: first that every required field has a value, then every rule.

    A submission with an empty required field is incomplete, like a real portal's
    form that will not send until its required fields are filled. It gets the
    required-field messages only and counts no mistake. The filled fields are not
    checked yet, so leaving one field empty cannot reveal which other answers are
    right without the risk of a mistake.
    """
    missing = required_errors(step, values, translate)
    if missing:
        return Outcome(passed=False, errors=missing, counted=False)

    errors = {}
    for item in step.fields:
        message = check_field(item, values.get(item.name), persona, translate)
        if message:
            errors[item.name] = message
    return Outcome(passed=not errors, errors=errors)


def required_errors(step: Step, values: dict[str, Any], translate: Translate) -> dict[str, str]:
    """Return the message for each required field of ``step`` that is empty in ``values``.

    A field is required when it has a ``required`` rule. Empty means missing,
    blank after trimming, an unticked single checkbox or a group with nothing ticked.
    """
    errors = {}
    for item in step.fields:
        if item.required and _is_empty(values.get(item.name)):
            errors[item.name] = required_message(step, item, translate)
    return errors


def required_message(step: Step, item: Field, translate: Translate) -> str:
    """Return what the learner reads when the required field ``item`` of ``step`` is empty.

    A form field shows the author's ``<required>`` text. A login field has no
    such text of its own, so it shows a fixed message.
    """
    if step.kind == "login" and item.name in LOGIN_REQUIRED_MESSAGES:
        return translate(LOGIN_REQUIRED_MESSAGES[item.name])
    for rule in item.rules:
        if rule.kind == "required" and rule.feedback:
            return rule.feedback
    # A parsed scenario always has this text, but a scenario built in code may not.
    return translate("{label}: this field is required.").format(label=item.label or item.name)


def check_field(item: Field, value: Any, persona: Persona, translate: Translate) -> str:
    """Return the feedback of the first failing rule of ``item`` for ``value``, or "" when it passes."""
    empty = _is_empty(value)
    if empty:
        for rule in item.rules:
            if rule.kind == "required":
                return rule.feedback
        return ""

    if item.type == "date" and parse_date(value) is None:
        return translate("Enter the date as dd/mm/yyyy, for example 05/09/2025.")

    for rule in item.rules:
        if rule.kind == "required":
            continue
        if not _rule_passes(item, rule, value, persona):
            return rule.feedback
    return ""


def _is_empty(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, list):
        return not value
    return isinstance(value, str) and not value.strip()


def _rule_passes(item: Field, rule: Rule, value: Any, persona: Persona) -> bool:
    if rule.kind == "pattern":
        return re.fullmatch(rule.regex or "", normalize_text(value)) is not None

    if rule.kind == "allowed":
        chosen = value if isinstance(value, list) else [value]
        return all(choice in rule.choices for choice in chosen)

    # equals
    if rule.persona is not None:
        expected = persona.value(rule.persona) or ""
        if rule.persona == "password":
            return value.strip() == expected
    else:
        expected = rule.answer or ""

    if item.is_group:
        return set(value) == set(expected.split())
    if item.type in ("select", "radio"):
        return _option_matches(item, value, expected)
    if item.type == "date":
        return parse_date(value) == parse_date(expected)
    return _comparable(value) == _comparable(expected)


def _option_matches(item: Field, value: str, expected: str) -> bool:
    """Return True when the chosen option's value or label equals ``expected``."""
    target = _comparable(expected)
    return any(
        option.value == value and target in (_comparable(option.value), _comparable(option.label))
        for option in item.options
    )


def _comparable(value: str) -> str:
    """Return text for a lenient comparison: NFC, collapsed spaces, case-folded; digits lose separators."""
    text = normalize_text(value).casefold()
    if re.fullmatch(r"[\d\s.\-]+", text):
        return re.sub(r"[\s.\-]", "", text)
    return text


def _check_attachments(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    chosen = set(values.get("documents") or [])
    if not chosen:
        return Outcome(
            passed=False, errors={"documents": translate("Choose the documents to attach.")}, counted=False
        )
    problems = []
    for document in step.documents:
        if document.role == "required" and document.id not in chosen:
            problems.append(document.feedback)
        if document.role == "forbidden" and document.id in chosen:
            problems.append(document.feedback)
    if problems:
        return Outcome(passed=False, errors={"documents": " ".join(problems)})
    return Outcome(passed=True)


def parse_amount(value: str) -> int | None:
    """Return the whole number of đồng in ``value`` ("50.000 đ", "50000"), or None."""
    digits = _AMOUNT_SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{1,12}", digits):
        return None
    return int(digits)


def _check_payment(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    method_id = values.get("method") or ""
    amount_text = values.get("amount") or ""
    if not method_id:
        return Outcome(passed=False, errors={"method": translate("Choose how to pay.")}, counted=False)
    if not str(amount_text).strip():
        # The amount is a required field of the payment form, so an empty one is not a mistake.
        return Outcome(passed=False, errors={"amount": translate("Enter the amount to pay.")}, counted=False)

    errors = {}
    method = step.choice(method_id)
    if method is not None and not method.correct:
        errors["method"] = method.feedback
    if parse_amount(amount_text) != step.amount:
        errors["amount"] = step.amount_feedback
    if errors:
        return Outcome(passed=False, errors=errors)
    return Outcome(passed=True, feedback=method.feedback if method else "")


def _check_review(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    if values.get("commitment") is not True:
        return Outcome(passed=False, errors={"commitment": step.commitment_feedback})
    return Outcome(passed=True)


def _check_trap(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    action_id = values.get("action") or ""
    if not action_id:
        return Outcome(passed=False, errors={"action": translate("Choose what you do.")}, counted=False)
    action = step.choice(action_id)
    if action is None or not action.correct:
        return Outcome(passed=False, errors={"action": action.feedback if action else ""})
    return Outcome(passed=True, feedback=action.feedback)


def item_error_key(item_id: str) -> str:
    """Return the key of the feedback on dossier item ``item_id`` in ``Outcome.errors``."""
    return f"flagged.{item_id}"


def _check_review_dossier(step: Step, values: dict[str, Any], persona: Persona, translate: Translate) -> Outcome:
    """Check the flagged items, the decision, the reasons and the data-handling choice of an official's review.

    Every misjudged item gets its own feedback: a flawed item left unflagged,
    or a correct item flagged. A submission without a decision (or without the
    data-handling answer when the step asks for it) is incomplete and is not
    counted as a mistake.
    """
    dossier = step.dossier
    decision_id = values.get("decision") or ""
    data_id = values.get("data_handling") or ""
    incomplete = {}
    if not decision_id:
        incomplete["decision"] = translate("Choose a decision on the dossier.")
    if dossier.data_choices and not data_id:
        incomplete["data_handling"] = translate("Choose how to handle the citizen's data.")
    if incomplete:
        return Outcome(passed=False, errors=incomplete, counted=False)

    errors = {}
    flagged = set(values.get("flagged") or [])
    for item in dossier.items:
        if item.flawed != (item.id in flagged):
            errors[item_error_key(item.id)] = item.explanation

    decision = next(choice for choice in dossier.decisions if choice.id == decision_id)
    if not decision.correct:
        errors["decision"] = decision.feedback

    if dossier.reasons:
        chosen = set(values.get("reasons") or [])
        problems = [reason.feedback for reason in dossier.reasons if reason.correct != (reason.id in chosen)]
        if problems:
            errors["reasons"] = " ".join(problems)

    if dossier.data_choices:
        data_choice = next(choice for choice in dossier.data_choices if choice.id == data_id)
        if not data_choice.correct:
            errors["data_handling"] = data_choice.feedback

    if errors:
        return Outcome(passed=False, errors=errors)
    feedback = [decision.feedback]
    if dossier.data_choices:
        feedback.append(next(choice.feedback for choice in dossier.data_choices if choice.id == data_id))
    return Outcome(passed=True, feedback=" ".join(text for text in feedback if text))


def review_dossier_answer(step: Step) -> dict[str, Any]:
    """Return the values an official who makes no mistake submits on the ``review_dossier`` ``step``."""
    dossier = step.dossier
    values: dict[str, Any] = {
        "flagged": [item.id for item in dossier.items if item.flawed],
        "decision": dossier.correct_decision.id,
    }
    if dossier.reasons:
        values["reasons"] = [reason.id for reason in dossier.reasons if reason.correct]
    if dossier.data_choices:
        values["data_handling"] = next(choice.id for choice in dossier.data_choices if choice.correct)
    return values


# Review summary


def summary(scenario: Scenario, progress: Progress, step: Step) -> list[dict[str, Any]]:
    """Return the values entered on the form steps that ``step`` (a review step) summarises.

    Each item is ``{"step_id", "title", "items": [{"label", "value"}]}`` with
    option values replaced by their labels; values are plain text.
    """
    names = step.summary_steps or tuple(candidate.id for candidate in scenario.steps if candidate.kind == "form")
    sections = []
    for name in names:
        form = scenario.step(name)
        entered = progress.values.get(name)
        if form is None or entered is None:
            continue
        items = []
        for item in form.fields:
            items.append({"label": item.label, "value": _display_value(item, entered.get(item.name))})
        sections.append({"step_id": form.id, "title": form.title, "items": items})
    return sections


def _display_value(item: Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, list):
        return ", ".join(item.option_label(choice) for choice in value)
    if item.type in ("select", "radio"):
        return item.option_label(value)
    return normalize_text(value)
