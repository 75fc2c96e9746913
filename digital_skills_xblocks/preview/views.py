"""Pages of the preview: course list, course outline, unit pages and course static files."""

from __future__ import annotations

import functools
import logging
import mimetypes
import os
import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.static import was_modified_since
from web_fragments.fragment import Fragment
from workbench import views as workbench_views
from workbench.runtime import WorkbenchRuntime
from xblock.exceptions import NoSuchHandlerError

from digital_skills_xblocks.common.i18n import catalog_for, current_language
from digital_skills_xblocks.common.sanitize import sanitize_html
from digital_skills_xblocks.olx.reader import OlxNode, about_html, html_body

from .courses import REGISTRY, PreviewCourse, Unit, block_key
from .inline import inline_static_css, page_resources_html
from .light_runtime import RecordingRuntime, light_runtime_allowed, with_light_runtime

log = logging.getLogger(__name__)

DEFAULT_STUDENT = "student_1"
STUDENT_COOKIE = "digital_skills_student"
STUDENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PREVIEW_CSS = "preview/preview.css"
# Package files (the workbench's scripts, XBlock package resources) change only when a package is
# installed again, so browsers may keep them for an hour without asking.
PACKAGE_FILE_MAX_AGE = 3600
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


class PreviewNotFound(Http404):
    """Raised for a course, unit or block that the preview does not have.

    ``message`` is already translated and is shown on the 404 page. ``course``
    is the course the address belongs to, when it exists, so the page links back to it.
    """

    def __init__(self, message: str, course: PreviewCourse | None = None):
        super().__init__(message)
        self.message = message
        self.course = course


def get_course(slug: str) -> PreviewCourse:
    course = REGISTRY.get(slug)
    if course is None:
        raise PreviewNotFound(_("This preview has no course “{slug}”.").format(slug=slug))
    return course


def page_context(request: HttpRequest, **values) -> dict:
    language = current_language()
    other = "en" if language.startswith("vi") else "vi"
    values.update({
        "language": language,
        "other_language": other,
        "other_language_name": "English" if other == "en" else "Tiếng Việt",
        "student_id": student_id(request),
        # A file of this package, never author text. base.html puts it in a <style> element.
        "preview_css": mark_safe(inline_static_css(PREVIEW_CSS) or ""),
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


def render_child(course: PreviewCourse, node: OlxNode, student: str) -> tuple[Fragment, list[type]]:
    """Render one block of a unit: html from the files, an XBlock in the runtime, or a placeholder.

    Also return the classes of the XBlocks and asides that the runtime rendered,
    which is empty for html blocks, placeholders and blocks that failed.
    """
    if node.tag == "html":
        html = rewrite_static_links(sanitize_html(html_body(course.export, node)), course)
        return Fragment(f'<div class="preview-html">{html}</div>'), []

    usage_id = course.usage_ids.get(id(node))
    if usage_id is not None:
        runtime = RecordingRuntime(student)
        try:
            block = runtime.get_block(usage_id)
            return block.render("student_view", {}), runtime.rendered_classes
        except Exception as error:  # pylint: disable=broad-except
            log.exception("Rendering %s failed for student %s", usage_id, student)
            return error_fragment(node, f"{type(error).__name__}: {error}"), []
    if id(node) in course.load_errors:
        return error_fragment(node, course.load_errors[id(node)]), []

    message = _("Blocks of type “{type}” are not supported in the preview yet.").format(type=node.tag)
    placeholder = Fragment(
        f'<div class="preview-placeholder" data-block-type="{escape(node.tag)}"><p>{escape(message)}</p></div>'
    )
    return placeholder, []


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
        message = _("The course “{title}” has no unit “{unit}”.").format(title=course.title, unit=unit_key)
        raise PreviewNotFound(message, course)
    student = student_id(request)

    page = Fragment()
    seen: set = set()
    blocks = []
    rendered_classes: list[type] = []
    for node in unit.node.children:
        fragment, classes = render_child(course, node, student)
        merge_resources(page, fragment, seen)
        rendered_classes.extend(classes)
        # The body is sanitised author HTML, a placeholder built here, or the block's own view.
        blocks.append({"node": node, "html": mark_safe(fragment.body_html()),
                       "key": authoring_key(course, unit, node)})
    if light_runtime_allowed(rendered_classes):
        page = with_light_runtime(page)

    head_html, foot_html = page_resources_html(page)
    previous_unit = course.units[unit.index - 1] if unit.index > 0 else None
    next_unit = course.units[unit.index + 1] if unit.index + 1 < len(course.units) else None
    context = page_context(
        request,
        course=course,
        unit=unit,
        blocks=blocks,
        # Package files and the blocks' own resources, escaped so that none ends its element early.
        head_html=mark_safe(head_html),
        foot_html=mark_safe(foot_html),
        previous_unit=previous_unit,
        next_unit=next_unit,
        position=unit.index + 1,
        total=len(course.units),
    )
    return remember_student(request, render(request, "preview/unit.html", context), student)


# The Studio views a block page can show: URL segment -> XBlock view name.
AUTHORING_VIEWS = {"studio": "studio_view", "author": "author_view"}


def authoring_key(course: PreviewCourse, unit: Unit, node: OlxNode) -> str | None:
    """Return the key of ``node`` in block page URLs, or None when the preview cannot show it in Studio views."""
    if course.usage_ids.get(id(node)) is None:
        return None
    position = unit.node.children.index(node)
    return block_key(node.url_name, f"{unit.key}-{position}")


@require_GET
def block_page(request: HttpRequest, slug: str, unit_key: str, key: str, view: str) -> HttpResponse:
    """Render the Studio editor or the author preview of one block, as Studio shows them to course staff."""
    course = get_course(slug)
    unit = course.unit(unit_key)
    if unit is None or view not in AUTHORING_VIEWS:
        raise Http404("No such unit or view")
    node = next((child for child in unit.node.children if authoring_key(course, unit, child) == key), None)
    if node is None:
        raise Http404("No such block")
    student = student_id(request)

    usage_id = course.usage_ids[id(node)]
    # A name saved in Studio is stored in the block's field, not in the OLX files that ``node`` was read from.
    title = node.display_name or node.tag
    try:
        block = WorkbenchRuntime(student).get_block(usage_id)
        title = block.display_name or title
        fragment = block.render(AUTHORING_VIEWS[view], {})
    except Exception as error:  # pylint: disable=broad-except
        log.exception("Rendering %s of %s failed", view, usage_id)
        fragment = error_fragment(node, f"{type(error).__name__}: {error}")

    head_html, foot_html = page_resources_html(fragment)
    context = page_context(
        request,
        course=course,
        unit=unit,
        node=node,
        title=title,
        view=view,
        block_key=key,
        # The block's own studio_view or author_view, which escapes or sanitises author text itself.
        block_html=mark_safe(fragment.body_html()),
        head_html=mark_safe(head_html),
        foot_html=mark_safe(foot_html),
    )
    return remember_student(request, render(request, "preview/block.html", context), student)


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
    raise PreviewNotFound(_("No course of this preview has a block “{url_name}”.").format(url_name=url_name))


@require_GET
def course_jump_to_id(request: HttpRequest, course_ref: str, url_name: str) -> HttpResponse:
    """Redirect to the unit of one course that is, or contains, the block named ``url_name``.

    ``course_ref`` is the preview's slug or the LMS course key
    (``course-v1:<org>+<course>+<run>``), so links in the LMS form work here too.
    """
    course = REGISTRY.find(course_ref)
    if course is None:
        raise PreviewNotFound(_("This preview has no course “{slug}”.").format(slug=course_ref))
    unit = unit_containing(course, url_name)
    if unit is None:
        raise PreviewNotFound(_("The course “{title}” has no block “{url_name}”.").format(
            title=course.title, url_name=url_name), course)
    return redirect("preview_unit", slug=course.slug, unit_key=unit.key)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Render the preview's 404 page, in the visitor's language, with links back to the courses."""
    if isinstance(exception, PreviewNotFound):
        message, course = exception.message, exception.course
    else:
        message, course = _("This address is not a page of the preview."), None
    context = page_context(request, message=message, course=course)
    return render(request, "preview/not_found.html", context, status=404)


@require_GET
def course_static(request: HttpRequest, slug: str, path: str) -> HttpResponse:
    """Serve a file from the course's static/ folder, never from outside it."""
    course = get_course(slug)
    root = os.path.realpath(os.path.join(course.directory, "static"))
    target = os.path.realpath(os.path.join(root, *path.split("/")))
    if not target.startswith(root + os.sep) or not os.path.isfile(target):
        raise Http404("No such file")
    modified = os.stat(target).st_mtime
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        response = HttpResponse(status=304)
    else:
        content_type, _encoding = mimetypes.guess_type(target)
        response = FileResponse(open(target, "rb"), content_type=content_type or "application/octet-stream")
    response["Last-Modified"] = http_date(modified)
    # Authors edit these files while they preview, so browsers must check them on every use.
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    # Course files may be HTML or SVG with scripts: keep them away from the preview's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


def cache_package_files(view):
    """Wrap a view of package files so that its responses carry ``Cache-Control: public, max-age``."""
    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=PACKAGE_FILE_MAX_AGE)
        return response

    return cached_view


@csrf_exempt  # the LMS exempts XBlock handlers from CSRF checks too (its handle_xblock_callback view)
def handler(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Call a block's handler as the workbench does, with JSON errors where the workbench would fail.

    The workbench responds to an unknown handler name with a server error, and
    Django rejects a body over DATA_UPLOAD_MAX_MEMORY_SIZE with an HTML page
    before the block's own size check runs. Both become JSON errors in the
    form the blocks' handlers use.
    """
    try:
        return workbench_views.handler(request, *args, **kwargs)
    except NoSuchHandlerError:
        log.info("Unknown handler %s requested for %s", kwargs.get("handler_slug"), kwargs.get("usage_id"))
        return json_error(_("This block has no handler with that name."), 404, "unknown_handler")
    except RequestDataTooBig:
        log.info("Rejected a handler request body over %s bytes for %s", settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                 kwargs.get("usage_id"))
        return json_error(_("The request is too large."), 413, "too_large")


def json_error(message: str, status: int, code: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status,
                        json_dumps_params={"ensure_ascii": False})
