"""Public verification of a certificate and its printable PDF."""

import enum
from dataclasses import dataclass

from django.urls import reverse

from warmhome.certificates.models import Certificate
from warmhome.certificates.services import certificate_content
from warmhome.certificates.signing import matches
from warmhome.core.documents.pdf import CertificateContent, certificate_pdf


class Verdict(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    ALTERED = "altered"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    certificate: Certificate | None = None


def certificate_verify(*, number: str, signature: str) -> Verification:
    """Check ``number`` against the register and ``signature`` against its signed content.

    Any change, to the stored facts or to the signature, fails: the signature is recomputed from
    the register and compared in constant time with the one presented and the one issued.
    """
    certificate = Certificate.objects.filter(number=number.strip().upper()).first()
    if certificate is None:
        return Verification(Verdict.UNKNOWN)
    content = certificate_content(certificate)
    if not (matches(content, signature) and matches(content, certificate.signature)):
        return Verification(Verdict.ALTERED)
    if certificate.is_revoked:
        return Verification(Verdict.REVOKED, certificate)
    return Verification(Verdict.VALID, certificate)


def verify_path(certificate: Certificate) -> str:
    return reverse(
        "certificates:certificate_verify",
        kwargs={"number": certificate.number, "signature": certificate.signature},
    )


def certificate_pdf_bytes(certificate: Certificate, *, site_url: str) -> bytes:
    """The printable certificate, its QR code pointing at ``site_url`` + the verify path."""
    return certificate_pdf(
        CertificateContent(
            title=certificate.kind,
            holder=certificate.holder_display,
            statement="",
            number=certificate.number,
            issuer=certificate.issuer,
            issued_on=certificate.issued_on.strftime("%Y年%m月%d日"),
            verify_url=site_url.rstrip("/") + verify_path(certificate),
            verify_code=certificate.signature,
            facts=[(str(label), str(value)) for label, value in certificate.facts],
        )
    )
