"""The fixed opinion topics of DOMAIN.md §11. Sub-topics (``Subtopic`` rows) may hang below a
topic; these ten codes never change, so statistics stay comparable from year to year."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    MARRIAGE = "MARRIAGE", _("婚姻家庭纠纷")
    DV = "DV", _("家庭暴力")
    EMPLOY = "EMPLOY", _("就业创业")
    LABOUR = "LABOUR", _("劳动与社会保障权益")
    CHILD = "CHILD", _("儿童关爱与家庭教育")
    ELDER = "ELDER", _("养老照护")
    HEALTH = "HEALTH", _("医疗健康")
    RIGHTS = "RIGHTS", _("人身与财产权益")
    COMMUNITY = "COMMUNITY", _("社区生活与公共服务")
    OTHER = "OTHER", _("其他")


TOPIC_CODES: tuple[str, ...] = tuple(Topic.values)
