"""JSON handlers: the client sends what the learner entered, the server decides everything else.

Tracking events (documented in docs/en/egov-simulation.md) carry step ids,
field names and counts, never the values the learner typed.
"""

from __future__ import annotations

from xblock.core import XBlock

from digital_skills_xblocks.common.handlers import HandlerError, validated_json_handler

from .. import engine, scoring

EVENT_STEP_SUBMITTED = "edx.digitalskills.egov.step_submitted"
EVENT_COMPLETED = "edx.digitalskills.egov.completed"
EVENT_RESET = "edx.digitalskills.egov.reset"

SUBMIT_KEYS = {"step_id", "values"}


class EgovHandlersMixin:
    """``submit_step``, ``get_state`` and ``reset``.

    ``submit_step`` and ``reset`` return the new current step as ``step_html``,
    rendered by ``render_step_html`` from the server's state, never from the request.
    """

    def require_scenario(self):
        scenario = self.load_scenario()
        if scenario is None:
            raise HandlerError(
                self._("This simulation cannot be used because its scenario has errors. Please tell the course team."),
                409,
                "scenario_invalid",
            )
        return scenario

    @XBlock.handler
    @validated_json_handler()
    def get_state(self, data, suffix=""):
        scenario = self.require_scenario()
        return {"state": self.state_payload(scenario)}

    @XBlock.handler
    @validated_json_handler()
    def submit_step(self, data, suffix=""):
        scenario = self.require_scenario()
        unknown = sorted(str(key)[:64] for key in set(data) - SUBMIT_KEYS)
        if unknown:
            raise HandlerError(
                self._("Unknown keys in the request: {keys}.").format(keys=", ".join(unknown)), 400, "unknown_keys"
            )

        progress = self.load_progress(scenario)
        values = data.get("values", {})
        try:
            new_progress, outcome = engine.submit(scenario, progress, data.get("step_id"), values, self._)
        except engine.SubmissionError as error:
            raise HandlerError(self._(error.message).format(**error.params), error.status, error.code) from error

        self.save_progress(new_progress)
        step = scenario.step(data["step_id"])
        event = {
            "step_id": step.id,
            "step_kind": step.kind,
            "passed": outcome.passed,
            "error_fields": sorted(outcome.errors),
            "step_mistakes": new_progress.mistakes.get(step.id, 0),
            "attempt": self.attempt,
        }
        if outcome.incomplete:
            # Only present when true, so the event of a counted or passed submission keeps its keys.
            event["incomplete"] = True
        if step.kind == "trap":
            event["action"] = values.get("action", "")
        if step.kind == "review_dossier":
            event["decision"] = values.get("decision", "")
            event["flagged_count"] = len(values.get("flagged") or [])
        self.runtime.publish(self, EVENT_STEP_SUBMITTED, event)

        if new_progress.completed:
            self.finish_attempt(scenario, new_progress)

        state = self.state_payload(scenario)
        return {
            "result": {
                "passed": outcome.passed,
                "errors": outcome.errors,
                "feedback": outcome.feedback,
                # True when a required answer was left empty. The errors then request it and no mistake is counted.
                "incomplete": outcome.incomplete,
            },
            "state": state,
            # A failed step stays current and keeps what the learner typed, so only a passed step
            # sends the HTML of the next one.
            "step_html": self.render_step_html(scenario, state) if outcome.passed else None,
        }

    def finish_attempt(self, scenario, progress: engine.Progress) -> None:
        """Record the finished attempt, publish the best score, completion and the completed event."""
        self.finished_attempts = list(self.finished_attempts) + [
            {"attempt": self.attempt, "mistakes": dict(progress.mistakes)}
        ]
        best = self.publish_best_score()
        self.runtime.publish(self, "completion", {"completion": 1.0})
        self.runtime.publish(
            self,
            EVENT_COMPLETED,
            {
                "attempt": self.attempt,
                "earned": scoring.earned_points(scenario, progress.mistakes),
                "possible": scoring.max_points(scenario),
                "best_earned": best.raw_earned,
                "total_mistakes": progress.total_mistakes,
                "mistakes": dict(progress.mistakes),
            },
        )

    @XBlock.handler
    @validated_json_handler()
    def reset(self, data, suffix=""):
        scenario = self.require_scenario()
        if data:
            raise HandlerError(self._("The reset request takes no values."), 400, "unknown_keys")
        left = self.attempts_left()
        if left == 0:
            raise HandlerError(
                self._("You have used all {count} attempts of this simulation.").format(count=self.max_attempts),
                409,
                "no_attempts_left",
            )

        previous_completed = self.completed
        self.attempt += 1
        self.save_progress(engine.start(scenario))
        self.runtime.publish(
            self, EVENT_RESET, {"attempt": self.attempt, "previous_attempt_completed": previous_completed}
        )
        state = self.state_payload(scenario)
        return {"state": state, "step_html": self.render_step_html(scenario, state)}

    def state_payload(self, scenario) -> dict:
        """Return what the learner view needs to show the current step. It contains no answers."""
        progress = self.load_progress(scenario)
        index = scenario.index_of(progress.step_id)
        step = scenario.steps[index]
        payload = {
            "attempt": self.attempt,
            "max_attempts": self.max_attempts or 0,
            "attempts_left": self.attempts_left(),
            "current_step": progress.step_id,
            "current_index": index + 1,
            "total_steps": len(scenario.steps),
            "completed": progress.completed,
            "mistakes": progress.mistakes,
            "total_mistakes": progress.total_mistakes,
            "summary": [],
            "dossier": None,
            "score": None,
        }
        if step.kind == "review":
            payload["summary"] = engine.summary(scenario, progress, step)
        if progress.completed:
            payload["dossier"] = {"code": self.dossier_code(scenario), "status": scenario.result_step.status}
        if self.finished_attempts:
            score = self.get_score()
            payload["score"] = {
                "earned": score.raw_earned,
                "possible": score.raw_possible,
                "attempt_earned": scoring.earned_points(scenario, progress.mistakes) if progress.completed else None,
            }
        return payload
