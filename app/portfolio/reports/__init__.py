"""The monthly status report (page, XLSX, PDF, API), built in a fixed number of queries,
and the routes that serve the gate decision record (built in `app.projects`)."""
