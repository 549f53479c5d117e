"""Build the vote benchmark's SQLite database: open reviews and gatekeepers with tokens.

Usage: python bench/votes/setup.py REVIEWS VOTERS [DATA]
with JALON_WORKFLOWS_DIR (holding bench.yaml) and DATABASE_URL=sqlite:///... set.
Writes DATA (default: bench/votes/data.lua), the tokens and review ids for wrk's votes.lua.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app import create_app
from app.auth.services import create_user, issue_token
from app.extensions import db
from app.projects.services import create_project
from app.projects.submission import submit_review


def build(reviews: int, voters: int) -> tuple[list[int], list[str]]:
    """Create the database, `reviews` open reviews, `voters` gatekeepers; ids and tokens."""
    app = create_app()
    with app.app_context():
        db.create_all()
        manager = create_user("bench-manager", "bench-password", roles=["manager"])
        review_ids = []
        for index in range(reviews):
            project = create_project(manager, f"Bench {index}", "bench")
            review_ids.append(submit_review(manager, project, {}).id)
        tokens = []
        for index in range(voters):
            user = create_user(f"bench-gk{index}", "bench-password", roles=["gatekeeper"])
            tokens.append(issue_token(user, name="bench")[0])
        db.session.commit()
    return review_ids, tokens


def main(reviews: int, voters: int, data: Path) -> None:
    review_ids, tokens = build(reviews, voters)
    data.write_text(
        "REVIEWS = {" + ",".join(map(str, review_ids)) + "}\n"
        "TOKENS = {" + ",".join(f'"{t}"' for t in tokens) + "}\n"
    )


if __name__ == "__main__":
    default = Path(__file__).with_name("data.lua")
    main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else default)
