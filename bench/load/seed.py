"""Add the load benchmark's people, projects and documents to a database holding the demo.

Usage: DATABASE_URL=... JALON_DATA_DIR=... python -m bench.load.seed OUT.json
after ``jalon db upgrade`` and ``jalon demo seed``. Everything goes through the app's own
services (accounts, projects, library documents with their versions and index tasks), as
a PMO's own use would write it. OUT.json tells the locustfile who logs in and what exists.

Each manager gets projects on `stage-gate` at its first gate, whose criteria are all
answerable (no deliverable, no training required): a manager can submit it, two gatekeepers
voting `recycle` decide it and send it back to the same gate, so submissions and votes can go
on for as long as the benchmark runs.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from app import create_app
from app.auth.services import create_user, get_user_by_username
from app.demo.library import _walk as walk_to
from app.extensions import db
from app.library.documents import create_document
from app.projects.definitions import get_definition
from app.projects.services import create_project
from bench.library.corpus import document as corpus_document

PASSWORD = "bench-load-password"
MANAGERS = 60
GATEKEEPERS = 40
STAFF = 100
PROJECTS_PER_MANAGER = 5
DOCUMENTS = 300
TEAMS = [f"Load team {n}" for n in range(10)]
WORKFLOW = "stage-gate"
SEED = 20261207
DOCUMENT_FIELDS = ("kind", "title", "summary", "body", "methodology", "language", "stage")


def _people(prefix: str, count: int, role: str) -> list:
    return [
        create_user(
            f"{prefix}{n}",
            PASSWORD,
            roles=[role],
            teams=[TEAMS[n % len(TEAMS)]],
            display_name=f"{prefix.capitalize()} {n:03d}",
        )
        for n in range(count)
    ]


def _documents(authors: list, pmo: object, rng: random.Random) -> list[int]:
    """Library documents from bench/library's generator, mostly published; the published ids."""
    now = datetime.now(UTC)
    ids = []
    for n in range(DOCUMENTS):
        row = corpus_document(rng, n, [0], now)
        fields = {name: row[name] for name in DOCUMENT_FIELDS}
        doc = create_document(rng.choice(authors), reason="Load benchmark", **fields)
        walk_to(doc, row["status"], pmo)
        if row["status"] == "published":
            ids.append(doc.id)
    return ids


def main(out: Path) -> None:
    rng = random.Random(SEED)
    app = create_app()
    with app.app_context():
        if get_user_by_username("load-manager0") is not None:
            sys.exit("the load benchmark's people are already there: start from a new database")
        pmo = get_user_by_username("pmo")
        managers = _people("load-manager", MANAGERS, "manager")
        gatekeepers = _people("load-gatekeeper", GATEKEEPERS, "gatekeeper")
        staff = _people("load-staff", STAFF, "staff")
        projects: dict[str, list[int]] = {}
        for manager in managers:
            projects[manager.username] = [
                create_project(
                    manager,
                    f"{manager.display_name} project {n}",
                    WORKFLOW,
                    budget=Decimal(rng.randrange(50, 2000) * 1000),
                ).id
                for n in range(PROJECTS_PER_MANAGER)
            ]
        db.session.commit()
        documents = _documents(managers, pmo, rng)
        db.session.commit()  # indexes the documents after the commit
        gate = get_definition(WORKFLOW).gates[0]
        answers = {c.key: True if c.must_meet else rng.randint(3, 5) for c in gate.criteria}
        data = {
            "password": PASSWORD,
            "managers": projects,
            "gatekeepers": [user.username for user in gatekeepers],
            "staff": [user.username for user in staff],
            "documents": documents,
            "answers": answers,
        }
    out.write_text(json.dumps(data, indent=1))
    total = MANAGERS * PROJECTS_PER_MANAGER
    print(f"load seed: {MANAGERS + GATEKEEPERS + STAFF} people, {total} projects,", end=" ")
    print(f"{DOCUMENTS} documents -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
