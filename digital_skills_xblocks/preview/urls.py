"""URLs of the preview site: our course pages plus the workbench views the XBlock runtime needs."""

from django.contrib.staticfiles.views import serve as serve_static
from django.urls import path, re_path
from workbench import views as workbench_views

from . import views

urlpatterns = [
    path("", views.course_list, name="preview_courses"),
    path("courses/<slug:slug>/", views.course_outline, name="preview_outline"),
    path("courses/<slug:slug>/units/<str:unit_key>/", views.unit_page, name="preview_unit"),
    # Studio's editor (studio_view) and preview (author_view) of one block of a unit, for authors.
    path("courses/<slug:slug>/units/<str:unit_key>/blocks/<str:key>/<str:view>/", views.block_page,
         name="preview_block"),
    # The LMS's /courses/<course key>/jump_to_id/<url_name>, for the preview's slug or the course key from course.xml.
    # Blocks outside an LMS course link to the global /jump_to_id/<url_name>, which searches every course.
    re_path(r"^courses/(?P<course_ref>[^/]+)/jump_to_id/(?P<url_name>[^/]+)/?$", views.course_jump_to_id,
            name="preview_course_jump_to_id"),
    path("jump_to_id/<str:url_name>", views.jump_to_id, name="preview_jump_to_id"),
    re_path(r"^courses/(?P<slug>[-a-zA-Z0-9_]+)/static/(?P<path>.+)$", views.course_static, name="preview_static"),
    # Names used by WorkbenchRuntime.handler_url() and local_resource_url().
    re_path(
        r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        views.handler, {"authenticated": True}, name="handler",
    ),
    re_path(
        r"^unauth_handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        views.handler, {"authenticated": False}, name="unauth_handler",
    ),
    re_path(
        r"^aside_handler/(?P<aside_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        workbench_views.aside_handler, {"authenticated": True}, name="aside_handler",
    ),
    re_path(r"^resource/(?P<block_type>[^/]+)/(?P<resource>.*)$",
            views.cache_package_files(workbench_views.package_resource), name="package_resource"),
    # The workbench's jQuery and JS runtime (1.js) and the preview's own runtime.js and stylesheet.
    # They are served without DEBUG because the preview always runs on loopback, which staticfiles
    # rejects in production set-ups. Unit and block pages inline these files (inline.py), so browsers
    # fetch them here only for scripts that load them later or when DIGITAL_SKILLS_PREVIEW_INLINE=0.
    re_path(r"^static/(?P<path>.+)$", views.cache_package_files(serve_static), {"insecure": True},
            name="preview_runtime_static"),
]

# Django calls this view for every Http404 when DEBUG is off (the preview's default).
handler404 = views.page_not_found
