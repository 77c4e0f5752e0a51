"""The registry of known policy keys: what each rule means, its type and its initial value.

Values live in the ``Policy`` table (dated, editable by district leadership); this registry only
says which keys exist, how to check a value, and what a new installation starts with (the values
of docs DOMAIN.md). ``basis`` carries the mark of DOMAIN.md: [law] read in the statute,
[practice] seen in official local documents, [assumed] not verified.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

INT = "int"
NUMBER = "number"
TEXT = "text"
BOOL = "bool"
CHOICE = "choice"
NUMBER_LIST = "number_list"

VALUE_TYPE_LABELS = {
    INT: gettext_lazy("整数"),
    NUMBER: gettext_lazy("数字"),
    TEXT: gettext_lazy("文字"),
    BOOL: gettext_lazy("是/否"),
    CHOICE: gettext_lazy("选项"),
    NUMBER_LIST: gettext_lazy("一组数字"),
}


#: who may enter a new value of a policy: the rules of the programme are the leadership's
MANAGE = "rules.manage"
#: … the sign-in rules are the security administrator's (三员分立: DOMAIN.md §4)
MANAGE_SECURITY = "rules.manage_security"


class UnknownPolicyError(LookupError):
    """A key that no module registered: a typo in code, never a user's mistake."""


@dataclass(frozen=True, slots=True)
class PolicySpec:
    key: str
    label: str | Promise
    unit: str | Promise
    value_type: str
    default: Any
    basis: str | Promise
    description: str | Promise = ""
    minimum: float | None = 0
    maximum: float | None = None
    choices: tuple[tuple[str, str | Promise], ...] = ()
    ascending: bool = False
    group: str | Promise = field(default="")
    #: the action that may enter a new value
    manage_action: str = MANAGE

    def display(self, value: Any) -> str:
        """The value as a person reads it, with its unit."""
        if self.value_type == BOOL:
            return str(gettext("是") if value else gettext("否"))
        if self.value_type == CHOICE:
            return str(dict(self.choices).get(value, value))
        if self.value_type == NUMBER_LIST:
            text = gettext("、").join(_number_text(item) for item in value)
        else:
            text = _number_text(value) if isinstance(value, int | float) else str(value)
        return f"{text} {self.unit}".strip()

    def as_text(self, value: Any) -> str:
        """The value as typed into the edit form."""
        if self.value_type == BOOL:
            return "true" if value else "false"
        if self.value_type == NUMBER_LIST:
            return ", ".join(_number_text(item) for item in value)
        return _number_text(value) if isinstance(value, int | float) else str(value)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_registry: dict[str, PolicySpec] = {}


def register(spec: PolicySpec) -> PolicySpec:
    if spec.key in _registry and _registry[spec.key] != spec:
        raise ValueError(f"Policy {spec.key!r} is already registered differently.")
    validate_value(spec, spec.default)
    _registry[spec.key] = spec
    return spec


def get_spec(key: str) -> PolicySpec:
    try:
        return _registry[key]
    except KeyError:
        raise UnknownPolicyError(
            gettext("未知的政策参数“%(key)s”：代码中没有登记此参数。") % {"key": key}
        ) from None


def all_specs() -> list[PolicySpec]:
    return list(_registry.values())


# --- checking and parsing values ------------------------------------------------------------


def _invalid(message: str) -> ValidationError:
    return ValidationError({"value": message})


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_range(spec: PolicySpec, number: float, what: str) -> None:
    if spec.minimum is not None and number < spec.minimum:
        raise _invalid(
            gettext("“%(label)s”%(what)s不能小于 %(minimum)s，填写的是 %(value)s。")
            % {
                "label": spec.label,
                "what": what,
                "minimum": _number_text(spec.minimum),
                "value": _number_text(number),
            }
        )
    if spec.maximum is not None and number > spec.maximum:
        raise _invalid(
            gettext("“%(label)s”%(what)s不能大于 %(maximum)s，填写的是 %(value)s。")
            % {
                "label": spec.label,
                "what": what,
                "maximum": _number_text(spec.maximum),
                "value": _number_text(number),
            }
        )


def _validate_int(spec: PolicySpec, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(gettext("“%(label)s”应为整数，例如 15。") % {"label": spec.label})
    _check_range(spec, value, "")


def _validate_number(spec: PolicySpec, value: Any) -> None:
    if not _is_number(value):
        raise _invalid(gettext("“%(label)s”应为数字，例如 0.5。") % {"label": spec.label})
    _check_range(spec, value, "")


def _validate_bool(spec: PolicySpec, value: Any) -> None:
    if not isinstance(value, bool):
        raise _invalid(gettext("“%(label)s”应为“是”或“否”。") % {"label": spec.label})


def _validate_text(spec: PolicySpec, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _invalid(gettext("“%(label)s”应为非空的文字。") % {"label": spec.label})


def _validate_choice(spec: PolicySpec, value: Any) -> None:
    if value not in [code for code, _label in spec.choices]:
        options = gettext("、").join(
            f"{code}{gettext('（')}{name}{gettext('）')}" for code, name in spec.choices
        )
        raise _invalid(
            gettext("“%(label)s”应为以下之一：%(options)s。")
            % {"label": spec.label, "options": options}
        )


def validate_value(spec: PolicySpec, value: Any) -> None:
    """Raise a Chinese ``ValidationError`` (on field ``value``) unless ``value`` fits ``spec``."""
    validator = _VALIDATORS.get(spec.value_type)
    if validator is None:
        raise ValueError(f"Unknown value type {spec.value_type!r} of policy {spec.key!r}.")
    validator(spec, value)


def _validate_number_list(spec: PolicySpec, value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise _invalid(
            gettext("“%(label)s”应为一组数字，例如 100, 300, 600。") % {"label": spec.label}
        )
    for position, item in enumerate(value, start=1):
        if not _is_number(item):
            raise _invalid(
                gettext("“%(label)s”的第 %(position)s 项应为数字。")
                % {"label": spec.label, "position": position}
            )
        _check_range(spec, item, gettext("的第 %(position)s 项") % {"position": position})
    if spec.ascending and any(later <= earlier for earlier, later in itertools.pairwise(value)):
        raise _invalid(
            gettext("“%(label)s”的各项应从小到大排列，且不能重复。") % {"label": spec.label}
        )


_VALIDATORS: dict[str, Callable[[PolicySpec, Any], None]] = {
    INT: _validate_int,
    NUMBER: _validate_number,
    BOOL: _validate_bool,
    TEXT: _validate_text,
    CHOICE: _validate_choice,
    NUMBER_LIST: _validate_number_list,
}


def _parse_number(text: str) -> int | float:
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return int(number) if number == number.to_integral_value() else float(number)


def parse_value(spec: PolicySpec, text: str) -> Any:
    """Turn what was typed into the form into a value of the spec's type (Chinese errors)."""
    text = text.strip()
    if spec.value_type == INT:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise _invalid(
                gettext("“%(label)s”应为整数，例如 15；填写的是“%(text)s”。")
                % {"label": spec.label, "text": text}
            )
        return int(number)
    if spec.value_type == NUMBER:
        try:
            return _parse_number(text)
        except InvalidOperation:
            raise _invalid(
                gettext("“%(label)s”应为数字，例如 0.5；填写的是“%(text)s”。")
                % {"label": spec.label, "text": text}
            ) from None
    if spec.value_type == BOOL:
        if text.lower() in {"true", "1", "是"}:
            return True
        if text.lower() in {"false", "0", "否"}:
            return False
        raise _invalid(gettext("“%(label)s”应为“是”或“否”。") % {"label": spec.label})
    if spec.value_type == NUMBER_LIST:
        return _parse_number_list(spec, text)
    return text


def _parse_number_list(spec: PolicySpec, text: str) -> list[int | float]:
    items = [item.strip() for item in text.replace("，", ",").replace("、", ",").split(",")]
    values: list[int | float] = []
    for position, item in enumerate(items, start=1):
        try:
            values.append(_parse_number(item))
        except InvalidOperation:
            raise _invalid(
                gettext(
                    "“%(label)s”应为以逗号分隔的一组数字，例如 100, 300, 600；"
                    "第 %(position)s 项“%(item)s”不是数字。"
                )
                % {"label": spec.label, "position": position, "item": item}
            ) from None
    return values


# --- the known rules, with the values a new installation starts with ------------------------

# Built at import time: lazy, translated when displayed.
_ = gettext_lazy

DAYS = _("天")
WORKING_DAYS = _("工作日")
HOURS = _("小时")
MONTHS = _("个月")
YEARS = _("年")
MINUTES = _("分钟")
YUAN = _("元")
TIMES = _("次")
PEOPLE = _("人")
SHARE = _("比例")

_PETITION = _("信访与维权")
_DV = _("反家庭暴力")
_VOLUNTEER = _("志愿服务")
_AWARD = _("评选表彰")
_LOAN = _("创业担保贷款")
_FAMILY = _("家庭教育")
_ORGS = _("组织建设")
_SECURITY = _("数据与安全")
_IMPORT = _("导入导出")

_PETITION_RULES = _("[practice] 《信访工作条例》")
_LOAN_RULES = _("[practice] 济南市创业担保贷款及贴息政策")
_DJBH = _("[practice] 网络安全等级保护基本要求（等保 2.0）第三级")

DAY_COUNTING_CHOICES = (("calendar", _("自然日")), ("working", _("工作日")))

for _spec in [
    # Petitions and help requests (DOMAIN.md §5)
    PolicySpec(
        "petition.acceptance_days",
        _("信访受理告知期限"),
        DAYS,
        INT,
        15,
        _PETITION_RULES,
        _("收到信访事项后决定是否受理并书面告知信访人的期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.handling_days",
        _("信访办理期限"),
        DAYS,
        INT,
        60,
        _PETITION_RULES,
        _("自受理之日起办结并答复的期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.extension_max_days",
        _("信访办理延期上限"),
        DAYS,
        INT,
        30,
        _PETITION_RULES,
        _("经批准并说明理由可延长的最长期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.review_request_days",
        _("申请复查期限"),
        DAYS,
        INT,
        30,
        _PETITION_RULES,
        _("信访人收到答复后申请复查的期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.review_decision_days",
        _("复查办理期限"),
        DAYS,
        INT,
        30,
        _PETITION_RULES,
        _("收到复查请求后作出复查意见的期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.rereview_request_days",
        _("申请复核期限"),
        DAYS,
        INT,
        30,
        _PETITION_RULES,
        _("信访人收到复查意见后申请复核的期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.rereview_decision_days",
        _("复核办理期限"),
        DAYS,
        INT,
        30,
        _PETITION_RULES,
        _("收到复核请求后作出复核意见的期限。"),
        group=_PETITION,
    ),
    PolicySpec(
        "petition.day_counting",
        _("信访期限计算方式"),
        "",
        CHOICE,
        "calendar",
        _("[assumed] 各地做法不一，默认按自然日，可改为工作日"),
        _("信访各项期限按自然日还是工作日计算。"),
        choices=DAY_COUNTING_CHOICES,
        group=_PETITION,
    ),
    # Domestic violence (DOMAIN.md §5)
    PolicySpec(
        "protection_order.ruling_hours",
        _("人身安全保护令作出期限"),
        HOURS,
        INT,
        72,
        _("[law] 《中华人民共和国反家庭暴力法》第二十八条"),
        _("人民法院受理申请后作出裁定的期限。"),
        group=_DV,
    ),
    PolicySpec(
        "protection_order.urgent_ruling_hours",
        _("人身安全保护令紧急作出期限"),
        HOURS,
        INT,
        24,
        _("[law] 《中华人民共和国反家庭暴力法》第二十八条"),
        _("情况紧急时作出裁定的期限。"),
        group=_DV,
    ),
    PolicySpec(
        "protection_order.max_validity_months",
        _("人身安全保护令最长有效期"),
        MONTHS,
        INT,
        6,
        _("[law] 《中华人民共和国反家庭暴力法》第三十条"),
        _("自作出之日起计算。"),
        group=_DV,
    ),
    PolicySpec(
        "protection_order.reconsideration_days",
        _("保护令申请复议期限"),
        DAYS,
        INT,
        5,
        _("[law] 《中华人民共和国反家庭暴力法》第三十一条"),
        _("对驳回申请或保护令不服申请复议一次的期限。"),
        group=_DV,
    ),
    PolicySpec(
        "protection_order.violation_fine_max_yuan",
        _("违反保护令罚款上限"),
        YUAN,
        INT,
        1000,
        _("[law] 《中华人民共和国反家庭暴力法》第三十四条"),
        group=_DV,
    ),
    PolicySpec(
        "protection_order.violation_detention_max_days",
        _("违反保护令拘留上限"),
        DAYS,
        INT,
        15,
        _("[law] 《中华人民共和国反家庭暴力法》第三十四条"),
        group=_DV,
    ),
    PolicySpec(
        "shelter.max_stay_days",
        _("临时庇护一般期限"),
        DAYS,
        INT,
        10,
        _("[practice] 各地临时庇护工作办法"),
        _("成年受害人一般入住期限，超出须办理延期。"),
        group=_DV,
    ),
    # Volunteers (DOMAIN.md §6)
    PolicySpec(
        "volunteer.star_hours",
        _("志愿者星级时长标准"),
        HOURS,
        NUMBER_LIST,
        [100, 300, 600, 1000, 1500],
        _("[practice] 全国志愿服务星级认定做法"),
        _("一星至五星所需的累计服务时长。"),
        ascending=True,
        group=_VOLUNTEER,
    ),
    PolicySpec(
        "volunteer.hours_step",
        _("服务时长记录精度"),
        HOURS,
        NUMBER,
        0.5,
        _("[assumed] 按实际服务时间记录，不含路途"),
        minimum=0.1,
        group=_VOLUNTEER,
    ),
    PolicySpec(
        "volunteer.hours_rounding",
        _("服务时长取整方式"),
        "",
        CHOICE,
        "down",
        _("[assumed] 按实际服务时间记录，不足一个记录单位的部分不计"),
        _("签到签退计算的时长按记录精度取整的方式。"),
        choices=(("down", _("向下取整")), ("nearest", _("四舍五入"))),
        group=_VOLUNTEER,
    ),
    PolicySpec(
        "volunteer.guardian_consent_age",
        _("志愿者须监护人同意的年龄"),
        _("周岁"),
        INT,
        18,
        _("[law] 《志愿服务条例》"),
        _("未满此年龄的志愿者须经监护人同意。"),
        group=_VOLUNTEER,
    ),
    # Awards (DOMAIN.md §7)
    PolicySpec(
        "awards.public_notice_working_days",
        _("评选公示期"),
        WORKING_DAYS,
        INT,
        5,
        _("[practice] 妇联评选表彰工作惯例"),
        _("公示不少于此天数。"),
        minimum=1,
        group=_AWARD,
    ),
    PolicySpec(
        "awards.vote_weight",
        _("网络投票权重"),
        SHARE,
        NUMBER,
        0.3,
        _("[practice] 评选办法示例：投票 30%，评审 70%"),
        maximum=1,
        group=_AWARD,
    ),
    PolicySpec(
        "awards.votes_per_person_per_day",
        _("每人每日投票次数"),
        TIMES,
        INT,
        1,
        _("[practice] 评选办法示例"),
        minimum=1,
        group=_AWARD,
    ),
    PolicySpec(
        "model_post.women_share_min",
        _("巾帼文明岗女性占比下限"),
        SHARE,
        NUMBER,
        0.6,
        _("[practice] 巾帼文明岗创建标准"),
        maximum=1,
        group=_AWARD,
    ),
    PolicySpec(
        "model_post.women_leaders_min",
        _("巾帼文明岗女性负责人下限"),
        PEOPLE,
        INT,
        1,
        _("[practice] 巾帼文明岗创建标准"),
        group=_AWARD,
    ),
    PolicySpec(
        "model_post.members_min",
        _("巾帼文明岗人数下限"),
        PEOPLE,
        INT,
        3,
        _("[practice] 巾帼文明岗创建标准"),
        group=_AWARD,
    ),
    PolicySpec(
        "model_post.lower_title_years",
        _("巾帼文明岗下级称号持有年限"),
        YEARS,
        INT,
        2,
        _("[practice] 巾帼文明岗创建标准"),
        group=_AWARD,
    ),
    PolicySpec(
        "family_home.min_area_m2",
        _("妇女儿童家园专用面积下限"),
        _("平方米"),
        INT,
        100,
        _("[practice] 山东省妇女儿童家园建设标准"),
        group=_AWARD,
    ),
    # Start-up guaranteed loans (DOMAIN.md §8)
    PolicySpec(
        "loan.individual_cap_yuan",
        _("个人创业担保贷款额度上限"),
        YUAN,
        INT,
        300000,
        _LOAN_RULES,
        group=_LOAN,
    ),
    PolicySpec("loan.max_term_years", _("贷款期限上限"), YEARS, INT, 3, _LOAN_RULES, group=_LOAN),
    PolicySpec(
        "loan.rate_spread_bp",
        _("利率上浮上限（LPR 加点）"),
        _("基点"),
        INT,
        50,
        _LOAN_RULES,
        _("贷款利率不超过 LPR 加此基点数。"),
        group=_LOAN,
    ),
    PolicySpec(
        "loan.subsidy_share",
        _("财政贴息比例"),
        SHARE,
        NUMBER,
        0.5,
        _LOAN_RULES,
        _("按实际利率的此比例贴息。"),
        maximum=1,
        group=_LOAN,
    ),
    PolicySpec("loan.max_count", _("累计贷款次数上限"), TIMES, INT, 3, _LOAN_RULES, group=_LOAN),
    PolicySpec(
        "loan.partnership_cap_share",
        _("合伙创业额度倍数"),
        SHARE,
        NUMBER,
        1.1,
        _LOAN_RULES,
        _("合伙创业额度不超过各人额度之和的此倍数。"),
        group=_LOAN,
    ),
    PolicySpec(
        "loan.graduate_years",
        _("高校毕业生认定年限"),
        YEARS,
        INT,
        5,
        _LOAN_RULES,
        _("毕业此年限内的高校毕业生属于扶持对象。"),
        group=_LOAN,
    ),
    PolicySpec(
        "loan.screening_working_days",
        _("贷款审核推荐期限"),
        WORKING_DAYS,
        INT,
        10,
        _LOAN_RULES,
        group=_LOAN,
    ),
    # Family education (DOMAIN.md §9)
    PolicySpec(
        "parent_school.guidance_sessions_min",
        _("家长学校年度指导课次数"),
        TIMES,
        INT,
        2,
        _("[practice] 社区家长学校建设要求"),
        group=_FAMILY,
    ),
    PolicySpec(
        "parent_school.practice_activities_min",
        _("家长学校年度实践活动次数"),
        TIMES,
        INT,
        2,
        _("[practice] 社区家长学校建设要求"),
        group=_FAMILY,
    ),
    # Organisation building
    PolicySpec(
        "new_org.womens_org_female_employees_min",
        _("两新组织应建妇女组织的女职工人数"),
        PEOPLE,
        INT,
        10,
        _("[assumed] 未找到统一标准，按本地要求设置"),
        _("女职工达到此人数的两新组织应建立妇女组织。"),
        group=_ORGS,
    ),
    # Personal information and security (DOMAIN.md §4)
    PolicySpec(
        "audit.retention_days",
        _("审计日志保存期限"),
        DAYS,
        INT,
        185,
        _("[law] 《中华人民共和国网络安全法》第二十一条：不少于六个月"),
        minimum=185,
        group=_SECURITY,
    ),
    PolicySpec(
        "dv.access_log_retention_years",
        _("家暴个案访问日志保存期限"),
        YEARS,
        INT,
        3,
        _("[assumed] 敏感个案数据的访问记录"),
        minimum=1,
        group=_SECURITY,
    ),
    PolicySpec(
        "pipl.record_retention_years",
        _("个人信息保护影响评估及处理记录保存期限"),
        YEARS,
        INT,
        3,
        _("[law] 《中华人民共和国个人信息保护法》第五十六条"),
        minimum=3,
        group=_SECURITY,
    ),
    PolicySpec(
        "pipl.child_consent_age",
        _("须监护人同意的儿童年龄"),
        _("周岁"),
        INT,
        14,
        _("[law] 《中华人民共和国个人信息保护法》第二十八条、第三十一条"),
        _("不满此年龄的儿童的个人信息须经监护人同意方可处理。"),
        group=_SECURITY,
    ),
    PolicySpec(
        "security.password_max_age_days",
        _("密码最长使用期限"),
        DAYS,
        INT,
        90,
        _DJBH,
        minimum=1,
        group=_SECURITY,
        manage_action=MANAGE_SECURITY,
    ),
    PolicySpec(
        "security.session_idle_minutes",
        _("会话空闲超时"),
        MINUTES,
        INT,
        30,
        _DJBH,
        minimum=1,
        maximum=30,
        group=_SECURITY,
        manage_action=MANAGE_SECURITY,
    ),
    PolicySpec(
        "security.lockout_failures",
        _("登录失败锁定次数"),
        TIMES,
        INT,
        5,
        _DJBH,
        minimum=1,
        group=_SECURITY,
        manage_action=MANAGE_SECURITY,
    ),
    PolicySpec(
        "security.lockout_minutes",
        _("账号锁定时长"),
        MINUTES,
        INT,
        15,
        _("[assumed] 等保要求登录失败处理，时长未规定"),
        minimum=1,
        group=_SECURITY,
        manage_action=MANAGE_SECURITY,
    ),
    # Activities (issue 5)
    PolicySpec(
        "activities.checkin_qr_seconds",
        _("签到二维码有效时间"),
        _("秒"),
        INT,
        60,
        _("[assumed] 现场屏幕定时刷新，防止转发旧码代签"),
        _("组织者屏幕上的签到二维码每隔多久失效一次。"),
        minimum=15,
        maximum=600,
        group=_("活动"),
    ),
    PolicySpec(
        "activities.checkin_open_minutes",
        _("活动开始前可提前签到"),
        MINUTES,
        INT,
        60,
        _("[assumed] 一般提前一小时入场"),
        _("活动开始前多少分钟起可以签到。"),
        maximum=24 * 60,
        group=_("活动"),
    ),
    PolicySpec(
        "activities.public_requests_per_minute",
        _("公开报名签到页每分钟请求上限"),
        TIMES,
        INT,
        60,
        _("[assumed] 防止批量试探姓名和电话"),
        _("同一网络地址每分钟可提交公开报名或签到的次数。"),
        minimum=1,
        group=_("活动"),
    ),
    # Import and export
    PolicySpec(
        "import.max_file_mb",
        _("导入文件大小上限"),
        "MB",
        INT,
        20,
        _("[assumed] 防止超大文件占满服务器"),
        minimum=1,
        group=_IMPORT,
    ),
]:
    register(_spec)

del _spec

# --- Assistance and the relief fund (issue 6) ------------------------------------------------
# The seed asks the federation to write the fund's rules (《历下区妇女儿童维权解困救助金使用管理
# 办法（试行）》); none of these numbers is in DOMAIN.md, so each is a setting marked [assumed].
# Money limits are whole yuan (INT): policy values are JSON numbers, and money is never a float.

_ASSIST = _("帮扶救助")
_RELIEF_RULES = _("[assumed] 《历下区妇女儿童维权解困救助金使用管理办法（试行）》待区妇联确定")
_ASSIST_PRACTICE = _("[assumed] 各地妇联帮扶工作惯例，待区妇联确定")

for _spec in [
    PolicySpec(
        "assistance.followup_working_days",
        _("帮扶对象回访间隔"),
        WORKING_DAYS,
        INT,
        20,
        _ASSIST_PRACTICE,
        _("未设风险等级的帮扶对象，两次回访之间的最长间隔。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "assistance.level_yellow_working_days",
        _("黄色等级家庭回访间隔"),
        WORKING_DAYS,
        INT,
        10,
        _ASSIST_PRACTICE,
        _("黄色（生活困难）家庭的帮扶责任人回访间隔。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "assistance.level_orange_working_days",
        _("橙色等级家庭回访间隔"),
        WORKING_DAYS,
        INT,
        10,
        _ASSIST_PRACTICE,
        _("橙色（婚姻家庭纠纷）家庭的帮扶责任人回访间隔。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "assistance.level_red_working_days",
        _("红色等级家庭回访间隔"),
        WORKING_DAYS,
        INT,
        5,
        _ASSIST_PRACTICE,
        _("红色（人身危险）家庭的帮扶责任人回访间隔（每周一次）。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.eligible_hardships",
        _("救助金可救助的困难类型"),
        "",
        TEXT,
        "illness,schooling,living,accident,rights,violence,other",
        _RELIEF_RULES,
        _(
            "以英文逗号分隔的困难类型代码：illness 重大疾病、schooling 子女就学困难、"
            "living 生活困难、accident 突发意外、rights 维权诉讼困难、violence 家庭暴力受害、"
            "other 其他。"
        ),
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.max_per_application",
        _("单次救助金额上限"),
        YUAN,
        INT,
        5000,
        _RELIEF_RULES,
        _("一事一议，每件申请批准金额的上限。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.max_per_person_year",
        _("每人每年救助金额上限"),
        YUAN,
        INT,
        8000,
        _RELIEF_RULES,
        _("同一人一个自然年度内累计获得救助金的上限（含已批准待发放）。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.max_per_household_year",
        _("每户每年救助金额上限"),
        YUAN,
        INT,
        12000,
        _RELIEF_RULES,
        _("同一家庭户一个自然年度内累计获得救助金的上限（含已批准待发放）。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.street_decides_up_to",
        _("街道可直接批准的金额"),
        YUAN,
        INT,
        1000,
        _RELIEF_RULES,
        _("不超过此金额的申请由街道妇联审核后批准；超过的报区妇联集体研究决定。"),
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.urgent_max",
        _("救急解难先行发放上限"),
        YUAN,
        INT,
        2000,
        _RELIEF_RULES,
        _("紧急情况下先行发放、事后由区妇联追认的单次金额上限。"),
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.review_working_days",
        _("救助申请每级审核期限"),
        WORKING_DAYS,
        INT,
        5,
        _RELIEF_RULES,
        _("社区、街道、区妇联每一级审核的办理期限，到期提醒。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.ratify_working_days",
        _("救急发放追认期限"),
        WORKING_DAYS,
        INT,
        10,
        _RELIEF_RULES,
        _("救急解难先行发放后，区妇联追认的期限。"),
        minimum=1,
        group=_ASSIST,
    ),
    PolicySpec(
        "relief.evidence_max_mb",
        _("证明材料文件大小上限"),
        "MB",
        INT,
        10,
        _("[assumed] 扫描件与照片的常见大小"),
        minimum=1,
        group=_ASSIST,
    ),
]:
    register(_spec)

del _spec

# Anti-domestic-violence casework (rights app): break-glass and the local risk scale.
for _spec in [
    PolicySpec(
        "rights.break_glass_minutes",
        _("紧急查阅有效时长"),
        MINUTES,
        INT,
        60,
        _("[assumed] 反家暴个案保密要求，待区妇联确定"),
        _("非承办人员填写事由紧急查阅个案后，可查看该个案的时长。"),
        minimum=5,
        maximum=1440,
        group=_DV,
    ),
    PolicySpec(
        "rights.local_scale_cutoffs",
        _("本地风险评估表分级线"),
        "",
        NUMBER_LIST,
        [3, 5],
        _("[assumed] 本地三级（高/中/低）风险评估表，待工作站确定"),
        _("两个数字：达到第一个为中风险，达到第二个为高风险（8 项，每项是 1 分、否 0 分）。"),
        ascending=True,
        group=_DV,
    ),
]:
    register(_spec)

del _spec

# Anti-domestic-violence measures (rights app): protection orders, shelter, alerts, statistics.
_ADVL = _("[law] 《反家庭暴力法》")
for _spec in [
    PolicySpec(
        "rights.order_ruling_hours",
        _("人身安全保护令裁定期限"),
        HOURS,
        INT,
        72,
        _ADVL,
        _("法院受理申请后作出裁定的期限，自受理时起算。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.order_urgent_ruling_hours",
        _("紧急情况下保护令裁定期限"),
        HOURS,
        INT,
        24,
        _ADVL,
        _("情况紧急的，法院受理后作出裁定的期限。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.order_max_months",
        _("人身安全保护令最长有效期"),
        MONTHS,
        INT,
        6,
        _ADVL,
        _("保护令自签发之日起的最长有效期，超过的不予登记。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.order_reconsideration_days",
        _("保护令驳回后申请复议期限"),
        DAYS,
        INT,
        5,
        _ADVL,
        _("申请被驳回后，可在此期限内申请复议一次。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.order_expiry_notice_days",
        _("保护令到期提醒提前天数"),
        DAYS,
        INT,
        14,
        _("[assumed] 便于在到期前申请延长，待工作站确定"),
        _("保护令有效期届满前此天数内，提醒个案承办人员和站长。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.shelter_days",
        _("临时庇护期限"),
        DAYS,
        INT,
        10,
        _("[practice] 各地临时庇护场所管理办法"),
        _("成年人临时庇护一般不超过此天数，超过的须填写延长理由。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.high_risk_followup_working_days",
        _("高风险个案回访间隔"),
        WORKING_DAYS,
        INT,
        5,
        _("[assumed] 高风险个案须密切跟进，待工作站确定"),
        _("高风险个案超过此工作日数没有回访记录的，提醒个案承办人员和站长。"),
        minimum=1,
        group=_DV,
    ),
    PolicySpec(
        "rights.min_shown_count",
        _("统计数字最小公开值"),
        "",
        INT,
        3,
        _("[assumed] 防止通过小数字识别当事人"),
        _("匿名统计中小于此数的数字显示为“<此数”。"),
        minimum=1,
        group=_DV,
    ),
]:
    register(_spec)

# Women's opinions and appeals (妇情民意, opinions app).
_OPINIONS = _("妇情民意")
_OPINIONS_PRACTICE = _("[assumed] 妇情民意分析制度，待区妇联确定")

for _spec in [
    PolicySpec(
        "opinions.review_confidence_min",
        _("自动分类置信度下限"),
        SHARE,
        NUMBER,
        0.5,
        _OPINIONS_PRACTICE,
        _("模型给出的置信度低于此值的妇情民意，标记为“待核对”，由工作人员确认分类。"),
        minimum=0,
        maximum=1,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.text_max_chars",
        _("单条妇情民意最长字数"),
        _("字"),
        INT,
        5000,
        _OPINIONS_PRACTICE,
        _("超过此长度的内容不予登记，请分条反映或作为附件上传。"),
        minimum=100,
        maximum=100000,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.rise_factor",
        _("异常上升倍数"),
        _("倍"),
        NUMBER,
        2,
        _OPINIONS_PRACTICE,
        _("某街道某主题本期数量达到上期的此倍数，即提示为异常上升。"),
        minimum=1,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.rise_min_count",
        _("异常上升最少件数"),
        _("件"),
        INT,
        5,
        _OPINIONS_PRACTICE,
        _("本期件数少于此数时不提示异常上升，避免个位数的波动。"),
        minimum=1,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.duplicate_similarity_min",
        _("相似诉求判定阈值"),
        SHARE,
        NUMBER,
        0.45,
        _OPINIONS_PRACTICE,
        _("两条妇情民意的文字相似度（字符组合余弦相似度）达到此值，视为反映同一件事。"),
        minimum=0.1,
        maximum=1,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.followup_working_days",
        _("交办答复期限"),
        WORKING_DAYS,
        INT,
        10,
        _OPINIONS_PRACTICE,
        _("妇情民意交办后，承办人答复办理结果的期限。"),
        minimum=1,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.public_requests_per_minute",
        _("门户留言每分钟次数上限"),
        TIMES,
        INT,
        10,
        _OPINIONS_PRACTICE,
        _("同一网络地址每分钟最多提交的门户留言次数，防止刷屏。"),
        minimum=1,
        group=_OPINIONS,
    ),
    PolicySpec(
        "opinions.attachment_max_mb",
        _("妇情民意附件大小上限"),
        "MB",
        INT,
        10,
        _OPINIONS_PRACTICE,
        minimum=1,
        group=_OPINIONS,
    ),
]:
    register(_spec)

del _spec
