"""Fields of the egov_simulation block: the scenario content, settings and learner progress."""

from __future__ import annotations

import logging

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from digital_skills_xblocks.common.resources import load_text
from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml

from ..olx import serialize_children

log = logging.getLogger(__name__)

DEFAULT_SCENARIO_PATH = "egov/scenarios/dang_ky_khai_sinh.xml"


def default_scenario_xml() -> str:
    """Return the inner OLX of the birth-registration scenario, the content of a new block."""
    try:
        return serialize_children(parse_xml(load_text(DEFAULT_SCENARIO_PATH)))
    except (OSError, UnsafeXMLError):
        log.exception("The default scenario %s could not be read", DEFAULT_SCENARIO_PATH)
        return ""


class EgovFieldsMixin(XBlockMixin):
    """Field declarations only; behaviour lives in the other mixins and the core."""

    display_name = String(
        display_name="Display name",
        help="The name learners see in the course navigation.",
        default="Online public service simulation",
        scope=Scope.settings,
    )
    weight = Float(
        display_name="Problem weight",
        help="The number of points this simulation is worth in the course grade.",
        default=1.0,
        values={"min": 0},
        scope=Scope.settings,
    )
    max_attempts = Integer(
        display_name="Maximum attempts",
        help="How many attempts a learner may start; 0 means unlimited.",
        default=0,
        values={"min": 0},
        scope=Scope.settings,
    )
    scenario_xml = String(
        help="The children of the <egov_simulation> element exactly as the author wrote them.",
        default=default_scenario_xml(),
        scope=Scope.content,
        multiline_editor=True,
    )

    attempt = Integer(help="The learner's current attempt, starting at 1.", default=1, scope=Scope.user_state)
    current_step = String(help="The id of the step the learner is on.", default="", scope=Scope.user_state)
    step_mistakes = Dict(help="Mistakes counted per step id in the current attempt.", default={}, scope=Scope.user_state)
    step_values = Dict(
        help="Values entered on the form steps of the current attempt, for the review summary.",
        default={},
        scope=Scope.user_state,
    )
    completed = Boolean(help="Whether the current attempt reached the result step.", default=False, scope=Scope.user_state)
    finished_attempts = List(
        help="One {attempt, mistakes} entry per attempt that reached the result step, for rescoring.",
        default=[],
        scope=Scope.user_state,
    )
    scenario_version = String(
        help="A fingerprint of the scenario the current attempt was made on; another one restarts the attempt.",
        default="",
        scope=Scope.user_state,
    )
    raw_earned = Float(help="The raw score last published.", default=None, scope=Scope.user_state)
    raw_possible = Float(help="The raw maximum score last published.", default=None, scope=Scope.user_state)
