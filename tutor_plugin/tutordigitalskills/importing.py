"""
Shell scripts that import course exports into Studio, run in the cms job
container of the openedx image, where the exports live under
``/openedx/digitalskills/courses``.

For each course the script runs, in order:

1. ``./manage.py cms import <data_dir> <course_dir>``: creates the course or
   updates it in place, so running it again is safe;
2. ``./manage.py cms update_course_outline <course_key>``: builds the
   learning-sequences outline the learning MFE reads, without waiting for the
   Celery task that a Studio publish would queue;
3. ``./manage.py cms reindex_course <course_key>``: refreshes the courseware
   search index.
"""

from __future__ import annotations

import typing as t

from .bundle import Course

COURSES_DIR_IN_IMAGE = "/openedx/digitalskills/courses"


def course_exists_check(course: Course) -> str:
    """Return a shell command that succeeds when the course is already in the modulestore."""
    python = (
        "import sys; "
        "from opaque_keys.edx.keys import CourseKey; "
        "from xmodule.modulestore.django import modulestore; "
        f"sys.exit(0 if modulestore().has_course(CourseKey.from_string('{course.key}')) else 1)"
    )
    return f'./manage.py cms shell -c "{python}"'


def import_commands(course: Course) -> str:
    """Return the commands that import one course and rebuild its outline and index."""
    course_xml = f"{COURSES_DIR_IN_IMAGE}/{course.directory}/course.xml"
    return "\n".join(
        [
            f'if [ ! -f "{course_xml}" ]; then',
            f'    echo "ERROR: {course_xml} is missing from the image: rebuild it with'
            ' \'tutor images build openedx\' after upgrading tutor-contrib-digital-skills."',
            "    exit 1",
            "fi",
            f'echo "INFO: importing {course.directory} as {course.key}"',
            f"./manage.py cms import {COURSES_DIR_IN_IMAGE} {course.directory}",
            f"./manage.py cms update_course_outline {course.key}",
            f"./manage.py cms reindex_course {course.key}",
        ]
    )


def import_script(courses: t.Sequence[Course], skip_existing: bool = False) -> str:
    """
    Return a script that imports ``courses`` one after the other.

    With ``skip_existing``, a course already in Studio is left untouched, which
    is what the init task wants: it runs on every ``launch``, and must not undo
    changes authors made in Studio.
    """
    blocks = []
    for course in courses:
        commands = import_commands(course)
        if skip_existing:
            indented = "\n".join("    " + line for line in commands.splitlines())
            commands = "\n".join(
                [
                    f"if {course_exists_check(course)}; then",
                    f'    echo "INFO: {course.key} is already in Studio, not importing it again"',
                    "else",
                    indented,
                    "fi",
                ]
            )
        blocks.append(commands)
    if not blocks:
        return 'echo "INFO: no digital-skills course to import"'
    return "\n\n".join(blocks)


def init_task_template(courses: t.Sequence[Course]) -> str:
    """
    Return the init task as a Jinja template: Tutor renders it with the
    configuration when the task runs, so DIGITALSKILLS_IMPORT_ON_INIT and
    DIGITALSKILLS_COURSES are read at that moment.
    """
    parts = ["{% if DIGITALSKILLS_IMPORT_ON_INIT %}"]
    for course in courses:
        parts.append(
            "{% if not DIGITALSKILLS_COURSES or "
            f'"{course.directory}" in DIGITALSKILLS_COURSES or "{course.key}" in DIGITALSKILLS_COURSES %}}'
        )
        parts.append(import_script([course], skip_existing=True))
        parts.append("{% endif %}")
    parts.append("{% else %}")
    parts.append('echo "INFO: DIGITALSKILLS_IMPORT_ON_INIT is off: run \'do importdigitalskills\' to import courses"')
    parts.append("{% endif %}")
    return "\n".join(parts)


def select_courses(bundled: t.Sequence[Course], requested: t.Sequence[str]) -> list[Course]:
    """
    Return the bundled courses named in ``requested`` (folder names or course
    keys), in the order given; all bundled courses when ``requested`` is empty.

    Raises ValueError naming the unknown entries and the available courses.
    """
    if not requested:
        return list(bundled)
    by_name = {}
    for course in bundled:
        by_name[course.directory] = course
        by_name[course.key] = course
    unknown = [name for name in requested if name not in by_name]
    if unknown:
        available = ", ".join(f"{course.directory} ({course.key})" for course in bundled) or "none"
        raise ValueError(f"Unknown course(s): {', '.join(unknown)}. Available: {available}.")
    selected: list[Course] = []
    for name in requested:
        if by_name[name] not in selected:
            selected.append(by_name[name])
    return selected
