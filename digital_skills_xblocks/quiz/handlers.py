"""JSON handlers of the quiz: submit, reset, result viewed, learner state and staff statistics.

Every handler validates the whole request before it changes a field, so an
error response leaves the learner's state as it was. Tracking events have
fixed names; the client cannot choose one.
"""

from __future__ import annotations

import logging

from webob import Response
from xblock.core import XBlock

from digital_skills_xblocks.common.handlers import HandlerError, error_response, validated_json_handler

from .profile import competence_profile
from .scoring import AnswerError, normalize_answers, score_attempt
from .stats import question_rows, record_attempt, stats_csv

log = logging.getLogger(__name__)

EVENT_SUBMITTED = "edx.digitalskills.quiz.submitted"
EVENT_RESET = "edx.digitalskills.quiz.reset"
EVENT_RESULT_VIEWED = "edx.digitalskills.quiz.result_viewed"

# A submission of 50 questions with 12 option ids of 64 characters stays well under this.
MAX_SUBMIT_BYTES = 64 * 1024
MAX_SMALL_BYTES = 1024


class QuizHandlersMixin:
    """Handlers that change learner state, and the staff-only statistics."""

    def _quiz_or_error(self):
        quiz, _problems = self.load_quiz()
        if quiz is None:
            raise HandlerError(self._("This quiz has errors in its content; tell the course team."), 409, "quiz_invalid")
        return quiz

    def _response(self) -> dict:
        state = self.state_data()
        return {"state": state, "html": self.render_body(state)}

    @XBlock.handler
    @validated_json_handler(max_bytes=MAX_SUBMIT_BYTES)
    def submit(self, data: dict, suffix: str = "") -> dict:  # pylint: disable=unused-argument
        """Score the current attempt: ``{"answers": {question_id: answer}}``."""
        quiz = self._quiz_or_error()
        if self.submitted:
            raise HandlerError(self._("This attempt is already submitted. Start a new attempt to answer again."), 409, "already_submitted")
        if not self.can_submit():
            raise HandlerError(self._("You have used all your attempts."), 403, "no_attempts_left")
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise HandlerError(self._("The request needs an \"answers\" object."), 400, "invalid_answers")

        layout = self.current_layout(quiz)
        try:
            normalized = normalize_answers(quiz, layout, answers)
        except AnswerError as error:
            log.info("Rejected quiz submission for %s: %s", self.scope_ids.usage_id, error)
            raise HandlerError(self._(error.message).format(**error.values), 400, "invalid_answers") from error

        result = score_attempt(quiz, layout, normalized)
        self.answers = normalized
        self.question_scores = {item.question_id: item.score for item in result.results}
        self.submitted = True
        self.attempts_used += 1
        self.stats = record_attempt(self.stats, quiz, normalized, result)

        score = self.calculate_score()
        self.set_score(score)
        self._publish_grade(score)
        self.emit_completion(1.0)
        profile = competence_profile(quiz, result)
        self.runtime.publish(self, EVENT_SUBMITTED, {
            "attempt": self.attempt,
            "attempts_used": self.attempts_used,
            "max_attempts": self.max_attempts,
            "question_ids": [item.question_id for item in result.results],
            "scores": {item.question_id: item.score for item in result.results},
            "earned": result.earned,
            "possible": result.possible,
            "percent": result.percent,
            "passed": result.passed(self.passing_percentage),
            "profile": {area.area: area.percent for area in profile},
        })
        return self._response()

    @XBlock.handler
    @validated_json_handler(max_bytes=MAX_SMALL_BYTES)
    def reset(self, data: dict, suffix: str = "") -> dict:  # pylint: disable=unused-argument
        """Start a new attempt with a new draw; the grade stays until the next submission."""
        quiz = self._quiz_or_error()
        if not self.can_reset():
            if not self.allow_reset:
                message, code = self._("This quiz does not allow a new attempt."), "reset_not_allowed"
            elif not self.submitted:
                message, code = self._("Submit this attempt before starting a new one."), "not_submitted"
            else:
                message, code = self._("You have used all your attempts."), "no_attempts_left"
            raise HandlerError(message, 403 if code != "not_submitted" else 409, code)

        previous_attempt = self.attempt
        previous = self.stored_result()
        self.attempt = previous_attempt + 1
        self.submitted = False
        self.answers = {}
        self.question_scores = {}
        self.layout = {}
        self.current_layout(quiz)
        self.runtime.publish(self, EVENT_RESET, {
            "previous_attempt": previous_attempt,
            "previous_percent": previous.percent if previous else None,
            "attempt": self.attempt,
            "attempts_used": self.attempts_used,
        })
        return self._response()

    @XBlock.handler
    @validated_json_handler(max_bytes=MAX_SMALL_BYTES)
    def result_viewed(self, data: dict, suffix: str = "") -> dict:  # pylint: disable=unused-argument
        """Record that the learner saw the result; only this fixed event is published."""
        if not self.submitted:
            raise HandlerError(self._("There is no result to view yet."), 409, "not_submitted")
        result = self.stored_result()
        self.runtime.publish(self, EVENT_RESULT_VIEWED, {
            "attempt": self.attempt,
            "percent": result.percent,
            "passed": result.passed(self.passing_percentage),
            "answers_shown": self.answers_allowed(),
        })
        return {"ok": True}

    @XBlock.handler
    @validated_json_handler(max_bytes=MAX_SMALL_BYTES, methods=("GET", "POST"))
    def user_state(self, data: dict, suffix: str = "") -> dict:  # pylint: disable=unused-argument
        """Return the learner's state for the mobile apps: questions, own answers, result, review if allowed."""
        return self.state_data()

    def _require_staff(self) -> None:
        if not self.is_staff():
            raise HandlerError(self._("Only course staff can see the quiz statistics."), 403, "forbidden")

    @XBlock.handler
    @validated_json_handler(max_bytes=MAX_SMALL_BYTES, methods=("GET", "POST"))
    def staff_stats(self, data: dict, suffix: str = "") -> dict:  # pylint: disable=unused-argument
        """Return per-question statistics over all learners; staff only."""
        self._require_staff()
        quiz = self._quiz_or_error()
        return {"questions": question_rows(self.stats, quiz)}

    @XBlock.handler
    def stats_csv(self, request, suffix: str = "") -> Response:  # pylint: disable=unused-argument
        """Download the per-question statistics as CSV; staff only, others get a 403 JSON error."""
        if request.method != "GET":
            return error_response(self._("This download needs a GET request."), 405, "method_not_allowed")
        if not self.is_staff():
            return error_response(self._("Only course staff can see the quiz statistics."), 403, "forbidden")
        quiz, _problems = self.load_quiz()
        if quiz is None:
            return error_response(self._("This quiz has errors in its content; tell the course team."), 409, "quiz_invalid")

        body = "\ufeff" + stats_csv(question_rows(self.stats, quiz))
        response = Response(body=body.encode("utf-8"), content_type="text/csv", charset="utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="quiz-statistics.csv"'
        return response
