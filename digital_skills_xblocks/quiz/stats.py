"""Per-question statistics for staff, kept as counters rather than copies of answers.

The counters live in one dict per block (the block stores it in
``Scope.user_state_summary``)::

    {"q1": {"answered": 12, "correct": 7, "wrong": {"b": 4, "c": 1}}}

``answered`` counts submissions that included the question, ``correct``
those with full marks, and ``wrong`` how often each option id was chosen
wrongly (see ``scoring.wrong_choices``).
"""

from __future__ import annotations

import csv
import io

from digital_skills_xblocks.common.sanitize import plain_text

from .bank import Quiz
from .scoring import AttemptResult, wrong_choices

# Leading characters that make spreadsheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def record_attempt(stats: dict, quiz: Quiz, answers: dict, result: AttemptResult) -> dict:
    """Return a copy of ``stats`` with one scored submission added."""
    updated = {key: {"answered": value.get("answered", 0), "correct": value.get("correct", 0), "wrong": dict(value.get("wrong", {}))}
               for key, value in stats.items()}
    for question_result in result.results:
        question = quiz.question(question_result.question_id)
        answer = answers.get(question.id)
        if answer is None:
            continue
        entry = updated.setdefault(question.id, {"answered": 0, "correct": 0, "wrong": {}})
        entry["answered"] += 1
        if question_result.score >= 1:
            entry["correct"] += 1
        for choice_id in wrong_choices(question, answer):
            entry["wrong"][choice_id] = entry["wrong"].get(choice_id, 0) + 1
    return updated


def question_rows(stats: dict, quiz: Quiz) -> list[dict]:
    """Return one row per question of the pool with its correct rate and most-chosen wrong option."""
    rows = []
    for question in quiz.questions:
        entry = stats.get(question.id, {})
        answered = int(entry.get("answered", 0))
        correct = int(entry.get("correct", 0))
        wrong = entry.get("wrong", {})

        top_wrong = ""
        top_wrong_count = 0
        for choice_id in question.choice_ids:
            count = int(wrong.get(choice_id, 0))
            if count > top_wrong_count:
                top_wrong, top_wrong_count = choice_id, count
        choice = question.choice(top_wrong) if top_wrong else None

        rows.append({
            "id": question.id,
            "type": question.type,
            "area": question.area,
            "difficulty": question.difficulty,
            "prompt": plain_text(question.prompt),
            "answered": answered,
            "correct": correct,
            "correct_rate": round(correct * 100 / answered) if answered else None,
            "top_wrong_id": top_wrong,
            "top_wrong_text": plain_text(choice.html) if choice and choice.html else top_wrong,
            "top_wrong_count": top_wrong_count,
        })
    return rows


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


CSV_COLUMNS = (
    "id", "type", "area", "difficulty", "prompt", "answered", "correct",
    "correct_rate", "top_wrong_id", "top_wrong_text", "top_wrong_count",
)


def stats_csv(rows: list[dict]) -> str:
    """Return the rows as CSV text, with formula-like cells neutralised for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()
