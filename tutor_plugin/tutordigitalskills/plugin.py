"""
Tutor plugin ``digitalskills``: a branded, Vietnamese-first Open edX with the
digital-skills XBlocks installed and the curriculum ready to import.

Read top to bottom: configuration, image, templates, patches, init task and
``do`` command, micro-frontend slots.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

import click
import importlib_resources
from tutor import config as tutor_config
from tutor import exceptions, hooks
from tutor.types import Config

from . import bundle, importing
from .__about__ import __version__

TEMPLATES_ROOT = str(importlib_resources.files("tutordigitalskills") / "templates")
PATCHES_ROOT = str(importlib_resources.files("tutordigitalskills") / "patches")
LMS_URL = "{% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ LMS_HOST }}"

################# Configuration

DEFAULTS: dict[str, t.Any] = {
    "VERSION": __version__,
    "PLATFORM_NAME": "Kỹ năng số cho mọi người",
    "WELCOME_MESSAGE": "Học kỹ năng số, dùng dịch vụ công trực tuyến an toàn và tự tin.",
    "PRIMARY_COLOR": "#1A56A0",
    # URLs of the shipped assets; point them at other files to rebrand.
    "LOGO_URL": LMS_URL + "/static/digitalskills/images/logo.png",
    "LOGO_WHITE_URL": LMS_URL + "/static/digitalskills/images/logo-white.png",
    "FAVICON_URL": LMS_URL + "/static/digitalskills/images/favicon.ico",
    "BRAND_CSS_URL": LMS_URL + "/static/digitalskills/css/brand.css",
    "FOOTER_LINKS": [
        {"title": "Giới thiệu", "url": "/about"},
        {"title": "Điều khoản sử dụng", "url": "/tos"},
        {"title": "Chính sách quyền riêng tư", "url": "/privacy"},
        {"title": "Trợ giúp", "url": "/help"},
    ],
    "TIME_ZONE": "Asia/Ho_Chi_Minh",
    # Course export folders (or course keys) to import; empty means all.
    "COURSES": [],
    "IMPORT_ON_INIT": False,
    # "bundled": install the XBlocks from the build context. Anything else is
    # passed to pip: "digital-skills-xblocks==0.2.0" or "git+https://...@v0.2.0".
    "XBLOCKS_SOURCE": "bundled",
}

# Tutor core settings that this plugin overrides. Tutor saves them in
# config.yml; a value the operator sets with `tutor config save --set` replaces
# them, and disabling the plugin removes them. Overrides are rendered before
# plugin defaults are loaded, so they must be literal values.
OVERRIDES: dict[str, t.Any] = {
    "LANGUAGE_CODE": "vi",
    # Pull only the Vietnamese translations at build time: English is the
    # source language and needs none.
    "ATLAS_OPTIONS": "--filter=vi",
}

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [(f"DIGITALSKILLS_{key}", value) for key, value in DEFAULTS.items()]
)
hooks.Filters.CONFIG_OVERRIDES.add_items(list(OVERRIDES.items()))

# Defaults of other settings that follow ours. They are defaults, not
# overrides, because they refer to DIGITALSKILLS_* values, which only exist
# once defaults are loaded. The last default of a name wins, so these are
# added with a low priority, after Tutor core and Indigo; a value the
# operator sets (config.yml) still wins over any default.
FOLLOWING_DEFAULTS: dict[str, str] = {
    "PLATFORM_NAME": "{{ DIGITALSKILLS_PLATFORM_NAME }}",
    "INDIGO_PRIMARY_COLOR": "{{ DIGITALSKILLS_PRIMARY_COLOR }}",
    "INDIGO_WELCOME_MESSAGE": "{{ DIGITALSKILLS_WELCOME_MESSAGE }}",
}


@hooks.Filters.CONFIG_DEFAULTS.add(priority=hooks.priorities.LOW)
def _follow_digitalskills_settings(items: list[tuple[str, t.Any]]) -> list[tuple[str, t.Any]]:
    names = {name for name, _value in items}
    for name, value in FOLLOWING_DEFAULTS.items():
        # Indigo settings are only given a default when Indigo declared them.
        if name in names:
            items.append((name, value))
    return items


COLOR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Characters that would break out of the quoted Dockerfile or shell words.
UNSAFE_SOURCE_PATTERN = re.compile(r"['\"\\\n\r`$]")


@hooks.Actions.CONFIG_LOADED.add()
def _validate_config(config: Config) -> None:
    """Reject settings that would produce a broken image or broken pages."""
    color = config.get("DIGITALSKILLS_PRIMARY_COLOR")
    if not isinstance(color, str) or not COLOR_PATTERN.match(color):
        raise exceptions.TutorError(
            f"Invalid DIGITALSKILLS_PRIMARY_COLOR {color!r}: use a hex colour such as #1A56A0."
        )

    source = config.get("DIGITALSKILLS_XBLOCKS_SOURCE")
    if not isinstance(source, str) or not source.strip() or UNSAFE_SOURCE_PATTERN.search(source):
        raise exceptions.TutorError(
            f"Invalid DIGITALSKILLS_XBLOCKS_SOURCE {source!r}: use 'bundled', a requirement such as "
            "'digital-skills-xblocks==0.1.0' or a URL such as 'git+https://host/repo.git@v0.1.0', "
            "without quotes, '$', '`' or backslashes."
        )

    links = config.get("DIGITALSKILLS_FOOTER_LINKS")
    if not isinstance(links, list) or not all(
        isinstance(link, dict) and isinstance(link.get("title"), str) and isinstance(link.get("url"), str)
        for link in links
    ):
        raise exceptions.TutorError(
            "Invalid DIGITALSKILLS_FOOTER_LINKS: use a list of {title: ..., url: ...} entries, "
            'for instance --set \'DIGITALSKILLS_FOOTER_LINKS=[{"title": "Trợ giúp", "url": "/help"}]\'.'
        )

    courses = config.get("DIGITALSKILLS_COURSES")
    if not isinstance(courses, list) or not all(isinstance(name, str) for name in courses):
        raise exceptions.TutorError(
            f"Invalid DIGITALSKILLS_COURSES {courses!r}: use a list of course export folder names or course keys."
        )


################# Image

@hooks.Filters.CONFIG_DEFAULTS.add(priority=hooks.priorities.LOW)
def _suffix_openedx_image(items: list[tuple[str, t.Any]]) -> list[tuple[str, t.Any]]:
    """
    Tag the openedx image "...-digitalskills", so that Kubernetes never pulls
    the stock image, which lacks our XBlocks. The last value wins, which keeps
    the suffixes of other plugins (Indigo adds "-indigo").
    """
    image = ""
    for name, value in items:
        if name == "DOCKER_IMAGE_OPENEDX":
            image = value
    if image and not image.endswith("-digitalskills"):
        items.append(("DOCKER_IMAGE_OPENEDX", f"{image}-digitalskills"))
    return items


hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(
    [
        ("DIGITALSKILLS_XBLOCKS_INSTALL_NAME", bundle.xblocks_install_name()),
    ]
)


@hooks.Actions.ENV_SAVED.add()
def _copy_bundle_to_build_context(root_env: str, _config: Config) -> None:
    """
    Copy the XBlocks package and the course exports into the openedx build
    context. They are copied with shutil, not rendered: course exports and
    wheels contain binary files and text that looks like Jinja markup.
    """
    try:
        bundle.copy_to_build_context(Path(root_env) / "build" / "openedx" / "digitalskills")
    except bundle.BundleError as error:
        raise exceptions.TutorError(str(error)) from error


################# Templates

hooks.Filters.ENV_TEMPLATE_ROOTS.add_item(TEMPLATES_ROOT)
hooks.Filters.ENV_TEMPLATE_TARGETS.add_items(
    [
        # -> env/build/openedx/digitalskills/ (static files, tasks)
        ("digitalskills/", "build/openedx"),
        # -> env/build/openedx/themes/digitalskills/, compiled by the openedx Dockerfile
        ("themes/digitalskills/", "build/openedx"),
    ]
)
# Tutor skips "partials" folders by default, but the theme's SCSS partials are
# the files that carry the colour.
hooks.Filters.ENV_PATTERNS_INCLUDE.add_items(
    [r"themes/digitalskills/lms/static/sass/partials/lms/theme/"]
)

# Tutor copies only some extensions as binary (.png, .ico, ... but not .gif or
# .svg); everything else goes through Jinja. Our images must arrive byte for byte.
BINARY_SUFFIXES = (".png", ".ico", ".gif", ".svg", ".jpg", ".webp", ".woff", ".woff2")


@hooks.Filters.IS_FILE_RENDERED.add()
def _copy_our_images_verbatim(rendered: bool, path: str) -> bool:
    if path.startswith(("digitalskills/", "themes/digitalskills/")) and path.lower().endswith(BINARY_SUFFIXES):
        return False
    return rendered


################# Patches

# Settings patches come after those of other plugins (Indigo, MFE), so that the
# values of this plugin, which operators set through DIGITALSKILLS_*, are final.
for patch_file in sorted(Path(PATCHES_ROOT).iterdir()):
    if patch_file.name.startswith("."):
        continue
    hooks.Filters.ENV_PATCHES.add_item(
        (patch_file.name, patch_file.read_text(encoding="utf-8")),
        priority=hooks.priorities.LOW,
    )


################# Init task and `do importdigitalskills`

RELEASE_VIETNAMESE_TASK = """
# tutor-contrib-digital-skills: release {{ LANGUAGE_CODE }} in the language
# selector and make it the default for new users (DarkLangConfig), keeping the
# languages already released.
./manage.py lms shell -c "
from openedx.core.djangoapps.dark_lang.models import DarkLangConfig
current = DarkLangConfig.current()
released = [code for code in current.released_languages_list if code] if current.enabled else []
if '{{ LANGUAGE_CODE }}' not in released:
    released.append('{{ LANGUAGE_CODE }}')
    DarkLangConfig.objects.create(enabled=True, released_languages=','.join(released))
    print('Released languages: ' + ','.join(released))
"
"""

hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", RELEASE_VIETNAMESE_TASK))
hooks.Filters.CLI_DO_INIT_TASKS.add_item(
    ("cms", importing.init_task_template(bundle.list_courses())),
    # After the core cms task, which runs the migrations.
    priority=hooks.priorities.LOW,
)


@click.command(name="importdigitalskills")
@click.argument("courses", nargs=-1, metavar="[COURSE]...")
def importdigitalskills(courses: tuple[str, ...]) -> t.Iterable[tuple[str, str]]:
    """
    Import the digital-skills courses into Studio.

    COURSE is a folder of course_exports/ or a course key. Without COURSE,
    import the courses listed in DIGITALSKILLS_COURSES, or all of them when
    that list is empty. Importing again updates a course in place.
    """
    requested: list[str] = list(courses)
    if not requested:
        context = click.get_current_context().find_root().obj
        root = getattr(context, "root", None)
        if root is not None:
            requested = list(tutor_config.load(root).get("DIGITALSKILLS_COURSES") or [])

    try:
        selected = importing.select_courses(bundle.list_courses(), requested)
    except (ValueError, bundle.BundleError) as error:
        raise click.BadParameter(str(error), param_hint="COURSE") from error
    if not selected:
        raise click.ClickException(
            f"No course export found in {bundle.courses_source()}: nothing to import."
        )
    yield ("cms", importing.import_script(selected))


hooks.Filters.CLI_DO_COMMANDS.add_item(importdigitalskills)


################# Micro-frontends

# The footer widget is defined by the mfe-env-config-buildtime-definitions
# patch. It is added only when tutor-mfe is installed.
try:
    from tutormfe.hooks import PLUGIN_SLOTS
except ImportError:  # pragma: no cover - depends on the operator's plugins
    PLUGIN_SLOTS = None

if PLUGIN_SLOTS is not None:
    PLUGIN_SLOTS.add_item(
        (
            "all",
            "org.openedx.frontend.layout.footer.v1",
            """
        {
            op: PLUGIN_OPERATIONS.Insert,
            widget: {
                id: 'digitalskills_footer',
                type: DIRECT_PLUGIN,
                priority: 60,
                RenderWidget: DigitalSkillsFooter,
            },
        }""",
        )
    )
