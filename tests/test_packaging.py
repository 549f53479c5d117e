"""A wheel built from the repository is a whole Jalon: no `make`, no checkout needed.

`pip install .` builds such a wheel; the test builds one, unpacks it in a folder of its own and
runs the server's code from there (the dependencies come from the test's environment): the
database migrates, and a French reader gets French pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

SERVE_A_FRENCH_PAGE = """
import app
from app import create_app
from app.extensions import db
from flask_migrate import upgrade

assert app.__file__.startswith(INSTALLED), app.__file__
application = create_app()
with application.app_context():
    upgrade()
page = application.test_client().get("/login", headers={"Accept-Language": "fr"})
assert page.status_code == 200, page.status_code
print(page.get_data(as_text=True))
"""


def test_a_wheel_carries_templates_migrations_and_compiled_catalogues(tmp_path: Path) -> None:
    wheels, installed = tmp_path / "wheels", tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = wheels.glob("jalon-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(installed),
         str(wheel)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    assert (installed / "app/translations/fr/LC_MESSAGES/messages.mo").is_file()
    env = {
        **os.environ,
        "PYTHONPATH": str(installed),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jalon.db'}",
        "JALON_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "wheel",
    }
    script = f"INSTALLED = {str(installed)!r}\n{SERVE_A_FRENCH_PAGE}"
    served = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert served.returncode == 0, served.stderr[-3000:]
    assert "Mot de passe" in served.stdout
