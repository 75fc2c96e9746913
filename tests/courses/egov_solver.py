"""Build a correct answer for each step of an egov_simulation scenario, from the scenario alone.

The tests use it to prove that every simulation in the curriculum can be
completed with full marks: the answers come from the author's rules, never
from a hard-coded list, so a broken scenario (an answer that is not among the
options, a persona value that fails its own pattern) makes the test fail.
"""

from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]  # Python 3.11+: the regex parser
from typing import Any

from digital_skills_xblocks.egov.model import Field, Persona, Scenario, Step

_CATEGORY_SAMPLES = {
    sre_parse.CATEGORY_DIGIT: "5",
    sre_parse.CATEGORY_NOT_DIGIT: "a",
    sre_parse.CATEGORY_SPACE: " ",
    sre_parse.CATEGORY_NOT_SPACE: "a",
    sre_parse.CATEGORY_WORD: "a",
    sre_parse.CATEGORY_NOT_WORD: "-",
}


def sample_for_regex(regex: str) -> str:
    """Return a short string that ``re.fullmatch(regex, ...)`` accepts, for the simple regexes forms use."""
    text = _sample(sre_parse.parse(regex))
    if re.fullmatch(regex, text) is None:
        raise AssertionError(f"could not build a sample for the pattern {regex!r} (got {text!r})")
    return text


def _sample(pattern) -> str:
    parts = []
    for opcode, argument in pattern:
        if opcode == sre_parse.LITERAL:
            parts.append(chr(argument))
        elif opcode == sre_parse.ANY:
            parts.append("a")
        elif opcode == sre_parse.IN:
            parts.append(_sample_in(argument))
        elif opcode in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            minimum, _maximum, item = argument
            parts.append(_sample(item) * max(minimum, 1))
        elif opcode == sre_parse.SUBPATTERN:
            parts.append(_sample(argument[-1]))
        elif opcode == sre_parse.BRANCH:
            parts.append(_sample(argument[1][0]))
        elif opcode == sre_parse.AT:
            continue
        elif opcode == sre_parse.CATEGORY:
            parts.append(_CATEGORY_SAMPLES[argument])
        else:
            raise AssertionError(f"the solver does not handle regex opcode {opcode}")
    return "".join(parts)


def _sample_in(items) -> str:
    if items and items[0][0] == sre_parse.NEGATE:
        excluded = set()
        for opcode, argument in items[1:]:
            if opcode == sre_parse.LITERAL:
                excluded.add(chr(argument))
        for candidate in "aZ5x":
            if candidate not in excluded:
                return candidate
        raise AssertionError("no sample character outside the negated set")
    opcode, argument = items[0]
    if opcode == sre_parse.LITERAL:
        return chr(argument)
    if opcode == sre_parse.RANGE:
        return chr(argument[0])
    if opcode == sre_parse.CATEGORY:
        return _CATEGORY_SAMPLES[argument]
    raise AssertionError(f"the solver does not handle character-set item {opcode}")


def field_answer(item: Field, persona: Persona) -> Any:
    """Return a value of ``item`` that passes all of its rules, or None to leave an optional field empty."""
    for rule in item.rules:
        if rule.kind != "equals":
            continue
        expected = persona.value(rule.persona) if rule.persona is not None else rule.answer
        if item.is_group:
            return (expected or "").split()
        if item.type in ("select", "radio"):
            return _option_value(item, expected or "")
        if item.type == "checkbox":
            return (expected or "").lower() in ("true", "1", "yes", "on")
        return expected

    allowed = [rule for rule in item.rules if rule.kind == "allowed"]
    if item.is_group:
        return list(allowed[0].choices) if allowed else []
    if item.type == "checkbox":
        return item.required
    if not item.required:
        return None
    if item.type in ("select", "radio"):
        return allowed[0].choices[0] if allowed else item.options[0].value
    patterns = [rule.regex for rule in item.rules if rule.kind == "pattern"]
    if patterns:
        return sample_for_regex(patterns[0])
    if item.type == "date":
        return "01/01/2000"
    return "Nội dung mẫu"


def _option_value(item: Field, expected: str) -> str:
    target = expected.strip().casefold()
    for option in item.options:
        if target in (option.value.casefold(), option.label.strip().casefold()):
            return option.value
    raise AssertionError(f"field {item.name}: the expected answer {expected!r} is not among its options")


def step_answer(step: Step, persona: Persona) -> dict[str, Any]:
    """Return the values a learner who makes no mistake submits on ``step``."""
    if step.kind in ("login", "form"):
        values = {}
        for item in step.fields:
            answer = field_answer(item, persona)
            if answer is not None:
                values[item.name] = answer
        return values
    if step.kind == "attachments":
        return {"documents": [document.id for document in step.documents if document.role == "required"]}
    if step.kind == "payment":
        method = next(choice.id for choice in step.choices if choice.correct)
        return {"method": method, "amount": str(step.amount)}
    if step.kind == "review":
        return {"commitment": True}
    if step.kind == "trap":
        return {"action": next(choice.id for choice in step.choices if choice.correct)}
    if step.kind == "review_dossier":
        return review_answer(step)
    raise AssertionError(f"the solver does not know the step kind {step.kind!r}; teach it the correct answer")


def review_answer(step: Step) -> dict[str, Any]:
    """Return an official's faultless review: flag the flawed items, take the correct decision and reasons."""
    dossier = step.dossier
    values: dict[str, Any] = {
        "flagged": [item.id for item in dossier.items if item.flawed],
        "decision": next(choice.id for choice in dossier.decisions if choice.correct),
    }
    if dossier.reasons:
        values["reasons"] = [reason.id for reason in dossier.reasons if reason.correct]
    if dossier.data_choices:
        values["data_handling"] = next(choice.id for choice in dossier.data_choices if choice.correct)
    return values


def solution(scenario: Scenario) -> list[tuple[str, dict[str, Any]]]:
    """Return (step id, values) for every step before the result."""
    return [(step.id, step_answer(step, scenario.persona)) for step in scenario.steps if step.kind != "result"]
