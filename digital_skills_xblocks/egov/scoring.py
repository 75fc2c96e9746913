"""The scoring rule of a simulation attempt, computed from the mistakes counted per step.

Every step except the result is worth 1 point, and a trap step 2 points,
because recognising a scam is the skill the course cares about most. Each
counted mistake on a step (a submission that the server rejects) takes 25% of
that step's points, down to 0. A submission with a required answer left empty
(``engine.Outcome.incomplete``) is not a mistake. The raw score of an attempt
is the sum over the steps; its maximum is the sum of the step points.
"""

from __future__ import annotations

from .model import Scenario, Step

DEFAULT_STEP_POINTS = 1.0
TRAP_STEP_POINTS = 2.0
PENALTY_PER_MISTAKE = 0.25


def step_points(step: Step) -> float:
    """Return the points ``step`` is worth without mistakes."""
    if not step.gradable:
        return 0.0
    if step.kind == "trap":
        return TRAP_STEP_POINTS
    return DEFAULT_STEP_POINTS


def max_points(scenario: Scenario) -> float:
    """Return the raw maximum score of ``scenario``."""
    return sum(step_points(step) for step in scenario.steps)


def earned_points(scenario: Scenario, mistakes: dict[str, int]) -> float:
    """Return the raw score of a finished attempt with ``mistakes`` per step id.

    Step ids missing from ``mistakes`` count as done without mistakes, and ids
    of steps no longer in the scenario are ignored, so a rescore after the
    author edits the scenario uses its current steps.
    """
    total = 0.0
    for step in scenario.steps:
        points = step_points(step)
        count = max(0, int(mistakes.get(step.id, 0)))
        total += max(0.0, points * (1.0 - PENALTY_PER_MISTAKE * count))
    return round(total, 4)
