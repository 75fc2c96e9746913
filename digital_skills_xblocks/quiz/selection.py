"""The draw of questions for one attempt and the order of their options.

A learner sees the same questions in the same order for one attempt on every
device, and a new draw after a reset: the random generator is seeded from the
learner's anonymous id, the block's usage id and the attempt number.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from .bank import ORDERING, RED_FLAGS, TRUE_FALSE, Question, Quiz


def attempt_seed(anonymous_user_id: str, usage_id: str, attempt: int) -> int:
    """Return a 64-bit seed from the learner, the block and the attempt number."""
    text = f"{anonymous_user_id}\x1f{usage_id}\x1f{attempt}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


@dataclass(frozen=True)
class Layout:
    """The draw of one attempt: question ids in order and, per question, its choice ids in order."""

    question_ids: tuple[str, ...]
    choice_orders: dict[str, tuple[str, ...]]

    def to_json(self) -> dict:
        return {"questions": list(self.question_ids), "orders": {key: list(value) for key, value in self.choice_orders.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "Layout":
        return cls(
            question_ids=tuple(data.get("questions", [])),
            choice_orders={key: tuple(value) for key, value in data.get("orders", {}).items()},
        )


def choice_order(question: Question, shuffle_options: bool, rng: random.Random) -> tuple[str, ...]:
    """Return the order in which ``question`` shows its choices.

    True/false keeps "true" then "false", and a red-flags message keeps its
    parts in reading order. Ordering items are always shuffled and never shown
    in the right order, which would give the answer away.
    """
    ids = question.choice_ids
    if question.type in (TRUE_FALSE, RED_FLAGS):
        return tuple(ids)

    if question.type == ORDERING:
        shuffled = list(ids)
        while len(set(ids)) > 1 and shuffled == ids:
            rng.shuffle(shuffled)
        return tuple(shuffled)

    if shuffle_options and question.shuffle:
        shuffled = list(ids)
        rng.shuffle(shuffled)
        return tuple(shuffled)
    return tuple(ids)


def draw_layout(quiz: Quiz, seed: int) -> Layout:
    """Draw ``quiz.draw`` questions at random and order each question's choices."""
    rng = random.Random(seed)
    questions = rng.sample(list(quiz.questions), min(quiz.draw, len(quiz.questions)))
    orders = {}
    for question in questions:
        question_rng = random.Random(f"{seed}:{question.id}")
        orders[question.id] = choice_order(question, quiz.shuffle_options, question_rng)
    return Layout(question_ids=tuple(question.id for question in questions), choice_orders=orders)


def layout_matches(quiz: Quiz, layout: Layout) -> bool:
    """Tell whether a stored layout still fits the quiz after the author edited it."""
    for question_id in layout.question_ids:
        question = quiz.question(question_id)
        if question is None:
            return False
        if sorted(layout.choice_orders.get(question_id, ())) != sorted(question.choice_ids):
            return False
    return bool(layout.question_ids)
