"""My notifications in the app: read and unread, mine only, mail or no mail."""

from __future__ import annotations

from html import unescape

from tests.conftest import csrf_token, login


def _submitted(api, open_review) -> int:
    """A review submitted while gk1 and gk2 exist: each is asked for their vote."""
    api.people.ensure("gk1", "gk2")
    return open_review()


def _mine(api, who: str, query: str = "") -> dict:
    response = api("get", f"/me/notifications{query}", who)
    assert response.status_code == 200, response.json
    return response.json


def test_my_notifications_need_a_token(client):
    assert client.get("/api/v1/me/notifications").status_code == 401
    assert client.post("/api/v1/me/notifications/read-all").status_code == 401


def test_i_read_the_messages_the_outbox_holds_for_me_and_only_mine(api, open_review):
    _submitted(api, open_review)
    page = _mine(api, "gk1")
    assert page["total"] == 1
    (message,) = page["items"]
    assert message["kind"] == "review_submitted"
    assert "Widget" in message["subject"]
    assert message["unread"] is True
    assert message["read_at"] is None
    assert _mine(api, "manager")["total"] == 0


def test_marking_one_read_moves_it_out_of_the_unread(api, open_review):
    _submitted(api, open_review)
    (message,) = _mine(api, "gk1")["items"]
    response = api("post", f"/me/notifications/{message['id']}/read", "gk1")
    assert response.status_code == 200
    assert response.json["unread"] is False
    assert _mine(api, "gk1", "?unread=true")["total"] == 0
    assert _mine(api, "gk1", "?unread=false")["total"] == 1
    # gk2's copy of the same news is still unread.
    assert _mine(api, "gk2", "?unread=true")["total"] == 1


def test_someone_elses_notification_is_not_found_and_stays_unread(api, open_review):
    _submitted(api, open_review)
    (theirs,) = _mine(api, "gk2")["items"]
    response = api("post", f"/me/notifications/{theirs['id']}/read", "gk1")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert api("post", "/me/notifications/999999/read", "gk1").status_code == 404
    assert _mine(api, "gk2", "?unread=true")["total"] == 1


def test_read_all_marks_only_my_messages(api, open_review, new_project):
    _submitted(api, open_review)
    open_review(new_project("Second"))
    response = api("post", "/me/notifications/read-all", "gk1")
    assert response.status_code == 200
    assert response.json == {"marked": 2}
    assert _mine(api, "gk1", "?unread=true")["total"] == 0
    assert _mine(api, "gk2", "?unread=true")["total"] == 2
    assert api("post", "/me/notifications/read-all", "gk1").json == {"marked": 0}


def test_the_page_lists_them_with_an_unread_badge_and_marks_them_read(client, api, open_review):
    _submitted(api, open_review)
    login(client, "gk1")
    html = unescape(client.get("/notifications/").get_data(as_text=True))
    assert '<span class="badge">1</span>' in html
    assert "Mark as read" in html
    (message,) = _mine(api, "gk1")["items"]
    token = csrf_token(client, "/notifications/")
    response = client.post(f"/notifications/{message['id']}/read", data={"csrf_token": token})
    assert response.status_code == 302
    html = client.get("/notifications/").get_data(as_text=True)
    assert 'class="badge"' not in html
    assert "Mark as read" not in html


def test_the_page_refuses_to_mark_someone_elses_message(client, api, open_review):
    _submitted(api, open_review)
    (theirs,) = _mine(api, "gk2")["items"]
    login(client, "gk1")
    token = csrf_token(client, "/notifications/")
    response = client.post(f"/notifications/{theirs['id']}/read", data={"csrf_token": token})
    assert response.status_code == 404
    assert _mine(api, "gk2", "?unread=true")["total"] == 1


def test_mark_all_read_on_the_page(client, api, open_review):
    _submitted(api, open_review)
    login(client, "gk1")
    token = csrf_token(client, "/notifications/")
    response = client.post("/notifications/read-all", data={"csrf_token": token})
    assert response.status_code == 302
    assert _mine(api, "gk1", "?unread=true")["total"] == 0
    html = client.get("/notifications/?unread=1").get_data(as_text=True)
    assert "You have read every message." in html


def test_the_extensions_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/me/notifications"]
    assert "post" in paths["/api/v1/me/notifications/{notification_id}/read"]
    assert "post" in paths["/api/v1/me/notifications/read-all"]
