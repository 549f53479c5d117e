"""Training tracking: courses, requirements by role and team, completions and their status."""
