"""Settings, learner state, attempts and grading of the quiz block."""

from __future__ import annotations

from xblock.fields import Boolean, Dict, Float, Integer, Scope, String
from xblock.scorable import Score

from .bank import Quiz
from .policy import AFTER_SUBMISSION, answers_visible, attempts_exhausted
from .profile import competence_profile, weak_areas
from .scoring import AttemptResult, QuestionResult, score_attempt
from .selection import Layout, attempt_seed, draw_layout, layout_matches


def _(message: str) -> str:
    """Mark a field label for extraction; Studio translates it with the platform catalogs."""
    return message


class QuizStateMixin:
    """Fields and the attempt life cycle: draw, submit, reset, grade."""

    display_name = String(
        display_name=_("Display name"),
        help=_("The name learners see in the course outline."),
        scope=Scope.settings,
        default=_("Digital citizenship quiz"),
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("How many points the quiz is worth in the course grade."),
        scope=Scope.settings,
        default=1.0,
        values={"min": 0},
    )
    max_attempts = Integer(
        display_name=_("Maximum attempts"),
        help=_("How many times a learner may submit; 0 means unlimited."),
        scope=Scope.settings,
        default=2,
        values={"min": 0},
    )
    passing_percentage = Integer(
        display_name=_("Passing percentage"),
        help=_("The score, in percent, a learner needs to pass; also the bar below which an area counts as weak."),
        scope=Scope.settings,
        default=70,
        values={"min": 0, "max": 100},
    )
    show_answers = String(
        display_name=_("Show answers"),
        help=_("When learners see the right answers, the feedback and the explanations."),
        scope=Scope.settings,
        default=AFTER_SUBMISSION,
        values=[
            {"display_name": _("Never"), "value": "never"},
            {"display_name": _("After each submission"), "value": "after_submission"},
            {"display_name": _("After the last attempt"), "value": "after_last_attempt"},
            {"display_name": _("After passing"), "value": "after_passing"},
        ],
    )
    allow_reset = Boolean(
        display_name=_("Allow reset"),
        help=_("Whether learners may start a new attempt with a new draw of questions while attempts remain."),
        scope=Scope.settings,
        default=True,
    )

    attempt = Integer(help="Number of the current attempt, from 1.", scope=Scope.user_state, default=1)
    attempts_used = Integer(help="Number of submitted attempts.", scope=Scope.user_state, default=0)
    layout = Dict(help="Questions and choice orders drawn for the current attempt.", scope=Scope.user_state, default={})
    answers = Dict(help="Normalized answers of the current attempt once submitted.", scope=Scope.user_state, default={})
    submitted = Boolean(help="Whether the current attempt is submitted.", scope=Scope.user_state, default=False)
    question_scores = Dict(help="Score in [0, 1] of each question of the submitted attempt.", scope=Scope.user_state, default={})
    raw_earned = Float(help="Points earned in the last submitted attempt.", scope=Scope.user_state, default=None)
    raw_possible = Float(help="Points possible in the last submitted attempt.", scope=Scope.user_state, default=None)

    stats = Dict(
        help="Counters per question over all learners: answered, correct, wrong options chosen.",
        scope=Scope.user_state_summary,
        default={},
    )

    # Identity of the learner and the block, for the seeded draw.

    def anonymous_user_id(self) -> str:
        user_service = self.runtime.service(self, "user")
        if user_service is not None:
            user = user_service.get_current_user()
            anonymous_id = user.opt_attrs.get("edx-platform.anonymous_user_id")
            if anonymous_id:
                return str(anonymous_id)
        return str(self.scope_ids.user_id)

    def is_staff(self) -> bool:
        """Tell whether the current user is course staff: the LMS user service, else the runtime's flag."""
        user_service = self.runtime.service(self, "user")
        if user_service is not None:
            user = user_service.get_current_user()
            if user.opt_attrs.get("edx-platform.user_is_staff"):
                return True
        return bool(getattr(self.runtime, "user_is_staff", False))

    # Attempt life cycle.

    def current_layout(self, quiz: Quiz) -> Layout:
        """Return the layout of the current attempt, drawing it when missing or outdated.

        A submitted attempt keeps its layout even if the author changed the
        pool, so its result can still be shown.
        """
        layout = Layout.from_json(self.layout) if self.layout else None
        if layout is not None and (self.submitted or layout_matches(quiz, layout)):
            return layout

        seed = attempt_seed(self.anonymous_user_id(), str(self.scope_ids.usage_id), self.attempt)
        layout = draw_layout(quiz, seed)
        self.layout = layout.to_json()
        return layout

    def attempts_left(self) -> int | None:
        if self.max_attempts <= 0:
            return None
        return max(0, self.max_attempts - self.attempts_used)

    def can_submit(self) -> bool:
        return not self.submitted and not attempts_exhausted(self.attempts_used, self.max_attempts)

    def can_reset(self) -> bool:
        return self.allow_reset and self.submitted and not attempts_exhausted(self.attempts_used, self.max_attempts)

    def stored_result(self) -> AttemptResult | None:
        if not self.submitted:
            return None
        layout = Layout.from_json(self.layout)
        return AttemptResult(
            tuple(QuestionResult(question_id, float(self.question_scores.get(question_id, 0.0))) for question_id in layout.question_ids)
        )

    def passed(self) -> bool:
        result = self.stored_result()
        return bool(result and result.passed(self.passing_percentage))

    def answers_allowed(self) -> bool:
        return answers_visible(self.show_answers, self.submitted, self.attempts_used, self.max_attempts, self.passed())

    def weak_areas(self, quiz: Quiz, result: AttemptResult) -> list[str]:
        return weak_areas(competence_profile(quiz, result), self.passing_percentage)

    # ScorableXBlockMixin contract.

    def has_submitted_answer(self) -> bool:
        return self.raw_possible is not None

    def get_score(self) -> Score | None:
        if self.raw_possible is None:
            return None
        return Score(raw_earned=self.raw_earned, raw_possible=self.raw_possible)

    def set_score(self, score: Score) -> None:
        self.raw_earned = score.raw_earned
        self.raw_possible = score.raw_possible

    def max_score(self) -> float:
        quiz, _problems = self.load_quiz()
        return float(quiz.draw) if quiz else 1.0

    def calculate_score(self) -> Score:
        """Score the stored answers again against the current pool, for instructor rescoring."""
        quiz, _problems = self.load_quiz()
        if quiz is None or not self.submitted:
            # NOTE: after a reset the answers of the graded attempt are gone, so its score is kept as it is.
            return self.get_score()
        layout = Layout.from_json(self.layout)
        if not all(quiz.question(question_id) for question_id in layout.question_ids):
            # NOTE: a question removed from the pool after the attempt cannot be rescored; keep the old score.
            return self.get_score()
        result = score_attempt(quiz, layout, self.answers)
        return Score(raw_earned=result.earned, raw_possible=result.possible)
