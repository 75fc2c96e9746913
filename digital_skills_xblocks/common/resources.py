"""Loading and rendering of package files (templates, JS, CSS)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from xblock.utils.resources import ResourceLoader

PACKAGE = "digital_skills_xblocks"
loader = ResourceLoader(PACKAGE)


@lru_cache(maxsize=64)
def load_text(path: str) -> str:
    """Return the UTF-8 text of a package file given as a path relative to the package root."""
    return resources.files(PACKAGE).joinpath(path).read_text(encoding="utf-8")


def render_template(path: str, context: dict, i18n_service) -> str:
    """Render a Django template from the package with the block's i18n service for {% trans %}."""
    return loader.render_django_template(path, context, i18n_service=i18n_service)
