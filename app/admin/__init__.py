"""Administration of people and teams, for admins and the PMO."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import views  # noqa: E402,F401
