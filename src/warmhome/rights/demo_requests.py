"""Demo help requests (synthetic, seeded: every load is the same).

Three dozen requests over the demo tree's communities, from every channel and category, at
every stage: some waiting for acceptance (a few already overdue and escalated to their street),
some in handling, replied, closed with satisfaction, reopened, transferred, not accepted. Runs
once, after the organisations and their demo users exist; skips when a request exists already.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from warmhome.accounts.models import User
from warmhome.core.identifiers import fake_mobile
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.rights import services_requests as services
from warmhome.rights.models import Channel, HelpRequest, PetitionCategory, ReferralSource
from warmhome.rights.services_escalation import help_requests_escalate_overdue

_SEED = 12338
_COUNT = 36
_CHANNELS = [
    Channel.HOTLINE,
    Channel.HOTLINE,
    Channel.VISIT,
    Channel.LETTER,
    Channel.ONLINE,
    Channel.REFERRAL,
]
_CONTENT = {
    "domestic_violence": "丈夫酒后多次殴打，希望得到帮助和庇护信息。",
    "divorce": "离婚时对子女抚养权和共同财产分割有争议，咨询如何维权。",
    "family_dispute": "与婆家因房屋居住问题长期争吵，希望社区调解。",
    "support_elderly": "子女不履行赡养义务，老人生活困难。",
    "labour_rights": "怀孕后被单位调岗降薪，询问如何维护劳动权益。",
    "social_security": "单位未缴纳生育保险，生育津贴无法领取。",
    "gender_discrimination": "招聘时被告知只招男性，认为存在性别歧视。",
    "housing": "房产证只写丈夫名字，担心离婚时权益受损。",
    "inheritance": "父母遗产继承中被兄弟排除，希望了解法律规定。",
    "sexual_harassment": "在工作单位遭受上司性骚扰，不知如何取证。",
}
_STAGES = [
    "received",
    "accepted",
    "handling",
    "replied",
    "closed",
    "closed",
    "reopened",
    "transferred",
    "not_accepted",
    "overdue",
]


def _demo_user(code: str) -> User | None:
    return User.objects.filter(username=code).first()


@transaction.atomic
def help_requests_demo_load() -> bool:
    """Create the demo requests once; returns whether anything was made."""
    if HelpRequest.objects.exists():
        return False
    staff = _demo_user("district_staff_rights")
    communities = list(
        OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path")[:12]
    )
    categories = list(
        PetitionCategory.objects.filter(is_active=True, parent__isnull=False).order_by("order")
    )
    if staff is None or len(communities) < 2 or not categories:
        return False
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    fake = Faker("zh_CN")
    fake.seed_instance(_SEED)
    today = timezone.localdate()
    for number in range(_COUNT):
        category = categories[number % len(categories)]
        community = communities[number % len(communities)]
        channel = _CHANNELS[number % len(_CHANNELS)]
        stage = _STAGES[number % len(_STAGES)]
        received_on = today - datetime.timedelta(days=rng.randint(0, 10))
        if stage == "overdue":
            received_on = today - datetime.timedelta(days=rng.randint(20, 40))
        request = services.help_request_receive(
            actor=staff,
            channel=channel,
            category=category,
            content=_CONTENT.get(category.code, f"{category.name}方面的求助，请社区妇联了解情况。"),
            community=community,
            requester_name=fake.name_female(),
            requester_phone=fake_mobile(rng=rng),
            requester_address=f"{community.name}{fake.street_name()}{rng.randint(1, 99)}号",
            referral_source=ReferralSource.HOTLINE_12345 if channel == Channel.REFERRAL else "",
            referral_ref=f"12345-{rng.randint(100000, 999999)}"
            if channel == Channel.REFERRAL
            else "",
            received_on=received_on,
        )
        _advance(staff, request, stage, communities, rng)
    help_requests_escalate_overdue()
    return True


def _advance(
    staff: User, request: HelpRequest, stage: str, communities: list[OrgUnit], rng: random.Random
) -> None:
    if stage in ("received", "overdue"):
        return
    if stage == "not_accepted":
        services.help_request_not_accept(
            actor=staff, request=request, reason="不属于妇联受理范围，已告知求助人向法院起诉。"
        )
        return
    if stage == "transferred":
        others = [unit for unit in communities if unit.pk != request.org_id]
        services.help_request_transfer(
            actor=staff,
            request=request,
            to_org=rng.choice(others),
            reason="求助人已搬迁，转现居住地社区办理。",
        )
        return
    services.help_request_accept(actor=staff, request=request)
    if stage == "accepted":
        return
    services.help_request_start(actor=staff, request=request)
    if stage == "handling":
        return
    services.help_request_reply(
        actor=staff,
        request=request,
        text="经社区妇联协调，已为求助人联系志愿律师并提供法律援助渠道。",
        channel="phone",
        outcome=rng.choice(["solved", "partly", "explained"]),
    )
    if stage == "replied":
        return
    if stage == "reopened":
        services.help_request_follow_up(
            actor=staff,
            request=request,
            satisfaction="unsatisfied",
            note="求助人认为问题没有实际解决，要求继续协调。",
            reopen=True,
        )
        return
    services.help_request_follow_up(
        actor=staff,
        request=request,
        satisfaction=rng.choice(["satisfied", "satisfied", "basic"]),
        note="电话回访，求助人表示认可。",
    )
