"""The question pool of a ``citizenship_quiz``: its OLX format, model and validation.

The pool is the block's OLX. ``check_quiz`` lists every problem in it at once
(the OLX validator and Studio show them all); ``parse_quiz`` returns a
``Quiz`` or raises ``QuizError`` with that same list. This module imports
nothing from the XBlock runtime.

OLX summary (docs/en/citizenship-quiz.md has the full reference)::

    <citizenship_quiz display_name="..." draw="5" shuffle_options="true"
                      weight="1" max_attempts="2" passing_percentage="70"
                      show_answers="after_submission" allow_reset="true">
      <intro>HTML</intro>
      <recommendation area="safety" unit="url_name_of_a_unit">Link text</recommendation>
      <question id="q1" type="single_choice" area="safety" difficulty="easy">
        <prompt>HTML</prompt>
        <option id="a" correct="true">HTML<feedback>HTML</feedback></option>
        <option id="b">HTML</option>
        <explanation source="Law 91/2025/QH15, Article 9">HTML</explanation>
      </question>
    </citizenship_quiz>
"""

from __future__ import annotations

import re
from html import escape
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from digital_skills_xblocks.common.problems import Problem

ROOT_TAG = "citizenship_quiz"

# The five competence areas of DigComp 2.2 (EU Joint Research Centre, 2022).
AREAS = ("information", "communication", "content_creation", "safety", "problem_solving")
AREA_LABELS = {
    "information": "Information and data literacy",
    "communication": "Communication and collaboration",
    "content_creation": "Digital content creation",
    "safety": "Safety",
    "problem_solving": "Problem solving",
}
DIFFICULTIES = ("easy", "medium", "hard")

SINGLE_CHOICE = "single_choice"
MULTIPLE_RESPONSE = "multiple_response"
TRUE_FALSE = "true_false"
ORDERING = "ordering"
RED_FLAGS = "red_flags"
QUESTION_TYPES = (SINGLE_CHOICE, MULTIPLE_RESPONSE, TRUE_FALSE, ORDERING, RED_FLAGS)

MESSAGE_KINDS = ("sms", "chat", "email", "web")
# Places a part of a red-flags message can sit: a header field or the body.
PART_FIELDS = ("sender", "subject", "address", "body")

SHOW_ANSWERS = ("never", "after_submission", "after_last_attempt", "after_passing")

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
UNIT_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")
MAX_QUESTIONS = 500
MAX_OPTIONS = 12

# Root attributes: the quiz content plus the block's settings fields.
ROOT_ATTRIBUTES = {
    "display_name", "draw", "shuffle_options", "weight", "max_attempts",
    "passing_percentage", "show_answers", "allow_reset", "url_name", "xblock-family",
}
# ``answer`` is used by true_false questions only.
QUESTION_ATTRIBUTES = {"id", "type", "area", "difficulty", "shuffle", "answer"}

Translate = Callable[[str], str]


def identity(message: str) -> str:
    return message


class QuizError(ValueError):
    """Raised by ``parse_quiz`` when the OLX has errors; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.format() for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    """An option of a choice question, an item to order or a part of a red-flags message.

    ``correct`` means: the right option (choice questions), a suspicious part
    (red flags). Ordering items are correct by their position in the pool.
    """

    id: str
    html: str
    correct: bool = False
    feedback: str = ""
    field: str = "body"


@dataclass(frozen=True)
class Message:
    """The realistic message a red-flags question shows: an SMS, chat, e-mail or web page."""

    kind: str
    title: str = ""
    time: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    area: str
    difficulty: str
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str = ""
    source: str = ""
    shuffle: bool = True
    message: Message | None = None
    line: int | None = None

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None

    @property
    def choice_ids(self) -> list[str]:
        return [choice.id for choice in self.choices]

    @property
    def correct_ids(self) -> list[str]:
        """Ids of the right options or suspicious parts; for ordering, the ids in the right order."""
        if self.type == ORDERING:
            return self.choice_ids
        return [choice.id for choice in self.choices if choice.correct]


@dataclass(frozen=True)
class Recommendation:
    """A link to a course unit (``unit``: its url_name) or to a web page (``href``) for one area."""

    area: str
    text: str
    unit: str = ""
    href: str = ""


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]
    draw: int
    shuffle_options: bool = True
    intro: str = ""
    recommendations: tuple[Recommendation, ...] = field(default_factory=tuple)

    def question(self, question_id: str) -> Question | None:
        for question in self.questions:
            if question.id == question_id:
                return question
        return None


def inner_html(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    """Return the markup inside ``element`` (text and children), leaving out child tags in ``skip``.

    Text is escaped again, so ``&lt;b&gt;`` in the OLX stays text and never becomes a tag.
    """
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        if not isinstance(child.tag, str) or child.tag in skip:
            # Comments, processing instructions and skipped children are not content; their tail is.
            parts.append(escape(child.tail or "", quote=False))
            continue
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def _has_text(html: str) -> bool:
    return bool(re.sub(r"<[^>]*>", "", html).strip()) or "<img" in html


def _parse_bool(value: str | None, default: bool) -> bool | None:
    """Return the boolean of an OLX attribute, ``default`` when absent, None when invalid."""
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    return None


class _Checker:
    """Walk one quiz element, collecting problems and the parsed model together."""

    def __init__(self, translate: Translate):
        self._ = translate
        self.problems: list[Problem] = []

    def add(self, message: str, fix: str, location: str, element: etree._Element | None, **values) -> None:
        self.problems.append(
            Problem(
                message=self._(message).format(**values),
                fix=self._(fix).format(**values) if fix else "",
                location=location,
                line=getattr(element, "sourceline", None),
            )
        )

    # The quiz element and its settings.

    def check_root(self, root: etree._Element) -> Quiz | None:
        if root.tag != ROOT_TAG:
            self.add(
                "The root element is <{tag}>, not <citizenship_quiz>.",
                "Put the questions inside <citizenship_quiz>.",
                "", root, tag=root.tag,
            )
            return None

        for name in sorted(set(root.attrib) - ROOT_ATTRIBUTES):
            self.add(
                "Unknown attribute {name} on <citizenship_quiz>.",
                "Remove it or correct its spelling.",
                ROOT_TAG, root, name=name,
            )
        self.check_settings(root)
        shuffle = self.check_bool(root, "shuffle_options", True, ROOT_TAG)

        intro = ""
        recommendations = []
        questions = []
        seen_ids: set[str] = set()
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "intro":
                intro = inner_html(child)
            elif child.tag == "recommendation":
                recommendation = self.check_recommendation(child)
                if recommendation:
                    recommendations.append(recommendation)
            elif child.tag == "question":
                question = self.check_question(child, seen_ids)
                if question:
                    questions.append(question)
            else:
                self.add(
                    "Unknown element <{tag}> in the quiz.",
                    "Use <intro>, <recommendation> or <question>.",
                    ROOT_TAG, child, tag=child.tag,
                )

        question_count = len(root.findall("question"))
        if question_count == 0:
            self.add("The quiz has no questions.", "Add at least one <question>.", ROOT_TAG, root)
        if question_count > MAX_QUESTIONS:
            self.add(
                "The quiz has {count} questions; the limit is {limit}.",
                "Split the pool into several quizzes.",
                ROOT_TAG, root, count=question_count, limit=MAX_QUESTIONS,
            )
        draw = self.check_draw(root, question_count)

        if self.problems:
            return None
        return Quiz(
            questions=tuple(questions),
            draw=draw,
            shuffle_options=bool(shuffle),
            intro=intro,
            recommendations=tuple(recommendations),
        )

    def check_draw(self, root: etree._Element, question_count: int) -> int:
        raw = root.get("draw")
        if raw is None:
            return question_count
        try:
            draw = int(raw)
        except ValueError:
            draw = -1
        if draw < 1:
            self.add(
                "draw=\"{value}\" is not a whole number of at least 1.",
                "Set draw to how many questions each attempt shows.",
                ROOT_TAG, root, value=raw,
            )
            return question_count
        if question_count and draw > question_count:
            self.add(
                "draw=\"{value}\" is more than the {count} questions in the pool.",
                "Lower draw or add questions.",
                ROOT_TAG, root, value=raw, count=question_count,
            )
        return draw

    def check_settings(self, root: etree._Element) -> None:
        """Check the block settings that Studio writes as root attributes."""
        checks = (
            ("weight", float, 0, None),
            ("max_attempts", int, 0, None),
            ("passing_percentage", int, 0, 100),
        )
        for name, kind, minimum, maximum in checks:
            raw = root.get(name)
            if raw is None:
                continue
            try:
                value = kind(raw)
            except ValueError:
                value = None
            if value is None or value < minimum or (maximum is not None and value > maximum):
                limit = f"{minimum}–{maximum}" if maximum is not None else f">= {minimum}"
                self.add(
                    "{name}=\"{value}\" is not a valid number ({limit}).",
                    "Correct the value.",
                    ROOT_TAG, root, name=name, value=raw, limit=limit,
                )

        show = root.get("show_answers")
        if show is not None and show not in SHOW_ANSWERS:
            self.add(
                "show_answers=\"{value}\" is not valid.",
                "Use one of: {allowed}.",
                ROOT_TAG, root, value=show, allowed=", ".join(SHOW_ANSWERS),
            )
        self.check_bool(root, "allow_reset", True, ROOT_TAG)

    def check_bool(self, element: etree._Element, name: str, default: bool, location: str) -> bool:
        value = _parse_bool(element.get(name), default)
        if value is None:
            self.add(
                "{name}=\"{value}\" is not true or false.",
                "Write true or false.",
                location, element, name=name, value=element.get(name),
            )
            return default
        return value

    def check_recommendation(self, element: etree._Element) -> Recommendation | None:
        location = "recommendation"
        area = element.get("area", "")
        unit = element.get("unit", "").strip()
        href = element.get("href", "").strip()
        text = "".join(element.itertext()).strip()
        ok = True

        if area not in AREAS:
            self.add(
                "Recommendation area \"{area}\" is not a competence area.",
                "Use one of: {allowed}.",
                location, element, area=area, allowed=", ".join(AREAS),
            )
            ok = False
        if bool(unit) == bool(href):
            self.add(
                "A recommendation needs exactly one of unit or href.",
                "Give the url_name of a course unit in unit, or a web address in href.",
                location, element,
            )
            ok = False
        if unit and not UNIT_PATTERN.match(unit):
            self.add(
                "unit=\"{value}\" is not a valid url_name.",
                "Use the url_name of the unit (letters, digits, _ - . :).",
                location, element, value=unit,
            )
            ok = False
        if href and not (href.startswith("https://") or href.startswith("http://") or href.startswith("/")):
            self.add(
                "href=\"{value}\" must start with https://, http:// or /.",
                "Write a full web address or a path on this site.",
                location, element, value=href,
            )
            ok = False
        if not text:
            self.add("The recommendation has no link text.", "Write the text of the link.", location, element)
            ok = False
        if not ok:
            return None
        return Recommendation(area=area, text=text, unit=unit, href=href)

    # Questions.

    def check_question(self, element: etree._Element, seen_ids: set[str]) -> Question | None:
        qid = element.get("id", "")
        location = f"question[id={qid}]" if qid else "question"
        start = len(self.problems)

        if not qid:
            self.add("The question has no id.", "Add id=\"...\" unique in this quiz.", location, element)
        elif not ID_PATTERN.match(qid):
            self.add(
                "Question id \"{id}\" is not valid.",
                "Use 1–64 letters, digits, _ or -.",
                location, element, id=qid,
            )
        elif qid in seen_ids:
            self.add("Question id \"{id}\" is used twice.", "Give every question its own id.", location, element, id=qid)
        seen_ids.add(qid)

        for name in sorted(set(element.attrib) - QUESTION_ATTRIBUTES):
            self.add(
                "Unknown attribute {name} on <question>.",
                "Remove it or correct its spelling.",
                location, element, name=name,
            )

        qtype = element.get("type", "")
        if qtype not in QUESTION_TYPES:
            self.add(
                "Question type \"{type}\" is not valid.",
                "Use one of: {allowed}.",
                location, element, type=qtype, allowed=", ".join(QUESTION_TYPES),
            )
        area = element.get("area", "")
        if area not in AREAS:
            self.add(
                "Competence area \"{area}\" is not valid.",
                "Use one of: {allowed}.",
                location, element, area=area, allowed=", ".join(AREAS),
            )
        difficulty = element.get("difficulty", "")
        if difficulty not in DIFFICULTIES:
            self.add(
                "Difficulty \"{difficulty}\" is not valid.",
                "Use one of: {allowed}.",
                location, element, difficulty=difficulty, allowed=", ".join(DIFFICULTIES),
            )
        shuffle = self.check_bool(element, "shuffle", True, location)

        prompts = element.findall("prompt")
        prompt = inner_html(prompts[0]) if prompts else ""
        if len(prompts) != 1 or not _has_text(prompt):
            self.add("The question needs one <prompt> with text.", "Write the question in <prompt>.", location, element)

        explanation = ""
        source = ""
        explanations = element.findall("explanation")
        if len(explanations) > 1:
            self.add("The question has more than one <explanation>.", "Keep one.", location, explanations[1])
        if explanations:
            explanation = inner_html(explanations[0])
            source = explanations[0].get("source", "").strip()

        allowed_children = {"prompt", "explanation"} | {
            SINGLE_CHOICE: {"option"},
            MULTIPLE_RESPONSE: {"option"},
            TRUE_FALSE: {"feedback"},
            ORDERING: {"item"},
            RED_FLAGS: {"message"},
        }.get(qtype, set())
        # With an unknown type every child would look wrong; the type error is enough.
        for child in element if qtype in QUESTION_TYPES else ():
            if isinstance(child.tag, str) and child.tag not in allowed_children:
                self.add(
                    "Unknown element <{tag}> in a {type} question.",
                    "Use: {allowed}.",
                    location, child, tag=child.tag, type=qtype or "?", allowed=", ".join(sorted(allowed_children)),
                )

        message = None
        choices: list[Choice] = []
        if qtype in (SINGLE_CHOICE, MULTIPLE_RESPONSE):
            choices = self.check_options(element, qtype, location)
        elif qtype == TRUE_FALSE:
            choices = self.check_true_false(element, location)
        elif qtype == ORDERING:
            choices = self.check_items(element, location)
        elif qtype == RED_FLAGS:
            message, choices = self.check_message(element, location)

        if len(self.problems) > start:
            return None
        return Question(
            id=qid,
            type=qtype,
            area=area,
            difficulty=difficulty,
            prompt=prompt,
            choices=tuple(choices),
            explanation=explanation,
            source=source,
            shuffle=shuffle,
            message=message,
            line=element.sourceline,
        )

    def check_children_ids(self, children: list[etree._Element], location: str, tag: str) -> None:
        seen: set[str] = set()
        for child in children:
            cid = child.get("id", "")
            if not ID_PATTERN.match(cid):
                self.add(
                    "<{tag}> id \"{id}\" is missing or not valid.",
                    "Use 1–64 letters, digits, _ or -.",
                    location, child, tag=tag, id=cid,
                )
            elif cid in seen:
                self.add("<{tag}> id \"{id}\" is used twice.", "Give each one its own id.", location, child, tag=tag, id=cid)
            seen.add(cid)

    def feedback_of(self, element: etree._Element) -> str:
        feedback = element.find("feedback")
        return inner_html(feedback) if feedback is not None else ""

    def check_options(self, element: etree._Element, qtype: str, location: str) -> list[Choice]:
        options = element.findall("option")
        self.check_children_ids(options, location, "option")
        if len(options) < 2 or len(options) > MAX_OPTIONS:
            self.add(
                "The question has {count} options; it needs 2 to {limit}.",
                "Add or remove <option> elements.",
                location, element, count=len(options), limit=MAX_OPTIONS,
            )

        choices = []
        for option in options:
            where = f"{location}/option[id={option.get('id', '')}]"
            correct = self.check_bool(option, "correct", False, where)
            html = inner_html(option, skip=("feedback",))
            if not _has_text(html):
                self.add("The option has no text.", "Write the option's text.", where, option)
            choices.append(Choice(id=option.get("id", ""), html=html, correct=correct, feedback=self.feedback_of(option)))

        correct_count = sum(1 for choice in choices if choice.correct)
        if qtype == SINGLE_CHOICE and correct_count != 1 and options:
            self.add(
                "A single_choice question has {count} correct options; it needs exactly one.",
                "Mark one option correct=\"true\", or use type=\"multiple_response\".",
                location, element, count=correct_count,
            )
        if qtype == MULTIPLE_RESPONSE and correct_count == 0 and options:
            self.add(
                "A multiple_response question has no correct option.",
                "Mark at least one option correct=\"true\".",
                location, element,
            )
        return choices

    def check_true_false(self, element: etree._Element, location: str) -> list[Choice]:
        answer = element.get("answer", "")
        feedback = {"true": "", "false": ""}
        for child in element.findall("feedback"):
            which = child.get("for", "")
            if which not in feedback:
                self.add(
                    "<feedback for=\"{value}\"> must be for=\"true\" or for=\"false\".",
                    "Correct the for attribute.",
                    location, child, value=which,
                )
                continue
            feedback[which] = inner_html(child)
        if answer not in ("true", "false"):
            self.add(
                "A true_false question needs answer=\"true\" or answer=\"false\".",
                "Add the answer attribute to <question>.",
                location, element,
            )
        return [
            Choice(id="true", html="", correct=answer == "true", feedback=feedback["true"]),
            Choice(id="false", html="", correct=answer == "false", feedback=feedback["false"]),
        ]

    def check_items(self, element: etree._Element, location: str) -> list[Choice]:
        items = element.findall("item")
        self.check_children_ids(items, location, "item")
        if len(items) < 2 or len(items) > MAX_OPTIONS:
            self.add(
                "The ordering question has {count} items; it needs 2 to {limit}.",
                "Add or remove <item> elements.",
                location, element, count=len(items), limit=MAX_OPTIONS,
            )
        choices = []
        for item in items:
            html = inner_html(item, skip=("feedback",))
            if not _has_text(html):
                self.add("The item has no text.", "Write the item's text.", f"{location}/item[id={item.get('id', '')}]", item)
            choices.append(Choice(id=item.get("id", ""), html=html, feedback=self.feedback_of(item)))
        return choices

    def check_message(self, element: etree._Element, location: str) -> tuple[Message | None, list[Choice]]:
        messages = element.findall("message")
        if len(messages) != 1:
            self.add(
                "A red_flags question needs exactly one <message>; it has {count}.",
                "Put the SMS, chat, e-mail or web page in one <message>.",
                location, element, count=len(messages),
            )
            return None, []

        node = messages[0]
        kind = node.get("kind", "")
        if kind not in MESSAGE_KINDS:
            self.add(
                "Message kind \"{kind}\" is not valid.",
                "Use one of: {allowed}.",
                location, node, kind=kind, allowed=", ".join(MESSAGE_KINDS),
            )
        for child in node:
            if isinstance(child.tag, str) and child.tag != "part":
                self.add("Unknown element <{tag}> in <message>.", "Use <part>.", location, child, tag=child.tag)

        parts = node.findall("part")
        self.check_children_ids(parts, location, "part")
        if len(parts) < 2 or len(parts) > 20:
            self.add(
                "The message has {count} parts; it needs 2 to 20.",
                "Split the message into <part> elements the learner can mark.",
                location, node, count=len(parts),
            )
        choices = []
        for part in parts:
            where = f"{location}/part[id={part.get('id', '')}]"
            suspicious = self.check_bool(part, "suspicious", False, where)
            part_field = part.get("field", "body")
            if part_field not in PART_FIELDS:
                self.add(
                    "Part field \"{value}\" is not valid.",
                    "Use one of: {allowed}.",
                    where, part, value=part_field, allowed=", ".join(PART_FIELDS),
                )
            html = inner_html(part, skip=("feedback",))
            if not _has_text(html):
                self.add("The part has no text.", "Write the text of this part of the message.", where, part)
            choices.append(
                Choice(id=part.get("id", ""), html=html, correct=suspicious, feedback=self.feedback_of(part), field=part_field)
            )
        if parts and not any(choice.correct for choice in choices):
            self.add(
                "No part of the message is marked suspicious=\"true\".",
                "Mark at least one part as suspicious.",
                location, node,
            )
        message = Message(kind=kind, title=node.get("title", "").strip(), time=node.get("time", "").strip())
        return message, choices


def check_quiz(element: etree._Element, translate: Translate = identity) -> list[Problem]:
    """Return every problem in the quiz OLX ``element``; an empty list means it can be used."""
    checker = _Checker(translate)
    checker.check_root(element)
    return checker.problems


def parse_quiz(element: etree._Element, translate: Translate = identity) -> Quiz:
    """Return the ``Quiz`` in ``element``, or raise ``QuizError`` listing all its problems."""
    checker = _Checker(translate)
    quiz = checker.check_root(element)
    if quiz is None:
        raise QuizError(checker.problems)
    return quiz
