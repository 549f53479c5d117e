"""Signing in and out of the web pages, and choosing the language."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import views  # noqa: E402,F401  (routes register on import)
