"""Packaging for the digital-skills-xblocks distribution."""

import os
import re

from setuptools import find_namespace_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read_version():
    """Read __version__ from the package without importing it."""
    with open(os.path.join(HERE, "digital_skills_xblocks", "__init__.py"), encoding="utf-8") as init_file:
        match = re.search(r'^__version__ = "([^"]+)"', init_file.read(), re.MULTILINE)
    if not match:
        raise RuntimeError("__version__ is missing from digital_skills_xblocks/__init__.py")
    return match.group(1)


def read_readme():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as readme:
        return readme.read()


setup(
    name="digital-skills-xblocks",
    version=read_version(),
    description="Open edX XBlocks for practising online public services and digital citizenship, in Vietnamese",
    long_description=read_readme(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    # Namespace discovery also lists the data folders (templates, static, translations),
    # so setuptools ships them without warning that they are not packages.
    packages=find_namespace_packages(include=["digital_skills_xblocks", "digital_skills_xblocks.*"]),
    include_package_data=True,
    package_data={
        "digital_skills_xblocks": [
            "*/templates/*.html",
            "*/static/*/*",
            "*/scenarios/*.xml",
            "*/templates_library/*.xml",
            "public/js/translations/*/*.js",
            "translations/*/LC_MESSAGES/*",
            "preview/templates/*/*.html",
            "preview/static/*/*",
        ],
    },
    python_requires=">=3.11",
    # The openedx image already ships XBlock, Django and lxml: these ranges
    # admit the versions of Open edX Verawood (XBlock 6, Django 5.2) without
    # pinning one release.
    install_requires=[
        "XBlock>=5.1,<7",
        "web-fragments>=2.2",
        "lxml>=4.9,<7",
        "nh3>=0.2.14,<1",
    ],
    extras_require={
        "preview": [
            "xblock-sdk>=0.12,<1",
            "Django>=4.2,<6",
            # xblock.django.request, which the SDK's handler view imports, needs it.
            "lazy>=1.4",
        ],
    },
    entry_points={
        "xblock.v1": [
            "egov_simulation = digital_skills_xblocks.egov.block:EgovSimulationBlock",
            "citizenship_quiz = digital_skills_xblocks.quiz.block:CitizenshipQuizBlock",
        ],
        "console_scripts": [
            "digital-skills = digital_skills_xblocks.cli:main",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Natural Language :: Vietnamese",
    ],
)
