"""Translation for the blocks: the runtime's i18n service plus our shipped catalogs.

Strings are English msgids. The Vietnamese catalog for Python and templates
ships in the layout Open edX loads for XBlocks,
``translations/<lang>/LC_MESSAGES/text.mo``. JavaScript strings ship as one
catalog per area, ``public/js/translations/<lang>/<area>.js`` (egov, quiz,
studio), which a block adds to its fragment and which adds its strings to
``window.DigitalSkillsI18N``.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache

from xblock.core import XBlock, XBlockMixin

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATIONS_DIR = os.path.join(PACKAGE_DIR, "translations")
JS_CATALOG_PATH = "public/js/translations/{lang}/{domain}.js"
JS_NAMESPACE = "DigitalSkillsI18N"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def current_language() -> str:
    """Return the active Django language code, or 'en' outside a request."""
    try:
        from django.utils import translation  # pylint: disable=import-outside-toplevel
    except ImportError:
        return "en"
    return translation.get_language() or "en"


def base_language(language: str) -> str:
    """Return the primary subtag: 'vi' for 'vi-VN' or 'vi_VN'."""
    return language.replace("_", "-").split("-")[0].lower()


# Languages whose decimal separator is a comma (Vietnamese writes 7,75 điểm).
DECIMAL_COMMA_LANGUAGES = {"vi", "fr", "de", "es", "pt", "id", "ru"}


def format_number(value: float, language: str | None = None) -> str:
    """Return ``value`` rounded to two decimals, without trailing zeros, with the language's decimal mark."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if base_language(language or current_language()) in DECIMAL_COMMA_LANGUAGES:
        text = text.replace(".", ",")
    return text


@lru_cache(maxsize=16)
def catalog_for(language: str) -> gettext.NullTranslations:
    """Return our shipped catalog for ``language``, or a no-op catalog when none ships."""
    return gettext.translation(
        "text", localedir=TRANSLATIONS_DIR, languages=[base_language(language)], fallback=True
    )


class PackageI18nService:
    """An XBlock ``i18n`` service that reads this package's catalogs.

    It does what the platform's XBlockI18nService does for an installed block
    (load ``text.mo`` for the current Django language), so the preview and
    the tests translate exactly as the LMS does. Other attributes fall through
    to ``django.utils.translation``.
    """

    runtime = None

    def gettext(self, message: str) -> str:
        return catalog_for(current_language()).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return catalog_for(current_language()).ngettext(singular, plural, count)

    ugettext = gettext
    ungettext = ngettext

    def __getattr__(self, name):
        # XBlock's {% trans %} tag merges the service into Django's catalog through
        # the gettext attributes (_catalog, plural, _info, _fallback), so those come
        # from our catalog; everything else from django.utils.translation.
        catalog = catalog_for(current_language())
        if hasattr(catalog, name):
            return getattr(catalog, name)
        from django.utils import translation  # pylint: disable=import-outside-toplevel

        return getattr(translation, name)


@XBlock.needs("i18n")
class I18nMixin(XBlockMixin):
    """Give a block ``self._`` through the runtime's i18n service and a JS catalog helper."""

    i18n_js_namespace = JS_NAMESPACE

    def _(self, message: str) -> str:
        service = self.runtime.service(self, "i18n")
        return service.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        service = self.runtime.service(self, "i18n")
        return service.ngettext(singular, plural, count)

    @staticmethod
    def js_catalog_path(domain: str) -> str | None:
        """Return the package path of the ``domain`` JS catalog ("egov", "quiz", "studio") for the current language.

        None when none ships for that language, as for English.
        """
        path = JS_CATALOG_PATH.format(lang=base_language(current_language()), domain=domain)
        if os.path.exists(os.path.join(PACKAGE_DIR, path)):
            return path
        return None
