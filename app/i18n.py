"""Choosing the interface language: the user's preference, else the browser's."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

SESSION_KEY = "locale"


def select_locale() -> str:
    supported = current_app.config["JALON_LOCALES"]
    if not has_request_context():  # the CLI speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = g.get("api_principal") or (current_user if current_user.is_authenticated else None)
    if user is not None and user.locale in supported:
        return user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in supported:
        return chosen
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
