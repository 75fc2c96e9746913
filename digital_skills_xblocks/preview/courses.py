"""Courses served by the preview: their outline and the XBlocks loaded into the WorkbenchRuntime.

Usage ids are derived from the course slug, the block type and the block's
url_name (``<slug>.<type>.<key>.d0.u0``), never from the order in which
courses or blocks are read. The workbench's ``XBlockState`` table keys learner
state by usage id, so a learner's state is found again after a restart even
when courses were added, removed or reordered.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass, field

from django.utils.text import slugify
from xblock.core import XBlock
from xblock.fields import ScopeIds
from xblock.plugin import PluginMissingError

from digital_skills_xblocks.olx.reader import CourseExport, OlxNode, read_course

log = logging.getLogger(__name__)

# html is rendered by the preview itself from the course's files.
PREVIEW_RENDERED_TAGS = frozenset({"html"})
SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def block_key(url_name: str | None, fallback: str) -> str:
    """Return a key for ids and URLs: the url_name when it is safe, else a stable readable digest."""
    if url_name and SAFE_KEY.match(url_name):
        return url_name
    source = url_name or fallback
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", source)[:40].strip("_") or "block"
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}"


def is_installed_xblock(tag: str) -> bool:
    """Return True when an ``xblock.v1`` entry point exists for ``tag`` and the preview does not render it itself.

    The entry point may still fail to load; :func:`load_blocks` reports that on the unit page.
    """
    if tag in PREVIEW_RENDERED_TAGS:
        return False
    try:
        XBlock.load_class(tag)
    except PluginMissingError:
        return False
    except Exception:  # pylint: disable=broad-except
        # An installed block whose module does not import is still "installed": show its error.
        return True
    return True


@dataclass
class Unit:
    """A vertical of the outline with its place in the course."""

    key: str
    node: OlxNode
    chapter: OlxNode
    sequential: OlxNode
    index: int


@dataclass
class PreviewCourse:
    """One course of the preview: the export, its outline and the usage ids of its XBlocks."""

    slug: str
    directory: str
    export: CourseExport
    units: list[Unit] = field(default_factory=list)
    usage_ids: dict[int, str] = field(default_factory=dict)
    load_errors: dict[int, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.export.title

    @property
    def course_key(self) -> str | None:
        """Return the LMS course key ``course-v1:<org>+<course>+<run>`` from course.xml, or None when one is missing.

        The run is the url_name of course.xml's ``<course>``, as Studio's import uses it.
        """
        parts = (self.export.org, self.export.number, self.export.url_name)
        if not all(parts):
            return None
        return "course-v1:" + "+".join(parts)

    def unit(self, key: str) -> Unit | None:
        for unit in self.units:
            if unit.key == key:
                return unit
        return None

    def outline(self) -> list[tuple[OlxNode, list[tuple[OlxNode, list[Unit]]]]]:
        """Return chapters with their subsections and units, in course order."""
        chapters: list[tuple[OlxNode, list[tuple[OlxNode, list[Unit]]]]] = []
        for unit in self.units:
            if not chapters or chapters[-1][0] is not unit.chapter:
                chapters.append((unit.chapter, []))
            sections = chapters[-1][1]
            if not sections or sections[-1][0] is not unit.sequential:
                sections.append((unit.sequential, []))
            sections[-1][1].append(unit)
        return chapters


def collect_units(export: CourseExport) -> list[Unit]:
    units: list[Unit] = []
    used: set[str] = set()
    if export.course is None:
        return units
    for chapter_index, chapter in enumerate(child for child in export.course.children if child.tag == "chapter"):
        for section_index, sequential in enumerate(chapter.children):
            if sequential.tag != "sequential":
                continue
            for unit_index, vertical in enumerate(sequential.children):
                if vertical.tag != "vertical":
                    continue
                key = block_key(vertical.url_name, f"unit-{chapter_index}-{section_index}-{unit_index}")
                while key in used:
                    key += "_"
                used.add(key)
                units.append(Unit(key, vertical, chapter, sequential, len(units)))
    return units


def course_slug(directory: str, taken: set[str]) -> str:
    """Return a dot-free slug for the course folder (the workbench splits state ids on dots)."""
    base = slugify(os.path.basename(os.path.normpath(directory))).replace(".", "-") or "course"
    slug = base
    number = 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def register_ids(slug: str, block_type: str, key: str) -> tuple[str, str]:
    """Record a fixed definition and usage id in the workbench's global id manager.

    ScenarioIdManager only hands out counter-based ids, so the maps are filled
    directly with ids that depend on the content alone.
    """
    from workbench.runtime import ID_MANAGER  # pylint: disable=import-outside-toplevel

    definition_id = f"{slug}.{block_type}.{key}.d0"
    usage_id = f"{definition_id}.u0"
    # NOTE: private attributes of xblock-sdk 0.14's ScenarioIdManager; there is no public setter.
    ID_MANAGER._definitions[definition_id] = block_type  # pylint: disable=protected-access
    ID_MANAGER._usages[usage_id] = definition_id  # pylint: disable=protected-access
    return definition_id, usage_id


def clear_content_state(slug: str) -> None:
    """Delete the stored content and settings of a course's blocks, keeping every learner's state.

    The blocks are parsed again from the OLX on start-up, so an attribute an
    author removed must not survive from an earlier run.
    """
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel

    XBlockState.objects.filter(scenario=slug, user_id__isnull=True).delete()


def load_blocks(course: PreviewCourse) -> None:
    """Parse the course's XBlocks (all installed types except html) into the runtime's store."""
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    clear_content_state(course.slug)
    runtime = WorkbenchRuntime()
    ID_MANAGER.set_scenario(course.slug)
    keys_used: set[tuple[str, str]] = set()
    for unit in course.units:
        for position, node in enumerate(unit.node.children):
            if node.element is None or not is_installed_xblock(node.tag):
                continue
            key = block_key(node.url_name, f"{unit.key}-{position}")
            while (node.tag, key) in keys_used:
                key += "_"
            keys_used.add((node.tag, key))
            definition_id, usage_id = register_ids(course.slug, node.tag, key)
            try:
                block_class = runtime.mixologist.mix(runtime.load_block_type(node.tag))
                element = copy.deepcopy(node.element)
                element.attrib.pop("url_name", None)
                block = block_class.parse_xml(element, runtime, ScopeIds(None, node.tag, definition_id, usage_id))
                block.save()
            except Exception as error:  # pylint: disable=broad-except
                # One broken block must not take the whole course down; its unit shows the error.
                log.exception("Cannot load %s %s of course %s", node.tag, node.url_name, course.slug)
                course.load_errors[id(node)] = f"{type(error).__name__}: {error}"
                continue
            course.usage_ids[id(node)] = usage_id


class CourseRegistry:
    """The courses of one preview process, in the order given."""

    def __init__(self) -> None:
        self.courses: dict[str, PreviewCourse] = {}
        self._lock = threading.Lock()

    def load(self, directories: list[str]) -> list[PreviewCourse]:
        """Read each course directory and load its XBlocks; return the courses."""
        with self._lock:
            self.courses = {}
            for directory in directories:
                slug = course_slug(directory, set(self.courses))
                export = read_course(directory)
                course = PreviewCourse(slug, os.path.abspath(directory), export)
                course.units = collect_units(export)
                load_blocks(course)
                errors = [problem for problem in export.problems if problem.severity == "error"]
                log.info("Loaded course %s from %s: %d units, %d errors", slug, directory, len(course.units),
                         len(errors))
                self.courses[slug] = course
            return list(self.courses.values())

    def get(self, slug: str) -> PreviewCourse | None:
        return self.courses.get(slug)

    def find(self, reference: str) -> PreviewCourse | None:
        """Return the course whose slug or LMS course key is ``reference``; the slug is tried first."""
        course = self.courses.get(reference)
        if course is not None:
            return course
        for course in self.courses.values():
            if course.course_key == reference:
                return course
        return None


REGISTRY = CourseRegistry()


def find_course_dirs(base: str) -> list[str]:
    """Return the sub-folders of ``base`` that contain a course.xml, sorted by name."""
    if not os.path.isdir(base):
        return []
    return [
        os.path.join(base, name)
        for name in sorted(os.listdir(base))
        if not name.startswith(".") and os.path.isfile(os.path.join(base, name, "course.xml"))
    ]
