"""The learner view, the mobile JSON and the workbench scenarios.

Author text reaches the page in two ways only: plain fields go through the
template's autoescaping, and HTML fields (intro, instructions, messages) go
through ``sanitize_html`` before the template marks them safe.
"""

from __future__ import annotations

from importlib import resources

from web_fragments.fragment import Fragment

from digital_skills_xblocks.common.resources import load_compact, render_template
from digital_skills_xblocks.common.sanitize import sanitize_html

from ..model import PERSONA_ATTRIBUTES, Scenario, Step
from ..review_view import public_review_dossier, review_dossier_context
from ..scoring import step_points

TEMPLATE = "egov/templates/egov_simulation.html"
STEP_TEMPLATE = "egov/templates/egov_step.html"
CSS = "egov/static/css/egov_simulation.css"
JS = "egov/static/js/egov_simulation.js"
SCENARIOS_DIR = "egov/scenarios"


def persona_labels(translate) -> dict[str, str]:
    return {
        "name": translate("Full name"),
        "birth_date": translate("Date of birth"),
        "sex": translate("Sex"),
        "id_number": translate("Personal ID number"),
        "address": translate("Address"),
        "phone": translate("Phone number"),
        "password": translate("VNeID password"),
        "otp": translate("OTP code (sent to your phone)"),
    }


class EgovViewsMixin:
    """``student_view``, ``student_view_data`` and ``workbench_scenarios``."""

    def student_view(self, context=None):
        scenario = self.load_scenario()
        fragment = Fragment()
        if scenario is None:
            fragment.add_content(self.render_invalid())
        else:
            fragment.add_content(render_template(TEMPLATE, self.view_context(scenario), self.template_i18n()))
            fragment.add_javascript(load_compact(JS))
            # The state holds author and learner text, so it travels in the template through
            # json_script (which escapes <, > and &) rather than in the runtime's JSON init
            # arguments, which XBlock writes into a <script> element without escaping "</".
            fragment.initialize_js("EgovSimulationBlock", {"suffix": self.dom_suffix()})
        fragment.add_css(load_compact(CSS))
        catalog = self.js_catalog_path("egov")
        if catalog:
            fragment.add_javascript(load_compact(catalog))
        return fragment

    def render_invalid(self) -> str:
        problems = [problem.format() for problem in self.scenario_problems()]
        context = {"problems": problems, "show_details": self.is_staff(), "display_name": self.display_name}
        return render_template("egov/templates/egov_invalid.html", context, self.template_i18n())

    def template_i18n(self):
        """Return the runtime's i18n service, which XBlock's {% trans %} tag merges into Django's catalog."""
        return self.runtime.service(self, "i18n")

    def is_staff(self) -> bool:
        """Return True for course staff in the LMS and for everyone in the workbench and Studio."""
        user_service = self.runtime.service(self, "user")
        if user_service is None:
            return True
        user = user_service.get_current_user()
        role = user.opt_attrs.get("edx-platform.user_role")
        is_staff = user.opt_attrs.get("edx-platform.user_is_staff")
        if role is None and is_staff is None:
            return True
        return bool(is_staff) or role in ("staff", "instructor")

    def view_context(self, scenario: Scenario) -> dict:
        suffix = self.dom_suffix()
        labels = persona_labels(self._)
        persona = scenario.persona
        persona_rows = [{"label": labels[name], "value": getattr(persona, name)} for name in PERSONA_ATTRIBUTES]
        persona_rows += [{"label": fact.label, "value": fact.value} for fact in persona.facts]
        state = self.state_payload(scenario)
        return {
            "suffix": suffix,
            "display_name": self.display_name,
            "intro": sanitize_html(scenario.intro),
            "persona_name": persona.name,
            "persona_rows": persona_rows,
            "steps": [{"id": step.id, "number": index + 1, "title": step.title} for index, step in enumerate(scenario.steps)],
            "step_html": self.render_step_html(scenario, state),
            "state": state,
            "state_id": f"{suffix}-state",
            "progress_text": self._("Step {current}/{total}").format(current=state["current_index"], total=state["total_steps"]),
        }

    def render_step_html(self, scenario: Scenario, state: dict) -> str:
        """Render the section of the current step of ``state`` (a ``state_payload``) from the step template.

        Only the current step is rendered, so the other steps add only their
        stepper line to a page. The result is safe to insert as HTML because
        the template escapes plain text and ``step_context`` passes author
        HTML through ``sanitize_html``.
        """
        suffix = self.dom_suffix()
        index = state["current_index"] - 1
        step = scenario.steps[index]
        context = {
            "suffix": suffix,
            "state": state,
            "step": self.step_context(step, suffix, index, len(scenario.steps)),
        }
        return render_template(STEP_TEMPLATE, context, self.template_i18n())

    def step_context(self, step: Step, suffix: str, index: int, total: int) -> dict:
        base = f"{suffix}-{step.id}"
        login_labels = {
            "id_number": self._("Personal ID number"),
            "password": self._("Password"),
            "otp": self._("OTP code"),
        }
        fields = []
        for item in step.fields:
            fields.append({
                "name": item.name,
                "type": item.type,
                "label": item.label or login_labels.get(item.name, item.name),
                "help": item.help,
                "required": item.required,
                "group": item.is_group,
                "options": [{"value": option.value, "label": option.label, "id": f"{base}-{item.name}-{n}"}
                            for n, option in enumerate(item.options)],
                "id": f"{base}-{item.name}",
                "input_type": "password" if (step.kind == "login" and item.name == "password") else "text",
                "inputmode": "numeric" if (step.kind == "login" and item.name in ("id_number", "otp")) or item.type == "date" else "",
                "autocomplete": "one-time-code" if item.name == "otp" and step.kind == "login" else "off",
            })
        channel_labels = {
            "sms": self._("Text message"),
            "call": self._("Incoming call"),
            "chat": self._("Chat message"),
            "email": self._("Email"),
        }
        return {
            "id": step.id,
            "kind": step.kind,
            "title": step.title,
            "number": index + 1,
            "number_text": self._("Step {current}/{total}").format(current=index + 1, total=total),
            "base": base,
            "instructions": sanitize_html(step.instructions),
            "message": sanitize_html(step.message),
            "fields": fields,
            "documents": [{"id": doc.id, "label": doc.label, "dom_id": f"{base}-doc-{n}"} for n, doc in enumerate(step.documents)],
            "choices": [{"id": choice.id, "label": choice.label, "dom_id": f"{base}-choice-{n}"}
                        for n, choice in enumerate(step.choices)],
            "commitment": step.commitment,
            "channel_label": channel_labels.get(step.channel, ""),
            "sender": step.sender,
            "status": step.status,
            "points": step_points(step),
            "dossier": review_dossier_context(step, base, self._),
        }

    def student_view_data(self, context=None) -> dict:
        """Return the scenario for the mobile apps: persona, steps and controls, but no answers or feedback."""
        scenario = self.load_scenario()
        data = {
            "display_name": self.display_name,
            "weight": self.weight,
            "max_attempts": self.max_attempts or 0,
            "valid": scenario is not None,
        }
        if scenario is None:
            return data
        persona = scenario.persona
        data["persona"] = {name: getattr(persona, name) for name in PERSONA_ATTRIBUTES}
        data["persona"]["facts"] = [{"name": fact.name, "label": fact.label, "value": fact.value} for fact in persona.facts]
        data["intro"] = sanitize_html(scenario.intro)
        data["steps"] = [public_step(step) for step in scenario.steps]
        return data

    @staticmethod
    def workbench_scenarios():
        """Return the two procedures shipped in ``egov/scenarios`` for the XBlock SDK workbench."""
        directory = resources.files("digital_skills_xblocks").joinpath(SCENARIOS_DIR)
        scenarios = []
        for path in sorted(directory.iterdir(), key=lambda item: item.name):
            if path.name.endswith(".xml"):
                scenarios.append((path.name[:-4].replace("_", " "), path.read_text(encoding="utf-8")))
        return scenarios


def public_step(step: Step) -> dict:
    """Return ``step`` without correct answers, rules or feedback."""
    data = {
        "id": step.id,
        "kind": step.kind,
        "title": step.title,
        "instructions": sanitize_html(step.instructions),
    }
    if step.fields:
        data["fields"] = [
            {
                "name": item.name,
                "type": item.type,
                "label": item.label,
                "help": item.help,
                "required": item.required,
                "multiple": item.is_group,
                "options": [{"value": option.value, "label": option.label} for option in item.options],
            }
            for item in step.fields
        ]
    if step.kind == "attachments":
        data["documents"] = [{"id": doc.id, "label": doc.label} for doc in step.documents]
    if step.kind in ("payment", "trap"):
        data["choices"] = [{"id": choice.id, "label": choice.label} for choice in step.choices]
    if step.kind == "review":
        data["commitment"] = step.commitment
    if step.kind == "trap":
        data.update({"channel": step.channel, "sender": step.sender, "message": sanitize_html(step.message)})
    if step.kind == "result":
        data.update({"status": step.status, "message": sanitize_html(step.message)})
    if step.kind == "review_dossier":
        data.update(public_review_dossier(step))
    return data
