"""Demo people of every role, in two teams."""

from __future__ import annotations

from app.auth.services import create_user, get_or_create_team, get_user_by_username

DEMO_PASSWORD = "jalon-demo"  # noqa: S105 - published demo password, shown at start

DEMO_TEAMS = {
    "PMO": "Project Management Office: method, portfolio, training.",
    "Digital": "Digital products and IT projects.",
    "Operations": "Plants, logistics and industrial projects.",
}

# username, display name, roles, teams
DEMO_USERS: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("admin", "Ada Admin", ("admin",), ("PMO",)),
    ("pmo", "Paule Martin", ("pmo",), ("PMO",)),
    ("manager", "Marc Durand", ("manager",), ("Digital",)),
    ("manager2", "Maya Chen", ("manager",), ("Operations",)),
    ("gatekeeper", "Gaëlle Keller", ("gatekeeper",), ("PMO",)),
    ("gatekeeper2", "Gérard Roux", ("gatekeeper",), ("Operations",)),
    ("gatekeeper3", "Grace Hopper", ("gatekeeper",), ("Digital",)),
    ("gatekeeper4", "Nadia Haddad", ("gatekeeper",), ("Operations",)),
    ("manager3", "Camille Lefèvre", ("manager",), ("Digital",)),
    ("manager4", "Oliver Grant", ("manager",), ("Operations",)),
    ("manager5", "Inès Benali", ("manager",), ("Digital",)),
    ("manager6", "Lucas Moreau", ("manager",), ("Operations",)),
    ("staff", "Sam Petit", ("staff",), ("Digital",)),
    ("staff2", "Sofia Rossi", ("staff",), ("Operations",)),
]


def seed_accounts() -> str:
    created = 0
    for name, description in DEMO_TEAMS.items():
        team = get_or_create_team(name)
        team.description = team.description or description
    for username, display_name, roles, teams in DEMO_USERS:
        if get_user_by_username(username) is None:
            create_user(
                username,
                DEMO_PASSWORD,
                roles=roles,
                teams=teams,
                display_name=display_name,
                email=f"{username}@jalon.example",
            )
            created += 1
    return f"accounts: {created} created, {len(DEMO_USERS) - created} already there"
