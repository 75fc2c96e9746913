"""Read an OLX course export directory into a tree of nodes.

The layout is the one Studio exports: ``course.xml`` points to
``course/<url_name>.xml``, whose children are chapters, sequentials and
verticals, either inline or as pointers (``<vertical url_name="x"/>`` means
``vertical/x.xml``). An ``html`` block with ``filename="x"`` keeps its body in
``html/x.html``. Course settings live in ``policies/<url_name>/policy.json``
and ``grading_policy.json``.

Bad content does not raise: every file that is missing, hostile or malformed
becomes a :class:`Problem` and the rest of the course is still read. Pointers
are only followed to files inside the export.
Block types this project does not implement are kept as nodes with their tag.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from lxml import etree

from digital_skills_xblocks.common.problems import Problem
from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml, xml_error_text

Translate = Callable[[str], str]

# Block types whose XML children are blocks of the course outline.
CONTAINER_TAGS = frozenset({"course", "chapter", "sequential", "vertical", "split_test", "conditional", "unit"})
# Block types this package ships; their OLX content is checked by the block's own checker.
OUR_BLOCK_TAGS = frozenset({"egov_simulation", "citizenship_quiz"})
# Types whose definition must be in its own file when the pointer has only a url_name.
# Other XBlocks that Studio exports with default settings have no file (the demo
# course has <done url_name="..."/> alone), and Studio imports them with defaults.
FILE_REQUIRED_TAGS = CONTAINER_TAGS | OUR_BLOCK_TAGS | frozenset(
    {"html", "problem", "video", "library_content", "lti", "annotatable", "word_cloud", "poll_question"}
)
# Attributes that may sit on a pointer besides url_name (Studio adds xblock-family to some).
POINTER_EXTRA_ATTRIBUTES = frozenset({"xblock-family"})
# A course export larger than this many files or blocks is rejected as hostile.
MAX_NODES = 20000
# Outline blocks nest four levels; anything deeper than this is rejected before Python's recursion limit.
MAX_NESTING = 48
MAX_JSON_BYTES = 2 * 1024 * 1024
STATIC_REFERENCE = re.compile(r"""["'(]/static/([^"'()\s?#]+)""")


def identity(message: str) -> str:
    return message


@dataclass
class OlxNode:
    """One block of the course: its tag, url_name and the element that defines it.

    ``file`` is the export-relative path of the file holding ``element`` and
    ``line`` its 1-based line there. ``pointer_file``/``pointer_line`` locate
    the pointer that referenced it, when there was one. ``element`` is None
    when the definition could not be read (a problem was reported).
    """

    tag: str
    url_name: str | None
    element: etree._Element | None
    file: str
    line: int | None
    pointer_file: str | None = None
    pointer_line: int | None = None
    html_file: str | None = None
    children: list["OlxNode"] = field(default_factory=list)
    parent: "OlxNode | None" = field(default=None, repr=False)

    @property
    def display_name(self) -> str:
        if self.element is not None and self.element.get("display_name"):
            return self.element.get("display_name")
        return ""

    def iter_tree(self) -> Iterator["OlxNode"]:
        """Yield this node and all its descendants, depth first in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class CourseExport:
    """A course export as read from disk, with the problems found while reading."""

    root: str
    course: OlxNode | None = None
    url_name: str | None = None
    org: str | None = None
    number: str | None = None
    policy: dict | None = None
    grading_policy: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    read_files: set[str] = field(default_factory=set)
    # XML files that exist but could not be read or parsed: the pointers inside them are unknown.
    unreadable_files: set[str] = field(default_factory=set)
    pointer_targets: dict[tuple[str, str], list[OlxNode]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        if self.course is not None and self.course.display_name:
            return self.course.display_name
        return os.path.basename(os.path.normpath(self.root))

    def nodes(self) -> Iterator[OlxNode]:
        if self.course is not None:
            yield from self.course.iter_tree()

    def course_settings(self) -> dict:
        """Return the course's policy entry (``policy.json["course/<url_name>"]``), or {}."""
        if isinstance(self.policy, dict) and self.url_name:
            entry = self.policy.get(f"course/{self.url_name}")
            if isinstance(entry, dict):
                return entry
        return {}

    def path(self, relative: str) -> str:
        return os.path.join(self.root, *relative.split("/"))


def is_file_name(value: str | None) -> bool:
    """Return True when ``value`` can name a file inside one folder of the export (no path, not hidden)."""
    return bool(value) and "/" not in value and "\\" not in value and "\0" not in value and not value.startswith(".")


def is_pointer(element: etree._Element) -> bool:
    """Return True when ``element`` only names a definition stored in its own file."""
    if len(element) or (element.text or "").strip():
        return False
    names = set(element.attrib) - POINTER_EXTRA_ATTRIBUTES
    return names == {"url_name"}


def element_children(element: etree._Element) -> list[etree._Element]:
    """Return the child elements, leaving out comments and processing instructions."""
    return [child for child in element if isinstance(child.tag, str)]


class CourseReader:
    """Read one course export; use :func:`read_course`."""

    def __init__(self, root: str, translate: Translate = identity):
        self.export = CourseExport(root=os.path.abspath(root))
        self._ = translate
        self._node_count = 0

    # Problems -----------------------------------------------------------

    def problem(self, message: str, fix: str = "", file: str = "", line: int | None = None,
                location: str = "", severity: str = "error") -> None:
        self.export.problems.append(Problem(message, fix, location, line, file, severity))

    # Files --------------------------------------------------------------

    def exists(self, relative: str) -> bool:
        return os.path.isfile(self.export.path(relative))

    def read_xml(self, relative: str, location: str = "") -> etree._Element | None:
        """Parse one XML file of the export, reporting it as a problem when that fails."""
        _ = self._
        self.export.read_files.add(relative)
        try:
            with open(self.export.path(relative), "rb") as xml_file:
                data = xml_file.read(16 * 1024 * 1024 + 1)
        except OSError as error:
            self.export.unreadable_files.add(relative)
            self.problem(_("The file cannot be read: {error}").format(error=error.strerror or error),
                         _("Check the file's permissions"), relative, None, location)
            return None
        try:
            return parse_xml(data)
        except UnsafeXMLError as error:
            self.export.unreadable_files.add(relative)
            self.problem(_("The XML is invalid or unsafe: {error}").format(error=xml_error_text(error, _)),
                         _("Fix the XML in this file; the rest of the course was still checked"),
                         relative, error.line, location)
            return None
        except UnicodeDecodeError:
            self.export.unreadable_files.add(relative)
            self.problem(_("The file is not valid UTF-8"), _("Save the file as UTF-8"), relative, None, location)
            return None

    def read_json(self, relative: str) -> object | None:
        _ = self._
        self.export.read_files.add(relative)
        try:
            with open(self.export.path(relative), "rb") as json_file:
                data = json_file.read(MAX_JSON_BYTES + 1)
        except OSError as error:
            self.problem(_("The file cannot be read: {error}").format(error=error.strerror or error),
                         _("Check the file's permissions"), relative)
            return None
        if len(data) > MAX_JSON_BYTES:
            self.problem(_("The JSON file is larger than {limit} bytes").format(limit=MAX_JSON_BYTES),
                         _("Remove unused settings from the file"), relative)
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            self.problem(_("The file is not valid UTF-8"), _("Save the file as UTF-8"), relative)
        except json.JSONDecodeError as error:
            self.problem(_("The JSON is invalid: {error}").format(error=error.msg),
                         _("Fix the JSON syntax (quotes, commas, brackets)"), relative, error.lineno)
        return None

    # Course -------------------------------------------------------------

    def read(self) -> CourseExport:
        _ = self._
        export = self.export
        if not os.path.isdir(export.root):
            self.problem(_("The course directory does not exist"), _("Give the path of a course export directory"),
                         export.root)
            return export
        if not self.exists("course.xml"):
            self.problem(_("course.xml is missing"),
                         _("Give the directory that contains course.xml (the top folder of a Studio export)"),
                         "course.xml")
            return export

        pointer = self.read_xml("course.xml")
        if pointer is None:
            return export
        if pointer.tag != "course":
            self.problem(_("The root element is <{tag}>, not <course>").format(tag=pointer.tag),
                         _("Make <course> the root element of course.xml"), "course.xml", pointer.sourceline)
            return export

        export.url_name = pointer.get("url_name")
        export.org = pointer.get("org")
        export.number = pointer.get("course")
        for attribute in ("url_name", "org", "course"):
            if not pointer.get(attribute):
                self.problem(_("The <course> element has no {attribute} attribute").format(attribute=attribute),
                             _("Add {attribute}=\"...\" to <course> in course.xml").format(attribute=attribute),
                             "course.xml", pointer.sourceline, "course")

        if export.url_name and not is_file_name(export.url_name):
            self.problem(_("The url_name \"{url_name}\" cannot be used as a file name").format(url_name=export.url_name),
                         _("Use only A-Z, a-z, 0-9, '_', '.' and '-' in url_name"), "course.xml", pointer.sourceline,
                         "course")
            return export
        if len(element_children(pointer)) or not export.url_name:
            # An old-style export keeps the whole course inline in course.xml.
            course = OlxNode("course", export.url_name, pointer, "course.xml", pointer.sourceline)
        else:
            relative = f"course/{export.url_name}.xml"
            if not self.exists(relative):
                self.problem(_("The course file {path} is missing").format(path=relative),
                             _("Create {path} or fix url_name in course.xml").format(path=relative),
                             "course.xml", pointer.sourceline, "course")
                return export
            element = self.read_xml(relative, "course")
            if element is None:
                return export
            course = OlxNode("course", export.url_name, element, relative, element.sourceline,
                             pointer_file="course.xml", pointer_line=pointer.sourceline)
        export.course = course
        self.load_children(course, [("course", export.url_name or "")])
        if export.url_name:
            self.read_policies(export.url_name)
        return export

    def load_children(self, node: OlxNode, ancestors: list[tuple[str, str]]) -> None:
        if node.element is None:
            return
        container = node.tag in CONTAINER_TAGS
        for child in element_children(node.element):
            if not container:
                # Blocks such as library_content list pointers to shared definitions.
                if not (is_pointer(child) and is_file_name(child.tag) and is_file_name(child.get("url_name"))
                        and self.exists(f"{child.tag}/{child.get('url_name')}.xml")):
                    continue
            self._node_count += 1
            if self._node_count > MAX_NODES:
                self.problem(self._("The course has more than {limit} blocks").format(limit=MAX_NODES),
                             self._("Split the course"), node.file, child.sourceline)
                return
            if len(ancestors) >= MAX_NESTING:
                self.problem(self._("Blocks are nested more than {limit} levels deep").format(limit=MAX_NESTING),
                             self._("Flatten the course outline"), node.file, child.sourceline)
                return
            loaded = self.load_node(child, node.file, ancestors)
            loaded.parent = node
            node.children.append(loaded)

    def load_node(self, element: etree._Element, parent_file: str, ancestors: list[tuple[str, str]]) -> OlxNode:
        _ = self._
        tag = element.tag
        url_name = element.get("url_name")
        location = f"{tag}[url_name={url_name}]" if url_name else tag
        if is_pointer(element):
            relative = f"{tag}/{url_name}.xml"
            key = (tag, url_name)
            node = OlxNode(tag, url_name, None, relative, None, parent_file, element.sourceline)
            self.export.pointer_targets.setdefault(key, []).append(node)
            if not (is_file_name(tag) and is_file_name(url_name)):
                # The validator reports the invalid url_name; a path must never be followed.
                return node
            if key in ancestors:
                self.problem(_("The {tag} \"{url_name}\" contains itself").format(tag=tag, url_name=url_name),
                             _("Remove the pointer that loops back to a parent"), parent_file,
                             element.sourceline, location)
                return node
            if not self.exists(relative):
                if tag in FILE_REQUIRED_TAGS:
                    self.problem(_("The file {path} that this pointer names is missing").format(path=relative),
                                 _("Create {path} or fix the url_name").format(path=relative),
                                 parent_file, element.sourceline, location)
                else:
                    self.problem(_("The file {path} is missing, so this block gets its default settings").format(
                                     path=relative),
                                 _("Create {path} if the block needs settings").format(path=relative),
                                 parent_file, element.sourceline, location, severity="warning")
                    node.element = element
                    node.file = parent_file
                    node.line = element.sourceline
                return node
            definition = self.read_xml(relative, location)
            if definition is None:
                return node
            if definition.tag != tag:
                self.problem(_("The root element is <{found}>, but the pointer expects <{tag}>").format(
                                 found=definition.tag, tag=tag),
                             _("Make <{tag}> the root element of the file").format(tag=tag),
                             relative, definition.sourceline, location)
            node.element = definition
            node.line = definition.sourceline
        else:
            node = OlxNode(tag, url_name, element, parent_file, element.sourceline)
            if url_name:
                self.export.pointer_targets.setdefault((tag, url_name), []).append(node)

        if tag == "html":
            self.resolve_html_file(node, location)
        self.load_children(node, ancestors + [(tag, url_name or "")])
        return node

    def resolve_html_file(self, node: OlxNode, location: str) -> None:
        _ = self._
        filename = node.element.get("filename") if node.element is not None else None
        if not filename:
            return
        relative = f"html/{filename}" if filename.endswith(".html") else f"html/{filename}.html"
        if "/" in filename or "\\" in filename or filename.startswith("."):
            self.problem(_("The filename \"{filename}\" is not a plain file name").format(filename=filename),
                         _("Use the name of a file in the html folder, without folders"),
                         node.file, node.line, location)
            return
        if not self.exists(relative):
            self.problem(_("The HTML file {path} is missing").format(path=relative),
                         _("Create {path} or fix the filename attribute").format(path=relative),
                         node.file, node.line, location)
            return
        node.html_file = relative
        self.export.read_files.add(relative)

    def read_policies(self, url_name: str) -> None:
        _ = self._
        policy_path = f"policies/{url_name}/policy.json"
        grading_path = f"policies/{url_name}/grading_policy.json"
        if self.exists(policy_path):
            self.export.policy = self.read_json(policy_path)
        else:
            self.problem(_("{path} is missing").format(path=policy_path),
                         _("Add {path} with a \"course/{url_name}\" entry").format(path=policy_path, url_name=url_name),
                         policy_path)
        if self.exists(grading_path):
            self.export.grading_policy = self.read_json(grading_path)
        else:
            self.problem(_("{path} is missing").format(path=grading_path),
                         _("Add {path} with GRADER and GRADE_CUTOFFS").format(path=grading_path), grading_path)


def read_course(root: str, translate: Translate = identity) -> CourseExport:
    """Read the course export in ``root``; content problems are collected in ``.problems``, not raised."""
    return CourseReader(root, translate).read()


def about_html(export: CourseExport, name: str = "overview") -> str:
    """Return the raw HTML of ``about/<name>.html`` (the course overview by default), or ""."""
    if not is_file_name(name):
        return ""
    try:
        with open(export.path(f"about/{name}.html"), encoding="utf-8", errors="replace") as about_file:
            return about_file.read(1024 * 1024)
    except OSError:
        return ""


def html_body(export: CourseExport, node: OlxNode) -> str:
    """Return the raw (unsanitised) HTML of an ``html`` node: its file, or its inline content."""
    if node.html_file:
        try:
            with open(export.path(node.html_file), encoding="utf-8", errors="replace") as html_file:
                return html_file.read(4 * 1024 * 1024)
        except OSError:
            return ""
    if node.element is None:
        return ""
    parts = [node.element.text or ""]
    for child in node.element:
        parts.append(etree.tostring(child, encoding="unicode"))
    return "".join(parts)


def static_references(html: str) -> list[str]:
    """Return the paths under /static/ that ``html`` links to, in order of appearance."""
    return [match.group(1) for match in STATIC_REFERENCE.finditer(html)]
