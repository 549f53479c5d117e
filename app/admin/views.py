"""Pages to manage people and teams (admin and PMO only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from app.admin import bp
from app.admin.forms import TeamForm, UserForm
from app.admin.roles import record_role_change
from app.auth.access import roles_required
from app.auth.forms import SignOutEverywhereForm
from app.auth.models import ROLES_AND_TEAMS, Role, Team, TeamMembership, User
from app.auth.services import create_team, create_user, ensure_can_grant, update_user
from app.auth.sessions import end_all_sessions
from app.errors import refusal_messages
from app.extensions import db
from app.refusals import Refused
from app.web import page_arg

ADMIN_ROLES = (Role.ADMIN, Role.PMO)
USERS_PER_PAGE = 50


def _team_choices() -> list[SelectChoice]:
    names = db.session.scalars(select(Team.name).order_by(Team.name))
    return [SelectChoice(name) for name in names]


@bp.route("/users")
@roles_required(*ADMIN_ROLES)
def users():
    page = page_arg()
    pagination = db.paginate(
        select(User).options(*ROLES_AND_TEAMS).order_by(User.username),
        page=page,
        per_page=USERS_PER_PAGE,
        error_out=False,
    )
    return render_template("admin/users.html", pagination=pagination)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def new_user():
    form = UserForm()
    form.teams.choices = _team_choices()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("A password is required for a new account."))
        else:
            try:
                ensure_can_grant(current_user, form.roles.data)
                user = create_user(
                    form.username.data,
                    form.password.data,
                    roles=form.roles.data,
                    teams=form.teams.data,
                    display_name=form.display_name.data,
                    email=form.email.data,
                )
                record_role_change(current_user.username, user, set())
            except Refused as refusal:
                form.form_errors.extend(refusal_messages(refusal))
            else:
                flash(_("Account %(name)s created.", name=user.username), "success")
                return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    form.teams.choices = _team_choices()
    form.username.data = user.username
    if request.method == "GET":
        form.roles.data = sorted(role.value for role in user.roles)
        form.teams.data = [team.name for team in user.teams]
    if form.validate_on_submit():
        try:
            ensure_can_grant(current_user, form.roles.data, target=user)
            roles_before = set(user.roles)
            update_user(
                user,
                display_name=form.display_name.data,
                email=form.email.data,
                roles=form.roles.data,
                teams=form.teams.data,
                active=form.active.data,
                password=form.password.data or None,
            )
            record_role_change(current_user.username, user, roles_before)
        except Refused as refusal:
            form.form_errors.extend(refusal_messages(refusal))
        else:
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/user_form.html", form=form, user=user, sign_out_form=SignOutEverywhereForm()
    ), status


@bp.route("/users/<id:user_id>/sign-out", methods=["POST"])
@roles_required(*ADMIN_ROLES)
def sign_out_user(user_id: int):
    """Close every browser session of the person (a stolen laptop, a departure)."""
    user = db.session.get(User, user_id) or abort(404)
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    closed = end_all_sessions(user)
    message = ngettext(
        "%(name)s is signed out of every browser (%(num)d session closed).",
        "%(name)s is signed out of every browser (%(num)d sessions closed).",
        closed,
        name=user.username,
    )
    flash(message, "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/teams", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def teams():
    form = TeamForm()
    status = 200
    if form.validate_on_submit():
        try:
            team = create_team(form.name.data, form.description.data or "")
        except Refused as refusal:
            form.form_errors.extend(refusal_messages(refusal))
        else:
            flash(_("Team %(name)s created.", name=team.name), "success")
            return redirect(url_for("admin.teams"))
    if request.method == "POST":
        status = 400
    member_counts = (
        select(Team, func.count(TeamMembership.user_id))
        .outerjoin(TeamMembership)
        .group_by(Team.id)
        .order_by(Team.name)
    )
    rows = db.session.execute(member_counts).all()
    return render_template("admin/teams.html", form=form, rows=rows), status
