"""Review (复查) and re-review (复核) of a replied help request, by the levels above."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import OrgScopedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet
from warmhome.rights.models.requests import HelpRequest


class ReviewLevel(models.TextChoices):
    REVIEW = "review", _("复查")
    REREVIEW = "rereview", _("复核")


class ReviewDecision(models.TextChoices):
    UPHELD = "upheld", _("维持原处理意见")
    CHANGED = "changed", _("变更处理意见")
    REDO = "redo", _("撤销原处理意见，责令重新办理")


class RequestReviewQuerySet(ScopedQuerySet["RequestReview"]):
    def pending(self) -> "RequestReviewQuerySet":
        return self.filter(decided_on__isnull=True)


class RequestReviewManager(OrgScopedManager.from_queryset(RequestReviewQuerySet)):  # type: ignore[misc]
    pass


class RequestReview(OrgScopedModel):
    """The requester disagrees with a reply; ``org`` is the unit above that decides."""

    request = models.ForeignKey(
        HelpRequest, verbose_name=_("求助事项"), on_delete=models.PROTECT, related_name="reviews"
    )
    level = models.CharField(_("类别"), max_length=10, choices=ReviewLevel.choices)
    requested_on = models.DateField(_("申请日期"))
    reason = models.TextField(_("申请理由"))
    due_on = models.DateField(_("办理期限"))
    decision = models.CharField(
        _("复查（复核）意见"), max_length=10, choices=ReviewDecision.choices, blank=True
    )
    decision_text = models.TextField(_("意见说明"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[RequestReviewManager] = RequestReviewManager()

    class Meta:
        ordering = ["request", "requested_on", "pk"]
        verbose_name = _("复查复核")
        verbose_name_plural = _("复查复核")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "level"],
                name="rights_review_once_per_level",
                violation_error_message=_("该事项已申请过同一级的复查（复核）。"),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | ~Q(decision=""),
                name="rights_review_decided_with_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_level_display()}"

    def todo_title(self) -> str:
        return str(
            _("%(level)s：%(number)s")
            % {"level": self.get_level_display(), "number": self.request.number}
        )
