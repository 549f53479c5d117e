"""The longest texts and lists a gate review or a vote accepts, from the API or a form.

One place for both, so the forms cannot let through what the API refuses, and so the
decision record PDF can be tested with the largest review anyone can create.
"""

#: Characters of a submission's summary and of a vote's comment.
SUMMARY_MAX = 20_000
COMMENT_MAX = 5000
#: Conditions of one conditional go, and characters of each.
CONDITIONS_MAX = 50
CONDITION_MAX = 2000
#: Characters of the reason the PMO gives for putting a project on hold or resuming it.
REASON_MAX = 2000
#: Top risks of a submission, and characters of each.
TOP_RISKS_MAX = 20
TOP_RISK_MAX = 500
#: Deliverables handed in with one submission (a gate asks for a handful).
DELIVERABLES_MAX = 100
#: Criterion answers of a submission, and scores of a voter's scorecard.
CRITERIA_MAX = 100
SCORES_MAX = 100
#: Lessons learned recorded with one submission.
LESSONS_MAX = 10


def lines_max(items: int, item_max: int) -> int:
    """Characters of a form's text area holding a list one item per line: each item at its
    longest, with room for the line break and a `| YYYY-MM-DD` due date."""
    return items * (item_max + len(" | YYYY-MM-DD\r\n"))
