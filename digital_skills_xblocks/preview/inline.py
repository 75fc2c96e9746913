"""Put the script and style files that a page needs into the page itself.

On Chrome DevTools' "Slow 3G" profile one round trip costs 2,000 ms, and a
``<script src>`` or ``<link rel=stylesheet>`` in the page starts another one
after the HTML has arrived. The unit page therefore inlines the files of its
fragments' ``url`` resources: the XBlock JS runtime (the workbench's jQuery
and runtime/1.js, or the preview's runtime.js), other files under
``/static/`` and the XBlocks' package resources under
``/resource/``. Only files of installed packages are inlined. Course files
(``/courses/<slug>/static/``) and other addresses keep their external element.
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve
from django.utils.html import escape
from web_fragments.fragment import Fragment, FragmentResource
from xblock.core import XBlock, XBlockAside
from xblock.plugin import PluginMissingError

log = logging.getLogger(__name__)

JAVASCRIPT = "application/javascript"
CSS = "text/css"
# A file larger than this keeps its external element, so a page never grows without bound.
MAX_INLINE_BYTES = 512 * 1024
# The URL names in urls.py whose files come from installed packages.
STATIC_VIEW = "preview_runtime_static"
PACKAGE_RESOURCE_VIEW = "package_resource"

SCRIPT_END = re.compile(r"</(?=script)", re.IGNORECASE)
STYLE_END = re.compile(r"</(?=style)", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<reference>[^"')\s]+)(?P=quote)\s*\)""", re.IGNORECASE)
ABSOLUTE_REFERENCE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.IGNORECASE)


def escape_script(code: str) -> str | None:
    """Return JavaScript that can sit inside ``<script>``, or None when escaping cannot make it safe.

    ``</script`` becomes ``<\\/script``, which means the same inside JS strings,
    template literals, regular expressions and comments. ``<!--`` followed
    later by ``<script`` would switch the HTML parser into a state where
    ``</script>`` no longer ends the element. No escape means the same in every
    JS context, so such code is not inlined.
    """
    escaped = SCRIPT_END.sub(r"<\\/", code)
    if "<!--" in escaped:
        return None
    return escaped


def escape_style(css: str) -> str:
    """Return CSS that can sit inside ``<style>``: ``</style`` becomes ``<\\/style`` (``\\/`` is ``/`` in CSS)."""
    return STYLE_END.sub(r"<\\/", css)


def absolute_css_urls(css: str, stylesheet_url: str) -> str:
    """Resolve the relative ``url()`` references of a stylesheet against its own address.

    Inlined in the page, the references would otherwise resolve against the page's address.
    """
    def resolve_reference(match: re.Match) -> str:
        reference = match.group("reference")
        if ABSOLUTE_REFERENCE.match(reference):
            return match.group(0)
        return f'url("{urljoin(stylesheet_url, reference)}")'

    return CSS_URL.sub(resolve_reference, css)


def package_file_text(url: str) -> str | None:
    """Return the text of the package file that ``url`` serves on this site, or None.

    None means the address is not one of the preview's package-file views, the
    file is missing, too large or not UTF-8. Those resources keep their external element.
    """
    path = urlsplit(url).path
    if not path.startswith("/") or path.startswith("//") or url.startswith("//"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None

    try:
        if match.url_name == STATIC_VIEW:
            data = read_static_file(match.kwargs["path"])
        elif match.url_name == PACKAGE_RESOURCE_VIEW:
            data = read_package_resource(match.kwargs["block_type"], match.kwargs["resource"])
        else:
            return None
    except Exception as error:  # pylint: disable=broad-except
        # The workbench's package_resource view also turns any failure to open a resource into a 404.
        log.warning("Reading %s for inlining failed, so the page links to it: %s", url, error)
        return None

    if data is None or len(data) > MAX_INLINE_BYTES:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_static_file(path: str) -> bytes | None:
    """Read a file that the static files finders (the installed apps' ``static`` folders) find."""
    found = finders.find(path)
    if not found or not os.path.isfile(found):
        return None
    with open(found, "rb") as stream:
        return stream.read(MAX_INLINE_BYTES + 1)


def read_package_resource(block_type: str, resource: str) -> bytes | None:
    """Read a block's package resource as the workbench's ``package_resource`` view does."""
    try:
        block_class = XBlock.load_class(block_type)
    except PluginMissingError:
        block_class = XBlockAside.load_class(block_type)
    # open_local_resource only opens files under the block's public resource folders.
    with block_class.open_local_resource(resource) as stream:
        return stream.read(MAX_INLINE_BYTES + 1)


def inline_static_css(path: str) -> str | None:
    """Return a file of the static folders as CSS that can sit inside ``<style>``, or None when it is missing."""
    if not getattr(settings, "PREVIEW_INLINE_RESOURCES", True):
        return None
    data = read_static_file(path)
    if data is None:
        return None
    return escape_style(data.decode("utf-8"))


def resource_html(resource: FragmentResource) -> str:
    """Return the HTML of one fragment resource, with package files inlined."""
    if resource.mimetype == JAVASCRIPT and resource.kind == "url":
        text = package_file_text(resource.data)
        code = escape_script(text) if text is not None else None
        if code is not None:
            return f"<script>\n{code}\n</script>"
        return f'<script src="{escape(resource.data)}"></script>'

    if resource.mimetype == CSS and resource.kind == "url":
        text = package_file_text(resource.data)
        # @import and image-set() take bare strings that absolute_css_urls does not rewrite.
        if text is not None and "@import" not in text and "image-set" not in text:
            return f"<style>\n{escape_style(absolute_css_urls(text, resource.data))}\n</style>"
        return f'<link rel="stylesheet" href="{escape(resource.data)}">'

    # The blocks' own code and styles, already inline: escaped too, so they cannot end their element early.
    if resource.mimetype == JAVASCRIPT and resource.kind == "text":
        code = SCRIPT_END.sub(r"<\\/", resource.data)
        return f"<script>\n{code}\n</script>"
    if resource.mimetype == CSS and resource.kind == "text":
        return f"<style>\n{escape_style(resource.data)}\n</style>"
    return Fragment.resource_to_html(resource)


def page_resources_html(fragment: Fragment) -> tuple[str, str]:
    """Return the head and foot HTML of ``fragment``'s resources, in order, each resource once.

    A resource added for both places is kept in the head, which the browser runs first.
    """
    if not getattr(settings, "PREVIEW_INLINE_RESOURCES", True):
        return fragment.head_html(), fragment.foot_html()
    seen: set = set()
    html: dict[str, list[str]] = {"head": [], "foot": []}
    for placement in ("head", "foot"):
        for resource in fragment.resources:
            if resource.placement != placement:
                continue
            key = (resource.kind, resource.data, resource.mimetype)
            if key in seen:
                continue
            seen.add(key)
            html[placement].append(resource_html(resource))
    return "\n".join(html["head"]), "\n".join(html["foot"])
