"""Django settings for the local preview site and the runtime tests.

The preview runs the XBlock SDK's ``workbench`` app (its WorkbenchRuntime,
handler views and ``XBlockState`` model) on SQLite. Its models ship without
migrations, so the tables are created with ``migrate --run-syncdb``.
"""

import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

DEBUG = os.environ.get("DIGITAL_SKILLS_PREVIEW_DEBUG", "") == "1"
# The preview only listens on loopback; the key protects nothing beyond CSRF there.
SECRET_KEY = os.environ.get("DIGITAL_SKILLS_PREVIEW_SECRET", "digital-skills-local-preview-only")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.abspath(os.environ.get("DIGITAL_SKILLS_PREVIEW_DB", os.path.join("var", "preview.sqlite3"))),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "workbench",
    "digital_skills_xblocks.preview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Learners on slow mobile data get pages compressed, as an LMS behind nginx sends them.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless ?lang=en chose English; Accept-Language is ignored.
    "digital_skills_xblocks.preview.middleware.PreviewLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "digital_skills_xblocks.preview.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

# Vietnamese first; English when ?lang=en stores that choice in a cookie.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [os.path.join(os.path.dirname(BASE_DIR), "translations", "django")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "/static/"
STATIC_ROOT = os.path.abspath(os.path.join("var", "static"))

# Inline the runtime's and the blocks' scripts and styles into each page, so a page needs one
# round trip; DIGITAL_SKILLS_PREVIEW_INLINE=0 serves them as separate files (the benchmark
# counts a block's bytes per file that way).
PREVIEW_INLINE_RESOURCES = os.environ.get("DIGITAL_SKILLS_PREVIEW_INLINE", "1") != "0"

# Unit pages whose XBlocks all come from this package load preview/runtime.js, an XBlock JS
# runtime without jQuery, in place of the workbench's jQuery and runtime/1.js (light_runtime.py).
# DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME=0 keeps the workbench's runtime on every page.
PREVIEW_LIGHT_RUNTIME = os.environ.get("DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME", "1") != "0"

WORKBENCH = {
    "reset_state_on_restart": False,
    "services": {
        "i18n": "digital_skills_xblocks.common.i18n.PackageI18nService",
    },
}
EXCLUDED_XBLOCKS = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DIGITAL_SKILLS_LOG_LEVEL", "WARNING")},
}
