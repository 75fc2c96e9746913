"""`digital-skills pack` of each course, unpacked and parsed again, gives the same blocks with the same fields."""

import copy
import itertools
import os
import tarfile
from pathlib import Path

import pytest

from digital_skills_xblocks.cli import main
from digital_skills_xblocks.olx.reader import OUR_BLOCK_TAGS, read_course


REPO = Path(__file__).resolve().parents[2]
COURSES = sorted(
    path for path in (REPO / "course_exports").iterdir()
    if (path / "course.xml").is_file() and any((path / tag).is_dir() for tag in OUR_BLOCK_TAGS)
)
_scenarios = itertools.count()


def block_fields(export, runtime_class, id_manager) -> dict:
    """Return {(tag, url_name): {field: (value, explicitly set)}} for every block of ours in the course."""
    from xblock.fields import Scope

    id_manager.set_scenario(f"pack-roundtrip-{next(_scenarios)}")
    runtime = runtime_class("author")
    found = {}
    for node in export.nodes():
        if node.tag not in OUR_BLOCK_TAGS or node.element is None:
            continue
        element = copy.deepcopy(node.element)
        element.attrib.pop("url_name", None)
        block = runtime.get_block(runtime._usage_id_from_node(element, None))  # pylint: disable=protected-access
        found[(node.tag, node.url_name)] = {
            name: (field.to_json(getattr(block, name)), field.is_set_on(block))
            for name, field in block.fields.items()
            if field.scope in (Scope.content, Scope.settings)
        }
    return found


@pytest.mark.parametrize("course", COURSES, ids=lambda path: path.name)
def test_pack_roundtrip_same_fields(django_db, tmp_path, course):
    from workbench.runtime import ID_MANAGER, WorkbenchRuntime

    archive = tmp_path / "course.tar.gz"
    assert main(["pack", str(course), "-o", str(archive), "--force"]) == 0
    with tarfile.open(archive, "r:gz") as packed:
        packed.extractall(tmp_path / "unpacked", filter="data")

    original = read_course(str(course))
    unpacked = read_course(str(tmp_path / "unpacked" / "course"))

    before = block_fields(original, WorkbenchRuntime, ID_MANAGER)
    after = block_fields(unpacked, WorkbenchRuntime, ID_MANAGER)
    assert before, f"{course.name} has no egov_simulation or citizenship_quiz block"
    assert sorted(before) == sorted(after)
    for key, fields in before.items():
        assert fields == after[key], key
    assert [node.url_name for node in original.nodes()] == [node.url_name for node in unpacked.nodes()]
    assert len(os.listdir(tmp_path / "unpacked")) == 1
