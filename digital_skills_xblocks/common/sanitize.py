"""One allow-list for author HTML, applied wherever author text leaves the server."""

from __future__ import annotations

from functools import lru_cache

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul", "figure", "figcaption", "caption",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title", "class"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "scope"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Callers pass author content, which every render and handler call would clean again. The
# result depends only on the text, so each distinct text is cleaned once per process.
@lru_cache(maxsize=4096)
def sanitize_html(html: str) -> str:
    """Return ``html`` with scripts, event handlers, styles and unknown tags removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=4096)
def plain_text(html: str) -> str:
    """Return the text of ``html`` with every tag removed, for titles and labels."""
    return nh3.clean(html or "", tags=set(), attributes={})
