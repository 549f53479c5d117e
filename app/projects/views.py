"""Pages: project list and page, review submission, votes awaiting, hold/resume, action items."""

from __future__ import annotations
