"""The bridge between the block's fields and the pure core: scenario, progress and learner id."""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

from digital_skills_xblocks.common.problems import Problem
from digital_skills_xblocks.common.safe_xml import UnsafeXMLError

from .. import engine
from ..dossier import dossier_code
from ..model import Scenario
from ..olx import wrap_scenario
from ..scenario import ScenarioError, check_scenario, parse_scenario

log = logging.getLogger(__name__)


@lru_cache(maxsize=256)
def parse_stored_scenario(content: str) -> Scenario | None:
    """Return the scenario of the stored OLX ``content``, or None when it is invalid.

    Scenarios are frozen dataclasses, so one parse serves every learner and
    request of a process until the author changes the content.
    """
    try:
        return parse_scenario(wrap_scenario(content))
    except (UnsafeXMLError, ScenarioError) as error:
        log.warning("A stored scenario is invalid: %s", error)
        return None


class EgovStateMixin:
    """Map the block's fields to the parsed scenario and to ``engine.Progress``."""

    def load_scenario(self) -> Scenario | None:
        """Return the parsed scenario, or None when the stored content is invalid."""
        return parse_stored_scenario(self.scenario_xml)

    def scenario_problems(self) -> list[Problem]:
        """Return the problems of the stored scenario in the user's language."""
        try:
            root = wrap_scenario(self.scenario_xml)
        except UnsafeXMLError as error:
            return [Problem(message=self._("The scenario is not valid XML: {error}").format(error=error.message), line=error.line)]
        return check_scenario(root, self._)

    def scenario_fingerprint(self) -> str:
        """Return a short hash of the stored scenario, to tell when the author has changed it."""
        return hashlib.sha256(self.scenario_xml.encode("utf-8")).hexdigest()[:16]

    def load_progress(self, scenario: Scenario) -> engine.Progress:
        """Return the learner's progress in the current attempt.

        The attempt restarts for a new learner, when the scenario no longer has
        the learner's step, and when the author changed the scenario since the
        learner's last step: steps, mistakes and values of another version mean
        nothing in this one. Finished attempts and the grade stay.
        """
        step = scenario.step(self.current_step)
        changed = bool(self.scenario_version) and self.scenario_version != self.scenario_fingerprint()
        if step is None or changed:
            return engine.start(scenario)
        return engine.Progress(
            step_id=step.id,
            mistakes={str(key): int(value) for key, value in (self.step_mistakes or {}).items()},
            values=dict(self.step_values or {}),
            completed=bool(self.completed) and step.kind == "result",
        )

    def save_progress(self, progress: engine.Progress) -> None:
        self.scenario_version = self.scenario_fingerprint()
        self.current_step = progress.step_id
        self.step_mistakes = dict(progress.mistakes)
        self.step_values = dict(progress.values)
        self.completed = progress.completed

    def learner_id(self) -> str:
        """Return the anonymous id of the current learner, never their name or email."""
        user_service = self.runtime.service(self, "user")
        if user_service is not None:
            user = user_service.get_current_user()
            for key in ("edx-platform.anonymous_user_id", "xblock-workbench.user_id"):
                value = user.opt_attrs.get(key)
                if value:
                    return str(value)
        return str(self.scope_ids.user_id)

    def dossier_code(self, scenario: Scenario) -> str:
        return dossier_code(self.learner_id(), str(self.scope_ids.usage_id), self.attempt, scenario.result_step.dossier_prefix)

    def dom_suffix(self) -> str:
        """Return a short suffix, stable for this usage, that makes element ids unique on a page."""
        return "egov-" + hashlib.sha1(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:10]

    def attempts_left(self) -> int | None:
        """Return how many new attempts the learner may still start, or None when unlimited."""
        if not self.max_attempts:
            return None
        return max(0, self.max_attempts - self.attempt)
