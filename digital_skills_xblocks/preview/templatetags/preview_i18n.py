"""``{% trans "..." %}`` for the preview's templates, read from this package's own catalog.

Django's i18n tags read the ``django`` gettext domain, but the package ships
its strings in the ``text`` domain that Open edX loads for XBlocks.
"""

from django import template

from digital_skills_xblocks.common.i18n import catalog_for, current_language

register = template.Library()


@register.simple_tag(name="trans")
def translate(message: str) -> str:
    return catalog_for(current_language()).gettext(message)
