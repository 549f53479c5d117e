"""`GET /api/v1/me/inbox`: what waits for me, and never what waits for someone else."""

from __future__ import annotations

from datetime import timedelta

from app.training.services import today

INBOX_KEYS = {
    "votes_awaiting",
    "action_items",
    "training_due",
    "acknowledgements_due",
    "documents_to_review",
}


def test_the_inbox_needs_a_token(client):
    response = client.get("/api/v1/me/inbox")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "token_missing"


def test_an_empty_inbox_has_the_five_lists_and_nothing_else(inbox):
    assert inbox("staff") == {key: [] for key in INBOX_KEYS}


def test_a_waiting_vote_is_in_each_approvers_inbox_only(
    new_project, open_review, inbox, age_review
):
    project_id = new_project()
    review_id = open_review(project_id)
    age_review(review_id, 9)
    (waiting,) = inbox("gk1")["votes_awaiting"]
    assert waiting == {
        "review": review_id,
        "project": project_id,
        "project_name": "Widget",
        "gate": "check",
        "gate_name": "Check",
        "submitted_on": (today() - timedelta(days=9)).isoformat(),
        "days_waiting": 9,
        "vote_by": (today() + timedelta(days=1)).isoformat(),  # ten days to vote
    }
    assert len(inbox("gk2")["votes_awaiting"]) == 1
    # The submitter, the PMO (not an approver of the gate) and staff are not asked.
    for who in ("manager", "pmo", "staff"):
        assert inbox(who)["votes_awaiting"] == [], who


def test_my_vote_takes_the_review_out_of_my_inbox_not_out_of_the_others(open_review, inbox, vote):
    review_id = open_review()
    assert vote(review_id, "gk1", "go").status_code == 201
    assert inbox("gk1")["votes_awaiting"] == []
    assert [item["review"] for item in inbox("gk2")["votes_awaiting"]] == [review_id]


def test_votes_wait_longest_first(open_review, new_project, inbox, age_review):
    recent = open_review(new_project("Recent"))
    old = open_review(new_project("Old"))
    age_review(old, 12)
    assert [item["review"] for item in inbox("gk3")["votes_awaiting"]] == [old, recent]


def test_my_open_action_items_come_overdue_first_and_only_mine(
    open_review, new_project, inbox, vote
):
    review_id = open_review()
    late = (today() - timedelta(days=3)).isoformat()
    later = (today() + timedelta(days=20)).isoformat()
    conditions = {
        "gk1": {"description": "Hire the test lead", "due_date": late},
        "gk2": {"description": "Sign the supplier contract", "due_date": later},
    }
    for gatekeeper, condition in conditions.items():
        response = vote(review_id, gatekeeper, "conditional_go", conditions=[condition])
        assert response.status_code == 201, response.json
    items = inbox("manager")["action_items"]
    assert [(item["description"], item["overdue"]) for item in items] == [
        ("Hire the test lead", True),
        ("Sign the supplier contract", False),
    ]
    assert items[0]["project_name"] == "Widget"
    assert items[0]["due_date"] == late
    for who in ("manager2", "gk1", "pmo"):
        assert inbox(who)["action_items"] == [], who


def test_training_due_lists_my_required_courses_not_done(api, inbox):
    due = (today() + timedelta(days=10)).isoformat()
    course = {"key": "gate-basics", "title": "Gate basics"}
    assert api("post", "/courses", "pmo", json=course).status_code == 201
    requirement = {"course": "gate-basics", "role": "gatekeeper", "due_date": due}
    assert api("post", "/training/requirements", "pmo", json=requirement).status_code == 201
    assert inbox("gk1")["training_due"] == [
        {
            "course": "gate-basics",
            "title": "Gate basics",
            "status": "missing",
            "due_date": due,
            "valid_until": None,
        }
    ]
    assert inbox("staff")["training_due"] == []

    completion = {"user": "gk1", "course": "gate-basics", "completed_on": today().isoformat()}
    assert api("post", "/training/completions", "pmo", json=completion).status_code == 201
    assert inbox("gk1")["training_due"] == []


def test_documents_to_review_are_my_own_past_their_review_date(api, inbox):
    past = (today() - timedelta(days=5)).isoformat()
    future = (today() + timedelta(days=5)).isoformat()

    def document(who: str, title: str, review_date: str) -> int:
        body = {"title": title, "kind": "guideline", "review_date": review_date}
        response = api("post", "/documents", who, json=body)
        assert response.status_code == 201, response.json
        return response.json["id"]

    mine = document("manager", "Risk guideline", past)
    document("manager", "Fresh guideline", future)
    document("manager2", "Someone else's guideline", past)
    document("pmo", "The PMO's guideline", past)
    assert inbox("manager")["documents_to_review"] == [
        {"id": mine, "title": "Risk guideline", "review_date": past, "days_overdue": 5}
    ]
    # The PMO curates every document but is asked only about their own.
    assert [item["title"] for item in inbox("pmo")["documents_to_review"]] == [
        "The PMO's guideline"
    ]


def test_acknowledgements_due_stay_empty_until_documents_ask_for_them(inbox):
    assert inbox("gk1")["acknowledgements_due"] == []


def test_the_openapi_document_describes_the_inbox(client):
    spec = client.get("/api/v1/openapi.json").json
    schema = spec["components"]["schemas"]["Inbox"]
    assert set(schema["properties"]) == INBOX_KEYS
    assert "/api/v1/me/inbox" in spec["paths"]
