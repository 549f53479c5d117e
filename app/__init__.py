"""Jalon: the governance server of a PMO.

``create_app`` builds the Flask application; extensions are initialised once here and
each domain registers its own blueprint.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import build_config
from app.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
#: Where an installed wheel carries the repository's `templates/` and `migrations/` (setup.py).
SHIPPED = Path(__file__).resolve().parent / "shipped"

log = logging.getLogger(__name__)


def folder(name: str) -> Path:
    """The repository folder ``name`` (`templates`, `migrations`) this installation uses.

    Inside the package when installed from a wheel, at the top of the checkout otherwise.
    """
    shipped = SHIPPED / name
    return shipped if shipped.is_dir() else ROOT / name


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a Jalon application; ``config`` overrides what the environment says."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(folder("templates")),
        static_folder="static",
    )
    instance_path = Path(app.instance_path)
    app.config.from_mapping(build_config(instance_path))
    if config:
        app.config.update(config)
    Path(app.config["JALON_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    proxies = app.config["JALON_TRUSTED_PROXIES"]
    if proxies:  # the client's address and scheme come from the proxies' headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from app.web import IdConverter

    app.url_map.converters["id"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)

    from app.cli import register_commands
    from app.error_summary import register_template_helpers as register_error_summary
    from app.errors import register_error_handlers
    from app.navigation import register_template_helpers
    from app.web import register_request_hooks

    register_error_handlers(app)
    register_request_hooks(app)
    register_commands(app)
    register_template_helpers(app)
    register_error_summary(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.i18n import select_locale
    from app.sqlite import configure_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=str(folder("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_engine(db.engine)


def _register_blueprints(app: Flask) -> None:
    from app.api import init_api
    from app.domains import WEB_BLUEPRINTS, load

    for reference in WEB_BLUEPRINTS:
        app.register_blueprint(load(reference))
    init_api(app)
