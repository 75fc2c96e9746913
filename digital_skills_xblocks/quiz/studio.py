"""Studio views of the citizenship_quiz block: the editor, its save handler and the author preview."""

from __future__ import annotations

from lxml import etree
from web_fragments.fragment import Fragment

from digital_skills_xblocks.common.i18n import gettext_noop
from digital_skills_xblocks.common.problems import Problem
from digital_skills_xblocks.common.resources import load_compact, render_template
from digital_skills_xblocks.common.safe_xml import parse_xml
from digital_skills_xblocks.common.sanitize import sanitize_html
from digital_skills_xblocks.common.studio import (
    CSS as STUDIO_CSS,
    SettingSpec,
    StudioHandlersMixin,
    parse_editor_olx,
    studio_fragment,
)

from . import library
from .bank import AREA_LABELS, ROOT_TAG, SHOW_ANSWERS, check_quiz
from .content import RUNTIME_ATTRIBUTES, SETTINGS_ATTRIBUTES
from .selection import attempt_seed, draw_layout

SHOW_ANSWERS_LABELS = {
    "never": gettext_noop("Never"),
    "after_submission": gettext_noop("After each submission"),
    "after_last_attempt": gettext_noop("After the last attempt"),
    "after_passing": gettext_noop("After passing"),
}
# The editor's messages for OLX text that is missing or is not safe XML.
OLX_MISSING = gettext_noop("The question pool OLX is missing from the request.")
OLX_INVALID = gettext_noop("The question pool OLX is not valid or not safe XML: {error}")
SETTINGS = (
    SettingSpec("display_name", "text", gettext_noop("Display name"),
                gettext_noop("The name learners see in the course outline.")),
    SettingSpec("weight", "float", gettext_noop("Problem weight"),
                gettext_noop("How many points the quiz is worth in the course grade."), minimum=0, maximum=1000),
    SettingSpec("max_attempts", "integer", gettext_noop("Maximum attempts"),
                gettext_noop("How many times a learner may submit; 0 means unlimited."), minimum=0, maximum=1000),
    SettingSpec("passing_percentage", "integer", gettext_noop("Passing percentage"),
                gettext_noop("The score, in percent, a learner needs to pass; also the bar below which an area counts as weak."),
                minimum=0, maximum=100),
    SettingSpec("show_answers", "select", gettext_noop("Show answers"),
                gettext_noop("When learners see the right answers, the feedback and the explanations."),
                choices=tuple((value, SHOW_ANSWERS_LABELS[value]) for value in SHOW_ANSWERS)),
    SettingSpec("allow_reset", "boolean", gettext_noop("Allow reset"),
                gettext_noop("Whether learners may start a new attempt with a new draw of questions while attempts remain.")),
)
TYPE_LABELS = {
    "single_choice": gettext_noop("Single choice"),
    "multiple_response": gettext_noop("Multiple response"),
    "true_false": gettext_noop("True or false"),
    "ordering": gettext_noop("Ordering"),
    "red_flags": gettext_noop("Red flags in a message"),
}
# The seed of the draw shown in the author preview; learners get their own seeded draws.
PREVIEW_LEARNER = "author-preview"


class QuizStudioMixin(StudioHandlersMixin):
    """``studio_view`` and ``author_view``; the save and template handlers come from ``StudioHandlersMixin``."""

    STUDIO_SETTINGS = SETTINGS
    studio_library = library

    def studio_view(self, context=None) -> Fragment:  # pylint: disable=unused-argument
        """Show the settings form, the template picker and the question pool OLX for editing."""
        texts = {
            "content_legend": self._("Question pool"),
            "content_label": self._("Question pool OLX"),
            "content_help": self._(
                "The introduction, recommendations and questions inside <citizenship_quiz>; draw sets how many "
                "questions each attempt shows. The author guide describes every question type."
            ),
        }
        return studio_fragment(
            self,
            specs=SETTINGS,
            content=self.data,
            templates=library.load_templates(),
            texts=texts,
            dom_prefix=f"{self.dom_id()}-studio",
        )

    def store_studio_content(self, content: str) -> None:
        if content != self.data:
            self.data = content

    def check_studio_content(self, content: object, settings: dict) -> tuple[str, list[Problem]]:
        """Return the OLX to store in ``data`` and every problem of it, checked with the new ``settings``."""
        _ = self._
        root, problems = parse_editor_olx(content, _, OLX_MISSING, OLX_INVALID)
        if root is None:
            return "", problems
        if root.tag != ROOT_TAG:
            return "", [Problem(
                _("The root element is <{tag}>, not <citizenship_quiz>.").format(tag=root.tag),
                _("Put the questions inside <citizenship_quiz>."),
                location="content", line=root.sourceline,
            )]

        for name in root.attrib:
            if name in SETTINGS_ATTRIBUTES:
                problems.append(Problem(
                    _("The attribute {name} on <citizenship_quiz> belongs in the settings form.").format(name=name),
                    _("Remove it from the OLX and set the value in the settings form above."),
                    location=ROOT_TAG, line=root.sourceline,
                ))
            elif name in RUNTIME_ATTRIBUTES:
                problems.append(Problem(
                    _("The attribute {name} is written by Studio, not by authors.").format(name=name),
                    _("Remove it from the OLX."),
                    location=ROOT_TAG, line=root.sourceline,
                ))
        stored = etree.tostring(root, encoding="unicode")

        # The checker sees the pool with the new settings, as quiz_element() will after the save.
        checked = parse_xml(stored)
        for name in SETTINGS_ATTRIBUTES:
            value = settings[name] if name in settings else getattr(self, name)
            checked.set(name, self.fields[name].to_string(value))
        problems += check_quiz(checked, translate=_)
        return stored, problems

    def author_view(self, context=None) -> Fragment:  # pylint: disable=unused-argument
        """Show the pool summary and its problems above one draw of the quiz as a learner sees it.

        The preview reads and writes no learner state: its draw uses a fixed
        seed and its answers cannot be submitted.
        """
        quiz, _unused = self.load_quiz()
        problems = self.check_content()
        counts: dict[tuple[str, str], int] = {}
        if quiz:
            for question in quiz.questions:
                key = (self._(AREA_LABELS[question.area]), self._(TYPE_LABELS[question.type]))
                counts[key] = counts.get(key, 0) + 1
        i18n = self.runtime.service(self, "i18n")
        summary = render_template(
            "quiz/templates/author.html",
            {
                "t": self.template_texts(),
                "display_name": self.display_name,
                "problems": [problem.format() for problem in problems if problem.severity == "error"],
                "warnings": [problem.format() for problem in problems if problem.severity != "error"],
                "question_count": len(quiz.questions) if quiz else 0,
                "draw": quiz.draw if quiz else 0,
                "points_text": self._("Each drawn question is worth 1 point; the quiz counts {weight} in the course grade.").format(
                    weight=f"{self.weight:g}"),
                "counts": [{"area": area, "type": qtype, "count": count} for (area, qtype), count in sorted(counts.items())],
            },
            i18n,
        )
        body = render_template("quiz/templates/body.html", self.template_context(self.preview_state()), i18n)
        learner = render_template(
            "quiz/templates/student.html",
            {"uid": f"{self.dom_id()}-preview", "body": body, "display_name": self.display_name},
            i18n,
        )
        fragment = Fragment(summary + learner)
        fragment.add_css(load_compact("quiz/static/css/quiz.css"))
        fragment.add_css(load_compact(STUDIO_CSS))
        return fragment

    def preview_state(self) -> dict:
        """Return the state of a new learner on a fixed draw, in the shape of ``state_data()``, without storing it."""
        quiz, _problems = self.load_quiz()
        state = {
            "block_id": str(self.scope_ids.usage_id),
            "display_name": self.display_name,
            "settings": self.settings_data(),
            "attempt": 1,
            "attempts_used": 0,
            "attempts_left": self.max_attempts if self.max_attempts > 0 else None,
            "submitted": False,
            "can_submit": False,
            "can_reset": False,
            "intro_html": "",
            "questions": [],
            "answers": {},
            "result": None,
            "review": None,
            "valid": quiz is not None,
        }
        if quiz is None:
            return state
        layout = draw_layout(quiz, attempt_seed(PREVIEW_LEARNER, str(self.scope_ids.usage_id), 1))
        state["intro_html"] = sanitize_html(quiz.intro)
        state["questions"] = [
            self.question_data(quiz.question(question_id), number, layout)
            for number, question_id in enumerate(layout.question_ids, start=1)
            if quiz.question(question_id) is not None
        ]
        return state
