"""A server worker starts without the libraries only some requests need.

Parsing uploads (pypdf, python-docx, python-pptx, openpyxl's reader) happens in the sandbox's
child process, writing XLSX or PDF files (openpyxl, reportlab) loads them with the first file
asked for, and language detection (py3langid and numpy) with the first text to detect: together
they weigh about 70 MB per worker, which the brief's memory target (< 150 MB RSS per worker)
cannot afford for requests most workers never serve.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ON_DEMAND = ("pypdf", "docx", "pptx", "openpyxl", "reportlab", "py3langid", "numpy")


def test_starting_the_server_loads_no_file_library(tmp_path: Path) -> None:
    script = (
        "import json, sys; import wsgi; "
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({ON_DEMAND!r}))))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jalon.db'}",
        "JALON_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "imports",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
