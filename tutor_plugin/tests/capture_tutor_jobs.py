"""
Run the `tutor` command line with Docker and the Kubernetes API patched out
(no docker command is ever started),
and print as JSON the commands Tutor would have run.

Usage: python capture_tutor_jobs.py local do importdigitalskills [COURSE]...
The real `kubectl kustomize` still runs, offline, because `tutor k8s do`
renders its job from it.
"""

from __future__ import annotations

import json
import sys

from tutor import utils
from tutor.commands import k8s
from tutor import hooks
from tutor.commands.cli import cli

captured: list[dict[str, object]] = []


def fake_execute(*command: str) -> int:
    entry: dict[str, object] = {"command": list(command)}
    if command[:2] == ("kubectl", "apply") and "-f" in command:
        with open(command[command.index("-f") + 1], encoding="utf-8") as manifest:
            entry["manifest"] = manifest.read()
    captured.append(entry)
    return 0


real_check_output = utils.check_output


def fake_check_output(*command: str) -> bytes:
    # Docker is never run: `docker compose ls` answers "no project running".
    if command and command[0] == "docker":
        captured.append({"command": list(command)})
        return b"[]"
    return real_check_output(*command)


utils.execute = fake_execute
utils.check_output = fake_check_output
k8s.K8sTaskRunner.active_job_names = lambda self: []  # type: ignore[method-assign]

exit_code = 0
try:
    hooks.Actions.CORE_READY.do()
    cli.main(sys.argv[1:], standalone_mode=False)
except SystemExit as error:
    exit_code = int(error.code or 0)
except Exception as error:  # reported to the test, which checks the message
    print(json.dumps({"error": f"{type(error).__name__}: {error}", "captured": captured}))
    sys.exit(3)
print(json.dumps({"captured": captured, "exit_code": exit_code}))
