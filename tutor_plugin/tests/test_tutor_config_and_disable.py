"""Operator settings win over the plugin's, bad settings are rejected, and disabling cleans up."""

from __future__ import annotations

import yaml

from conftest import TutorProject


def test_operator_values_win(project: TutorProject) -> None:
    project.run("plugins", "enable", "digitalskills")
    project.run(
        "config", "save",
        "--set", "PLATFORM_NAME=Operator Academy",
        "--set", "LANGUAGE_CODE=en",
        "--set", "DIGITALSKILLS_PRIMARY_COLOR=#FF0000",
        "--set", "DIGITALSKILLS_XBLOCKS_SOURCE=digital-skills-xblocks==0.1.0",
    )
    lms = yaml.safe_load(project.read("apps/openedx/config/lms.env.yml"))
    assert lms["PLATFORM_NAME"] == "Operator Academy"
    assert lms["LANGUAGE_CODE"] == "en"
    assert "openedx-language-preference=en;" in project.read("apps/caddy/Caddyfile")
    assert "$primary: #FF0000;" in project.read(
        "build/openedx/themes/digitalskills/lms/static/sass/partials/lms/theme/_variables.scss"
    )
    dockerfile = project.read("build/openedx/Dockerfile")
    assert "$PIP_COMMAND install 'digital-skills-xblocks==0.1.0'" in dockerfile
    assert "/openedx/digitalskills-xblocks/" not in dockerfile


def test_platform_name_follows_our_setting(project: TutorProject) -> None:
    project.run("plugins", "enable", "digitalskills")
    project.run("config", "save", "--set", "DIGITALSKILLS_PLATFORM_NAME=Học số")
    lms = yaml.safe_load(project.read("apps/openedx/config/lms.env.yml"))
    assert lms["PLATFORM_NAME"] == "Học số"


def test_invalid_settings_rejected(project: TutorProject) -> None:
    project.run("plugins", "enable", "digitalskills")
    cases = {
        "DIGITALSKILLS_PRIMARY_COLOR=blue": "Invalid DIGITALSKILLS_PRIMARY_COLOR",
        "DIGITALSKILLS_XBLOCKS_SOURCE=x'; rm -rf /": "Invalid DIGITALSKILLS_XBLOCKS_SOURCE",
        "DIGITALSKILLS_FOOTER_LINKS=[1, 2]": "Invalid DIGITALSKILLS_FOOTER_LINKS",
        "DIGITALSKILLS_COURSES=all": "Invalid DIGITALSKILLS_COURSES",
    }
    for setting, message in cases.items():
        result = project.run("config", "save", "--set", setting, check=False)
        assert result.returncode != 0, setting
        assert message in result.stdout + result.stderr, setting
        project.run("config", "save", "--unset", setting.split("=")[0])


def test_disable_and_clean_leave_nothing(project: TutorProject) -> None:
    project.run("plugins", "enable", "digitalskills")
    project.run("config", "save")
    assert (project.env_dir / "build/openedx/digitalskills").is_dir()

    project.run("plugins", "disable", "digitalskills")
    project.run("config", "save", "--clean")

    leftovers = [
        str(path.relative_to(project.env_dir))
        for path in project.env_dir.rglob("*")
        if "digitalskills" in path.name.lower()
    ]
    assert leftovers == []
    for path in project.env_dir.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".yml", ".jsx", ".ini", "") and path.stat().st_size < 2_000_000:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "digitalskills" not in text.lower(), path
            assert "digital-skills" not in text.lower(), path
    config = yaml.safe_load((project.root / "config.yml").read_text(encoding="utf-8"))
    assert "LANGUAGE_CODE" not in config
    assert not [name for name in config if name.startswith("DIGITALSKILLS_")]
