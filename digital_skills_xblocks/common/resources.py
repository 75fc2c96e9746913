"""Loading and rendering of package files (templates, JS, CSS)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

PACKAGE = "digital_skills_xblocks"

# Whole lines only, so that code, strings and line breaks (and with them JavaScript's automatic
# semicolons) stay as written. The comment pattern stops at the first "*/".
COMMENT_LINES = re.compile(r"^[ \t]*/\*[^*]*\*+(?:[^/*][^*]*\*+)*/[ \t]*(?:\n|$)", re.MULTILINE)
LINE_COMMENT_LINES = re.compile(r"^[ \t]*//[^\n]*(?:\n|$)", re.MULTILINE)
INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)
BLANK_LINES = re.compile(r"\n{2,}")


@lru_cache(maxsize=64)
def load_text(path: str) -> str:
    """Return the UTF-8 text of a package file given as a path relative to the package root."""
    return resources.files(PACKAGE).joinpath(path).read_text(encoding="utf-8")


def compact(code: str, language: str) -> str:
    """Return JavaScript or CSS without its comment lines, indentation and blank lines.

    Only comments that fill whole lines go, and every other line keeps its
    code and its line break. The package's scripts use no template literals or
    multi-line strings, where removing indentation would change a value.
    """
    if language not in ("js", "css"):
        raise ValueError(f"unknown language {language!r}: expected 'js' or 'css'")
    code = COMMENT_LINES.sub("", code)
    if language == "js":
        code = LINE_COMMENT_LINES.sub("", code)
    code = INDENTATION.sub("", code)
    return BLANK_LINES.sub("\n", code).strip() + "\n"


@lru_cache(maxsize=64)
def load_compact(path: str) -> str:
    """Return a package script or stylesheet (by its .js or .css suffix) as ``compact`` makes it.

    Every learner downloads these with each unit, inside the page.
    """
    return compact(load_text(path), path.rsplit(".", 1)[-1])


@lru_cache(maxsize=64)
def compiled_template(path: str):
    """Return the Django template at ``path``, compiled once per process.

    It is compiled as XBlock's ``ResourceLoader.render_django_template`` does,
    with XBlock's ``i18n`` tag library, which translates ``{% trans %}``
    through the ``_i18n_service`` found in the context. Compiling is about half
    the cost of a render, so the compiled template is kept.
    """
    from django.template import Engine, Template  # pylint: disable=import-outside-toplevel
    from django.template.backends.django import get_installed_libraries  # pylint: disable=import-outside-toplevel

    libraries = get_installed_libraries()
    libraries["i18n"] = "xblock.utils.templatetags.i18n"
    return Template(load_text(path), engine=Engine(libraries=libraries))


def render_template(path: str, context: dict, i18n_service) -> str:
    """Render a Django template from the package with the block's i18n service for {% trans %}."""
    from django.template import Context  # pylint: disable=import-outside-toplevel

    return compiled_template(path).render(Context({**context, "_i18n_service": i18n_service}))
