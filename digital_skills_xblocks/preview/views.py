"""Pages of the preview: course list, course outline, unit pages and course static files."""

from __future__ import annotations

import logging
import mimetypes
import os
import re
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from web_fragments.fragment import Fragment
from workbench import views as workbench_views
from workbench.runtime import WorkbenchRuntime

from digital_skills_xblocks.common.i18n import catalog_for, current_language
from digital_skills_xblocks.common.sanitize import sanitize_html
from digital_skills_xblocks.olx.reader import OlxNode, about_html, html_body

from .courses import REGISTRY, PreviewCourse, Unit

log = logging.getLogger(__name__)

DEFAULT_STUDENT = "student_1"
STUDENT_COOKIE = "digital_skills_student"
STUDENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
STATIC_LINK = re.compile(r"""(?P<attribute>\b(?:src|href)=)(?P<quote>["'])/static/""")


def _(message: str) -> str:
    return catalog_for(current_language()).gettext(message)


def student_id(request: HttpRequest) -> str:
    """Return the learner id: ?student=, else the cookie, else the default learner."""
    for candidate in (request.GET.get("student"), request.COOKIES.get(STUDENT_COOKIE)):
        if candidate and STUDENT_ID.match(candidate):
            return candidate
    return DEFAULT_STUDENT


def remember_student(request: HttpRequest, response: HttpResponse, student: str) -> HttpResponse:
    if request.COOKIES.get(STUDENT_COOKIE) != student:
        response.set_cookie(STUDENT_COOKIE, student, samesite="Lax", httponly=True)
    return response


def get_course(slug: str) -> PreviewCourse:
    course = REGISTRY.get(slug)
    if course is None:
        raise Http404("No such course")
    return course


def page_context(request: HttpRequest, **values) -> dict:
    language = current_language()
    other = "en" if language.startswith("vi") else "vi"
    values.update({
        "language": language,
        "other_language": other,
        "other_language_name": "English" if other == "en" else "Tiếng Việt",
        "student_id": student_id(request),
    })
    return values


@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    courses = list(REGISTRY.courses.values())
    response = render(request, "preview/course_list.html", page_context(request, courses=courses))
    return remember_student(request, response, student_id(request))


@require_GET
def course_outline(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_course(slug)
    errors = [problem.format() for problem in course.export.problems if problem.severity == "error"]
    overview = rewrite_static_links(sanitize_html(about_html(course.export)), course)
    context = page_context(request, course=course, outline=course.outline(), errors=errors,
                           overview=mark_safe(overview))  # sanitised above
    return remember_student(request, render(request, "preview/outline.html", context), student_id(request))


def rewrite_static_links(html: str, course: PreviewCourse) -> str:
    """Point /static/ links of sanitised HTML at this course's static files."""
    prefix = f"/courses/{quote(course.slug)}/static/"
    return STATIC_LINK.sub(lambda match: f"{match.group('attribute')}{match.group('quote')}{prefix}", html)


def render_child(course: PreviewCourse, node: OlxNode, student: str) -> Fragment:
    """Render one block of a unit: html from the files, an XBlock in the runtime, or a placeholder."""
    if node.tag == "html":
        html = rewrite_static_links(sanitize_html(html_body(course.export, node)), course)
        return Fragment(f'<div class="preview-html">{html}</div>')

    usage_id = course.usage_ids.get(id(node))
    if usage_id is not None:
        try:
            block = WorkbenchRuntime(student).get_block(usage_id)
            return block.render("student_view", {})
        except Exception as error:  # pylint: disable=broad-except
            log.exception("Rendering %s failed for student %s", usage_id, student)
            return error_fragment(node, f"{type(error).__name__}: {error}")
    if id(node) in course.load_errors:
        return error_fragment(node, course.load_errors[id(node)])

    message = _("Blocks of type “{type}” are not supported in the preview yet.").format(type=node.tag)
    return Fragment(
        f'<div class="preview-placeholder" data-block-type="{escape(node.tag)}"><p>{escape(message)}</p></div>'
    )


def error_fragment(node: OlxNode, detail: str) -> Fragment:
    message = _("The block “{name}” of type “{type}” could not be shown.").format(
        name=node.url_name or node.display_name or node.tag, type=node.tag)
    return Fragment(
        f'<div class="preview-error" role="alert"><p>{escape(message)}</p><pre>{escape(detail)}</pre></div>'
    )


def merge_resources(page: Fragment, fragment: Fragment, seen: set) -> None:
    for resource in fragment.resources:
        key = (resource.kind, resource.data, resource.mimetype, resource.placement)
        if key not in seen:
            seen.add(key)
            if resource.kind == "text":
                page.add_resource(resource.data, resource.mimetype, resource.placement)
            else:
                page.add_resource_url(resource.data, resource.mimetype, resource.placement)


@require_GET
def unit_page(request: HttpRequest, slug: str, unit_key: str) -> HttpResponse:
    course = get_course(slug)
    unit = course.unit(unit_key)
    if unit is None:
        raise Http404("No such unit")
    student = student_id(request)

    page = Fragment()
    seen: set = set()
    blocks = []
    for node in unit.node.children:
        fragment = render_child(course, node, student)
        merge_resources(page, fragment, seen)
        # The body is sanitised author HTML, a placeholder built here, or the block's own view.
        blocks.append({"node": node, "html": mark_safe(fragment.body_html())})

    previous_unit = course.units[unit.index - 1] if unit.index > 0 else None
    next_unit = course.units[unit.index + 1] if unit.index + 1 < len(course.units) else None
    context = page_context(
        request,
        course=course,
        unit=unit,
        blocks=blocks,
        head_html=mark_safe(page.head_html()),
        foot_html=mark_safe(page.foot_html()),
        previous_unit=previous_unit,
        next_unit=next_unit,
        position=unit.index + 1,
        total=len(course.units),
    )
    return remember_student(request, render(request, "preview/unit.html", context), student)


def unit_containing(course: PreviewCourse, url_name: str) -> Unit | None:
    """Return the unit that is, or contains, the block named ``url_name``."""
    for unit in course.units:
        stack = [unit.node]
        while stack:
            node = stack.pop()
            if node.url_name == url_name:
                return unit
            stack.extend(node.children)
    return None


@require_GET
def jump_to_id(request: HttpRequest, url_name: str) -> HttpResponse:
    """Redirect to the unit of the first course that has a block named ``url_name``."""
    for course in REGISTRY.courses.values():
        unit = unit_containing(course, url_name)
        if unit is not None:
            return redirect("preview_unit", slug=course.slug, unit_key=unit.key)
    raise Http404("No such block")


@require_GET
def course_static(request: HttpRequest, slug: str, path: str) -> HttpResponse:
    """Serve a file from the course's static/ folder, never from outside it."""
    course = get_course(slug)
    root = os.path.realpath(os.path.join(course.directory, "static"))
    target = os.path.realpath(os.path.join(root, *path.split("/")))
    if not target.startswith(root + os.sep) or not os.path.isfile(target):
        raise Http404("No such file")
    content_type, _encoding = mimetypes.guess_type(target)
    response = FileResponse(open(target, "rb"), content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    # Course files may be HTML or SVG with scripts: keep them away from the preview's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


# The LMS exempts XBlock handlers from CSRF checks too (its handle_xblock_callback view).
handler = csrf_exempt(workbench_views.handler)
