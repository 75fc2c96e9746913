"""Studio views of the egov_simulation block: the editor, its save handler and the author preview."""

from __future__ import annotations

from digital_skills_xblocks.common.i18n import gettext_noop
from digital_skills_xblocks.common.problems import Problem
from digital_skills_xblocks.common.resources import load_compact, render_template
from digital_skills_xblocks.common.studio import (
    CSS as STUDIO_CSS,
    SettingSpec,
    StudioHandlersMixin,
    parse_editor_olx,
    studio_fragment,
)

from .. import library
from ..olx import ROOT_TAG, serialize_children
from ..scenario import check_scenario
from ..scoring import max_points, step_points

# The editor's messages for OLX text that is missing or is not safe XML.
OLX_MISSING = gettext_noop("The scenario OLX is missing from the request.")
OLX_INVALID = gettext_noop("The scenario OLX is not valid or not safe XML: {error}")
SETTINGS = (
    SettingSpec("display_name", "text", gettext_noop("Display name"),
                gettext_noop("The name learners see in the course navigation.")),
    SettingSpec("weight", "float", gettext_noop("Problem weight"),
                gettext_noop("The number of points this simulation is worth in the course grade."), minimum=0, maximum=1000),
    SettingSpec("max_attempts", "integer", gettext_noop("Maximum attempts"),
                gettext_noop("How many attempts a learner may start; 0 means unlimited."), minimum=0, maximum=1000),
)
STEP_KIND_LABELS = {
    "login": gettext_noop("VNeID login"),
    "form": gettext_noop("E-form"),
    "attachments": gettext_noop("Attachments"),
    "payment": gettext_noop("Fee payment"),
    "review": gettext_noop("Review and commitment"),
    "trap": gettext_noop("Scam check"),
    "review_dossier": gettext_noop("Dossier review"),
    "result": gettext_noop("Result"),
}
SUMMARY_TEMPLATE = "egov/templates/egov_author_summary.html"


class EgovStudioMixin(StudioHandlersMixin):
    """``studio_view`` and ``author_view``; the save and template handlers come from ``StudioHandlersMixin``."""

    STUDIO_SETTINGS = SETTINGS
    studio_library = library

    def studio_view(self, context=None):
        """Show the settings form, the template picker and the scenario OLX for editing."""
        texts = {
            "content_legend": self._("Scenario"),
            "content_label": self._("Scenario OLX"),
            "content_help": self._(
                "The persona and the steps of the procedure inside <egov_simulation>. "
                "The author guide describes every step kind."
            ),
        }
        return studio_fragment(
            self,
            specs=SETTINGS,
            content=library.wrap_content(self.scenario_xml),
            templates=library.load_templates(),
            texts=texts,
            dom_prefix=f"{self.dom_suffix()}-studio",
        )

    def store_studio_content(self, scenario_xml: str) -> None:
        if scenario_xml != self.scenario_xml:
            self.scenario_xml = scenario_xml

    def check_studio_content(self, content: object, settings: dict) -> tuple[str, list[Problem]]:  # pylint: disable=unused-argument
        """Return the scenario children to store and every problem of the editor's OLX text."""
        _ = self._
        root, problems = parse_editor_olx(content, _, OLX_MISSING, OLX_INVALID)
        if root is None:
            return "", problems

        if root.tag != ROOT_TAG:
            problems.append(Problem(
                _("The root element is <{tag}>, not <egov_simulation>.").format(tag=root.tag),
                _("Put the scenario inside <egov_simulation>...</egov_simulation>."),
                location="content", line=root.sourceline,
            ))
            return "", problems
        for name in root.attrib:
            if name in library.SETTINGS_ATTRIBUTES:
                message = _("The attribute {name} on <egov_simulation> belongs in the settings form.")
                fix = _("Remove it from the OLX and set the value in the settings form above.")
            else:
                message = _("Unknown attribute {name} on <egov_simulation>.")
                fix = _("Remove it; <egov_simulation> takes no attributes in the editor.")
            problems.append(Problem(message.format(name=name), fix, location=ROOT_TAG, line=root.sourceline))
        problems += check_scenario(root, _)
        return serialize_children(root), problems

    def author_view(self, context=None):
        """Show the summary of the scenario above the learner view; it reads no learner state beyond defaults."""
        fragment = self.student_view(context)
        summary = render_template(SUMMARY_TEMPLATE, self.author_summary(), self.template_i18n())
        fragment.content = summary + fragment.content
        fragment.add_css(load_compact(STUDIO_CSS))
        return fragment

    def author_summary(self) -> dict:
        """Return the steps, points and problems of the stored scenario for the author preview."""
        _ = self._
        scenario = self.load_scenario()
        problems = self.scenario_problems()
        steps = []
        if scenario is not None:
            for number, step in enumerate(scenario.steps, start=1):
                label = STEP_KIND_LABELS.get(step.kind)
                steps.append({
                    "number": number,
                    "kind": _(label) if label else step.kind,
                    "title": step.title,
                    "points": f"{step_points(step):g}",
                })
        total = max_points(scenario) if scenario is not None else 0
        return {
            "display_name": self.display_name,
            "valid": scenario is not None,
            "steps": steps,
            "step_count_text": self.ngettext("{count} step", "{count} steps", len(steps)).format(count=len(steps)),
            "points_text": _("Maximum score: {points} points, weighted to {weight} in the course grade.").format(
                points=f"{total:g}", weight=f"{self.weight:g}"),
            "attempts_text": (_("Attempts: unlimited.") if not self.max_attempts
                              else _("Attempts: {count}.").format(count=self.max_attempts)),
            "errors": [problem.format() for problem in problems if problem.severity == "error"],
            "warnings": [problem.format() for problem in problems if problem.severity != "error"],
        }
