"""Grades through ``ScorableXBlockMixin`` so instructors can rescore, reset and override."""

from __future__ import annotations

from xblock.scorable import ScorableXBlockMixin, Score

from .. import scoring


class EgovScoringMixin(ScorableXBlockMixin):
    """The best finished attempt counts; see ``egov/scoring.py`` for the rule."""

    def max_score(self) -> float:
        scenario = self.load_scenario()
        if scenario is None:
            # NOTE: an invalid scenario keeps a maximum of 1 so the gradebook never divides by zero.
            return 1.0
        return scoring.max_points(scenario)

    def has_submitted_answer(self) -> bool:
        return bool(self.finished_attempts)

    def get_score(self) -> Score:
        if self.raw_earned is None:
            return Score(raw_earned=0.0, raw_possible=self.max_score())
        return Score(raw_earned=self.raw_earned, raw_possible=self.raw_possible or self.max_score())

    def set_score(self, score: Score) -> None:
        self.raw_earned = score.raw_earned
        self.raw_possible = score.raw_possible

    def calculate_score(self) -> Score:
        """Return the best score over the finished attempts under the current scenario."""
        scenario = self.load_scenario()
        if scenario is None:
            return self.get_score()
        possible = scoring.max_points(scenario)
        earned = max(
            (scoring.earned_points(scenario, entry.get("mistakes", {})) for entry in self.finished_attempts),
            default=0.0,
        )
        return Score(raw_earned=earned, raw_possible=possible)

    def publish_best_score(self) -> Score:
        score = self.calculate_score()
        self.set_score(score)
        self._publish_grade(score)
        return score

    def rescore(self, only_if_higher):
        """Recompute the best score from the stored mistakes, publish it and keep it as the block's score."""
        super().rescore(only_if_higher)
        score = self.calculate_score()
        current = self.get_score()
        if not only_if_higher or self.raw_earned is None or score.raw_earned > current.raw_earned:
            self.set_score(score)
