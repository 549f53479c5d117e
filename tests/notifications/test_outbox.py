"""The notification outbox: queued once, delivered after commit, errors kept."""

from __future__ import annotations

import smtplib
from pathlib import Path

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification, NotificationState
from app.notifications.services import deliver_pending, notify
from docs_store.locking import try_writer_lock
from tests.conftest import login


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_the_same_key_is_queued_once_per_recipient(app, make_user):
    make_user("ann", email="ann@example.org")
    with app.app_context():
        ann = _user("ann")
        assert notify(ann, "decision", "review-1", "Decision", "Go") is True
        assert notify(ann, "decision", "review-1", "Decision", "Go") is False
        assert notify(ann, "decision", "review-2", "Decision", "Kill") is True
        db.session.commit()
        assert len(db.session.scalars(select(Notification)).all()) == 2


def test_with_mail_disabled_messages_are_held_and_never_sent(app, make_user):
    make_user("ann", email="ann@example.org")
    sent = []
    with app.app_context():
        notify(_user("ann"), "decision", "review-1", "Decision", "Go")
        db.session.commit()
        counts = deliver_pending(send=sent.append)
        assert counts == {"sent": 0, "failed": 0, "held": 1}
        assert sent == []
        assert db.session.scalar(select(Notification)).state is NotificationState.HELD


def test_delivery_sends_once_and_a_failure_keeps_the_error(make_app, make_user):
    app = make_app(MAIL_SERVER="smtp.invalid")
    make_user("ann", email="ann@example.org")
    make_user("bob", email="bob@example.org")
    sent = []

    def flaky(message):
        if message["To"] == "bob@example.org":
            raise smtplib.SMTPRecipientsRefused({"bob@example.org": (550, b"no such user")})
        sent.append(message)

    with app.app_context():
        notify(_user("ann"), "decision", "r1", "Decision on Atlas", "Go")
        notify(_user("bob"), "decision", "r1", "Decision on Atlas", "Go")
        db.session.commit()
        assert deliver_pending(send=flaky) == {"sent": 1, "failed": 1, "held": 0}
        assert [message["Subject"] for message in sent] == ["Decision on Atlas"]
        bob_message = db.session.scalar(
            select(Notification).join(User).where(User.username == "bob")
        )
        assert bob_message.state is NotificationState.FAILED
        assert "no such user" in bob_message.last_error
        # Next run: ann's is not sent again, bob's is retried.
        assert deliver_pending(send=flaky) == {"sent": 0, "failed": 1, "held": 0}
        assert len(sent) == 1


def test_a_second_delivery_running_at_the_same_time_sends_nothing(make_app, make_user):
    app = make_app(MAIL_SERVER="smtp.invalid")
    make_user("ann", email="ann@example.org")
    sent = []
    with app.app_context():
        notify(_user("ann"), "decision", "r1", "Decision", "Go")
        db.session.commit()
        lock = try_writer_lock(Path(app.config["JALON_DATA_DIR"]) / "notifications.lock")
        with lock:  # another process is delivering
            assert deliver_pending(send=sent.append) == {"sent": 0, "failed": 0, "held": 0}
        assert sent == []
        assert deliver_pending(send=sent.append) == {"sent": 1, "failed": 0, "held": 0}


def test_outbox_page_is_for_admins_only(client, make_user, app):
    make_user("root", roles=["admin"])
    make_user("paule", roles=["pmo"])
    with app.app_context():
        notify(_user("paule"), "decision", "r1", "Decision on Atlas", "Go")
        db.session.commit()
    login(client, "paule")
    assert client.get("/admin/notifications/").status_code == 403
    other = app.test_client()
    login(other, "root")
    page = other.get("/admin/notifications/")
    assert page.status_code == 200
    assert "Decision on Atlas" in page.get_data(as_text=True)


def test_cli_send_reports_counts(runner, app, make_user):
    make_user("ann", email="ann@example.org")
    with app.app_context():
        notify(_user("ann"), "decision", "r1", "Decision", "Go")
        db.session.commit()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0
    assert "held 1" in result.output
