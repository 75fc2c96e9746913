"""Choose the XBlock JavaScript runtime of a unit page: the workbench's, or the preview's own.

WorkbenchRuntime adds jQuery, jQuery Migrate, jQuery Cookie and its
``runtime/1.js`` to every XBlock fragment. This package's blocks use none of
jQuery, only ``runtime.handlerUrl()``, so a unit page whose XBlocks all come
from this package gets ``preview/runtime.js`` in place of those four files
(1.5 kB instead of 36 kB with ``gzip -6``, against xblock-sdk 0.14.0's files).
Any other XBlock or XBlockAside on the page may need jQuery, so such a page
keeps the workbench's runtime.
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from web_fragments.fragment import Fragment, FragmentResource
from workbench.runtime import WorkbenchRuntime

JAVASCRIPT = "application/javascript"
LIGHT_RUNTIME = "preview/runtime.js"
PACKAGE_PREFIX = "digital_skills_xblocks."
# The files that WorkbenchRuntime._wrap_ele adds, relative to the workbench's static folder.
WORKBENCH_RUNTIME_FILES = (
    "js/vendor/jquery.min.js",
    "js/vendor/jquery-migrate.min.js",
    "js/vendor/jquery.cookie.js",
    "js/runtime/1.js",
)
WORKBENCH_RUNTIME_1 = "js/runtime/1.js"


class RecordingRuntime(WorkbenchRuntime):
    """A WorkbenchRuntime that records the class of every XBlock and XBlockAside it renders.

    Blocks rendered as children of another block use their parent's runtime,
    so they are recorded too.
    """

    def __init__(self, user_id: str | None = None):
        super().__init__(user_id)
        self.rendered_classes: list[type] = []

    def wrap_xblock(self, block, view, frag, context):
        self.rendered_classes.append(type(block))
        return super().wrap_xblock(block, view, frag, context)

    def wrap_aside(self, block, aside, view, frag, context):
        self.rendered_classes.append(type(aside))
        return super().wrap_aside(block, aside, view, frag, context)


def is_package_class(block_class: type) -> bool:
    """Return True when ``block_class`` (or the class it was mixed from) is defined in this package."""
    unmixed = getattr(block_class, "unmixed_class", block_class)
    return unmixed.__module__.startswith(PACKAGE_PREFIX)


def light_runtime_allowed(rendered_classes: list[type]) -> bool:
    """Return True when the setting allows the light runtime and every rendered class is this package's.

    A page without any XBlock has no runtime to replace, so it returns False.
    """
    if not getattr(settings, "PREVIEW_LIGHT_RUNTIME", True):
        return False
    return bool(rendered_classes) and all(is_package_class(block_class) for block_class in rendered_classes)


def with_light_runtime(page: Fragment) -> Fragment:
    """Return a fragment with ``page``'s resources, the workbench's runtime files replaced by the light runtime.

    The light runtime takes the place of ``runtime/1.js``, so it runs after the
    blocks' scripts as 1.js did. A page that loads another workbench runtime
    version is returned unchanged, because runtime.js implements version 1 only.
    """
    runtime_files = {static(f"workbench/{path}"): path for path in WORKBENCH_RUNTIME_FILES}
    runtime_folder = static("workbench/js/runtime/")
    resources = page.resources
    for resource in resources:
        if resource.kind == "url" and resource.data.startswith(runtime_folder) and resource.data not in runtime_files:
            return page

    light = Fragment()
    for resource in resources:
        path = runtime_files.get(resource.data) if resource.kind == "url" else None
        if path == WORKBENCH_RUNTIME_1:
            resource = FragmentResource("url", static(LIGHT_RUNTIME), JAVASCRIPT, resource.placement)
        elif path is not None:
            continue
        if resource.kind == "url":
            light.add_resource_url(resource.data, resource.mimetype, resource.placement)
        else:
            light.add_resource(resource.data, resource.mimetype, resource.placement)
    return light
