"""The home page: what is waiting for the signed-in person."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import views  # noqa: E402,F401
