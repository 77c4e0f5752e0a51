import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import Personas, Tree
from warmhome.accounts.models import Role
from warmhome.certificates.models import Certificate
from warmhome.certificates.selectors import Verdict, certificate_pdf_bytes, certificate_verify
from warmhome.certificates.services import certificate_issue, certificate_revoke
from warmhome.core.documents import pdf as pdf_module
from warmhome.portal.pages import public_pages

ALTERED = "证书信息与登记不符，可能已被篡改。"


@pytest.fixture
def issuer(personas: Personas) -> Any:
    role = Role.objects.get(code="street_cadre")
    role.actions = [*role.actions, "certificates.issue"]
    role.save()
    personas.street_a_cadre.forget_grants()
    return personas.street_a_cadre


@pytest.fixture
def certificate(issuer: Any, tree: Tree) -> Certificate:
    return certificate_issue(
        actor=issuer,
        org=tree.street_a,
        kind="最美家庭",
        holder_display="张*梅家庭",
        issuer="解放路街道妇女联合会",
        facts=[("荣誉年度", "2025"), ("推荐单位", "解放桥社区")],
        issued_on=datetime.date(2026, 3, 8),
    )


def test_the_qr_code_on_the_pdf_opens_a_page_that_verifies_the_certificate(
    certificate: Certificate, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    real_qr = pdf_module.qr_png

    def capture(data: str, **kwargs: Any) -> bytes:
        encoded.append(data)
        return real_qr(data, **kwargs)

    monkeypatch.setattr(pdf_module, "qr_png", capture)
    document = certificate_pdf_bytes(certificate, site_url="https://warmhome.example.gov.cn")
    assert document.startswith(b"%PDF")
    [url] = encoded
    assert url.startswith("https://warmhome.example.gov.cn/verify/")
    page = client.get(urlsplit(url).path)
    text = page.content.decode()
    assert page.status_code == 200
    assert "证书真实有效" in text
    assert "张*梅家庭" in text
    assert "解放桥社区" in text


def test_a_certificate_altered_in_the_register_fails_verification(
    certificate: Certificate, client: Any
) -> None:
    url = reverse(
        "certificates:certificate_verify",
        kwargs={"number": certificate.number, "signature": certificate.signature},
    )
    Certificate.objects.filter(pk=certificate.pk).update(facts=[["荣誉年度", "2024"]])
    page = client.get(url)
    assert page.status_code == 404
    assert ALTERED in page.content.decode()
    assert "2024" not in page.content.decode()


@pytest.mark.parametrize("field", ["holder_display", "kind", "issuer", "issued_on"])
def test_any_changed_fact_fails_verification(certificate: Certificate, field: str) -> None:
    changes = {
        "holder_display": "李*梅家庭",
        "kind": "五好家庭",
        "issuer": "千佛山街道妇女联合会",
        "issued_on": datetime.date(2026, 3, 9),
    }
    Certificate.objects.filter(pk=certificate.pk).update(**{field: changes[field]})
    verdict = certificate_verify(number=certificate.number, signature=certificate.signature)
    assert verdict.verdict == Verdict.ALTERED
    assert verdict.certificate is None


def test_an_altered_signature_fails_verification(certificate: Certificate, client: Any) -> None:
    forged = ("0" if certificate.signature[0] != "0" else "1") + certificate.signature[1:]
    page = client.get(
        reverse(
            "certificates:certificate_verify",
            kwargs={"number": certificate.number, "signature": forged},
        )
    )
    assert ALTERED in page.content.decode()


def test_a_revoked_certificate_shows_as_revoked(
    certificate: Certificate, issuer: Any, client: Any
) -> None:
    certificate_revoke(actor=issuer, certificate=certificate, reason="经核实材料不实")
    page = client.get(
        reverse(
            "certificates:certificate_verify",
            kwargs={"number": certificate.number, "signature": certificate.signature},
        )
    )
    text = page.content.decode()
    assert page.status_code == 410
    assert "被撤销，不再有效" in text
    assert "经核实材料不实" in text


def test_the_form_accepts_number_and_code_as_printed(certificate: Certificate, client: Any) -> None:
    response = client.get(
        reverse("certificates:certificate_verify_form"),
        {"number": certificate.number.lower(), "code": f" {certificate.signature.upper()} "},
        follow=True,
    )
    assert "证书真实有效" in response.content.decode()


def test_the_form_says_what_is_missing(db: None, client: Any) -> None:
    page = client.get(reverse("certificates:certificate_verify_form"), {"number": "WH2026-1"})
    assert page.status_code == 200
    assert "这个字段是必填项。" in page.content.decode()


def test_an_unknown_number_says_so(db: None, client: Any) -> None:
    page = client.get(
        reverse(
            "certificates:certificate_verify",
            kwargs={"number": "WH2026-NOPE", "signature": "0" * 20},
        )
    )
    assert page.status_code == 404
    assert "没有编号为 WH2026-NOPE 的证书" in page.content.decode()


def test_the_check_is_listed_on_the_portal(db: None, client: Any) -> None:
    assert "certificate_verify" in [page.key for page in public_pages()]
    assert "证书查验" in client.get(reverse("portal:index")).content.decode()


def test_issuing_needs_the_permission_over_the_organisation(
    issuer: Any, personas: Personas, tree: Tree
) -> None:
    with pytest.raises(PermissionDenied):
        certificate_issue(
            actor=issuer, org=tree.street_b, kind="最美家庭", holder_display="王*", issuer="x"
        )
    with pytest.raises(PermissionDenied):
        certificate_issue(
            actor=personas.resident, org=tree.community_a1, kind="k", holder_display="h", issuer="i"
        )


def test_issuing_without_holder_is_refused_in_chinese(issuer: Any, tree: Tree) -> None:
    with pytest.raises(ValidationError, match="证书类别、持证人和颁发单位都必须填写"):
        certificate_issue(
            actor=issuer, org=tree.street_a, kind="最美家庭", holder_display=" ", issuer="x"
        )
    assert not Certificate.objects.exists()


def test_pdf_renders_chinese_with_a_cjk_font(certificate: Certificate) -> None:
    document = certificate_pdf_bytes(certificate, site_url="http://testserver")
    assert document.startswith(b"%PDF")
    font = pdf_module.chinese_font()
    assert font.encode() in document or b"STSong-Light" in document
