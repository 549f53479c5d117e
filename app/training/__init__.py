"""Training tracking: courses, requirements by role and team, completions and their status."""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

from app.training import views  # noqa: E402,F401
