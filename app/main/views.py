"""Home page and liveness probe."""

from flask import render_template
from flask_login import current_user, login_required

from app.main import bp


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", user=current_user)


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers; also the hello-world baseline of the benchmarks."""
    return {"status": "ok"}
