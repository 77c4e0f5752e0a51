"""Declarative workflows: states, transitions and their rules, and the registry of them.

A module declares its workflow once, in code::

    PETITION = register(Workflow(
        key="petition",
        label=_("信访事项"),
        initial="received",
        states=(State("received", _("已登记")), State("closed", _("已办结"), final=True)),
        transitions=(
            Transition("close", _("办结"), sources=("received",), target="closed",
                       action="petitions.handle", comment_required=True),
        ),
    ))

and its model extends ``core.models.WorkflowRecord`` with ``workflow_key = "petition"``.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from warmhome.core import deadlines, policy

#: ``guard(actor, record, fields)`` returns a Chinese reason to refuse, or ``None`` to allow.
Guard = Callable[[Any, Any, dict[str, Any]], "str | Promise | None"]


@dataclass(frozen=True, slots=True)
class State:
    code: str
    label: str | Promise
    final: bool = False


@dataclass(frozen=True, slots=True)
class TransitionField:
    """A value the actor fills in when taking a transition (kept in the timeline).

    With ``store_on_record`` the value is also written to the record's field of the same name.
    """

    name: str
    label: str | Promise
    required: bool = True
    store_on_record: bool = False


@dataclass(frozen=True, slots=True)
class DueRule:
    """The deadline of the state a transition enters: ``days`` counted ``counting``.

    ``days`` is a number or a policy key holding one; ``counting`` is ``"calendar"``,
    ``"working"`` or a policy key holding one of the two.
    """

    days: int | str
    counting: str = "working"

    def due_from(self, start: datetime.date) -> datetime.date:
        days = self.days if isinstance(self.days, int) else int(policy.policy_value(self.days))
        counting = self.counting
        if counting not in deadlines.COUNTING_MODES:
            counting = str(policy.policy_value(counting))
        return deadlines.add_days(start, days, counting)


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str
    #: the action code the actor must hold over the record's organisation
    action: str
    comment_required: bool = False
    fields: tuple[TransitionField, ...] = ()
    guard: Guard | None = None
    due: DueRule | None = None
    #: the one kind of step that may leave a final state: a decision from outside the record's
    #: own path undoes its ending (a review ordering a closed petition to be handled again)
    reopens: bool = False


@dataclass(frozen=True, slots=True)
class Workflow:
    key: str
    label: str | Promise
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    #: the deadline of the initial state, counted from the day the record is created
    initial_due: DueRule | None = None
    _states: dict[str, State] = field(init=False, repr=False, compare=False)
    _transitions: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        states = {state.code: state for state in self.states}
        transitions = {transition.name: transition for transition in self.transitions}
        problems = []
        if len(states) != len(self.states):
            problems.append("duplicate state codes")
        if len(transitions) != len(self.transitions):
            problems.append("duplicate transition names")
        if self.initial not in states:
            problems.append(f"initial state {self.initial!r} is not declared")
        for transition in self.transitions:
            for code in (*transition.sources, transition.target):
                if code not in states:
                    problems.append(f"{transition.name}: unknown state {code!r}")
            for code in transition.sources:
                if code in states and states[code].final and not transition.reopens:
                    problems.append(f"{transition.name}: leaves the final state {code!r}")
        if problems:
            raise ValueError(f"Workflow {self.key!r} is inconsistent: " + "; ".join(problems))
        object.__setattr__(self, "_states", states)
        object.__setattr__(self, "_transitions", transitions)

    def state(self, code: str) -> State:
        return self._states[code]

    def state_label(self, code: str) -> str | Promise:
        state = self._states.get(code)
        return state.label if state is not None else code

    def transition(self, name: str) -> Transition:
        try:
            return self._transitions[name]
        except KeyError:
            raise LookupError(f"Workflow {self.key!r} has no transition {name!r}.") from None

    def transitions_from(self, code: str) -> list[Transition]:
        return [transition for transition in self.transitions if code in transition.sources]

    def actions(self) -> set[str]:
        return {transition.action for transition in self.transitions}

    def open_states(self) -> list[str]:
        return [state.code for state in self.states if not state.final]


_registry: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Declare a workflow; the same key twice with another definition is an error."""
    existing = _registry.get(workflow.key)
    if existing is not None and existing is not workflow:
        raise ValueError(f"Workflow {workflow.key!r} is already registered.")
    _registry[workflow.key] = workflow
    return workflow


def unregister(key: str) -> None:
    """Remove a workflow (tests that declare temporary ones)."""
    _registry.pop(key, None)


def get_workflow(key: str) -> Workflow:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"No workflow {key!r} is registered.") from None


def all_workflows() -> Iterable[Workflow]:
    return list(_registry.values())
