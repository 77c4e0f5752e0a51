import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from warmhome.core.models import AuditEntry
from warmhome.rules import cache as cache_module
from warmhome.rules.models import Policy
from warmhome.rules.policies import UnknownPolicyError, all_specs, get_spec, parse_value
from warmhome.rules.selectors import policy_cache, policy_value
from warmhome.rules.services import INITIAL_VALID_FROM, policies_ensure_defaults, policy_set

D = datetime.date
BASIS = "[practice] 区妇联 2026 年第 5 次党组会议决定"


def test_a_new_installation_holds_domain_values_dated_2000(db):
    assert policy_value("petition.acceptance_days") == 15
    assert policy_value("petition.handling_days") == 60
    assert policy_value("petition.day_counting") == "calendar"
    assert policy_value("protection_order.ruling_hours") == 72
    assert policy_value("volunteer.star_hours") == [100, 300, 600, 1000, 1500]
    assert policy_value("awards.vote_weight") == 0.3
    assert policy_value("loan.individual_cap_yuan") == 300000
    assert policy_value("audit.retention_days") == 185
    row = Policy.objects.get(key="pipl.child_consent_age")
    assert (row.value, row.unit, row.valid_from) == (14, "周岁", INITIAL_VALID_FROM)
    assert Policy.objects.count() == len(all_specs())


def test_every_rule_says_whether_its_basis_is_law_practice_or_assumed(db):
    marks = ("[law]", "[practice]", "[assumed]")
    unmarked = [row.key for row in Policy.objects.all() if not row.basis.startswith(marks)]

    assert unmarked == []
    assert "[assumed]" in Policy.objects.get(key="new_org.womens_org_female_employees_min").basis


def test_a_value_applies_from_its_date_and_the_old_one_before(leader):
    policy_set(
        actor=leader,
        key="petition.acceptance_days",
        value=20,
        valid_from=D(2027, 1, 1),
        basis=BASIS,
    )

    assert policy_value("petition.acceptance_days", on=D(2026, 12, 31)) == 15
    assert policy_value("petition.acceptance_days", on=D(2027, 1, 1)) == 20
    assert policy_value("petition.acceptance_days", on=D(2030, 6, 1)) == 20
    assert policy_value("petition.acceptance_days", on=D(1999, 1, 1)) == 15


def test_a_change_is_audited_with_the_actor(leader):
    policy = policy_set(
        actor=leader,
        key="loan.individual_cap_yuan",
        value=500000,
        valid_from=D(2027, 1, 1),
        basis=BASIS,
    )

    entry = AuditEntry.objects.filter(model_label="rules.Policy", object_pk=str(policy.pk)).get()
    assert entry.kind == AuditEntry.Kind.CREATE
    assert entry.actor_username == "leader"
    assert entry.after["value"] == 500000


def test_the_same_date_again_corrects_the_row_and_the_audit_keeps_both_values(leader):
    first = policy_set(
        actor=leader,
        key="shelter.max_stay_days",
        value=14,
        valid_from=D(2027, 1, 1),
        basis=BASIS,
    )
    corrected = policy_set(
        actor=leader,
        key="shelter.max_stay_days",
        value=12,
        valid_from=D(2027, 1, 1),
        basis=BASIS,
    )

    assert corrected.pk == first.pk
    assert policy_value("shelter.max_stay_days", on=D(2027, 1, 1)) == 12
    update = AuditEntry.objects.get(
        model_label="rules.Policy", object_pk=str(first.pk), kind=AuditEntry.Kind.UPDATE
    )
    assert (update.before["value"], update.after["value"]) == (14, 12)


def test_an_unknown_key_is_a_clear_error(db):
    with pytest.raises(UnknownPolicyError, match=r"未知的政策参数“petition\.acceptence_days”"):
        policy_value("petition.acceptence_days")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("petition.acceptance_days", "十五", "“信访受理告知期限”应为整数"),
        ("petition.acceptance_days", 15.5, "应为整数"),
        ("petition.acceptance_days", True, "应为整数"),
        ("petition.acceptance_days", -1, "不能小于 0"),
        ("awards.vote_weight", 1.5, "“网络投票权重”不能大于 1，填写的是 1.5"),
        ("petition.day_counting", "lunar", "应为以下之一：calendar（自然日）、working（工作日）"),
        ("volunteer.star_hours", [100, 600, 300], "应从小到大排列"),
        ("volunteer.star_hours", [100, "x"], "第 2 项应为数字"),
        ("volunteer.star_hours", [], "应为一组数字"),
        ("audit.retention_days", 90, "不能小于 185"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_in_chinese_and_nothing_is_written(
    leader, key, value, message
):
    rows = Policy.objects.count()

    with pytest.raises(ValidationError) as refused:
        policy_set(actor=leader, key=key, value=value, valid_from=D(2027, 1, 1), basis=BASIS)

    assert message in refused.value.message_dict["value"][0]
    assert Policy.objects.count() == rows


def test_a_value_without_basis_is_refused(leader):
    with pytest.raises(ValidationError) as refused:
        policy_set(
            actor=leader,
            key="petition.handling_days",
            value=45,
            valid_from=D(2027, 1, 1),
            basis="  ",
        )

    assert "请填写依据" in refused.value.message_dict["basis"][0]


def test_typed_text_is_parsed_by_type_with_chinese_errors():
    assert parse_value(get_spec("volunteer.star_hours"), "100，300、600, 1000") == [
        100,
        300,
        600,
        1000,
    ]
    assert parse_value(get_spec("loan.subsidy_share"), "0.5") == 0.5
    assert parse_value(get_spec("petition.handling_days"), " 45 ") == 45
    with pytest.raises(ValidationError, match="应为整数，例如 15；填写的是“15天”"):
        parse_value(get_spec("petition.handling_days"), "15天")
    with pytest.raises(ValidationError, match="第 2 项“三百”不是数字"):
        parse_value(get_spec("volunteer.star_hours"), "100, 三百")


def test_only_holders_of_rules_manage_may_set_a_value(personas):
    with pytest.raises(PermissionDenied, match="没有维护规则与日历的权限"):
        policy_set(
            actor=personas.district_staff,
            key="petition.handling_days",
            value=45,
            valid_from=D(2027, 1, 1),
            basis=BASIS,
        )


@pytest.mark.parametrize(
    "key",
    [
        "security.password_max_age_days",
        "security.session_idle_minutes",
        "security.lockout_failures",
        "security.lockout_minutes",
    ],
)
def test_only_the_security_administrator_may_set_a_sign_in_rule(leader, personas, key):
    with pytest.raises(PermissionDenied, match="登录安全策略只能由安全管理员维护"):
        policy_set(actor=leader, key=key, value=20, valid_from=D(2027, 1, 1), basis=BASIS)

    policy_set(
        actor=personas.security_admin, key=key, value=20, valid_from=D(2027, 1, 1), basis=BASIS
    )

    assert policy_value(key, on=D(2027, 1, 1)) == 20


def test_the_security_administrator_sets_no_business_rule(personas):
    with pytest.raises(PermissionDenied, match="没有维护规则与日历的权限"):
        policy_set(
            actor=personas.security_admin,
            key="petition.handling_days",
            value=45,
            valid_from=D(2027, 1, 1),
            basis=BASIS,
        )


def test_the_sign_in_rules_action_belongs_to_the_security_duty():
    from warmhome.core import actions

    assert actions.get("rules.manage_security").admin_duty == "security"


def test_loading_the_defaults_again_never_overwrites_an_edit(leader):
    policy_set(
        actor=leader,
        key="petition.handling_days",
        value=45,
        valid_from=INITIAL_VALID_FROM,
        basis=BASIS,
    )

    assert policies_ensure_defaults() == 0
    assert policy_value("petition.handling_days") == 45


def test_a_rolled_back_change_never_lingers_in_the_cache(leader):
    assert policy_value("petition.handling_days") == 60

    with transaction.atomic():
        policy_set(
            actor=leader,
            key="petition.handling_days",
            value=45,
            valid_from=INITIAL_VALID_FROM,
            basis=BASIS,
        )
        assert policy_value("petition.handling_days") == 45
        transaction.set_rollback(True)

    assert policy_value("petition.handling_days") == 60


@pytest.fixture
def fake_clock(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: clock[0])
    yield clock
    # The fake "other process" write below is rolled back with the test, which no real other
    # process's committed write ever is: drop what the cache learnt from it.
    policy_cache.clear()


def test_a_change_made_by_another_process_shows_once_the_cache_revalidates(db, fake_clock):
    assert policy_value("petition.handling_days") == 60
    # Another process's write: this process sees no signal (a queryset update sends none).
    Policy.objects.filter(key="petition.handling_days").update(
        value=50, updated_at=datetime.datetime.now(datetime.UTC)
    )

    assert policy_value("petition.handling_days") == 60  # still within the cache's few seconds
    fake_clock[0] += 10
    assert policy_value("petition.handling_days") == 50


def test_returned_lists_are_copies(db):
    policy_value("volunteer.star_hours").append(9999)

    assert policy_value("volunteer.star_hours") == [100, 300, 600, 1000, 1500]
