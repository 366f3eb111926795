"""Bad input through the web forms and the JSON API: a clear message in the person's language (zh-Hans by
default), next to the field concerned, and nothing stored or changed."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from taizhang.core.errors import InvalidInput
from taizhang.intake.models import Opinion, OpinionPhoto
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Evidence, Problem
from taizhang.org.models import Person
from tests.api.conftest import ApiClient
from tests.conftest import Org
from tests.factories import jpeg_upload, make_problem

pytestmark = pytest.mark.django_db


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny valid PNG whose header declares a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def big_jpeg(size_bytes: int) -> bytes:
    image = Image.effect_noise((1200, 1200), 120).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=100)
    data = buffer.getvalue()
    assert len(data) > size_bytes
    return data


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


BAD_FILES: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, content, the Chinese message that must appear)
    "wrong type": ("notes.txt", b"just some text, not a photo", "支持的格式"),
    "html calling itself a jpg": ("photo.jpg", b"<html><script>alert(1)</script></html>", "支持的格式"),
    "pdf calling itself a jpg": ("photo.jpg", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "支持的格式"),
    "png calling itself a jpg": ("photo.jpg", b"", "的扩展名为 .jpg，但实际是 PNG 文件"),
    "decompression bomb": ("bomb.png", b"", "图片"),
    "oversized": ("huge.jpg", b"", "超过 1 MB"),
}


def _bad_file(case: str) -> SimpleUploadedFile:
    name, content, _message = BAD_FILES[case]
    if case == "png calling itself a jpg":
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buffer, format="PNG")
        content = buffer.getvalue()
    elif case == "decompression bomb":
        content = png_bomb()
    elif case == "oversized":
        content = big_jpeg(1024 * 1024)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def small_uploads(settings: Any) -> None:
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 1024 * 1024


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_photo_on_the_opinion_form_is_refused_next_to_the_field_and_nothing_is_stored(
    client: Client, units: Org, small_uploads: None, case: str
) -> None:
    response = client.post(
        reverse("intake:submit"),
        {"text": "3号澡堂的淋浴喷头坏了两个", "idempotency_key": "", "photos": [_bad_file(case)]},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "photos" in form.errors, form.errors
    assert BAD_FILES[case][2] in " ".join(form.errors["photos"])
    assert BAD_FILES[case][2] in response.content.decode()
    assert Opinion.objects.count() == 0 and OpinionPhoto.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_evidence_is_refused_and_the_problem_is_unchanged(
    units: Org, supervisor: Person, handler: Person, small_uploads: None, case: str
) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    before = Problem.objects.get(pk=problem.pk)
    with pytest.raises(InvalidInput) as refused:
        ledger.problem_request_closeout(
            user=handler, problem_id=problem.pk, completion_note="已修好", evidence=[_bad_file(case)]
        )
    assert str(refused.value.message)
    after = Problem.objects.get(pk=problem.pk)
    assert (after.state, after.version) == (before.state, before.version)
    assert Evidence.objects.count() == 0 and stored_files() == []


def test_a_good_photo_still_goes_through(client: Client, units: Org, small_uploads: None) -> None:
    response = client.post(
        reverse("intake:submit"),
        {"text": "3号澡堂的淋浴喷头坏了两个", "idempotency_key": "", "photos": [jpeg_upload()]},
    )
    assert response.status_code == 302 and OpinionPhoto.objects.count() == 1


# --- overlong fields, invalid dates, unknown references -------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "长" * 4001, "4000"),
        ("place_text", "地" * 201, "200"),
        ("contact_phone", "1" * 31, "30"),
        ("unit", "999999", "选择"),
        ("category", "999999", "选择"),
    ],
)
def test_the_opinion_form_marks_the_bad_field_and_stores_nothing(
    client: Client, units: Org, field: str, value: str, message: str
) -> None:
    data = {"text": "3号澡堂的淋浴喷头坏了两个", "idempotency_key": "", field: value}
    response = client.post(reverse("intake:submit"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert Opinion.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "长" * 4001}, "text"),
        ({"text": "路灯不亮", "unit_id": 999999}, "unit_id"),
        ({"text": "路灯不亮", "category_id": 999999}, "category_id"),
        ({"text": "路灯不亮", "place_code": "no-such-place"}, "place_code"),
        ({"text": "路灯不亮", "latitude": 91}, "latitude"),
    ],
)
def test_the_api_names_the_bad_field_of_an_opinion_and_stores_nothing(
    units: Org, body: dict[str, Any], field: str
) -> None:
    response = ApiClient(language="zh-hans").post("opinions", body)
    assert response.status_code in (400, 422)
    error = response.json()["error"]
    assert field in error["fields"], error
    assert Opinion.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deadline": "2014-02-30"}, "deadline"),
        ({"deadline": "明天"}, "deadline"),
        ({"title": "题" * 201}, "title"),
        ({"leader_id": 999999}, "leader_id"),
        ({"category_id": 999999}, "category_id"),
    ],
)
def test_the_api_names_the_bad_field_of_a_problem_edit_and_changes_nothing(
    units: Org, supervisor: Person, body: dict[str, Any], field: str
) -> None:
    from taizhang.api import services as api_services

    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, title="修复路灯")
    token = api_services.token_create(user=supervisor, name="t").raw
    response = ApiClient(token, language="zh-hans").patch(f"problems/{problem.pk}", body)
    assert response.status_code in (400, 422), response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    after = Problem.objects.get(pk=problem.pk)
    assert (after.title, after.deadline, after.version) == (problem.title, problem.deadline, problem.version)
