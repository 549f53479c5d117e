"""The people of a PMO using Jalon at once: the mixed workload of the product's targets.

Each simulated person thinks 1-3 s between actions and spends them as the targets table
says: pages 50 %, search 20 %, API reads 20 %, gate submissions and votes 10 %. One in
three is a project manager (submits gate 1 on their own projects), two in three are
gatekeepers (vote `recycle` on the reviews managers submitted, which sends each project
back to its gate once two votes decide it, ready to be submitted again). Everybody signs in
twice at the start, as people and scripts do: the login form (with its CSRF token) for
pages, a bearer token from `POST /api/v1/auth/token` for the API.

LOAD_DATA names the JSON written by bench/load/seed.py; LOAD_KINDS, if set, receives the
p50/p95/p99 and errors per kind of request (page, search, api, write, login) at the end,
counted from the moment the LOAD_USERS people have all signed in.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
PASSWORD = DATA["password"]
ANSWERS = DATA["answers"]
SCORES = {key: value for key, value in ANSWERS.items() if not isinstance(value, bool)}
ALL_PROJECTS = [pid for ids in DATA["managers"].values() for pid in ids]
DOCUMENTS = DATA["documents"]
QUERIES = [
    "comité de pilotage",
    "risques",
    "jalon",
    "lessons learned",
    "strategie",
    "budget projet",
    "recette",
    "gouvernance",
    "stakeholder",
    "planing",
    '"retour d\'expérience"',
    "deliverable",
]
# A server may close an idle kept-alive connection just as the client reuses it; a browser
# then sends an idempotent request again (RFC 9112, 9.3.1), and so do these people, once.
RETRY = Retry(total=1, connect=1, read=1, status=0, other=0, raise_on_status=False)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

PERSONAS = itertools.cycle(["manager", "gatekeeper", "gatekeeper"])
MANAGER_ACCOUNTS = itertools.cycle(DATA["managers"])
GATEKEEPER_ACCOUNTS = itertools.cycle(DATA["gatekeepers"])

# Reviews submitted during the run and not yet decided: id -> project, claimed voters, votes
# answered. All users run in one process on gevent, so these need no lock (no yield between a
# look and its change). Two votes decide a gate-1 review (min_votes 2, majority).
OPEN: dict[int, dict[str, Any]] = {}
BUSY: set[int] = set()  # projects with an open review
VOTES_TO_DECIDE = 2

PEOPLE = int(os.environ.get("LOAD_USERS", "0"))  # how many sign in (Locust's -u)
SIGNED_IN: list[str] = []
SAMPLES: dict[str, list[float]] = {}
WINDOW = [time.monotonic()]  # when the figures started
ERRORS: dict[str, int] = {}


class Person(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.persona = next(PERSONAS)
        if self.persona == "manager":
            self.username = next(MANAGER_ACCOUNTS)
            self.projects = DATA["managers"][self.username]
        else:
            self.username = next(GATEKEEPER_ACCOUNTS)
            self.projects = ALL_PROJECTS
        # The API client carries no cookie: a script has only its token.
        self.api = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        for session in (self.client, self.api):
            session.mount("http://", HTTPAdapter(max_retries=RETRY))
        page = self.client.get("/login", name="/login", context={"kind": "login"})
        token = CSRF.search(page.text)
        self.client.post(
            "/login",
            data={
                "csrf_token": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
            },
            name="/login [POST]",
            context={"kind": "login"},
        )
        answer = self.api.post(
            "/api/v1/auth/token",
            json={"username": self.username, "password": PASSWORD, "name": "load"},
            context={"kind": "login"},
        )
        self.api.headers["Authorization"] = f"Bearer {answer.json().get('token', '')}"
        SIGNED_IN.append(self.username)
        if len(SIGNED_IN) == PEOPLE:
            _everybody_signed_in()

    # -- pages 50 % ------------------------------------------------------------------------

    @task(50)
    def page(self) -> None:
        pages = [
            ("/", "/"),
            ("/projects", "/projects"),
            (f"/projects/{random.choice(self.projects)}", "/projects/[id]"),
            (f"/projects/{random.choice(self.projects)}", "/projects/[id]"),
            ("/library/", "/library/"),
            (f"/library/{random.choice(DOCUMENTS)}", "/library/[id]"),
            ("/training/", "/training/"),
        ]
        if self.persona == "gatekeeper":
            pages += [("/reviews/awaiting", "/reviews/awaiting"), ("/portfolio/", "/portfolio/")]
        else:
            pages += [("/training/matrix", "/training/matrix")]
        path, name = random.choice(pages)
        self._page(path, name)

    def _page(self, path: str, name: str) -> None:
        self.client.get(path, name=name, context={"kind": "page"})

    # -- search 20 % -----------------------------------------------------------------------

    @task(10)
    def search_page(self) -> None:
        self.client.get(
            "/library/search",
            params={"q": random.choice(QUERIES)},
            name="/library/search?q=",
            context={"kind": "search"},
        )

    @task(10)
    def search_api(self) -> None:
        self.api.get(
            "/api/v1/search",
            params={"q": random.choice(QUERIES)},
            name="/api/v1/search?q=",
            context={"kind": "search"},
        )

    # -- API reads 20 % --------------------------------------------------------------------

    @task(20)
    def api_read(self) -> None:
        reads = [
            ("/api/v1/me", "/api/v1/me"),
            ("/api/v1/projects?per_page=20", "/api/v1/projects"),
            (f"/api/v1/projects/{random.choice(self.projects)}", "/api/v1/projects/[id]"),
            (
                f"/api/v1/projects/{random.choice(self.projects)}/gate-reviews",
                "/api/v1/projects/[id]/gate-reviews",
            ),
            (f"/api/v1/documents/{random.choice(DOCUMENTS)}", "/api/v1/documents/[id]"),
            ("/api/v1/me/training", "/api/v1/me/training"),
        ]
        if self.persona == "gatekeeper":
            reads.append(("/api/v1/portfolio/summary", "/api/v1/portfolio/summary"))
        path, name = random.choice(reads)
        self.api.get(path, name=name, context={"kind": "api"})

    # -- submissions and votes 10 % --------------------------------------------------------

    @task(10)
    def write(self) -> None:
        if self.persona == "manager":
            self._submit()
        else:
            self._vote()

    def _submit(self) -> None:
        free = [pid for pid in self.projects if pid not in BUSY]
        if not free:  # every project awaits its committee: look at one instead
            self._page(f"/projects/{random.choice(self.projects)}", "/projects/[id]")
            return
        project = random.choice(free)
        BUSY.add(project)
        with self.api.post(
            f"/api/v1/projects/{project}/gate-reviews",
            json={"criteria": ANSWERS, "summary": "Ready for the idea screen."},
            name="/api/v1/projects/[id]/gate-reviews [POST]",
            context={"kind": "write"},
            catch_response=True,
        ) as answer:
            _conflict_is_an_answer(answer)
        if answer.status_code == 201:
            OPEN[answer.json()["id"]] = {"project": project, "voters": set(), "answered": 0}
        else:
            BUSY.discard(project)

    def _vote(self) -> None:
        candidates = [
            review
            for review, state in OPEN.items()
            if len(state["voters"]) < VOTES_TO_DECIDE and self.username not in state["voters"]
        ]
        if not candidates:  # nothing awaits a vote: look at what awaits me
            self._page("/reviews/awaiting", "/reviews/awaiting")
            return
        review = min(candidates)  # the oldest first, as a committee would
        state = OPEN[review]
        state["voters"].add(self.username)
        with self.api.post(
            f"/api/v1/gate-reviews/{review}/votes",
            json={"decision": "recycle", "comment": "Rework the scoping.", "scores": SCORES},
            name="/api/v1/gate-reviews/[id]/votes [POST]",
            context={"kind": "write", "vote": True},
            catch_response=True,
        ) as answer:
            _conflict_is_an_answer(answer)
        state["answered"] += 1
        if state["answered"] >= VOTES_TO_DECIDE:
            del OPEN[review]
            BUSY.discard(state["project"])


def _conflict_is_an_answer(answer: Any) -> None:
    """Count a 409 as answered, not as an error.

    Two people of the same committee act on the same review at once (a second person's vote
    lands after the decision, a manager submits a project another session just reopened): the
    server's 409 is the correct answer a person would read, not a failure of the server.
    """
    if answer.status_code == 409:
        answer.success()


def _everybody_signed_in() -> None:
    """Start the figures afresh, the sign-ins apart, once the last person has signed in.

    Everybody signs in within the first seconds (the spawn rate), a burst of password hashes
    that queues every other request meanwhile: the figures are those of the people at work.
    """
    for kind in [kind for kind in SAMPLES if kind != "login"]:
        del SAMPLES[kind]
        ERRORS.pop(kind, None)
    WINDOW[0] = time.monotonic()


@events.request.add_listener
def _sample(response_time: float, exception: Any, context: dict, **_kw: Any) -> None:
    kinds = [context.get("kind", "other")] + (["vote"] if context.get("vote") else [])
    for kind in kinds:
        SAMPLES.setdefault(kind, []).append(response_time)
        if exception is not None:
            ERRORS[kind] = ERRORS.get(kind, 0) + 1


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@events.test_stop.add_listener
def _write_kinds(**_kw: Any) -> None:
    """Percentiles per kind of request, over the run (this process's samples)."""
    target = os.environ.get("LOAD_KINDS")
    if not target or not any(SAMPLES.values()):
        return
    rows = {}
    counted = [kind for kind in SAMPLES if kind not in ("login", "vote")]  # vote: in write
    kinds = {**SAMPLES, "all": [t for kind in counted for t in SAMPLES[kind]]}
    errors = {**ERRORS, "all": sum(ERRORS.get(kind, 0) for kind in counted)}
    for kind, times in kinds.items():
        ordered = sorted(times)
        rows[kind] = {
            "requests": len(ordered),
            "errors": errors.get(kind, 0),
            "p50": _percentile(ordered, 0.50),
            "p95": _percentile(ordered, 0.95),
            "p99": _percentile(ordered, 0.99),
            "max": ordered[-1],
        }
    rows["window"] = {"seconds": time.monotonic() - WINDOW[0], "signed_in": len(SIGNED_IN)}
    Path(target).write_text(json.dumps(rows, indent=1))
