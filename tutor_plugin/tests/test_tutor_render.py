"""Checks on what `tutor config save` renders with the plugin enabled."""

from __future__ import annotations

import ast
import py_compile
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import PLUGIN_DIR, REPO_ROOT, TutorProject, iter_files

TEMPLATES = PLUGIN_DIR / "tutordigitalskills" / "templates"
BLOCK_PATTERN = re.compile(
    r"# tutor-contrib-digital-skills: begin (?P<name>[\w-]+)\n(?P<body>.*?)# tutor-contrib-digital-skills: end (?P=name)\n",
    re.DOTALL,
)


def test_dockerfile_installs_bundled_xblocks(rendered: TutorProject) -> None:
    dockerfile = rendered.read("build/openedx/Dockerfile")
    install = "$PIP_COMMAND install '/openedx/digitalskills-xblocks/digital-skills-xblocks-0.1.0'"
    assert "--mount=type=bind,source=digitalskills/xblocks,target=/openedx/digitalskills-xblocks,rw" in dockerfile
    assert install in dockerfile
    # Installed before the translation and asset steps, which need the blocks.
    assert dockerfile.index(install) < dockerfile.index("pull_xblock_translations")
    assert "COPY --chown=app:app ./digitalskills/courses/ /openedx/digitalskills/courses/" in dockerfile


def test_build_context_has_xblocks_source(rendered: TutorProject) -> None:
    source = rendered.env_dir / "build/openedx/digitalskills/xblocks/digital-skills-xblocks-0.1.0"
    assert (source / "setup.py").read_bytes() == (REPO_ROOT / "setup.py").read_bytes()
    assert (source / "digital_skills_xblocks/__init__.py").is_file()
    assert not list(source.rglob("__pycache__"))


def test_course_exports_copied_byte_for_byte(rendered: TutorProject) -> None:
    copied = rendered.env_dir / "build/openedx/digitalskills/courses"
    originals = [path for path in (REPO_ROOT / "course_exports").rglob("*") if path.is_file()]
    assert originals, "course_exports/ has no files to compare"
    for original in originals:
        relative = original.relative_to(REPO_ROOT / "course_exports")
        if "__pycache__" in relative.parts or relative.name.startswith("."):
            continue
        assert (copied / relative).read_bytes() == original.read_bytes(), relative


def test_env_yml_language_is_vietnamese(rendered: TutorProject) -> None:
    for name in ("lms.env.yml", "cms.env.yml"):
        settings = yaml.safe_load(rendered.read(f"apps/openedx/config/{name}"))
        assert settings["LANGUAGE_CODE"] == "vi", name
        assert settings["PLATFORM_NAME"] == "Kỹ năng số cho mọi người", name


def test_settings_patches_present(rendered: TutorProject) -> None:
    production = rendered.read("apps/openedx/settings/lms/production.py")
    assert 'TIME_ZONE = "Asia/Ho_Chi_Minh"' in production
    assert 'DEFAULT_SITE_THEME = "digitalskills"' in production
    assert 'MFE_CONFIG["LOGO_URL"] = "http://local.openedx.io/static/digitalskills/images/logo.png"' in production
    cms = rendered.read("apps/openedx/settings/cms/production.py")
    assert 'TIME_ZONE = "Asia/Ho_Chi_Minh"' in cms
    assets = rendered.read("build/openedx/settings/lms/assets.py")
    assert 'STATICFILES_DIRS.append("/openedx/digitalskills/static")' in assets


def test_translations_pulled_for_vietnamese(rendered: TutorProject) -> None:
    dockerfile = rendered.read("build/openedx/Dockerfile")
    assert "atlas pull --repository='openedx/openedx-translations'" in dockerfile
    for line in dockerfile.splitlines():
        if "atlas pull" in line or "pull_xblock_translations" in line or "pull_plugin_translations" in line:
            assert "--filter=vi" in line, line


def _settings_files(project: TutorProject) -> list[Path]:
    files = list(iter_files(project.env_dir / "apps/openedx/settings", (".py",)))
    files += list(iter_files(project.env_dir / "build/openedx/settings", (".py",)))
    return files


@pytest.mark.parametrize("project_name", ["rendered", "rendered_with_indigo"])
def test_settings_modules_compile(project_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    project = request.getfixturevalue(project_name)
    files = _settings_files(project)
    assert len(files) >= 8
    for path in files:
        py_compile.compile(str(path), cfile=str(tmp_path / "compiled.pyc"), doraise=True)


def _assigned_targets(source: str) -> set[str]:
    targets = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            targets.update(ast.unparse(target) for target in node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets.add(ast.unparse(node.target))
    return targets


@pytest.mark.parametrize("project_name", ["rendered", "rendered_with_indigo"])
def test_later_settings_keep_our_values(project_name: str, request: pytest.FixtureRequest) -> None:
    project = request.getfixturevalue(project_name)
    blocks_seen = 0
    for path in _settings_files(project):
        text = path.read_text(encoding="utf-8")
        for match in BLOCK_PATTERN.finditer(text):
            blocks_seen += 1
            ours = _assigned_targets(match.group("body"))
            later = _assigned_targets(text[match.end():]) if text[match.end():].strip() else set()
            overridden = ours & later
            assert not overridden, f"{path}: {sorted(overridden)} set again after {match.group('name')}"
    assert blocks_seen >= 6


def test_theme_and_images_byte_identical(rendered: TutorProject) -> None:
    pairs = []
    for source in (TEMPLATES / "digitalskills").rglob("*"):
        if source.suffix in (".png", ".ico", ".gif", ".svg"):
            pairs.append((source, rendered.env_dir / "build/openedx" / source.relative_to(TEMPLATES)))
    for source in (TEMPLATES / "themes").rglob("*"):
        if source.suffix in (".png", ".ico", ".gif", ".svg"):
            pairs.append((source, rendered.env_dir / "build/openedx" / source.relative_to(TEMPLATES)))
    suffixes = {source.suffix for source, _ in pairs}
    assert suffixes == {".png", ".ico", ".gif", ".svg"}
    for source, target in pairs:
        assert target.read_bytes() == source.read_bytes(), target


def test_theme_colour_and_welcome_rendered(rendered: TutorProject) -> None:
    variables = rendered.read(
        "build/openedx/themes/digitalskills/lms/static/sass/partials/lms/theme/_variables.scss"
    )
    assert "$primary: #1A56A0;" in variables
    overlay = rendered.read("build/openedx/themes/digitalskills/lms/templates/index_overlay.html")
    assert "Học kỹ năng số" in overlay
    assert ":root" in rendered.read("build/openedx/digitalskills/static/digitalskills/css/brand.css")


def test_indigo_follows_our_branding(rendered_with_indigo: TutorProject) -> None:
    variables = rendered_with_indigo.read(
        "build/openedx/themes/indigo/lms/static/sass/partials/lms/theme/_variables.scss"
    )
    assert "$primary: #1A56A0;" in variables
    production = rendered_with_indigo.read("apps/openedx/settings/lms/production.py")
    assert "DEFAULT_SITE_THEME" not in production
    assert 'MFE_CONFIG["INDIGO_FOOTER_NAV_LINKS"]' in production


def test_mfe_footer_slot_and_language_cookie(rendered: TutorProject) -> None:
    env_config = rendered.read("plugins/mfe/build/mfe/env.config.jsx")
    assert "function DigitalSkillsFooter()" in env_config
    assert "RenderWidget: DigitalSkillsFooter" in env_config
    caddyfile = rendered.read("apps/caddy/Caddyfile")
    assert 'request_header @digitalskills_no_language_cookie Accept-Language "vi"' in caddyfile
    assert "openedx-language-preference=vi; Domain=local.openedx.io" in caddyfile


@pytest.mark.parametrize("project_name", ["rendered", "rendered_with_indigo"])
def test_rendered_yaml_parses(project_name: str, request: pytest.FixtureRequest) -> None:
    project = request.getfixturevalue(project_name)
    files = list(iter_files(project.env_dir, (".yml", ".yaml")))
    assert len(files) >= 10
    for path in files:
        list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_image_tag_has_suffix(rendered: TutorProject, rendered_with_indigo: TutorProject) -> None:
    compose = yaml.safe_load(rendered.read("local/docker-compose.yml"))
    assert compose["services"]["lms"]["image"].endswith(":22.0.3-digitalskills")
    compose = yaml.safe_load(rendered_with_indigo.read("local/docker-compose.yml"))
    assert "-digitalskills" in compose["services"]["lms"]["image"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_our_image(rendered: TutorProject) -> None:
    result = subprocess.run(
        ["kubectl", "kustomize", str(rendered.env_dir)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    documents = [document for document in yaml.safe_load_all(result.stdout) if document]
    images = {
        container["image"]
        for document in documents
        if document.get("kind") in ("Deployment", "Job")
        for container in document["spec"]["template"]["spec"]["containers"]
    }
    assert "docker.io/overhangio/openedx:22.0.3-digitalskills" in images
    assert "docker.io/overhangio/openedx:22.0.3" not in images
