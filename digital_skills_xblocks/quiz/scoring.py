"""Checking learners' answers and scoring them, question by question.

Each question is worth 1 point. Partial credit:

* single choice and true/false: 1 for the right option, else 0;
* multiple response and red flags: (right options or suspicious parts marked
  - wrong options or harmless parts marked) / number of right ones, never
  below 0. Marking everything therefore earns nothing unless everything is
  right;
* ordering: share of items in their right position.

The attempt's raw score is the sum over the drawn questions; the possible
score is the number of drawn questions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bank import MULTIPLE_RESPONSE, ORDERING, RED_FLAGS, SINGLE_CHOICE, TRUE_FALSE, Question, Quiz
from .selection import Layout

# Scores are stored and compared rounded, so 1/3 + 2/3 adds up to exactly 1.
PRECISION = 4


class AnswerError(ValueError):
    """Raised for an answer that does not fit its question; ``message`` is an English msgid with {placeholders}."""

    def __init__(self, message: str, **values):
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


def normalize_answer(question: Question, value) -> str | list[str] | None:
    """Return ``value`` as the canonical answer to ``question``, or raise ``AnswerError``.

    A missing answer (None, "" or []) is allowed and scores 0.
    """
    if value is None or value == "" or value == []:
        return None
    ids = set(question.choice_ids)

    if question.type == TRUE_FALSE:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value in ("true", "false"):
            return value
        raise AnswerError("The answer to question {id} must be true or false.", id=question.id)

    if question.type == SINGLE_CHOICE:
        if not isinstance(value, str) or value not in ids:
            raise AnswerError("The answer to question {id} is not one of its options.", id=question.id)
        return value

    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise AnswerError("The answer to question {id} must be a list of option ids.", id=question.id)
    if len(set(value)) != len(value):
        raise AnswerError("The answer to question {id} repeats an option.", id=question.id)
    if not set(value) <= ids:
        raise AnswerError("The answer to question {id} is not one of its options.", id=question.id)

    if question.type == ORDERING and len(value) != len(ids):
        raise AnswerError("The answer to question {id} must list every item once.", id=question.id)
    if question.type in (MULTIPLE_RESPONSE, RED_FLAGS):
        # Sorted so that the stored answer does not depend on click order.
        return sorted(value)
    return list(value)


def score_question(question: Question, answer) -> float:
    """Return the score in [0, 1] of a normalized answer to ``question``."""
    if answer is None:
        return 0.0

    if question.type in (SINGLE_CHOICE, TRUE_FALSE):
        return 1.0 if answer in question.correct_ids else 0.0

    if question.type in (MULTIPLE_RESPONSE, RED_FLAGS):
        right = set(question.correct_ids)
        chosen = set(answer)
        hits = len(chosen & right)
        false_alarms = len(chosen - right)
        return round(max(0.0, (hits - false_alarms) / len(right)), PRECISION)

    if question.type == ORDERING:
        expected = question.correct_ids
        in_place = sum(1 for position, item in enumerate(answer) if position < len(expected) and expected[position] == item)
        return round(in_place / len(expected), PRECISION)

    raise ValueError(f"unknown question type {question.type!r}")


def wrong_choices(question: Question, answer) -> list[str]:
    """Return the ids the learner chose wrongly: wrong options, harmless parts marked, misplaced items."""
    if answer is None:
        return []
    if question.type in (SINGLE_CHOICE, TRUE_FALSE):
        return [] if answer in question.correct_ids else [answer]
    if question.type in (MULTIPLE_RESPONSE, RED_FLAGS):
        return [choice for choice in answer if choice not in question.correct_ids]
    expected = question.correct_ids
    return [item for position, item in enumerate(answer) if expected[position] != item]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    score: float

    @property
    def status(self) -> str:
        if self.score >= 1:
            return "correct"
        if self.score > 0:
            return "partial"
        return "incorrect"


@dataclass(frozen=True)
class AttemptResult:
    results: tuple[QuestionResult, ...]

    @property
    def earned(self) -> float:
        return round(sum(result.score for result in self.results), PRECISION)

    @property
    def possible(self) -> float:
        return float(len(self.results))

    @property
    def percent(self) -> int:
        """Whole percentage of the possible score, rounded down so 69.9 % does not pass a 70 % bar."""
        if not self.results:
            return 0
        # Rounded first so that float noise (28.999999…) does not lose a whole percent.
        return int(math.floor(round(self.earned * 100 / self.possible, 6)))

    def passed(self, passing_percentage: int) -> bool:
        return self.percent >= passing_percentage


def normalize_answers(quiz: Quiz, layout: Layout, answers: dict) -> dict:
    """Return the canonical answers of one submission, or raise ``AnswerError``.

    ``answers`` maps question ids of the layout to answers; ids outside the
    layout are rejected and questions left out count as unanswered.
    """
    unknown = sorted(set(answers) - set(layout.question_ids))
    if unknown:
        raise AnswerError("Question {id} is not part of this attempt.", id=unknown[0][:64])
    normalized = {}
    for question_id in layout.question_ids:
        question = quiz.question(question_id)
        normalized[question_id] = normalize_answer(question, answers.get(question_id))
    return normalized


def score_attempt(quiz: Quiz, layout: Layout, answers: dict) -> AttemptResult:
    """Score normalized ``answers`` to the questions of ``layout``."""
    results = []
    for question_id in layout.question_ids:
        question = quiz.question(question_id)
        results.append(QuestionResult(question_id, score_question(question, answers.get(question_id))))
    return AttemptResult(tuple(results))
