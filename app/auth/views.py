"""Login, logout and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import LoginForm, PasswordChangeForm, SignOutEverywhereForm
from app.auth.models import User
from app.auth.services import LoginThrottled, authenticate, change_own_password
from app.auth.sessions import end_all_sessions, sign_in, sign_out, user_of_session
from app.extensions import login_manager
from app.i18n import SESSION_KEY
from app.refusals import Refused


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    return user_of_session(session_key)


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
            user = authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except LoginThrottled as throttled:
            form.form_errors.append(throttled.message())
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            sign_in(user, form.remember.data, request.user_agent.string)
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
    sign_out(current_user)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """My account: who I am, my roles and teams, my password, my browser sessions."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()  # signed in again below: not the proxy
        try:
            change_own_password(user, form.current.data, form.new.data)
        except Refused as refused:
            form.form_errors.append(refused.message)
        else:
            sign_in(user, False, request.user_agent.string)  # every session was closed
            flash(_("Password changed. You are signed out of every other browser."), "success")
            return redirect(url_for("auth.account"))
    if request.method == "POST":
        status = 400
    return render_template(
        "auth/account.html", form=form, sign_out_form=SignOutEverywhereForm()
    ), status


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """Close every session of mine, this one included (a lost laptop, a shared computer)."""
    if SignOutEverywhereForm().validate_on_submit():
        end_all_sessions(current_user)
        sign_out(current_user)
        flash(_("You are signed out of every browser."), "info")
        return redirect(url_for("auth.login"))
    abort(400)


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
