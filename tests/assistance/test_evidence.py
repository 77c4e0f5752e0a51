"""Evidence files: accepted by content, refused by kind, size or a closed application."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assistance.conftest import Path, Relief, file, set_policy
from tests.conftest import Personas
from warmhome.assistance import services_evidence, services_fund

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_real_png_is_stored_with_its_type(relief: Relief, path: Path):
    application = file(relief, path.community)
    evidence = services_evidence.evidence_attach(
        actor=path.community, application=application, file_name="照片.PNG", data=PNG
    )
    assert evidence.content_type == "image/png"
    assert evidence.size == len(PNG)


def test_a_file_over_the_size_limit_is_refused(relief: Relief, path: Path):
    set_policy("relief.evidence_max_mb", 1)
    application = file(relief, path.community)
    with pytest.raises(ValidationError, match="文件超过 1 MB"):
        services_evidence.evidence_attach(
            actor=path.community,
            application=application,
            file_name="大.png",
            data=PNG + b"\x00" * (1024 * 1024),
        )


def test_no_evidence_is_added_to_a_closed_application(relief: Relief, path: Path):
    application = file(relief, path.community)
    services_fund.application_transition(
        actor=path.community,
        application=application,
        transition="community_withdraw",
        comment="重复",
    )
    with pytest.raises(ValidationError, match="已办结"):
        services_evidence.evidence_attach(
            actor=path.community, application=application, file_name="a.png", data=PNG
        )


def test_another_streets_cadre_cannot_attach(relief: Relief, path: Path, personas: Personas):
    application = file(relief, path.community)
    with pytest.raises(PermissionDenied):
        services_evidence.evidence_attach(
            actor=personas.street_b_cadre, application=application, file_name="a.png", data=PNG
        )
