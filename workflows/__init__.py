"""Jalon's stage-gate engine: workflow definitions, the state machine, gate rules, quorum, audit.

Knows nothing of Flask or the database, so the app wires it to its models and it can be tested
and reused alone. The names below are the public interface.
"""

from workflows.audit import (
    GENESIS_HASH,
    AuditLink,
    ChainedEvent,
    ChainReport,
    canonical_json,
    compute_event_hash,
    verify_chain,
)
from workflows.engine import RESUME, ProjectState, WorkflowEngine
from workflows.errors import DefinitionError, TransitionRefused
from workflows.loader import (
    DEFINITIONS_DIR,
    load_definition_file,
    load_definition_text,
    load_definitions_dir,
)
from workflows.model import (
    COMPLETED,
    DEFAULT_CHAIR,
    DEFAULT_VOTE_WITHIN_DAYS,
    KILLED,
    LIBRARY_KINDS,
    Approvers,
    Criterion,
    Decision,
    Deliverable,
    Gate,
    Label,
    Rule,
    Stage,
    Status,
    WorkflowDefinition,
)
from workflows.quorum import can_still_decide, deadlocked, decide, decide_tally
from workflows.rules import ANSWER_MAX, Answer, Refusal, RefusalCode, check_submission, score
from workflows.schema import parse_definition

__all__ = [
    "ANSWER_MAX",
    "COMPLETED",
    "DEFAULT_CHAIR",
    "DEFAULT_VOTE_WITHIN_DAYS",
    "DEFINITIONS_DIR",
    "GENESIS_HASH",
    "KILLED",
    "LIBRARY_KINDS",
    "RESUME",
    "Answer",
    "Approvers",
    "AuditLink",
    "ChainReport",
    "ChainedEvent",
    "Criterion",
    "Decision",
    "DefinitionError",
    "Deliverable",
    "Gate",
    "Label",
    "ProjectState",
    "Refusal",
    "RefusalCode",
    "Rule",
    "Stage",
    "Status",
    "TransitionRefused",
    "WorkflowDefinition",
    "WorkflowEngine",
    "can_still_decide",
    "canonical_json",
    "check_submission",
    "compute_event_hash",
    "deadlocked",
    "decide",
    "decide_tally",
    "load_definition_file",
    "load_definition_text",
    "load_definitions_dir",
    "parse_definition",
    "score",
    "verify_chain",
]
