"""The ``digital-skills`` command: preview, validate and pack OLX course exports.

Messages are English by default, for operators. They are Vietnamese when
``--language vi`` is given or, without that option, when the first of the
environment variables LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set
starts with ``vi``.

Exit codes: 0 success, 1 the course has errors (or warnings with --strict)
or the archive could not be written, 2 a usage error (bad option, missing
folder, folder without course.xml).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Callable, Sequence

from digital_skills_xblocks.common.i18n import catalog_for

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class UsageError(Exception):
    """Raised for a command line that cannot run; the message is already translated."""


def environment_language() -> str:
    """Return 'vi' or 'en' from the first locale variable that is set, as gettext does."""
    for name in LANGUAGE_VARIABLES:
        value = os.environ.get(name, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def make_translate(language: str) -> Callable[[str], str]:
    catalog = catalog_for(language)
    return catalog.gettext


def build_parser(_: Callable[[str], str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digital-skills",
        description=_("Preview, check and pack the OLX course exports of the digital-skills courses."),
    )
    parser.add_argument("--language", choices=("en", "vi"),
                        help=_("language of the messages (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG, "
                               "else English)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    preview = commands.add_parser(
        "preview", help=_("serve courses in the XBlock runtime at http://127.0.0.1:8000"),
        description=_("Serve courses locally in the XBlock SDK runtime, with learner state in SQLite."))
    preview.add_argument("course_dirs", nargs="*", metavar="COURSE_DIR",
                         help=_("course export folders, or folders of them, to serve (default: every folder "
                                "of ./course_exports that contains course.xml)"))
    preview.add_argument("--host", default="127.0.0.1",
                         help=_("address to listen on (default: 127.0.0.1; other addresses need "
                                "--allow-remote)"))
    preview.add_argument("--port", type=int, default=8000,
                         help=_("TCP port to listen on; 0 picks a free port (default: 8000)"))
    preview.add_argument("--db", default=os.path.join("var", "preview.sqlite3"),
                         help=_("SQLite file that keeps learner state between runs "
                                "(default: var/preview.sqlite3 in the current folder)"))
    preview.add_argument("--allow-remote", action="store_true",
                         help=_("allow a --host that is not a loopback address; anyone who can reach it "
                                "can use the preview"))

    validate = commands.add_parser(
        "validate", help=_("check a course export's structure, references and block content"),
        description=_("Check a course export. The exit code is 0 only when there are no errors."))
    validate.add_argument("course_dir", metavar="COURSE_DIR", help=_("course export folder (contains course.xml)"))
    validate.add_argument("--strict", action="store_true", help=_("also fail (exit code 1) on warnings"))

    pack = commands.add_parser(
        "pack", help=_("write the .tar.gz archive that Studio imports"),
        description=_("Write a reproducible .tar.gz of a course export for Studio's import page."))
    pack.add_argument("course_dir", metavar="COURSE_DIR", help=_("course export folder (contains course.xml)"))
    pack.add_argument("-o", "--output", required=True, metavar="FILE.tar.gz",
                      help=_("archive file to write; it is replaced atomically if it exists"))
    pack.add_argument("--force", action="store_true", help=_("write the archive even when the course has errors"))
    return parser


def check_course_dir(path: str, _: Callable[[str], str]) -> str:
    if not os.path.isdir(path):
        raise UsageError(_("The folder {path} does not exist").format(path=path))
    if not os.path.isfile(os.path.join(path, "course.xml")):
        raise UsageError(_("{path} has no course.xml; give the top folder of a course export").format(path=path))
    return path


def run_validate(args: argparse.Namespace, _: Callable[[str], str]) -> int:
    from digital_skills_xblocks.olx.validate import validate_course  # pylint: disable=import-outside-toplevel

    course_dir = check_course_dir(args.course_dir, _)
    problems = validate_course(course_dir, _)
    for problem in problems:
        print(problem.format())
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    print(_("{path}: errors: {errors}, warnings: {warnings}").format(path=course_dir, errors=errors,
                                                                 warnings=warnings))
    if errors or (args.strict and warnings):
        return EXIT_FAILED
    return EXIT_OK


def run_pack(args: argparse.Namespace, _: Callable[[str], str]) -> int:
    from digital_skills_xblocks.olx.pack import PackError, pack_course  # pylint: disable=import-outside-toplevel
    from digital_skills_xblocks.olx.validate import has_errors, validate_course  # pylint: disable=import-outside-toplevel

    course_dir = check_course_dir(args.course_dir, _)
    problems = validate_course(course_dir, _)
    if has_errors(problems):
        for problem in problems:
            if problem.severity == "error":
                print(problem.format(), file=sys.stderr)
        if not args.force:
            print(_("The course has errors, so no archive was written. Fix the errors and run pack again, "
                    "or add --force to write the archive anyway: Studio may then reject the import or "
                    "show broken content."), file=sys.stderr)
            return EXIT_FAILED
    try:
        skipped = pack_course(course_dir, args.output)
    except PackError as error:
        print(_("error: {message}").format(message=error.translated(_)), file=sys.stderr)
        return EXIT_FAILED
    for path in skipped:
        print(_("Skipped {path}").format(path=path))
    print(_("Wrote {path}").format(path=args.output))
    return EXIT_OK


def run_preview(args: argparse.Namespace, _: Callable[[str], str]) -> int:
    from digital_skills_xblocks.preview import server  # pylint: disable=import-outside-toplevel
    from digital_skills_xblocks.preview.courses import find_course_dirs  # pylint: disable=import-outside-toplevel

    if not server.is_loopback(args.host) and not args.allow_remote:
        raise UsageError(_("{host} is not a loopback address; the preview has no login, so it listens on "
                           "127.0.0.1 unless you add --allow-remote").format(host=args.host))
    if not 0 <= args.port <= 65535:
        raise UsageError(_("The port must be between 0 and 65535"))
    course_dirs = []
    for path in args.course_dirs:
        # A folder of courses, such as course_exports/, means every course in it.
        inside = find_course_dirs(path) if not os.path.isfile(os.path.join(path, "course.xml")) else []
        course_dirs.extend(inside or [check_course_dir(path, _)])
    if not args.course_dirs:
        course_dirs = find_course_dirs("course_exports")
        if not course_dirs:
            raise UsageError(_("No course to serve: ./course_exports has no folder with course.xml. "
                               "Give course folders as arguments"))
    try:
        server.serve(course_dirs, args.host, args.port, args.db)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(_("error: port {port} on {host} is already in use, perhaps by another preview. "
                    "Pick another port with --port, for example --port {other} (or make preview PORT={other})")
                  .format(host=args.host, port=args.port, other=suggested_port(args.port)), file=sys.stderr)
        else:
            print(_("error: cannot listen on {host}:{port}: {error}").format(
                host=args.host, port=args.port, error=error.strerror or error), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def suggested_port(port: int) -> int:
    """Return a port number to suggest instead of the busy ``port`` (not checked for being free)."""
    return port + 1 if 1024 <= port < 65535 else 8001


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    language = environment_language()
    for index, value in enumerate(argv):
        if value == "--language" and index + 1 < len(argv):
            language = argv[index + 1]
        elif value.startswith("--language="):
            language = value.split("=", 1)[1]
    _ = make_translate(language if language in ("en", "vi") else "en")

    parser = build_parser(_)
    args = parser.parse_args(argv)
    runners = {"validate": run_validate, "pack": run_pack, "preview": run_preview}
    try:
        return runners[args.command](args, _)
    except UsageError as error:
        parser.exit(EXIT_USAGE, _("error: {message}").format(message=error) + "\n")
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
