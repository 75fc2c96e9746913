"""The learner's competence profile over the DigComp 2.2 areas and what to study next."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bank import AREAS, Quiz, Recommendation
from .scoring import PRECISION, AttemptResult


@dataclass(frozen=True)
class AreaScore:
    """Points earned and possible in one competence area over the questions of one attempt."""

    area: str
    earned: float
    possible: float

    @property
    def percent(self) -> int:
        if not self.possible:
            return 0
        return int(math.floor(round(self.earned * 100 / self.possible, 6)))


def competence_profile(quiz: Quiz, result: AttemptResult) -> list[AreaScore]:
    """Return one ``AreaScore`` per area that the attempt's questions covered, in DigComp order."""
    earned = {area: 0.0 for area in AREAS}
    possible = {area: 0.0 for area in AREAS}
    for question_result in result.results:
        question = quiz.question(question_result.question_id)
        earned[question.area] += question_result.score
        possible[question.area] += 1

    return [
        AreaScore(area=area, earned=round(earned[area], PRECISION), possible=possible[area])
        for area in AREAS
        if possible[area]
    ]


def weak_areas(profile: list[AreaScore], threshold: int) -> list[str]:
    """Return the areas scored below ``threshold`` percent, weakest first."""
    weak = [score for score in profile if score.percent < threshold]
    weak.sort(key=lambda score: (score.percent, AREAS.index(score.area)))
    return [score.area for score in weak]


def recommendations_for(quiz: Quiz, areas: list[str]) -> list[Recommendation]:
    """Return the author's recommendations for ``areas``, in the order of ``areas`` then of the OLX.

    A recommendation written twice in the OLX (same area, text and link) is returned once.
    """
    chosen: list[Recommendation] = []
    for area in areas:
        for recommendation in quiz.recommendations:
            if recommendation.area == area and recommendation not in chosen:
                chosen.append(recommendation)
    return chosen
