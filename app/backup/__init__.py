"""Backup and restore: one archive with the database, the stored files and a manifest.

`archive` writes and checks the archive (no Flask), `database` copies a database out and in
with SQLite's backup API or ``pg_dump``/``pg_restore``, `services` puts them together and
`cli` is ``jalon backup`` and ``jalon restore``.
"""
