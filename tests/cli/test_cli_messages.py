"""Messages of `pack` and `preview` that tell the user what to do next."""

import os
import socket
import subprocess
import sys

from digital_skills_xblocks.cli import main
from olx_samples import make_course


def test_pack_refusal_explains_force(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "vertical", "don_vi_2.xml"))

    code = main(["--language", "en", "pack", course, "-o", str(tmp_path / "khoa.tar.gz")])
    err = capsys.readouterr().err

    assert code == 1
    assert not (tmp_path / "khoa.tar.gz").exists()
    assert "add --force to write the archive anyway" in err
    assert "Fix them, or use --force" not in err


def test_pack_refusal_in_vietnamese(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    os.remove(os.path.join(course, "vertical", "don_vi_2.xml"))

    main(["--language", "vi", "pack", course, "-o", str(tmp_path / "khoa.tar.gz")])
    err = capsys.readouterr().err

    assert "thêm --force để vẫn ghi tệp nén" in err


def test_busy_port_suggests_another(tmp_path):
    course = make_course(tmp_path / "course")
    environment = dict(os.environ, LANGUAGE="en")
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DIGITAL_SKILLS_PREVIEW_DB", None)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        result = subprocess.run(
            [sys.executable, "-m", "digital_skills_xblocks.cli", "preview", course, "--port", str(port),
             "--db", str(tmp_path / "preview.sqlite3")],
            capture_output=True, text=True, env=environment, timeout=120, check=False)

    assert result.returncode == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "make preview PORT=" in result.stderr
    assert "Serving the preview" not in result.stdout
