"""Start the preview site: set up Django on a SQLite file, load the courses and serve HTTP.

``serve()`` runs in the foreground for ``digital-skills preview``.
``start_in_thread()`` and ``start_process()`` start it on a free loopback
port for tests: the first in this process, the second as a separate process
(a fresh process is how a restart is tested).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEFAULT_DB = os.path.join("var", "preview.sqlite3")
READY_LINE = re.compile(r"Serving the preview at (http://\S+)")


def is_loopback(host: str) -> bool:
    """Return True for localhost and loopback IP addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def setup_django(db_path: str | None = None) -> None:
    """Configure Django for the preview and create the tables; safe to call twice in one process.

    ``db_path`` is read only when Django is not set up yet, because the
    settings module reads DIGITAL_SKILLS_PREVIEW_DB once.
    """
    import django  # pylint: disable=import-outside-toplevel
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    if not apps.ready:
        if db_path:
            db_path = os.path.abspath(db_path)
            os.makedirs(os.path.dirname(db_path), exist_ok=True)
            os.environ["DIGITAL_SKILLS_PREVIEW_DB"] = db_path
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digital_skills_xblocks.preview.settings")
        django.setup()
    # The workbench's models ship without migrations, hence --run-syncdb.
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def load_courses(course_dirs: list[str]):
    """Read the courses into the preview's registry; return them."""
    from .courses import REGISTRY  # pylint: disable=import-outside-toplevel

    return REGISTRY.load(course_dirs)


def make_server(host: str, port: int):
    """Return a threaded WSGI server bound to ``host``:``port`` (0 picks a free port)."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # pylint: disable=import-outside-toplevel
    from django.core.wsgi import get_wsgi_application  # pylint: disable=import-outside-toplevel

    ipv6 = ":" in host
    server = ThreadedWSGIServer((host.strip("[]"), port), WSGIRequestHandler, ipv6=ipv6)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    return server


def server_url(server) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(course_dirs: list[str], host: str = "127.0.0.1", port: int = 8000, db_path: str = DEFAULT_DB) -> None:
    """Serve the courses until interrupted (the ``preview`` command)."""
    setup_django(db_path)
    # Bind before reading the courses, so a busy port is reported at once.
    server = make_server(host, port)
    try:
        courses = load_courses(course_dirs)
    except BaseException:
        server.server_close()
        raise
    for course in courses:
        errors = sum(1 for problem in course.export.problems if problem.severity == "error")
        print(f"  {course.slug}: {course.title} ({len(course.units)} units, {errors} errors while reading) "
              f"<- {course.directory}", flush=True)
    # The preview shows what it can read; the validator's course-wide rules run only on request.
    print("Run 'digital-skills validate DIR' for the full check of a course before you import it.", flush=True)
    print(f"Serving the preview at {server_url(server)} (press Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.server_close()


@dataclass
class RunningPreview:
    """A preview started for tests: its base URL and how to stop it."""

    url: str
    server: object | None = None
    thread: threading.Thread | None = None
    process: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=10)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_in_thread(course_dirs: list[str], host: str = "127.0.0.1") -> RunningPreview:
    """Load the courses and serve them from a thread of this process on a free port.

    Django must use the database the caller wants before this is called
    (the tests' conftest points it at a temporary file).
    """
    setup_django()
    load_courses(course_dirs)
    server = make_server(host, 0)
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    return RunningPreview(server_url(server), server=server, thread=thread)


def start_process(course_dirs: list[str], db_path: str, timeout: float = 60.0,
                  env: dict | None = None, launcher: list[str] | None = None) -> RunningPreview:
    """Run ``digital-skills preview`` in a new process on a free loopback port and wait until it serves.

    ``launcher`` replaces ``python -m digital_skills_xblocks.cli``, for example
    with a script that registers extra XBlocks before calling ``cli.main``.
    """
    command = [*(launcher or [sys.executable, "-m", "digital_skills_xblocks.cli"]), "preview", *course_dirs,
               "--port", "0", "--db", db_path]
    process_env = dict(os.environ)
    process_env.pop("DJANGO_SETTINGS_MODULE", None)
    process_env.pop("DIGITAL_SKILLS_PREVIEW_DB", None)
    process_env["PYTHONUNBUFFERED"] = "1"
    process_env.update(env or {})
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=process_env)
    lines: queue.Queue = queue.Queue()
    # The reader thread keeps draining the log, so the server does not block on a full pipe.
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + timeout
    output = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        output.append(line)
        match = READY_LINE.search(line)
        if match:
            return RunningPreview(match.group(1), process=process)
    process.kill()
    process.wait(timeout=10)
    raise RuntimeError(f"the preview did not start within {timeout} s:\n" + "".join(output))


def _read_lines(stream, lines: "queue.Queue[str | None]") -> None:
    for line in stream:
        if lines.qsize() < 1000:
            lines.put(line)
    lines.put(None)


def free_port(host: str = "127.0.0.1") -> int:
    """Return a port that was free on ``host`` a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
