"""What the quiz sends to browsers and the mobile apps: HTML views and JSON data.

Right answers, per-option feedback and explanations are added only when
``answers_allowed()`` returns True, in the HTML and the JSON alike. All author
HTML passes through ``sanitize_html`` here.
"""

from __future__ import annotations

import hashlib
import html as html_module

from web_fragments.fragment import Fragment

from digital_skills_xblocks.common.i18n import format_number
from digital_skills_xblocks.common.resources import load_compact, render_template
from digital_skills_xblocks.common.sanitize import plain_text, sanitize_html

from .bank import AREA_LABELS, ORDERING, RED_FLAGS, TRUE_FALSE, Question, Quiz
from .profile import AreaScore, competence_profile, recommendations_for
from .scoring import AttemptResult
from .selection import Layout
from .stats import question_rows
from .texts import TEMPLATE_TEXTS

DIFFICULTY_LABELS = {"easy": "Easy", "medium": "Medium", "hard": "Hard"}
TRUE_FALSE_LABELS = {"true": "True", "false": "False"}
STATUS_LABELS = {"correct": "Correct", "partial": "Partly correct", "incorrect": "Incorrect"}
KIND_LABELS = {"sms": "Text message (SMS)", "chat": "Chat message", "email": "E-mail", "web": "Web page"}
FIELD_LABELS = {"sender": "From", "subject": "Subject", "address": "Address"}

# Geometry of the profile chart, in SVG user units.
CHART_LABEL_WIDTH = 170
CHART_BAR_WIDTH = 190
CHART_ROW_HEIGHT = 34


def text_of(html: str) -> str:
    """Return the plain text of author HTML, unescaped, for places that take text only."""
    return html_module.unescape(plain_text(html)).strip()


def number_text(value: float) -> str:
    """Format a score for the current language: 2, 2,5 and 2,17 in Vietnamese; 2.17 in English."""
    return format_number(value)


class QuizViewsMixin:
    """The learner, author and staff views and the JSON for the mobile apps."""

    def dom_id(self) -> str:
        """Return an HTML id prefix unique to this block on a page."""
        digest = hashlib.sha1(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:10]
        return f"dsq-{digest}"

    def unit_url(self, url_name: str) -> str:
        """Return the link to a course unit by its url_name.

        In the LMS ``/courses/<course>/jump_to_id/<url_name>`` redirects to
        the unit. Outside a course (the preview) the path is
        ``/jump_to_id/<url_name>`` and the preview site resolves it.
        """
        course_key = getattr(self.scope_ids.usage_id, "course_key", None) or getattr(self.scope_ids.usage_id, "context_key", None)
        if course_key:
            return f"/courses/{course_key}/jump_to_id/{url_name}"
        return f"/jump_to_id/{url_name}"

    # JSON data, shared by the HTML view, the handlers and the mobile apps.

    def question_data(self, question: Question, number: int, layout: Layout) -> dict:
        order = layout.choice_orders.get(question.id) or tuple(question.choice_ids)
        choices = []
        for choice_id in order:
            choice = question.choice(choice_id)
            entry = {"id": choice.id}
            if question.type == TRUE_FALSE:
                entry["html"] = self._(TRUE_FALSE_LABELS[choice.id])
            elif question.type == RED_FLAGS:
                entry["text"] = text_of(choice.html)
                entry["field"] = choice.field
            else:
                entry["html"] = sanitize_html(choice.html)
                entry["text"] = text_of(choice.html)
            choices.append(entry)

        data = {
            "id": question.id,
            "number": number,
            "type": question.type,
            "area": question.area,
            "area_label": self._(AREA_LABELS[question.area]),
            "difficulty": question.difficulty,
            "difficulty_label": self._(DIFFICULTY_LABELS[question.difficulty]),
            "prompt_html": sanitize_html(question.prompt),
            "choices": choices,
        }
        if question.message is not None:
            data["message"] = {"kind": question.message.kind, "title": text_of(question.message.title), "time": text_of(question.message.time)}
        return data

    def review_data(self, question: Question) -> dict:
        """Return the right answer, per-choice feedback and explanation of one question."""
        return {
            "correct": question.correct_ids,
            "feedback": {choice.id: sanitize_html(choice.feedback) for choice in question.choices if choice.feedback},
            "explanation_html": sanitize_html(question.explanation),
            "source": text_of(question.source),
        }

    def profile_data(self, profile: list[AreaScore]) -> list[dict]:
        return [
            {
                "area": score.area,
                "label": self._(AREA_LABELS[score.area]),
                "earned": score.earned,
                "possible": score.possible,
                "percent": score.percent,
                "weak": score.percent < self.passing_percentage,
            }
            for score in profile
        ]

    def result_data(self, quiz: Quiz, result: AttemptResult) -> dict:
        profile = competence_profile(quiz, result)
        weak = self.weak_areas(quiz, result)
        recommendations = []
        for recommendation in recommendations_for(quiz, weak):
            url = self.unit_url(recommendation.unit) if recommendation.unit else recommendation.href
            recommendations.append({
                "area": recommendation.area,
                "area_label": self._(AREA_LABELS[recommendation.area]),
                "text": text_of(recommendation.text),
                "url": url,
            })
        return {
            "earned": result.earned,
            "possible": result.possible,
            "percent": result.percent,
            "passed": result.passed(self.passing_percentage),
            "passing_percentage": self.passing_percentage,
            "questions": [{"id": item.question_id, "score": item.score, "status": item.status} for item in result.results],
            "profile": self.profile_data(profile),
            "weak_areas": weak,
            "recommendations": recommendations,
        }

    def settings_data(self) -> dict:
        """Return the author's settings as the learner view and the mobile apps receive them."""
        return {
            "max_attempts": self.max_attempts,
            "passing_percentage": self.passing_percentage,
            "show_answers": self.show_answers,
            "allow_reset": self.allow_reset,
            "weight": self.weight,
        }

    def state_data(self) -> dict:
        """Return the learner's view of the quiz as JSON: no answers unless the policy allows them."""
        quiz, problems = self.load_quiz()
        data = {
            "block_id": str(self.scope_ids.usage_id),
            "display_name": self.display_name,
            "settings": self.settings_data(),
            "attempt": self.attempt,
            "attempts_used": self.attempts_used,
            "attempts_left": self.attempts_left(),
            "submitted": self.submitted,
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
            return data

        layout = self.current_layout(quiz)
        data["intro_html"] = sanitize_html(quiz.intro)
        data["questions"] = [
            self.question_data(quiz.question(question_id), number, layout)
            for number, question_id in enumerate(layout.question_ids, start=1)
            if quiz.question(question_id) is not None
        ]
        data["can_submit"] = self.can_submit()
        data["can_reset"] = self.can_reset()
        if self.submitted:
            data["answers"] = dict(self.answers)
            data["result"] = self.result_data(quiz, self.stored_result())
            if self.answers_allowed():
                data["review"] = {
                    question_id: self.review_data(quiz.question(question_id))
                    for question_id in layout.question_ids
                    if quiz.question(question_id) is not None
                }
        return data

    def student_view_data(self, context=None) -> dict:  # pylint: disable=unused-argument
        """Return the data the mobile apps need to draw the quiz natively (see docs/en/citizenship-quiz.md)."""
        data = self.state_data()
        data["handlers"] = {
            name: self.runtime.handler_url(self, name)
            for name in ("submit", "reset", "result_viewed", "user_state")
        }
        return data

    # HTML.

    def chart_data(self, profile: list[dict]) -> dict:
        """Return the geometry of the profile bar chart.

        Numbers are strings: Django would localise floats ("190,5" in
        Vietnamese), which SVG cannot read.
        """
        bars = []
        for index, area in enumerate(profile):
            top = index * CHART_ROW_HEIGHT
            width = CHART_BAR_WIDTH * area["percent"] / 100
            bars.append({
                "label": area["label"],
                "percent": area["percent"],
                "weak": area["weak"],
                "y": str(top + 6),
                "text_y": str(top + 22),
                "width": f"{width:.1f}",
                "value_x": f"{CHART_LABEL_WIDTH + width + 6:.1f}",
            })
        pass_x = CHART_LABEL_WIDTH + CHART_BAR_WIDTH * self.passing_percentage / 100
        return {
            "bars": bars,
            "height": str(max(1, len(profile)) * CHART_ROW_HEIGHT),
            "label_width": str(CHART_LABEL_WIDTH),
            "bar_width": str(CHART_BAR_WIDTH),
            "width": str(CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 50),
            "pass_x": f"{pass_x:.1f}",
        }

    def template_context(self, state: dict | None = None) -> dict:
        """Return the context of body.html for ``state``, by default the learner's current state."""
        if state is None:
            state = self.state_data()
        uid = self.dom_id()
        answers = state["answers"]
        review = state["review"] or {}
        statuses = {item["id"]: item for item in (state["result"] or {}).get("questions", [])}

        questions = []
        for question in state["questions"]:
            question_id = question["id"]
            answer = answers.get(question_id)
            question_review = review.get(question_id)
            if isinstance(answer, list):
                chosen = set(answer)
            elif answer:
                chosen = {answer}
            else:
                chosen = set()
            choices = question["choices"]
            if question["type"] == ORDERING and isinstance(answer, list):
                by_id = {choice["id"]: choice for choice in choices}
                choices = [by_id[item] for item in answer if item in by_id]

            rendered = []
            for choice in choices:
                entry = dict(choice)
                entry["dom_id"] = f"{uid}-{question_id}-{choice['id']}"
                entry["chosen"] = choice["id"] in chosen
                if question_review:
                    entry["is_correct"] = choice["id"] in question_review["correct"]
                    entry["feedback_html"] = question_review["feedback"].get(choice["id"], "")
                rendered.append(entry)

            for choice in rendered:
                if choice.get("field") in FIELD_LABELS:
                    choice["field_label"] = self._(FIELD_LABELS[choice["field"]])

            status = statuses.get(question_id)
            entry = dict(question)
            entry.update({
                "dom_id": f"{uid}-{question_id}",
                "choices": rendered,
                "header_parts": [choice for choice in rendered if choice.get("field", "body") != "body"],
                "body_parts": [choice for choice in rendered if choice.get("field", "body") == "body"],
                "status": status["status"] if status else "",
                "status_text": self._("{status}: {score} of 1 point.").format(
                    status=self._(STATUS_LABELS[status["status"]]), score=number_text(status["score"])
                ) if status else "",
                "number_text": self._("Question {number} of {count}").format(number=question["number"], count=len(state["questions"])),
                "kind_label": self._(KIND_LABELS[question["message"]["kind"]]) if "message" in question else "",
                "score": status["score"] if status else None,
                "review": question_review,
                "correct_order": self.correct_order_labels(question, question_review),
            })
            questions.append(entry)

        result = state["result"]
        if result:
            # Copies, so that the state a handler also returns as JSON keeps its documented keys.
            result = dict(result, profile=[
                dict(area, points_text=f"{number_text(area['earned'])} / {number_text(area['possible'])}")
                for area in result["profile"]
            ])
        context = {
            "t": self.template_texts(),
            "texts": self.texts(state),
            "uid": uid,
            "state": state,
            "questions": questions,
            "question_count": len(questions),
            "result": result,
            "chart": self.chart_data(result["profile"]) if result else None,
            "staff": self.staff_context() if self.is_staff() else None,
            "problems": [problem.format() for problem in self.load_quiz()[1]],
            "disabled": not state["can_submit"],
        }
        return context

    def template_texts(self) -> dict:
        return {key: self._(message) for key, message in TEMPLATE_TEXTS.items()}

    def texts(self, state: dict) -> dict:
        """Return the sentences of the view that have numbers in them, translated."""
        settings = state["settings"]
        if settings["max_attempts"]:
            meta = self._("Attempt {attempt} of {max_attempts}. You pass with {percent}% or more.").format(
                attempt=state["attempt"], max_attempts=settings["max_attempts"], percent=settings["passing_percentage"]
            )
        else:
            meta = self._("Attempt {attempt}. You pass with {percent}% or more.").format(
                attempt=state["attempt"], percent=settings["passing_percentage"]
            )
        texts = {"meta": meta, "score": "", "passing": "", "attempts": ""}
        result = state["result"]
        if result:
            texts["score"] = self._("You scored {earned} of {possible} points ({percent}%).").format(
                earned=number_text(result["earned"]), possible=number_text(result["possible"]), percent=result["percent"]
            )
            texts["passing"] = self._("The passing score is {percent}%.").format(percent=result["passing_percentage"])
        left = state["attempts_left"]
        if left is None:
            texts["attempts"] = self._("You can try again as many times as you like.")
        elif left == 0:
            texts["attempts"] = self._("You have used all your attempts.")
        else:
            texts["attempts"] = self.ngettext("You have {count} attempt left.", "You have {count} attempts left.", left).format(count=left)
        return texts

    @staticmethod
    def correct_order_labels(question: dict, question_review: dict | None) -> list[str]:
        if not question_review or question["type"] != ORDERING:
            return []
        by_id = {choice["id"]: choice for choice in question["choices"]}
        return [by_id[item]["html"] for item in question_review["correct"] if item in by_id]

    def staff_context(self) -> dict:
        quiz, _problems = self.load_quiz()
        rows = question_rows(self.stats, quiz) if quiz else []
        return {"rows": rows, "csv_url": self.runtime.handler_url(self, "stats_csv")}

    def render_body(self, state: dict | None = None) -> str:
        """Return the HTML inside the block's wrapper; handlers send it again after each change.

        ``state`` is ``state_data()`` when the caller has it already.
        """
        context = self.template_context(state)
        self.save()
        return render_template("quiz/templates/body.html", context, self.runtime.service(self, "i18n"))

    def student_view(self, context=None) -> Fragment:  # pylint: disable=unused-argument
        body = self.render_body()
        html = render_template(
            "quiz/templates/student.html",
            {"uid": self.dom_id(), "body": body, "display_name": self.display_name},
            self.runtime.service(self, "i18n"),
        )
        fragment = Fragment(html)
        fragment.add_css(load_compact("quiz/static/css/quiz.css"))
        catalog = self.js_catalog_path("quiz")
        if catalog:
            fragment.add_javascript(load_compact(catalog))
        fragment.add_javascript(load_compact("quiz/static/js/quiz.js"))
        fragment.initialize_js("CitizenshipQuizBlock")
        return fragment

    def author_view(self, context=None) -> Fragment:  # pylint: disable=unused-argument
        """Show authors the pool and every problem in it, without taking the quiz."""
        quiz, _unused = self.load_quiz()
        problems = [problem.format() for problem in self.check_content()]
        counts = {}
        if quiz:
            for question in quiz.questions:
                key = (self._(AREA_LABELS[question.area]), question.type)
                counts[key] = counts.get(key, 0) + 1
        html = render_template(
            "quiz/templates/author.html",
            {
                "t": self.template_texts(),
                "display_name": self.display_name,
                "problems": problems,
                "question_count": len(quiz.questions) if quiz else 0,
                "draw": quiz.draw if quiz else 0,
                "counts": [{"area": area, "type": qtype, "count": count} for (area, qtype), count in sorted(counts.items())],
            },
            self.runtime.service(self, "i18n"),
        )
        fragment = Fragment(html)
        fragment.add_css(load_compact("quiz/static/css/quiz.css"))
        return fragment

