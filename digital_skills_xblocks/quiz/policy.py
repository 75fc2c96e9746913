"""When a learner may see the right answers, the feedback and the explanations."""

from __future__ import annotations

NEVER = "never"
AFTER_SUBMISSION = "after_submission"
AFTER_LAST_ATTEMPT = "after_last_attempt"
AFTER_PASSING = "after_passing"


def attempts_exhausted(attempts_used: int, max_attempts: int) -> bool:
    """Tell whether no attempt is left; ``max_attempts`` 0 means unlimited."""
    return max_attempts > 0 and attempts_used >= max_attempts


def answers_visible(policy: str, submitted: bool, attempts_used: int, max_attempts: int, passed: bool) -> bool:
    """Tell whether the answers of the submitted attempt may be sent to the learner.

    Nothing is shown before the current attempt is submitted. With unlimited
    attempts, ``after_last_attempt`` never shows the answers.
    """
    if not submitted:
        return False
    if policy == AFTER_SUBMISSION:
        return True
    if policy == AFTER_LAST_ATTEMPT:
        return attempts_exhausted(attempts_used, max_attempts)
    if policy == AFTER_PASSING:
        return passed
    return False
