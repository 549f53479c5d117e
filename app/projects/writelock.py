"""Moved to `app.writelock`, which imports and uploads take too; kept for code not yet moved."""

from app.writelock import leave_queue, leave_queue_at_commit, lock_for_writing

__all__ = ["leave_queue", "leave_queue_at_commit", "lock_for_writing"]
