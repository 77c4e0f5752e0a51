"""The workflow engine: declarative state machines over ``WorkflowRecord`` models.

Declare a ``Workflow`` (``definitions``), extend ``core.models.WorkflowRecord``, and move records
only through ``services.transition_apply``; the timeline and "what is due" come from
``selectors``; side effects subscribe with ``hooks.on_transition``. See
docs/decisions/0008-workflow-engine.md.
"""

from warmhome.core.workflows.definitions import (
    DueRule,
    State,
    Transition,
    TransitionField,
    Workflow,
    all_workflows,
    get_workflow,
    register,
)
from warmhome.core.workflows.errors import (
    TransitionConflictError,
    TransitionError,
    TransitionNotPermittedError,
)
from warmhome.core.workflows.hooks import on_transition

__all__ = [
    "DueRule",
    "State",
    "Transition",
    "TransitionConflictError",
    "TransitionError",
    "TransitionField",
    "TransitionNotPermittedError",
    "Workflow",
    "all_workflows",
    "get_workflow",
    "on_transition",
    "register",
]
