"""What the learner view and the mobile JSON show of a ``review_dossier`` step.

Neither contains which items are flawed, which decision is right or any
explanation: the server keeps those and reveals them only as feedback.
"""

from __future__ import annotations

from typing import Any, Callable

from .model import Choice, Step

Translate = Callable[[str], str]


def decision_labels(translate: Translate) -> dict[str, str]:
    """Return the default label of each decision, used when the author gives none."""
    return {
        "accept": translate("Accept the dossier"),
        "request_more": translate("Request more documents"),
        "refuse": translate("Refuse the dossier"),
    }


def review_dossier_context(step: Step, base: str, translate: Translate) -> dict[str, Any] | None:
    """Return the template context of the dossier on ``step``; ``base`` prefixes every DOM id."""
    dossier = step.dossier
    if dossier is None:
        return None
    items = {"field": [], "attachment": []}
    for number, item in enumerate(dossier.items):
        if item.value:
            shown = item.value
        elif item.type == "attachment":
            shown = translate("Not attached")
        else:
            shown = translate("(empty)")
        items[item.type].append({
            "id": item.id,
            "label": item.label,
            "value": shown,
            "empty": not item.value,
            "dom_id": f"{base}-item-{number}",
        })
    labels = decision_labels(translate)
    return {
        "procedure": dossier.procedure,
        "applicant": dossier.applicant,
        "submitted": dossier.submitted,
        "groups": [
            {"title": translate("E-form"), "items": items["field"]},
            {"title": translate("Attachments"), "items": items["attachment"]},
        ],
        "decisions": _choices(dossier.decisions, f"{base}-decision", labels),
        "reasons": _choices(dossier.reasons, f"{base}-reason", {}),
        "data_question": dossier.data_question,
        "data_choices": _choices(dossier.data_choices, f"{base}-data", {}),
    }


def _choices(choices: tuple[Choice, ...], prefix: str, default_labels: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"id": choice.id, "label": choice.label or default_labels.get(choice.id, choice.id), "dom_id": f"{prefix}-{number}"}
        for number, choice in enumerate(choices)
    ]


def public_review_dossier(step: Step) -> dict[str, Any]:
    """Return the dossier of ``step`` for ``student_view_data``, without flaws, correct flags or feedback."""
    dossier = step.dossier
    if dossier is None:
        return {}
    return {
        "dossier": {
            "procedure": dossier.procedure,
            "applicant": dossier.applicant,
            "submitted": dossier.submitted,
            "items": [
                {"id": item.id, "type": item.type, "label": item.label, "value": item.value}
                for item in dossier.items
            ],
        },
        "decisions": [{"id": choice.id, "label": choice.label} for choice in dossier.decisions],
        "reasons": [{"id": choice.id, "label": choice.label} for choice in dossier.reasons],
        "data_handling": {
            "question": dossier.data_question,
            "choices": [{"id": choice.id, "label": choice.label} for choice in dossier.data_choices],
        } if dossier.data_choices else None,
    }
