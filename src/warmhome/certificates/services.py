"""Issuing and revoking certificates."""

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.certificates.models import Certificate
from warmhome.certificates.signing import canonical_content, sign
from warmhome.orgs.models import OrgUnit

ISSUE_ACTION = "certificates.issue"


def certificate_content(certificate: Certificate) -> str:
    """The canonical content of ``certificate`` as stored now."""
    return canonical_content(
        number=certificate.number,
        holder=certificate.holder_display,
        kind=certificate.kind,
        issued_on=certificate.issued_on.isoformat(),
        issuer=certificate.issuer,
        facts=certificate.facts,
    )


def _new_number(issued_on: datetime.date) -> str:
    # Random rather than sequential: numbers cannot be walked through on the public page.
    while True:
        number = f"WH{issued_on:%Y}-{secrets.token_hex(4).upper()}"
        if not Certificate.objects.filter(number=number).exists():
            return number


def _require_issuer(actor: Any, org: OrgUnit) -> None:
    if not OrgUnit.objects.visible_to(actor, ISSUE_ACTION).filter(pk=org.pk).exists():
        raise PermissionDenied(_("您没有以该组织名义颁发证书的权限。"))


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    org: OrgUnit,
    kind: str,
    holder_display: str,
    issuer: str,
    facts: Sequence[tuple[str, str]] = (),
    issued_on: datetime.date | None = None,
) -> Certificate:
    """Issue a signed certificate in ``org``'s name; ``holder_display`` is printed as given."""
    _require_issuer(actor, org)
    if not kind.strip() or not holder_display.strip() or not issuer.strip():
        raise ValidationError(_("证书类别、持证人和颁发单位都必须填写。"))
    day = issued_on or timezone.localdate()
    certificate = Certificate(
        org=org,
        number=_new_number(day),
        kind=kind.strip(),
        holder_display=holder_display.strip(),
        issuer=issuer.strip(),
        issued_on=day,
        facts=[[str(label), str(value)] for label, value in facts],
    )
    certificate.signature = sign(certificate_content(certificate))
    certificate.save()
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke ``certificate``: the public page then says so."""
    _require_issuer(actor, certificate.org)
    if not reason.strip():
        raise ValidationError(_("撤销证书必须填写原因。"))
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()[:200]
        certificate.save()
    return certificate
