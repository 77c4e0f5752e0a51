"""The workflow engine: declarative transitions, the timeline, working-day deadlines, the to-do.

No installed model runs a workflow yet, so these tests create a temporary one (a leave request)
with the schema editor and drop it afterwards; hence ``transaction=True``.
"""

import datetime
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models
from django.test.utils import isolate_apps
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.core.audit_tamper import postgres_only_reason
from warmhome.accounts.models import User
from warmhome.core import deadlines
from warmhome.core import todo as todo_registry
from warmhome.core.models import AuditEntry, OrgScopedModel, TransitionLog, WorkflowRecord
from warmhome.core.workflows import (
    DueRule,
    State,
    Transition,
    TransitionConflictError,
    TransitionError,
    TransitionField,
    TransitionNotPermittedError,
    Workflow,
    definitions,
    hooks,
    register,
)
from warmhome.core.workflows.selectors import timeline, transitions_available
from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.orgs.models import OrgUnit
from warmhome.rules.models import CalendarDay

D = datetime.date
KEY = "test_leave"


def _amount_cap(actor: Any, record: Any, fields: dict[str, Any]) -> str | None:
    if int(fields.get("amount", 0)) > 1000:
        return "批准金额不能超过 1000 元。"
    return None


LEAVE = Workflow(
    key=KEY,
    label="请假申请",
    initial="draft",
    states=(
        State("draft", "草稿"),
        State("submitted", "已提交"),
        State("rejected", "已退回"),
        State("approved", "已批准", final=True),
    ),
    transitions=(
        Transition(
            "submit",
            "提交",
            sources=("draft", "rejected"),
            target="submitted",
            action="orgs.view",
            due=DueRule(5, "working"),
        ),
        Transition(
            "remind", "催办", sources=("submitted",), target="submitted", action="orgs.view"
        ),
        Transition(
            "approve",
            "批准",
            sources=("submitted",),
            target="approved",
            action="orgs.change",
            fields=(TransitionField("amount", "批准金额", store_on_record=True),),
            guard=_amount_cap,
        ),
        Transition(
            "reject",
            "退回",
            sources=("submitted",),
            target="rejected",
            action="orgs.change",
            comment_required=True,
            due=DueRule(10, "calendar"),
        ),
    ),
)


@pytest.fixture
def leave_model() -> Iterator[type[WorkflowRecord]]:
    register(LEAVE)
    with isolate_apps("warmhome.core"):

        class LeaveRequest(WorkflowRecord, OrgScopedModel):
            # The real class, not "orgs.OrgUnit": the isolated registry knows no other app.
            org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
            title = models.CharField(max_length=50)
            amount = models.IntegerField(null=True, blank=True)

            workflow_key = KEY

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return self.title

        with connection.schema_editor() as editor:
            editor.create_model(LeaveRequest)
        # Each test flushes the tables: a content type cached by an earlier test is gone. Made
        # here, as migrate makes those of real models, not inside a transition rolled back.
        ContentType.objects.clear_cache()
        ContentType.objects.get_for_model(LeaveRequest)
        try:
            yield LeaveRequest
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(LeaveRequest)
            definitions.unregister(KEY)


def leave(model: type[WorkflowRecord], unit: OrgUnit, **values: Any) -> Any:
    fields = {**workflow_initial(model), "title": "年假", **values}
    return model.objects.create(org=unit, **fields)


def reload(record: Any) -> Any:
    return type(record).objects.select_related("org").get(pk=record.pk)


def logs_of(record: Any) -> list[TransitionLog]:
    return list(TransitionLog.objects.filter(object_id=record.pk, workflow=KEY))


def messages(error: TransitionError) -> list[str]:
    return [str(message) for message in error.messages]


# --- definitions ----------------------------------------------------------------------------


def test_an_inconsistent_workflow_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown state 'done'"):
        Workflow(
            key="broken",
            label="坏流程",
            initial="draft",
            states=(State("draft", "草稿"), State("closed", "已关闭", final=True)),
            transitions=(Transition("go", "前进", ("draft",), "done", action="orgs.view"),),
        )
    with pytest.raises(ValueError, match="leaves the final state"):
        Workflow(
            key="broken",
            label="坏流程",
            initial="draft",
            states=(State("draft", "草稿"), State("closed", "已关闭", final=True)),
            transitions=(Transition("reopen", "重开", ("closed",), "draft", action="orgs.view"),),
        )
    # … unless the transition says it undoes the ending (a review's order to redo)
    reopening = Workflow(
        key="reopening",
        label="可重开的流程",
        initial="draft",
        states=(State("draft", "草稿"), State("closed", "已关闭", final=True)),
        transitions=(
            Transition("reopen", "重开", ("closed",), "draft", action="orgs.view", reopens=True),
        ),
    )
    assert [t.name for t in reopening.transitions_from("closed")] == ["reopen"]


# --- transitions ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_allowed_transitions_move_the_record_and_write_the_timeline(leave_model, personas, tree):
    record = leave(leave_model, tree.community_a1)

    transition_apply(
        actor=personas.community_a1_cadre, record=record, transition="submit", comment=" 请批 "
    )
    transition_apply(
        actor=personas.street_a_cadre, record=record, transition="approve", fields={"amount": 800}
    )

    stored = reload(record)
    assert (stored.state, stored.version, stored.amount, stored.due_at) == (
        "approved",
        2,
        800,
        None,
    )
    assert record.state == "approved"  # the caller's instance follows
    entries = timeline(stored)
    assert [(str(e.transition), str(e.from_state), str(e.to_state)) for e in entries] == [
        ("提交", "草稿", "已提交"),
        ("批准", "已提交", "已批准"),
    ]
    assert [e.actor for e in entries] == [personas.community_a1_cadre, personas.street_a_cadre]
    assert entries[0].comment == "请批"
    assert entries[1].fields == {"amount": 800}
    assert {log.org_id for log in logs_of(record)} == {tree.community_a1.pk}


@pytest.mark.django_db(transaction=True)
def test_transition_not_allowed_from_the_current_state_says_which_state(
    leave_model, personas, tree
):
    record = leave(leave_model, tree.street_a)

    with pytest.raises(TransitionError) as refused:
        transition_apply(actor=personas.street_a_cadre, record=record, transition="approve")

    assert messages(refused.value) == ["当前状态为“草稿”，不能执行“批准”。"]
    assert reload(record).state == "draft"
    assert logs_of(record) == []


@pytest.mark.django_db(transaction=True)
def test_reject_without_a_comment_asks_for_one_and_changes_nothing(leave_model, personas, tree):
    record = leave(leave_model, tree.street_a, state="submitted")

    with pytest.raises(TransitionError) as refused:
        transition_apply(
            actor=personas.street_a_cadre, record=record, transition="reject", comment="   "
        )

    assert messages(refused.value) == ["请填写意见：“退回”需要说明理由。"]
    assert (reload(record).state, reload(record).version) == ("submitted", 0)
    assert logs_of(record) == []


@pytest.mark.django_db(transaction=True)
def test_missing_field_and_guard_refusals_are_precise(leave_model, personas, tree):
    record = leave(leave_model, tree.street_a, state="submitted")

    with pytest.raises(TransitionError) as missing:
        transition_apply(
            actor=personas.street_a_cadre, record=record, transition="approve", fields={}
        )
    with pytest.raises(TransitionError) as capped:
        transition_apply(
            actor=personas.street_a_cadre,
            record=record,
            transition="approve",
            fields={"amount": 5000},
        )

    assert messages(missing.value) == ["请填写“批准金额”。"]
    assert messages(capped.value) == ["批准金额不能超过 1000 元。"]
    assert reload(record).state == "submitted"
    assert logs_of(record) == []


@pytest.mark.django_db(transaction=True)
def test_street_a_cadre_cannot_approve_street_b_record_and_gets_a_404_like_refusal(
    leave_model, personas, tree
):
    record = leave(leave_model, tree.community_b1, state="submitted")

    with pytest.raises(TransitionNotPermittedError):
        transition_apply(
            actor=personas.street_a_cadre, record=record, transition="approve", fields={"amount": 1}
        )
    # Seeing is not deciding: the community cadre holds orgs.view but not orgs.change.
    own = leave(leave_model, tree.community_a1, state="submitted")
    with pytest.raises(TransitionNotPermittedError):
        transition_apply(
            actor=personas.community_a1_cadre,
            record=own,
            transition="approve",
            fields={"amount": 1},
        )

    assert reload(record).state == "submitted"
    assert reload(own).state == "submitted"
    assert logs_of(record) == []
    assert logs_of(own) == []
    denied = AuditEntry.objects.filter(event="access_denied", actor_username="street_a").first()
    assert denied is not None
    assert denied.detail["transition"] == "approve"
    assert [t.name for t in transitions_available(personas.street_b_cadre, record)] == [
        "remind",
        "approve",
        "reject",
    ]
    assert [t.name for t in transitions_available(personas.community_a1_cadre, own)] == ["remind"]


@pytest.mark.django_db(transaction=True)
def test_a_second_click_on_a_stale_page_gets_who_did_it_and_when(leave_model, personas, tree):
    User.objects.filter(pk=personas.street_a_cadre.pk).update(display_name="张伟")
    approver = User.objects.get(pk=personas.street_a_cadre.pk)
    record = leave(leave_model, tree.street_a, state="submitted")
    first_tab, second_tab = reload(record), reload(record)

    transition_apply(actor=approver, record=first_tab, transition="approve", fields={"amount": 1})
    with pytest.raises(TransitionConflictError) as conflict:
        transition_apply(
            actor=approver, record=second_tab, transition="approve", fields={"amount": 1}
        )

    when = timezone.localtime(logs_of(record)[0].at).strftime("%H:%M")
    assert messages(conflict.value) == [f"该事项已由 张* 于 {when} 处理为“已批准”，请刷新页面。"]
    assert len(logs_of(record)) == 1
    assert reload(record).version == 1


@pytest.mark.django_db(transaction=True)
def test_the_version_posted_by_the_form_is_what_counts(leave_model, personas, tree):
    record = leave(leave_model, tree.community_a1, state="submitted")
    transition_apply(actor=personas.community_a1_cadre, record=record, transition="remind")

    fresh = reload(record)  # loaded after the reminder, but the form showed version 0
    with pytest.raises(TransitionConflictError) as conflict:
        transition_apply(
            actor=personas.street_a_cadre,
            record=fresh,
            transition="reject",
            comment="材料不全",
            expected_version=0,
        )

    assert "处理为“已提交”" in messages(conflict.value)[0]
    assert reload(record).state == "submitted"


@pytest.mark.django_db(transaction=True)
def test_hooks_run_after_commit_and_not_for_a_refusal(leave_model, personas, tree):
    seen: list[tuple[str, str]] = []

    def notify(record: Any, log: TransitionLog) -> None:
        seen.append((record.state, log.transition))

    hooks.on_transition(KEY, "submit")(notify)
    try:
        record = leave(leave_model, tree.community_a1)
        with pytest.raises(TransitionError):
            transition_apply(actor=personas.community_a1_cadre, record=record, transition="remind")
        transition_apply(actor=personas.community_a1_cadre, record=record, transition="submit")
    finally:
        hooks.remove_hook(KEY, "submit", notify)

    assert seen == [("submitted", "submit")]


# --- deadlines ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_working_day_deadline_skips_the_2026_national_day_holiday():
    assert CalendarDay.objects.filter(date=D(2026, 10, 1)).exists()

    assert DueRule(1, "working").due_from(D(2026, 9, 30)) == D(2026, 10, 8)
    # 8 Thu, 9 Fri, 10 Sat (make-up workday), 12 Mon, 13 Tue
    assert DueRule(5, "working").due_from(D(2026, 9, 30)) == D(2026, 10, 13)
    assert DueRule(10, "calendar").due_from(D(2026, 9, 30)) == D(2026, 10, 10)


@pytest.mark.django_db
def test_working_day_deadline_reaches_into_2027_counting_weekends_only():
    assert not CalendarDay.objects.filter(date__year=2027).exists()

    # 30 Wed, 31 Thu, 1 Jan 2027 Fri (no calendar yet: a weekday), 4 Mon, 5 Tue
    assert DueRule(5, "working").due_from(D(2026, 12, 29)) == D(2027, 1, 5)


@pytest.mark.django_db
def test_deadline_days_and_counting_can_come_from_the_policy_table():
    assert DueRule("petition.acceptance_days", "calendar").due_from(D(2026, 3, 2)) == D(2026, 3, 17)
    assert DueRule(3, "petition.day_counting").due_from(D(2026, 3, 6)) == D(2026, 3, 9)


@pytest.mark.django_db
def test_a_new_record_starts_in_the_initial_state_with_its_first_deadline():
    intake = register(
        Workflow(
            key="test_intake",
            label="受理",
            initial="received",
            states=(State("received", "已登记"), State("closed", "已办结", final=True)),
            transitions=(Transition("close", "办结", ("received",), "closed", "orgs.change"),),
            initial_due=DueRule("petition.acceptance_days", "calendar"),
        )
    )

    class Intake:
        workflow_key = intake.key

    try:
        values = workflow_initial(Intake, today=D(2026, 3, 2))  # type: ignore[arg-type]
    finally:
        definitions.unregister(intake.key)

    assert (values["state"], values["due_at"]) == ("received", D(2026, 3, 17))


def test_without_the_calendar_core_counts_plain_days_and_weekdays(monkeypatch):
    monkeypatch.setattr(deadlines, "_day_counter", None)

    assert deadlines.add_days(D(2026, 10, 2), 3, "calendar") == D(2026, 10, 5)
    assert deadlines.add_days(D(2026, 10, 2), 1, "working") == D(2026, 10, 5)
    assert deadlines.add_days(D(2026, 10, 3), 0, "working") == D(2026, 10, 5)
    with pytest.raises(ValueError, match="Unknown day counting"):
        deadlines.add_days(D(2026, 10, 2), 1, "lunar")


@pytest.mark.django_db(transaction=True)
def test_submitting_before_national_day_sets_the_due_date_in_working_days(
    leave_model, personas, tree, monkeypatch
):
    record = leave(leave_model, tree.community_a1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 9, 30))

    transition_apply(actor=personas.community_a1_cadre, record=record, transition="submit")
    assert reload(record).due_at == D(2026, 10, 13)
    transition_apply(actor=personas.community_a1_cadre, record=record, transition="remind")
    assert reload(record).due_at == D(2026, 10, 13)  # staying in the state keeps the deadline
    transition_apply(
        actor=personas.street_a_cadre, record=record, transition="reject", comment="补材料"
    )
    assert reload(record).due_at == D(2026, 10, 10)


# --- to-do ----------------------------------------------------------------------------------


def workflow_todo(user: User) -> list[todo_registry.TodoItem]:
    return [item for item in todo_registry.items_for(user) if item.source == "core.workflows"]


@pytest.mark.django_db(transaction=True)
def test_todo_lists_due_soon_and_overdue_records_the_user_may_act_on_overdue_first(
    leave_model,
    personas: Personas,
    tree: Tree,
    monkeypatch,
    settings,
    django_assert_max_num_queries,
):
    settings.WORKFLOW_DUE_SOON_DAYS = 3
    monkeypatch.setattr("warmhome.core.workflows.todo.workflow_models", lambda: [leave_model])
    today = timezone.localdate()
    soon = leave(leave_model, tree.community_a1, state="submitted", title="快到期")
    soon.due_at = today + datetime.timedelta(days=2)
    late = leave(leave_model, tree.street_a, state="submitted", title="已逾期")
    late.due_at = today - datetime.timedelta(days=1)
    far = leave(leave_model, tree.street_a, state="submitted", title="还早")
    far.due_at = today + datetime.timedelta(days=30)
    done = leave(leave_model, tree.street_a, state="approved", title="已办完")
    done.due_at = today - datetime.timedelta(days=5)
    foreign = leave(leave_model, tree.community_b1, state="submitted", title="别的街道")
    foreign.due_at = today - datetime.timedelta(days=9)
    for record in (soon, late, far, done, foreign):
        record.save()

    with django_assert_max_num_queries(12):
        items = workflow_todo(personas.street_a_cadre)

    assert [(item.title, item.overdue) for item in items] == [
        ("请假申请：已逾期", True),
        ("请假申请：快到期", False),
    ]
    assert items[0].due == late.due_at
    assert str(items[0].detail).startswith("已逾期")
    assert str(items[0].detail).endswith("当前状态：已提交")
    assert [item.title for item in workflow_todo(personas.street_b_cadre)] == ["请假申请：别的街道"]
    assert workflow_todo(personas.resident) == []


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=postgres_only_reason,
)
@pytest.mark.django_db(transaction=True)
def test_twenty_approvers_at_once_exactly_one_wins_the_others_get_a_clear_error(
    leave_model, personas, tree
):
    User.objects.filter(pk=personas.street_a_cadre.pk).update(display_name="张伟")
    record = leave(leave_model, tree.street_a, state="submitted")
    threads_count = 20
    # Each approver has her own page (record loaded at version 0) and her own user object.
    pages = [reload(record) for _ in range(threads_count)]
    approvers = [User.objects.get(pk=personas.street_a_cadre.pk) for _ in range(threads_count)]
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            barrier.wait()
            transition_apply(
                actor=approvers[number],
                record=pages[number],
                transition="approve",
                fields={"amount": 100},
            )
            outcomes.append("ok")
        except TransitionConflictError as conflict:
            outcomes.append(conflict.messages[0])
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert outcomes.count("ok") == 1
    refusals = [outcome for outcome in outcomes if outcome != "ok"]
    assert len(refusals) == threads_count - 1
    assert all(
        refusal.startswith("该事项已由 张* 于 ")
        and refusal.endswith("处理为“已批准”，请刷新页面。")
        for refusal in refusals
    )
    assert len(logs_of(record)) == 1
    assert (reload(record).state, reload(record).version) == ("approved", 1)
