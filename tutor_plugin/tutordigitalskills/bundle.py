"""
Locate and copy what the openedx image needs from this project: the
digital-skills-xblocks package and the course exports.

Two layouts are supported:

- a repository checkout (the plugin installed with ``pip install -e``): the
  XBlocks source tree and ``course_exports/`` are read from the checkout, so
  the image always gets the code as it is on disk;
- a built distribution (sdist or wheel): ``setup.py`` stored a wheel of
  digital-skills-xblocks and a copy of the course exports under
  ``tutordigitalskills/bundle/`` at build time.

This module imports nothing from Tutor because ``setup.py`` uses it too.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import typing as t
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from .__about__ import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLE_DIR = PACKAGE_DIR / "bundle"
XBLOCKS_DISTRIBUTION = "digital-skills-xblocks"
WHEEL_NAME = f"digital_skills_xblocks-{__version__}-py3-none-any.whl"

# Files of the XBlocks source tree that `pip install <dir>` needs.
SOURCE_TREE_FILES = ("setup.py", "MANIFEST.in", "README.md", "README.vi.md", "LICENSE")
SOURCE_TREE_PACKAGE = "digital_skills_xblocks"
IGNORED_NAMES = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".*")

# A course.xml is a few hundred bytes; the cap keeps a stray large file from
# being parsed.
MAX_COURSE_XML_BYTES = 1_000_000
COURSE_DIR_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
KEY_PART_PATTERN = re.compile(r"^[A-Za-z0-9._~-]+$")


class BundleError(Exception):
    """Raised when the XBlocks package or a course export cannot be found or read."""


@dataclasses.dataclass(frozen=True)
class Course:
    """A course export directory and the course key Studio gives it on import."""

    directory: str
    org: str
    number: str
    run: str

    @property
    def key(self) -> str:
        return f"course-v1:{self.org}+{self.number}+{self.run}"


def find_checkout() -> t.Optional[Path]:
    """Return the repository root when the plugin runs from a checkout, else None."""
    root = PACKAGE_DIR.parent.parent
    if (root / "setup.py").is_file() and (root / SOURCE_TREE_PACKAGE / "__init__.py").is_file():
        return root
    return None


def read_checkout_version(root: Path) -> str:
    """Read ``__version__`` of digital_skills_xblocks from a checkout without importing it."""
    init_text = (root / SOURCE_TREE_PACKAGE / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', init_text, re.MULTILINE)
    if not match:
        raise BundleError(f"__version__ is missing from {root / SOURCE_TREE_PACKAGE / '__init__.py'}")
    return match.group(1)


def xblocks_install_name() -> str:
    """
    Return the name, inside ``digitalskills/xblocks/`` of the build context, of
    what pip installs: the source directory in a checkout, the wheel otherwise.
    """
    if find_checkout() is not None:
        return f"{XBLOCKS_DISTRIBUTION}-{__version__}"
    return WHEEL_NAME


def courses_source() -> Path:
    """Return the folder that contains one sub-folder per course export."""
    checkout = find_checkout()
    if checkout is not None:
        return checkout / "course_exports"
    return BUNDLE_DIR / "course_exports"


def list_courses(source: t.Optional[Path] = None) -> list[Course]:
    """List the course exports (folders with a course.xml), sorted by folder name."""
    source = source if source is not None else courses_source()
    if not source.is_dir():
        return []
    courses = []
    for entry in sorted(source.iterdir()):
        if entry.is_dir() and (entry / "course.xml").is_file():
            courses.append(read_course(entry))
    return courses


def read_course(directory: Path) -> Course:
    """
    Read org, course number and run from ``<directory>/course.xml``.

    The names end up in shell commands, so anything outside the characters
    Open edX allows in a course key is rejected.
    """
    if not COURSE_DIR_PATTERN.match(directory.name):
        raise BundleError(
            f"Invalid course export folder name {directory.name!r}: use letters, digits, '.', '_' or '-'."
        )
    course_xml = directory / "course.xml"
    data = course_xml.read_bytes()
    if len(data) > MAX_COURSE_XML_BYTES:
        raise BundleError(f"{course_xml} is larger than {MAX_COURSE_XML_BYTES} bytes.")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise BundleError(f"{course_xml} contains a DOCTYPE or an entity, which course exports never need.")
    try:
        # NOTE: course.xml files come from this repository, not from users, and
        # DOCTYPE/ENTITY are rejected above, so the standard parser is enough;
        # the XBlocks' safe_xml helper is not installed next to Tutor.
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BundleError(f"{course_xml} is not well-formed XML: {error}") from error

    values = {}
    for attribute in ("org", "course", "url_name"):
        value = root.get(attribute, "")
        if not KEY_PART_PATTERN.match(value):
            raise BundleError(
                f"{course_xml}: attribute {attribute}={value!r} is missing or invalid; "
                "use letters, digits, '.', '_', '~' or '-'."
            )
        values[attribute] = value
    return Course(directory.name, values["org"], values["course"], values["url_name"])


def copy_to_build_context(build_dir: Path) -> None:
    """
    Copy the XBlocks package and the course exports into
    ``<build_dir>/xblocks`` and ``<build_dir>/courses``, byte for byte.

    Both folders are emptied first so that a course removed from the project
    does not linger in the image.
    """
    xblocks_dir = build_dir / "xblocks"
    courses_dir = build_dir / "courses"
    for folder in (xblocks_dir, courses_dir):
        if folder.exists():
            shutil.rmtree(folder)
    xblocks_dir.mkdir(parents=True)

    checkout = find_checkout()
    if checkout is not None:
        copy_source_tree(checkout, xblocks_dir / xblocks_install_name())
    else:
        wheel = BUNDLE_DIR / "xblocks" / WHEEL_NAME
        if not wheel.is_file():
            raise BundleError(
                f"The XBlocks wheel {wheel} is missing from this installation of the plugin; "
                "reinstall tutor-contrib-digital-skills from its sdist or wheel."
            )
        shutil.copy2(wheel, xblocks_dir / WHEEL_NAME)

    source = courses_source()
    if source.is_dir():
        shutil.copytree(source, courses_dir, ignore=IGNORED_NAMES)
    else:
        courses_dir.mkdir(parents=True)


def copy_source_tree(checkout: Path, destination: Path) -> None:
    """Copy the files `pip install` needs from the XBlocks checkout."""
    version = read_checkout_version(checkout)
    if version != __version__:
        raise BundleError(
            f"digital-skills-xblocks {version} in {checkout} does not match the plugin version "
            f"{__version__}; set the same version in both."
        )
    destination.mkdir(parents=True)
    for name in SOURCE_TREE_FILES:
        if (checkout / name).is_file():
            shutil.copy2(checkout / name, destination / name)
    shutil.copytree(
        checkout / SOURCE_TREE_PACKAGE, destination / SOURCE_TREE_PACKAGE, ignore=IGNORED_NAMES
    )


def build_bundle(destination: t.Union[str, Path]) -> None:
    """
    Write ``destination/xblocks/<wheel>`` and ``destination/course_exports`` for
    a built distribution of the plugin.

    From a checkout the wheel is built from the repository root; from an
    unpacked sdist the bundle that the sdist carries is copied.
    """
    destination = Path(destination)
    if destination.exists():
        shutil.rmtree(destination)
    checkout = find_checkout()
    if checkout is None:
        if not (BUNDLE_DIR / "xblocks" / WHEEL_NAME).is_file():
            raise BundleError(
                f"Cannot build the plugin: neither a repository checkout nor {BUNDLE_DIR} was found."
            )
        if destination.resolve() != BUNDLE_DIR.resolve():
            shutil.copytree(BUNDLE_DIR, destination, ignore=IGNORED_NAMES)
        return

    version = read_checkout_version(checkout)
    if version != __version__:
        raise BundleError(
            f"digital-skills-xblocks {version} does not match the plugin version {__version__}."
        )
    (destination / "xblocks").mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work_dir:
        # The wheel is built from a copy so that the build leaves no build/ or
        # egg-info folder in the checkout.
        source = Path(work_dir) / "source"
        copy_source_tree(checkout, source)
        subprocess.run(
            [
                sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                "--no-build-isolation", "--wheel-dir", str(destination / "xblocks"), str(source),
            ],
            check=True,
        )
    if not (destination / "xblocks" / WHEEL_NAME).is_file():
        built = os.listdir(destination / "xblocks")
        raise BundleError(f"Expected {WHEEL_NAME} after building digital-skills-xblocks, found {built}.")
    if (checkout / "course_exports").is_dir():
        shutil.copytree(checkout / "course_exports", destination / "course_exports", ignore=IGNORED_NAMES)
