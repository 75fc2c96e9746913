"""
Build hooks for tutor-contrib-digital-skills; the metadata is in pyproject.toml.

The sdist and the wheel both carry a bundle: a wheel of the matching
digital-skills-xblocks release and a copy of the course exports. Both come
from outside this folder, so they are added here rather than listed as
package data.
"""

import importlib.util
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))


def load_bundle_module():
    """Import tutordigitalskills.bundle without importing the plugin (and Tutor)."""
    sys.path.insert(0, HERE)
    try:
        spec = importlib.util.spec_from_file_location(
            "tutordigitalskills.bundle",
            os.path.join(HERE, "tutordigitalskills", "bundle.py"),
            submodule_search_locations=None,
        )
        import tutordigitalskills  # noqa: F401  (parent package for the relative import)

        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(HERE)


class BuildPyWithBundle(build_py):
    def run(self):
        super().run()
        # Editable installs read the checkout directly, see bundle.find_checkout().
        if getattr(self, "editable_mode", False):
            return
        bundle = load_bundle_module()
        bundle.build_bundle(os.path.join(self.build_lib, "tutordigitalskills", "bundle"))


class SdistWithBundle(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        bundle = load_bundle_module()
        bundle.build_bundle(os.path.join(base_dir, "tutordigitalskills", "bundle"))


setup(cmdclass={"build_py": BuildPyWithBundle, "sdist": SdistWithBundle})
