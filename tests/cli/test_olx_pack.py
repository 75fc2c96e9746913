"""`digital-skills pack`: the archive layout Studio imports, byte for byte reproducible."""

import gzip
import os
import tarfile

from digital_skills_xblocks.cli import main
from digital_skills_xblocks.olx.pack import archive_bytes, pack_course
from digital_skills_xblocks.olx.reader import read_course
from olx_samples import REAL_OLX, make_course, write


def tree(root):
    found = {}
    for current, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(current, name)
            with open(path, "rb") as source:
                found[os.path.relpath(path, root)] = source.read()
    return found


def test_archive_layout(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    output = tmp_path / "out" / "course.tar.gz"
    output.parent.mkdir()

    assert main(["pack", course, "-o", str(output)]) == 0
    assert "Wrote" in capsys.readouterr().out

    with tarfile.open(output, "r:gz") as archive:
        members = archive.getmembers()
    names = [member.name for member in members]
    assert names[0] == "course"
    assert "course/course.xml" in names
    assert all(name == "course" or name.startswith("course/") for name in names)
    assert names == sorted(names)
    for member in members:
        assert member.mtime == 0
        assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
        assert member.mode == (0o755 if member.isdir() else 0o644)


def test_gzip_header_has_no_name_or_time(tmp_path):
    course = make_course(tmp_path / "course")
    data, _skipped = archive_bytes(course)

    flags = data[3]
    assert flags & 0x08 == 0, "the gzip header names a file"
    assert data[4:8] == b"\0\0\0\0", "the gzip header carries a time"


def test_same_input_same_bytes(tmp_path):
    course = make_course(tmp_path / "course")
    first = tmp_path / "first.tar.gz"
    second = tmp_path / "second.tar.gz"

    pack_course(course, str(first))
    os.utime(os.path.join(course, "course.xml"), (1_000_000, 1_000_000))
    pack_course(course, str(second))

    assert first.read_bytes() == second.read_bytes()


def test_source_date_epoch_sets_times(tmp_path, monkeypatch):
    course = make_course(tmp_path / "course")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    data, _skipped = archive_bytes(course)
    output = tmp_path / "dated.tar.gz"
    output.write_bytes(data)

    with tarfile.open(output, "r:gz") as archive:
        assert {member.mtime for member in archive.getmembers()} == {1700000000}


def test_unpacked_tree_reads_the_same(tmp_path):
    course = make_course(tmp_path / "course", with_simulation=True)
    output = tmp_path / "course.tar.gz"
    pack_course(course, str(output))
    unpacked = tmp_path / "unpacked"

    with tarfile.open(output, "r:gz") as archive:
        archive.extractall(unpacked, filter="data")

    assert tree(unpacked / "course") == tree(course)
    original = read_course(course)
    again = read_course(str(unpacked / "course"))
    assert [(node.tag, node.url_name) for node in again.nodes()] == \
        [(node.tag, node.url_name) for node in original.nodes()]
    assert again.problems == original.problems == []


def test_junk_excluded(tmp_path):
    course = make_course(tmp_path / "course")
    for junk in (".DS_Store", "html/gioi_thieu.html~", "html/.gioi_thieu.html.swp", "__pycache__/x.pyc",
                 "static/.hidden", "vertical/don_vi_1.xml.bak", ".git/config"):
        write(course, junk, "junk")
    os.symlink("/etc/hostname", os.path.join(course, "static", "link.txt"))

    data, skipped = archive_bytes(course)
    output = tmp_path / "course.tar.gz"
    output.write_bytes(data)

    with tarfile.open(output, "r:gz") as archive:
        names = archive.getnames()
    assert not any(os.path.basename(name).startswith(".") for name in names)
    assert not any(name.endswith(("~", ".bak", ".pyc")) or "__pycache__" in name for name in names)
    assert "course/static/link.txt" not in names
    assert "course/static/hinh.png" in names
    assert "static/link.txt" in skipped


def test_refuses_course_with_errors(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "vertical", "don_vi_2.xml"))
    output = tmp_path / "course.tar.gz"

    assert main(["pack", course, "-o", str(output)]) == 1
    assert not output.exists()
    assert "--force" in capsys.readouterr().err

    assert main(["pack", course, "-o", str(output), "--force"]) == 0
    assert output.exists()


def test_refuses_output_inside_course(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    before = tree(course)

    assert main(["pack", course, "-o", os.path.join(course, "course.xml")]) == 1

    assert "inside the course directory" in capsys.readouterr().err
    assert tree(course) == before


def test_unwritable_output(tmp_path, capsys):
    course = make_course(tmp_path / "course")

    assert main(["pack", course, "-o", str(tmp_path / "no" / "such" / "dir.tar.gz")]) == 1
    assert "does not exist" in capsys.readouterr().err

    assert main(["pack", course, "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_replaces_existing_archive(tmp_path):
    course = make_course(tmp_path / "course")
    output = tmp_path / "course.tar.gz"
    output.write_bytes(b"old")

    pack_course(course, str(output))

    assert gzip.decompress(output.read_bytes())
    assert [name for name in os.listdir(tmp_path) if name.startswith(".pack-")] == []


def test_demo_course_packs(tmp_path):
    output = tmp_path / "demo.tar.gz"

    assert main(["pack", os.path.join(REAL_OLX, "openedx-demo-course"), "-o", str(output)]) == 0

    with tarfile.open(output, "r:gz") as archive:
        assert "course/course.xml" in archive.getnames()
