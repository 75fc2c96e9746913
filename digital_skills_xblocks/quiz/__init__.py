"""The ``citizenship_quiz`` XBlock: a pure quiz core (bank, selection, scoring, profile) and a thin block."""
