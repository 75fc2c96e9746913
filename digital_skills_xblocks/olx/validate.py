"""Check a course export: structure, references, policies and our blocks' content."""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import unicodedata
from urllib.parse import unquote

from digital_skills_xblocks.common.problems import Problem

from .reader import OUR_BLOCK_TAGS, CourseExport, OlxNode, Translate, html_body, identity, read_course, static_references

log = logging.getLogger(__name__)

URL_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

# Content checkers of the blocks this package ships: tag -> (module, function).
# Each is called as ``function(element, translate)`` and returns Problems.
CHECKERS: dict[str, tuple[str, str]] = {
    "egov_simulation": ("digital_skills_xblocks.egov.scenario", "check_scenario"),
    "citizenship_quiz": ("digital_skills_xblocks.quiz.bank", "check_quiz"),
}

# Folders of an export that hold block definitions, checked for orphan files.
SKIPPED_FOLDERS = frozenset({"policies", "about", "info", "static", "tabs", "assets", "drafts", "course"})


def load_checker(tag: str):
    """Return the content checker for ``tag``; raise ImportError or AttributeError when it is missing."""
    module_name, function_name = CHECKERS[tag]
    module = importlib.import_module(module_name)
    return getattr(module, function_name)


class CourseValidator:
    """Collect the problems of one course export; use :func:`validate_course`."""

    def __init__(self, export: CourseExport, translate: Translate = identity):
        self.export = export
        self._ = translate
        self.problems: list[Problem] = list(export.problems)

    def add(self, message: str, fix: str = "", file: str = "", line: int | None = None,
            location: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(message, fix, location, line, file, severity))

    def run(self) -> list[Problem]:
        if self.export.course is None:
            return self.problems
        self.check_url_names()
        self.check_policy()
        self.check_grading_policy()
        self.check_assignment_types()
        self.check_advanced_modules()
        self.check_our_blocks()
        self.check_recommendations()
        self.check_static_references()
        self.check_orphans()
        return self.problems

    # References ---------------------------------------------------------

    def check_url_names(self) -> None:
        _ = self._
        for (tag, url_name), nodes in sorted(self.export.pointer_targets.items()):
            first = nodes[0]
            file = first.pointer_file or first.file
            line = first.pointer_line or first.line
            location = f"{tag}[url_name={url_name}]"
            if not URL_NAME.match(url_name):
                self.add(_("The url_name \"{url_name}\" contains characters other than letters, digits, "
                           "'_', '.' and '-'").format(url_name=url_name),
                         _("Rename it with only A-Z, a-z, 0-9, '_', '.' and '-', and rename its file too"),
                         file, line, location)
            if len(nodes) > 1:
                again = nodes[1]
                self.add(_("The {tag} url_name \"{url_name}\" is used {count} times").format(
                             tag=tag, url_name=url_name, count=len(nodes)),
                         _("Give each {tag} its own url_name").format(tag=tag),
                         again.pointer_file or again.file, again.pointer_line or again.line, location)

    def check_orphans(self) -> None:
        _ = self._
        unreadable = sorted(self.export.unreadable_files)
        if unreadable:
            # A file that could not be parsed may point to any other file, so "unused" would be a guess.
            self.add(_("Unused files were not looked for, because {path} could not be read and may point to them")
                     .format(path=", ".join(unreadable)),
                     _("Fix the files that could not be read, then validate again"), severity="warning")
            return
        root = self.export.root
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if folder in SKIPPED_FOLDERS or folder.startswith(".") or not os.path.isdir(path):
                continue
            for name in sorted(os.listdir(path)):
                relative = f"{folder}/{name}"
                if name.startswith(".") or not (name.endswith(".xml") or name.endswith(".html")):
                    continue
                if relative not in self.export.read_files:
                    self.add(_("No block of the course uses this file"),
                             _("Delete the file or add a pointer to it"), relative, severity="warning")

    # Policies -----------------------------------------------------------

    def check_policy(self) -> None:
        _ = self._
        policy = self.export.policy
        url_name = self.export.url_name
        path = f"policies/{url_name}/policy.json"
        if policy is None:
            return
        key = f"course/{url_name}"
        if not isinstance(policy, dict):
            self.add(_("The policy must be a JSON object"), _("Write {{\"{key}\": {{...}}}}").format(key=key), path, 1)
            return
        if not isinstance(policy.get(key), dict):
            self.add(_("The policy has no \"{key}\" object").format(key=key),
                     _("Put the course settings under the key \"{key}\"").format(key=key), path, 1)
            return
        modules = policy[key].get("advanced_modules", [])
        if not isinstance(modules, list) or not all(isinstance(item, str) for item in modules):
            self.add(_("advanced_modules must be a list of block type names"),
                     _("Write advanced_modules as a JSON list of strings"), path, find_line(self.export, path,
                                                                                       "advanced_modules"))

    def check_grading_policy(self) -> None:
        _ = self._
        grading = self.export.grading_policy
        path = f"policies/{self.export.url_name}/grading_policy.json"
        if grading is None:
            return
        if not isinstance(grading, dict):
            self.add(_("The grading policy must be a JSON object"),
                     _("Write an object with GRADER and GRADE_CUTOFFS"), path, 1)
            return
        graders = grading.get("GRADER")
        if not isinstance(graders, list):
            self.add(_("GRADER is missing or not a list"), _("Write GRADER as a list of assignment types"),
                     path, find_line(self.export, path, "GRADER"))
        else:
            total = 0.0
            for index, grader in enumerate(graders):
                location = f"GRADER[{index}]"
                line = find_line(self.export, path, "GRADER")
                if not isinstance(grader, dict):
                    self.add(_("Each GRADER entry must be an object"),
                             _("Write {\"type\": ..., \"min_count\": ..., \"drop_count\": ..., \"weight\": ...}"),
                             path, line, location)
                    continue
                if not isinstance(grader.get("type"), str) or not grader.get("type"):
                    self.add(_("The assignment type has no \"type\" name"), _("Add \"type\": \"...\""),
                             path, line, location)
                for name in ("min_count", "drop_count"):
                    value = grader.get(name)
                    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                        self.add(_("{name} must be a whole number of 0 or more").format(name=name),
                                 _("Set {name} to a number such as 1").format(name=name), path, line, location)
                weight = grader.get("weight")
                if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 <= weight <= 1:
                    self.add(_("weight must be a number from 0 to 1"), _("Set weight to a fraction such as 0.5"),
                             path, line, location)
                else:
                    total += weight
            if graders and abs(total - 1.0) > 0.001:
                self.add(_("The GRADER weights add up to {total}, not 1").format(total=round(total, 3)),
                         _("Change the weights so that they add up to 1"),
                         path, find_line(self.export, path, "GRADER"), severity="warning")
        cutoffs = grading.get("GRADE_CUTOFFS")
        line = find_line(self.export, path, "GRADE_CUTOFFS")
        if not isinstance(cutoffs, dict) or not cutoffs:
            self.add(_("GRADE_CUTOFFS is missing or empty"), _("Write GRADE_CUTOFFS such as {\"Pass\": 0.5}"),
                     path, line)
            return
        for grade, cutoff in cutoffs.items():
            if not isinstance(cutoff, (int, float)) or isinstance(cutoff, bool) or not 0 < cutoff <= 1:
                self.add(_("The cutoff of grade \"{grade}\" must be a number above 0 and at most 1").format(
                             grade=grade),
                         _("Set it to a fraction such as 0.5"), path, line, f"GRADE_CUTOFFS.{grade}")

    def check_assignment_types(self) -> None:
        """Report graded subsections whose format names no GRADER type: Open edX gives them no weight."""
        _ = self._
        types = grader_types(self.export.grading_policy)
        if types is None:
            return
        grading_path = f"policies/{self.export.url_name}/grading_policy.json"
        settings = self.export.policy if isinstance(self.export.policy, dict) else {}
        listed = ", ".join(f'"{name}"' for name in types) or _("(none)")
        for node in self.export.nodes():
            if node.tag != "sequential" or node.element is None:
                continue
            graded, assignment_type, file, line = sequential_grading(self.export, node, settings)
            if not graded:
                continue
            location = f"sequential[url_name={node.url_name}]" if node.url_name else "sequential"
            if not assignment_type:
                self.add(_("The subsection is graded but has no format, so it counts for nothing in the grade"),
                         _("Set format to one of the assignment types in {path}: {types}").format(
                             path=grading_path, types=listed),
                         file, line, location)
                continue
            if assignment_type in types:
                continue
            fix = _("Set format to one of the assignment types in {path}: {types}. "
                    "Or add a GRADER entry with \"type\": \"{format}\"").format(
                        path=grading_path, types=listed, format=assignment_type)
            normalized = unicodedata.normalize("NFC", assignment_type)
            if any(unicodedata.normalize("NFC", name) == normalized for name in types):
                fix = _("The format looks the same as an assignment type but its Vietnamese letters are "
                        "encoded differently (Unicode NFC and NFD). Retype format in {file} and the type in "
                        "{path}, or save both files as NFC").format(file=file, path=grading_path)
            self.add(_("The format \"{format}\" of this graded subsection matches no assignment type of the "
                       "grading policy, so it counts for nothing in the grade").format(format=assignment_type),
                     fix, file, line, location)

    def check_advanced_modules(self) -> None:
        _ = self._
        listed = set(advanced_modules(self.export))
        used: dict[str, OlxNode] = {}
        for node in self.export.nodes():
            if node.tag in OUR_BLOCK_TAGS and node.tag not in used:
                used[node.tag] = node
        path = f"policies/{self.export.url_name}/policy.json"
        for tag, node in sorted(used.items()):
            if tag not in listed:
                self.add(_("The course uses {tag} but advanced_modules does not list it").format(tag=tag),
                         _("Add \"{tag}\" to advanced_modules in {path}").format(tag=tag, path=path),
                         path, find_line(self.export, path, "advanced_modules"))

    # Content of our blocks ----------------------------------------------

    def check_our_blocks(self) -> None:
        _ = self._
        missing_reported: set[str] = set()
        for node in self.export.nodes():
            if node.tag not in CHECKERS or node.element is None:
                continue
            try:
                checker = load_checker(node.tag)
            except (ImportError, AttributeError) as error:
                if node.tag not in missing_reported:
                    missing_reported.add(node.tag)
                    module_name, function_name = CHECKERS[node.tag]
                    self.add(_("The content of {tag} blocks cannot be checked: {name} is not available ({error})")
                             .format(tag=node.tag, name=f"{module_name}.{function_name}", error=error),
                             _("Install digital-skills-xblocks with its {tag} block").format(tag=node.tag),
                             node.file, node.line, node.tag)
                continue
            location = f"{node.tag}[url_name={node.url_name}]" if node.url_name else node.tag
            try:
                found = checker(node.element, self._) or []
            except Exception as error:  # pylint: disable=broad-except
                # A checker bug must not hide the rest of the report.
                log.exception("The %s checker failed on %s", node.tag, node.file)
                self.add(_("The {tag} checker failed: {error}").format(tag=node.tag, error=error),
                         _("Report this as a bug of digital-skills-xblocks"), node.file, node.line, location)
                continue
            for problem in found:
                self.problems.append(located(problem, node, location))

    def check_recommendations(self) -> None:
        """Report quiz recommendations that link to no unit of this course, and repeated recommendations."""
        _ = self._
        units = {node.url_name for node in self.export.nodes() if node.tag == "vertical" and node.url_name}
        blocks = {node.url_name: node for node in self.export.nodes() if node.url_name}
        for node in self.export.nodes():
            if node.tag != "citizenship_quiz" or node.element is None:
                continue
            quiz_location = f"{node.tag}[url_name={node.url_name}]" if node.url_name else node.tag
            seen: dict[tuple[str, str, str], int | None] = {}
            for element in node.element.iterchildren("recommendation"):
                area = element.get("area", "")
                unit = element.get("unit", "").strip()
                href = element.get("href", "").strip()
                line = element.sourceline
                location = f"{quiz_location}/recommendation"
                if unit and unit not in units:
                    if unit in blocks:
                        # The LMS's jump_to_id still finds the block's unit, so the link works.
                        container = containing_unit(blocks[unit])
                        if container is not None and container.url_name:
                            fix = _("Write unit=\"{vertical}\", the unit that contains it").format(
                                vertical=container.url_name)
                        else:
                            fix = _("Give the url_name of the unit (vertical) that contains it")
                        self.add(_("The recommendation links to unit=\"{unit}\", a block of type {tag}, "
                                   "not a unit").format(unit=unit, tag=blocks[unit].tag),
                                 fix, node.file, line, location, severity="warning")
                    else:
                        self.add(_("The recommendation links to unit=\"{unit}\", but the course has no unit "
                                   "with this url_name").format(unit=unit),
                                 _("Give the url_name of a unit (a vertical) of this course, or link a web page "
                                   "with href"),
                                 node.file, line, location)
                if not (unit or href):
                    continue
                key = (area, "unit" if unit else "href", unit or href)
                if key in seen:
                    self.add(_("This recommendation repeats the one on line {line}: same area \"{area}\" "
                               "and same link").format(line=seen[key], area=area),
                             _("Delete one of the two recommendations"), node.file, line, location,
                             severity="warning")
                else:
                    seen[key] = line

    def check_static_references(self) -> None:
        _ = self._
        for node in self.export.nodes():
            if node.tag != "html":
                continue
            html = html_body(self.export, node)
            for reference in dict.fromkeys(static_references(html)):
                relative = "static/" + unquote(reference)
                if ".." in relative.split("/") or not os.path.isfile(self.export.path(relative)):
                    self.add(_("The link /static/{name} points to a file that is not in static/").format(
                                 name=reference),
                             _("Add the file to static/ or fix the link"),
                             node.html_file or node.file, None if node.html_file else node.line,
                             f"html[url_name={node.url_name}]", severity="warning")


def located(problem: Problem, node: OlxNode, location: str) -> Problem:
    """Return ``problem`` with the node's file, and its location prefixed, when the checker left them out."""
    if not isinstance(problem, Problem):
        return Problem(str(problem), "", location, node.line, node.file)
    return Problem(
        problem.message,
        problem.fix,
        f"{location}/{problem.location}" if problem.location else location,
        problem.line or node.line,
        problem.file or node.file,
        problem.severity,
    )


def containing_unit(node: OlxNode) -> OlxNode | None:
    """Return the vertical that contains ``node``, or None when it is not inside one."""
    parent = node.parent
    while parent is not None and parent.tag != "vertical":
        parent = parent.parent
    return parent


def grader_types(grading: object) -> list[str] | None:
    """Return the assignment type names of GRADER in file order, or None when GRADER is not a list."""
    if not isinstance(grading, dict) or not isinstance(grading.get("GRADER"), list):
        return None
    return [grader["type"] for grader in grading["GRADER"]
            if isinstance(grader, dict) and isinstance(grader.get("type"), str) and grader["type"]]


def is_true(value: object) -> bool:
    """Return True for the OLX attribute "true" (any case) and the JSON value true."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"


def sequential_grading(export: CourseExport, node: OlxNode, settings: dict) -> tuple[bool, str, str, int | None]:
    """Return (graded, format, file, line) of a subsection.

    Studio's import applies policy.json's ``"sequential/<url_name>"`` settings
    over the XML attributes, so a value found there wins and its line is given.
    """
    graded = is_true(node.element.get("graded"))
    assignment_type = node.element.get("format", "")
    file, line = node.file, node.line
    entry = settings.get(f"sequential/{node.url_name}") if node.url_name else None
    if isinstance(entry, dict) and ("graded" in entry or "format" in entry):
        graded = is_true(entry["graded"]) if "graded" in entry else graded
        if "format" in entry:
            assignment_type = entry["format"] if isinstance(entry["format"], str) else ""
        file = f"policies/{export.url_name}/policy.json"
        line = find_line(export, file, f"sequential/{node.url_name}")
    return graded, assignment_type, file, line


def advanced_modules(export: CourseExport) -> list[str]:
    """Return the block types listed in advanced_modules of policy.json and of the <course> element."""
    found = []
    modules = export.course_settings().get("advanced_modules")
    if isinstance(modules, list):
        found.extend(item for item in modules if isinstance(item, str))
    if export.course is not None and export.course.element is not None:
        attribute = export.course.element.get("advanced_modules")
        if attribute:
            try:
                parsed = json.loads(attribute)
            except ValueError:
                parsed = []
            if isinstance(parsed, list):
                found.extend(item for item in parsed if isinstance(item, str))
    return found


def find_line(export: CourseExport, relative: str, key: str) -> int | None:
    """Return the first line of a JSON file that contains ``"key"``, for messages."""
    try:
        with open(export.path(relative), encoding="utf-8", errors="replace") as json_file:
            for number, text in enumerate(json_file, start=1):
                if f'"{key}"' in text:
                    return number
    except OSError:
        return None
    return None


def validate_course(root: str, translate: Translate = identity) -> list[Problem]:
    """Return every problem of the course export in ``root``, errors and warnings, in a stable order."""
    export = read_course(root, translate)
    return CourseValidator(export, translate).run()


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)
