"""
Build the plugin's sdist and wheel, install each into a fresh virtualenv and
render an environment with it: the bundled XBlocks wheel and course exports
must reach the build context without the repository checkout.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import PLUGIN_DIR, REPO_ROOT, make_project

WHEEL_NAME = "digital_skills_xblocks-0.1.0-py3-none-any.whl"


def run(*command: str, cwd: Path | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command} failed\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.fixture(scope="module")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend comes from this virtualenv, so the
    # build needs no network.
    run(sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out), str(PLUGIN_DIR))
    return out


def test_versions_match() -> None:
    sys.path.insert(0, str(PLUGIN_DIR))
    from tutordigitalskills import bundle
    from tutordigitalskills.__about__ import __version__

    assert bundle.read_checkout_version(REPO_ROOT) == __version__


def test_distributions_contain_everything(dist_dir: Path) -> None:
    sdist = next(dist_dir.glob("*.tar.gz"))
    wheel = next(dist_dir.glob("*.whl"))
    with tarfile.open(sdist) as archive:
        sdist_names = {"/".join(name.split("/")[1:]) for name in archive.getnames()}
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = set(archive.namelist())
    templates = PLUGIN_DIR / "tutordigitalskills"
    expected = [
        str(path.relative_to(PLUGIN_DIR))
        for folder in ("patches", "templates")
        for path in (templates / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    expected.append(f"tutordigitalskills/bundle/xblocks/{WHEEL_NAME}")
    expected.append("tutordigitalskills/bundle/course_exports/dich-vu-cong-truc-tuyen/course.xml")
    for name in expected:
        assert name in sdist_names, f"{name} missing from the sdist"
        assert name in wheel_names, f"{name} missing from the wheel"


@pytest.mark.parametrize("kind", ["whl", "tar.gz"])
def test_installed_distribution_renders(kind: str, dist_dir: Path, tmp_path: Path) -> None:
    distribution = next(dist_dir.glob(f"*.{kind}"))
    environment = tmp_path / "venv"
    # The fresh virtualenv imports the packages of this one (tutor and its
    # dependencies), so only the plugin is installed, without the network.
    venv.create(environment, system_site_packages=False, with_pip=False)
    site_packages = next((Path(sys.prefix) / "lib").glob("python3*/site-packages"))
    target_site = next((environment / "lib").glob("python3*/site-packages"))
    (target_site / "test-parent-packages.pth").write_text(str(site_packages) + "\n", encoding="utf-8")
    python = environment / "bin" / "python"
    run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
        "--no-deps", "--no-build-isolation", "--no-index", str(distribution),
    )

    # The installed copy, not the checkout, must be the one Tutor loads.
    located = subprocess.run(
        [str(python), "-c", "import tutordigitalskills, sys; sys.stdout.write(tutordigitalskills.__file__)"],
        capture_output=True, text=True, cwd=str(tmp_path), check=True,
    ).stdout
    assert str(environment) in located

    tutor_bin = tmp_path / "tutor"
    tutor_bin.write_text(f"#!{python}\nfrom tutor.commands.cli import main\nmain()\n", encoding="utf-8")
    tutor_bin.chmod(0o755)
    project = make_project(tmp_path, tutor_bin)
    project.run("plugins", "enable", "digitalskills")
    project.run("config", "save")

    build = project.env_dir / "build/openedx"
    wheel = build / "digitalskills/xblocks" / WHEEL_NAME
    assert wheel.is_file()
    with zipfile.ZipFile(wheel) as archive:
        assert "digital_skills_xblocks/__init__.py" in archive.namelist()
    assert f"install '/openedx/digitalskills-xblocks/{WHEEL_NAME}'" in (build / "Dockerfile").read_text(encoding="utf-8")
    original = REPO_ROOT / "course_exports/dich-vu-cong-truc-tuyen/course.xml"
    assert (build / "digitalskills/courses/dich-vu-cong-truc-tuyen/course.xml").read_bytes() == original.read_bytes()
    lms = yaml.safe_load((project.env_dir / "apps/openedx/config/lms.env.yml").read_text(encoding="utf-8"))
    assert lms["LANGUAGE_CODE"] == "vi"
