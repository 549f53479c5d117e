"""Login, logout and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp
from app.auth.forms import LoginForm
from app.auth.models import User
from app.auth.services import LoginThrottled, authenticate
from app.extensions import db, login_manager
from app.i18n import SESSION_KEY


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


login_manager.login_view = "auth.login"
login_manager.login_message = None


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site, never to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except LoginThrottled:
            minutes = current_app.config["JALON_LOGIN_WINDOW_MINUTES"]
            form.form_errors.append(
                _(
                    "Too many failed attempts for this username. Try again in %(minutes)d minutes.",
                    minutes=minutes,
                )
            )
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            login_user(user, remember=form.remember.data)
            session.pop(SESSION_KEY, None)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(_("Unknown username or wrong password."))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language; stored on the account when signed in."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["JALON_LOCALES"]:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = locale
    else:
        session[SESSION_KEY] = locale
    return redirect(_safe_next(request.form.get("next")))
