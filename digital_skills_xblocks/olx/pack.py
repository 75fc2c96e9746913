"""Write a course export as the reproducible .tar.gz archive that Studio imports.

Studio's import accepts an archive whose course.xml sits at the root or in one
top-level folder; this module writes everything under ``course/``. The same
input always gives the same bytes: entries are sorted, owners and times are
fixed and the gzip header carries no name and no time.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import os
import tarfile
import tempfile
from dataclasses import dataclass


TOP_FOLDER = "course"
JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "__pycache__", ".git", ".svn", ".hg", ".idea"})
JUNK_PATTERNS = ("*.pyc", "*.pyo", "*~", "*.swp", "*.swo", "*.bak", "*.orig", "*.tmp", "#*#", ".#*")


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation; the CLI translates it when it prints the error."""
    return message


class PackError(Exception):
    """Raised when the archive cannot be written; the message gives the reason and the fix.

    ``template`` is an English msgid with ``{name}`` placeholders filled from
    ``values``; :meth:`translated` renders it in the reader's language.
    """

    def __init__(self, template: str, **values: object):
        self.template = template
        self.values = values
        super().__init__(template.format(**values))

    def translated(self, translate) -> str:
        return translate(self.template).format(**self.values)


@dataclass(frozen=True)
class PackedFile:
    """One file of the archive: its path inside the course folder and on disk."""

    relative: str
    path: str


def is_junk(name: str) -> bool:
    """Return True for hidden files, editor backups and caches that Studio must not receive."""
    if name in JUNK_NAMES or name.startswith("."):
        return True
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in JUNK_PATTERNS)


def collect_files(course_dir: str) -> tuple[list[str], list[PackedFile], list[str]]:
    """Return the folders and files to pack (sorted) and the paths that were skipped.

    Symbolic links are skipped, so the archive cannot pull in files from
    outside the course.
    """
    folders: list[str] = []
    files: list[PackedFile] = []
    skipped: list[str] = []
    for current, dirnames, filenames in os.walk(course_dir):
        relative_dir = os.path.relpath(current, course_dir)
        relative_dir = "" if relative_dir == "." else relative_dir.replace(os.sep, "/")
        kept = []
        for name in sorted(dirnames):
            relative = f"{relative_dir}/{name}" if relative_dir else name
            if is_junk(name) or os.path.islink(os.path.join(current, name)):
                skipped.append(relative + "/")
            else:
                kept.append(name)
                folders.append(relative)
        dirnames[:] = kept
        for name in sorted(filenames):
            relative = f"{relative_dir}/{name}" if relative_dir else name
            path = os.path.join(current, name)
            if is_junk(name) or os.path.islink(path) or not os.path.isfile(path):
                skipped.append(relative)
            else:
                files.append(PackedFile(relative, path))
    folders.sort()
    files.sort(key=lambda item: item.relative)
    return folders, files, sorted(skipped)


def source_date_epoch() -> int:
    """Return SOURCE_DATE_EPOCH as an int, or 0 when it is unset or invalid."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def _tar_info(name: str, kind: bytes, mode: int, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def archive_bytes(course_dir: str, mtime: int | None = None) -> tuple[bytes, list[str]]:
    """Return the .tar.gz bytes of ``course_dir`` and the list of skipped paths."""
    mtime = source_date_epoch() if mtime is None else mtime
    folders, files, skipped = collect_files(course_dir)
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        archive.addfile(_tar_info(TOP_FOLDER, tarfile.DIRTYPE, 0o755, 0, mtime))
        entries = [(folder, None) for folder in folders] + [(item.relative, item) for item in files]
        for relative, item in sorted(entries, key=lambda entry: entry[0]):
            name = f"{TOP_FOLDER}/{relative}"
            if item is None:
                archive.addfile(_tar_info(name, tarfile.DIRTYPE, 0o755, 0, mtime))
                continue
            with open(item.path, "rb") as source:
                data = source.read()
            archive.addfile(_tar_info(name, tarfile.REGTYPE, 0o644, len(data), mtime), io.BytesIO(data))

    gzip_buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of the output name and the clock.
    with gzip.GzipFile(filename="", mode="wb", fileobj=gzip_buffer, mtime=0, compresslevel=9) as compressed:
        compressed.write(tar_buffer.getvalue())
    return gzip_buffer.getvalue(), skipped


def _inside(path: str, folder: str) -> bool:
    path = os.path.realpath(path)
    folder = os.path.realpath(folder)
    return path == folder or path.startswith(folder + os.sep)


def pack_course(course_dir: str, output: str, mtime: int | None = None) -> list[str]:
    """Write the archive of ``course_dir`` to ``output`` atomically; return the skipped paths.

    Raises PackError when the output would land inside the course or cannot
    be written. Validation is the caller's job (the CLI refuses courses with
    errors unless --force).
    """
    if not os.path.isfile(os.path.join(course_dir, "course.xml")):
        raise PackError(gettext_noop("{path} has no course.xml; give the top folder of a course export"),
                        path=course_dir)
    if _inside(output, course_dir):
        raise PackError(gettext_noop("The output {path} is inside the course directory; write it somewhere else"),
                        path=output)
    output_dir = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(output_dir):
        raise PackError(gettext_noop("The folder {path} does not exist; create it first"), path=output_dir)
    if os.path.isdir(output):
        raise PackError(gettext_noop("{path} is a folder; give a file name such as course.tar.gz"), path=output)

    data, skipped = archive_bytes(course_dir, mtime)
    try:
        handle, temporary = tempfile.mkstemp(prefix=".pack-", suffix=".tmp", dir=output_dir)
    except OSError as error:
        raise PackError(gettext_noop("Cannot write in {path}: {error}"), path=output_dir,
                        error=error.strerror) from error
    try:
        with os.fdopen(handle, "wb") as target:
            target.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise PackError(gettext_noop("Cannot write {path}: {error}"), path=output, error=error.strerror) from error
    return skipped
