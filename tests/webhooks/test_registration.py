"""Registering webhooks: PMO and admins only, known events, and only safe URLs."""

from __future__ import annotations

import pytest

from tests.conftest import bearer

#: A public address: registration resolves the host, and a literal needs no DNS.
PUBLIC = "https://93.184.215.14/hooks/jalon"


def test_the_pmo_registers_a_webhook_and_sees_its_secret_once(api):
    response = api("post", "/webhooks", "pmo", json={"url": PUBLIC, "events": ["review.decided"]})

    assert response.status_code == 201
    created = response.json
    assert created["url"] == PUBLIC
    assert created["events"] == ["review.decided"]
    assert created["secret"].startswith("whsec_")
    listed = api("get", "/webhooks", "pmo").json
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == created["id"]
    assert "secret" not in listed["items"][0]
    assert created["secret"] not in api("get", "/webhooks", "pmo").get_data(as_text=True)


def test_an_admin_may_manage_webhooks_too(client, token_for):
    admin = bearer(token_for("root", "admin"))
    body = {"url": PUBLIC, "events": ["risk.raised", "document.published"]}

    created = client.post("/api/v1/webhooks", headers=admin, json=body)

    assert created.status_code == 201
    assert created.json["events"] == ["document.published", "risk.raised"]
    assert client.delete(f"/api/v1/webhooks/{created.json['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/webhooks", headers=admin).json["total"] == 0
    path = f"/api/v1/webhooks/{created.json['id']}/deliveries"
    assert client.get(path, headers=admin).status_code == 404


@pytest.mark.parametrize("who", ["manager", "staff", "gk1"])
def test_other_roles_may_not_see_nor_touch_webhooks(api, who):
    webhook_id = api(
        "post", "/webhooks", "pmo", json={"url": PUBLIC, "events": ["review.submitted"]}
    ).json["id"]
    body = {"url": PUBLIC, "events": ["review.submitted"]}

    answers = [
        api("post", "/webhooks", who, json=body),
        api("get", "/webhooks", who),
        api("delete", f"/webhooks/{webhook_id}", who),
        api("get", f"/webhooks/{webhook_id}/deliveries", who),
    ]

    assert [answer.status_code for answer in answers] == [403] * 4
    assert api("get", "/webhooks", "pmo").json["total"] == 1


def test_an_unknown_event_is_refused(api):
    response = api("post", "/webhooks", "pmo", json={"url": PUBLIC, "events": ["review.eaten"]})

    assert response.status_code == 422
    assert api("get", "/webhooks", "pmo").json["total"] == 0


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://93.184.215.14/hook", "https://"),
        ("https://127.0.0.1/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://localhost/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://10.1.2.3/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://192.168.0.10/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://169.254.169.254/latest/meta-data", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://[::1]/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://[::ffff:127.0.0.1]/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://0.0.0.0/hook", "JALON_WEBHOOKS_ALLOWED_HOSTS"),
        ("https://user:secret@93.184.215.14/hook", "user name or password"),
        ("ftp://93.184.215.14/hook", "https://"),
        ("https://93.184.215.14/a hook", "not a valid URL"),
        ("https://93.184.215.14/hook\n", "not a valid URL"),
        ("https://exämple.org/hook", "not a valid URL"),
        ("https://93.184.215.14:99999/hook", "not a valid URL"),
        ("https:///hook", "no host"),
    ],
)
def test_unsafe_urls_are_refused(api, url, says):
    response = api("post", "/webhooks", "pmo", json={"url": url, "events": ["review.decided"]})

    assert response.status_code == 422
    assert says in response.json["error"]["message"]


def test_the_settings_allow_plain_http_to_a_listed_host(app, api):
    body = {"url": "http://127.0.0.1:8080/hook", "events": ["review.decided"]}
    assert api("post", "/webhooks", "pmo", json=body).status_code == 422

    app.config.update(JALON_WEBHOOKS_ALLOW_HTTP=True, JALON_WEBHOOKS_ALLOWED_HOSTS="127.0.0.1")

    assert api("post", "/webhooks", "pmo", json=body).status_code == 201
    private = {"url": "http://10.0.0.8/hook", "events": ["review.decided"]}
    assert api("post", "/webhooks", "pmo", json=private).status_code == 422
