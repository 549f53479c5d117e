"""WSGI entry point: ``gunicorn wsgi:app``.

Everything built at start (modules, the app, its workflow machines) lives as long as the
process: `gc.freeze()` moves it out of the cycle collector's reach, so a full collection walks
only what requests allocate.
"""

import gc

from app import create_app

app = create_app()
gc.freeze()
