"""The governance fixtures (people, projects, reviews) reused for portfolio figures."""

from tests.projects.conftest import (  # noqa: F401  (fixtures register by name)
    api,
    app,
    new_project,
    open_review,
    people,
    snapshot,
    workflows_dir,
)
