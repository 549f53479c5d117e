"""The portfolio dashboard: live figures of the visible projects, charts, the project table
and its CSV/XLSX exports, for the PMO's page and ``GET /api/v1/portfolio/summary``."""
