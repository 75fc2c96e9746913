"""Loading and rendering of package files (templates, JS, CSS)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

PACKAGE = "digital_skills_xblocks"


@lru_cache(maxsize=64)
def load_text(path: str) -> str:
    """Return the UTF-8 text of a package file given as a path relative to the package root."""
    return resources.files(PACKAGE).joinpath(path).read_text(encoding="utf-8")


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
