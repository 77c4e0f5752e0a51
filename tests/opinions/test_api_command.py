"""The API (submit, list, statistics), the classify command, the batch import's row checks."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import opinion
from warmhome.core.imports.services import check_row
from warmhome.core.imports.spec import RowContext
from warmhome.opinions.importers import OPINION_SPEC
from warmhome.opinions.models import ModelVersion


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_submit_list_and_statistics(model, personas: Personas, tree: Tree):
    client = _client(personas.community_a1_cadre)
    response = client.post(
        "/api/opinions/opinions",
        json.dumps({"org_id": tree.community_a1.pk, "channel": "visit", "text": "丈夫打人"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["topic"] == "DV"
    listed = client.get("/api/opinions/opinions").json()
    assert listed["count"] == 1
    year = timezone.localdate().year
    stats = client.get(f"/api/opinions/statistics?org_id={tree.community_a1.pk}&year={year}")
    assert sum(stats.json()["series"]["DV"]) == 1


def test_api_refuses_empty_text_with_a_chinese_message(model, personas: Personas, tree: Tree):
    response = _client(personas.community_a1_cadre).post(
        "/api/opinions/opinions",
        json.dumps({"org_id": tree.community_a1.pk, "channel": "visit", "text": ""}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["text"] == ["请填写反映内容。"]


def test_api_statistics_of_another_street_is_404(personas: Personas, tree: Tree):
    opinion(tree.community_b1)
    response = _client(personas.street_a_cadre).get(
        f"/api/opinions/statistics?org_id={tree.street_b.pk}&year=2026"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_classify_prints_one_code_per_line_and_trains_on_a_fresh_database(tmp_path, capsys):
    lines = ["丈夫喝酒后打我", "", "The lamp is broken", "<b>孩子放学没人管</b>", "x" * 100_000]
    path = tmp_path / "input.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not ModelVersion.objects.exists()
    call_command("opinions", "classify", str(path))
    captured = capsys.readouterr()
    codes = captured.out.splitlines()
    assert len(codes) == len(lines)
    assert codes[0] == "DV"
    assert codes[1] == "OTHER"
    assert codes[2] == "OTHER"
    assert codes[4] == "OTHER"
    assert "training" in captured.err
    assert ModelVersion.objects.filter(is_active=True).count() == 1


def test_classify_reads_non_utf8_bytes_without_failing(model, tmp_path, capsys):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe\xfa\n" + "社区路灯坏了".encode())
    call_command("opinions", "classify", str(path))
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_batch_rows_that_are_broken_are_named(personas: Personas, tree: Tree):
    context = RowContext()
    _values, errors = check_row(
        OPINION_SPEC,
        personas.street_a_cadre,
        {"org": "佛山苑社区", "day": "2026-13-45", "text": ""},
        context,
    )
    messages = " ".join(error["message"] for error in errors)
    assert "不能为空" in messages
    assert "不是有效日期" in messages
    _values, errors = check_row(
        OPINION_SPEC, personas.street_a_cadre, {"org": "佛山苑社区", "text": "路灯坏了"}, context
    )
    assert any("不在您的管理范围内" in error["message"] for error in errors)
    values, errors = check_row(
        OPINION_SPEC, personas.street_a_cadre, {"org": "解放桥社区", "text": "路灯坏了"}, context
    )
    assert errors == []
    assert values["org_unit"] == tree.community_a1


def test_train_command_prints_held_out_macro_f1(db, capsys):
    out = io.StringIO()
    call_command("opinions", "train", stdout=out)
    text = out.getvalue()
    assert "held-out macro-F1:" in text
    figure = float(text.split("held-out macro-F1:")[1].split()[0])
    assert figure >= 0.85
