"""The intake pages through Django's test client: submit, follow by receipt, the triage desk, posters."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pypdfium2  # type: ignore[import-untyped]  # ships no type hints
import pytest
import zxingcpp
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from taizhang.intake.models import Opinion, OpinionPhoto, Place, format_receipt
from taizhang.intake.services import MAX_PHOTOS
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem, Verdict
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import jpeg_upload, make_category, make_opinion, raised_problem

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def submit(client: Client, **fields: Any) -> Any:
    data = {"text": "3号澡堂的淋浴喷头坏了两个", "idempotency_key": "", **fields}
    return client.post(reverse("intake:submit"), data)


def test_an_anonymous_submission_with_a_photo_gives_a_receipt(client: Client, units: Org) -> None:
    response = submit(client, anonymous="on", photos=[jpeg_upload("bath.jpg", exif_gps=True)])
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert response["Location"] == reverse("intake:receipt", args=[format_receipt(opinion.receipt_code)])
    assert opinion.is_anonymous and opinion.submitter is None
    photo = opinion.photos.get()
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()  # GPS and camera data are gone
    with photo.thumbnail.open("rb") as stored, Image.open(stored) as image:
        assert max(image.size) <= 480
    page = client.get(response["Location"]).content.decode()
    assert format_receipt(opinion.receipt_code) in page and "3号澡堂的淋浴喷头坏了两个" in page


def test_a_signed_in_submission_is_named(units: Org, employee: Person) -> None:
    submit(logged_in(employee), unit=units.workshop.pk)
    opinion = Opinion.objects.get()
    assert (opinion.submitter, opinion.unit, opinion.channel) == (employee, units.workshop, "web")


def test_a_repeated_post_with_the_same_key_creates_one_opinion(client: Client, units: Org) -> None:
    submit(client, idempotency_key="form-abc")
    submit(client, idempotency_key="form-abc")
    assert Opinion.objects.count() == 1


def test_a_wrong_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    client: Client, units: Org
) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = submit(client, photos=[fake])
    assert response.status_code == 200
    assert "photo.jpg" in response.content.decode()
    assert Opinion.objects.count() == 0 and OpinionPhoto.objects.count() == 0


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_more_photos_than_the_limit_are_refused_on_the_field_and_nothing_is_stored(
    client: Client, units: Org
) -> None:
    photos = [jpeg_upload(f"p{number}.jpg") for number in range(MAX_PHOTOS + 1)]
    response = submit(client, photos=photos)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["photos"], errors
    message = f"最多上传 {MAX_PHOTOS} 张照片。"
    assert errors["photos"] == [message]
    assert message in response.content.decode()
    assert Opinion.objects.count() == 0 and OpinionPhoto.objects.count() == 0
    assert stored_files() == []


def test_photos_up_to_the_limit_are_all_kept(client: Client, units: Org) -> None:
    photos = [jpeg_upload(f"p{number}.jpg") for number in range(MAX_PHOTOS)]
    assert submit(client, photos=photos).status_code == 302
    assert Opinion.objects.get().photos.count() == MAX_PHOTOS


def test_anonymous_with_a_name_is_refused(client: Client, units: Org) -> None:
    response = submit(client, anonymous="on", contact_name="张三")
    assert response.status_code == 200 and Opinion.objects.count() == 0


def test_the_category_is_suggested_from_the_text(client: Client, units: Org) -> None:
    lamp = make_category(name="路灯照明", keywords="路灯 灯不亮 照明")
    response = client.get(reverse("intake:suggest"), {"text": "宿舍楼前的路灯晚上不亮"})
    assert response.status_code == 200
    assert f'value="{lamp.pk}" selected' in response.content.decode()


def test_a_qr_code_opens_the_form_with_the_place(client: Client, units: Org) -> None:
    place = Place.objects.create(name="3号澡堂", code="bath-3", unit=units.workshop)
    qr = client.get(reverse("intake:place_qr", args=[place.code]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    page = client.get(reverse("intake:submit"), {"place": "bath-3"}).content.decode()
    assert "3号澡堂" in page and 'value="bath-3"' in page
    submit(client, place="bath-3")
    opinion = Opinion.objects.get()
    assert (opinion.place, opinion.unit, opinion.channel) == (place, units.workshop, "qr")


@pytest.mark.parametrize(
    ("kind", "content_type", "magic"), [("png", "image/png", b"\x89PNG"), ("pdf", "application/pdf", b"%PDF")]
)
def test_posters_are_printable(
    client: Client, units: Org, kind: str, content_type: str, magic: bytes
) -> None:
    Place.objects.create(name="3号澡堂", code="bath-3", unit=units.workshop)
    response = client.get(reverse("intake:place_poster", args=["bath-3", kind]))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response.content.startswith(magic) and len(response.content) > 20_000


def decoded(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))]


def pdf_page_image(content: bytes) -> Image.Image:
    document = pypdfium2.PdfDocument(content)
    try:
        image: Image.Image = document[0].render(scale=150 / 72).to_pil()
        return image
    finally:
        document.close()


@pytest.mark.parametrize(
    ("view", "args"),
    [
        ("intake:place_qr", ["bath-3"]),
        ("intake:place_poster", ["bath-3", "png"]),
        ("intake:place_poster", ["bath-3", "pdf"]),
    ],
)
def test_the_printed_code_opens_the_form_with_the_place_chosen(
    client: Client, units: Org, view: str, args: list[str]
) -> None:
    Place.objects.create(name="3号澡堂", code="bath-3", unit=units.workshop)
    Place.objects.create(name="职工食堂", code="canteen", unit=units.plant)
    response = client.get(reverse(view, args=args))
    assert response.status_code == 200
    if response["Content-Type"] == "application/pdf":
        image = pdf_page_image(response.content)
    else:
        image = Image.open(io.BytesIO(response.content))
    urls = decoded(image)
    assert len(urls) == 1, urls
    url = urlsplit(urls[0])
    assert (url.scheme, url.netloc) == ("http", "testserver")  # the site the poster was printed from
    form = client.get(f"{url.path}?{url.query}")
    assert form.status_code == 200
    assert form.context["place"].code == "bath-3"
    fields = form.context["form"]
    assert (fields["place"].value(), fields["place_text"].value()) == ("bath-3", "3号澡堂")
    assert fields["unit"].value() == units.workshop.pk
    page = form.content.decode()
    assert 'data-testid="place"' in page and "3号澡堂" in page and "职工食堂" not in page


def test_follow_add_and_withdraw_by_receipt(client: Client, units: Org) -> None:
    opinion = make_opinion(user=None, unit=units.plant, anonymous=True)
    code = format_receipt(opinion.receipt_code)
    found = client.get(reverse("intake:lookup"), {"code": code.lower()})
    assert found.status_code == 302 and found["Location"].endswith(f"/r/{code}/")
    client.post(reverse("intake:receipt_add", args=[code]), {"text": "下午五点以后没有热水"})
    assert opinion.additions.get().text == "下午五点以后没有热水"
    client.post(reverse("intake:receipt_withdraw", args=[code]))
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.WITHDRAWN
    assert client.get(reverse("intake:lookup"), {"code": "NOPE-NOPE"}).status_code == 200


def test_the_receipt_shows_the_outcome_and_asks_for_a_rating(
    client: Client, units: Org, supervisor: Person, handler: Person
) -> None:
    problem, opinion = raised_problem(supervisor=supervisor, raiser=None, unit=units.plant, anonymous=True)
    code = format_receipt(opinion.receipt_code)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note="灯已修好", evidence=[jpeg_upload()]
    )
    page = client.get(reverse("intake:receipt", args=[code])).content.decode()
    assert problem.code in page and "灯已修好" in page and 'data-testid="rate-form"' in page
    client.post(reverse("intake:receipt_rate", args=[code]), {"verdict": Verdict.SATISFIED, "comment": "好"})
    assert problem.ratings.get().opinion == opinion
    page = client.get(reverse("intake:receipt", args=[code])).content.decode()
    assert 'data-testid="rate-form"' not in page


def test_a_declined_opinion_shows_the_reason(client: Client, units: Org, supervisor: Person) -> None:
    opinion = make_opinion(user=None, unit=units.plant, anonymous=True)
    client_supervisor = logged_in(supervisor)
    client_supervisor.post(
        reverse("intake:triage_opinion", args=[opinion.pk]),
        {"decision": "decline", "decline-response": "属于市政管理范围，已转交市政部门"},
    )
    page = client.get(reverse("intake:receipt", args=[format_receipt(opinion.receipt_code)])).content.decode()
    assert "属于市政管理范围" in page


def test_the_triage_desk_is_for_supervisors(
    units: Org, handler: Person, employee: Person, supervisor: Person
) -> None:
    opinion = make_opinion(user=employee, unit=units.plant)
    for person in (handler, employee):
        assert logged_in(person).get(reverse("intake:triage")).status_code == 404
        assert logged_in(person).get(reverse("intake:triage_opinion", args=[opinion.pk])).status_code == 404
    desk = logged_in(supervisor).get(reverse("intake:triage")).content.decode()
    assert opinion.text in desk


def test_triage_creates_a_problem_from_the_desk(units: Org, supervisor: Person, employee: Person) -> None:
    opinion = make_opinion(user=employee, unit=units.plant)
    category = make_category(name="澡堂")
    client = logged_in(supervisor)
    response = client.post(
        reverse("intake:triage_opinion", args=[opinion.pk]),
        {
            "decision": "create",
            "new-title": "3号澡堂热水不足",
            "new-category": category.pk,
            "new-lead_unit": units.plant.pk,
            "new-deadline": "2030-06-30",
            "new-target_quantity": "4",
            "new-priority": "2",
            "new-is_public": "on",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.title, problem.target_quantity, problem.is_public) == ("3号澡堂热水不足", 4, True)
    opinion.refresh_from_db()
    assert opinion.problem == problem


def test_a_bad_triage_form_says_what_is_wrong_and_creates_nothing(
    units: Org, supervisor: Person, employee: Person
) -> None:
    opinion = make_opinion(user=employee, unit=units.plant)
    response = logged_in(supervisor).post(
        reverse("intake:triage_opinion", args=[opinion.pk]),
        {
            "decision": "create",
            "new-title": "",
            "new-category": make_category().pk,
            "new-lead_unit": units.plant.pk,
            "new-priority": "2",
        },
    )
    assert response.status_code == 200 and Problem.objects.count() == 0
    assert 'class="errorlist' in response.content.decode()


def test_triage_attaches_merges_and_answers(units: Org, supervisor: Person, employee: Person) -> None:
    problem, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    attach = make_opinion(user=None, unit=units.plant, anonymous=True)
    merge = make_opinion(user=None, unit=units.plant, anonymous=True)
    answer = make_opinion(user=None, unit=units.plant, anonymous=True)
    client = logged_in(supervisor)
    client.post(
        reverse("intake:triage_opinion", args=[attach.pk]),
        {"decision": "attach", "attach-problem": problem.code.lower()},
    )
    client.post(
        reverse("intake:triage_opinion", args=[merge.pk]),
        {"decision": "merge", "merge-into": attach.receipt_display},
    )
    client.post(
        reverse("intake:triage_opinion", args=[answer.pk]),
        {"decision": "answer", "answer-response": "已有班车"},
    )
    states = {o.pk: (o.state, o.problem_id) for o in Opinion.objects.all()}
    assert states[attach.pk] == ("triaged", problem.pk)
    assert states[merge.pk] == ("merged", problem.pk)
    assert states[answer.pk] == ("answered", None)


def test_returned_items_are_reassigned_from_the_desk(
    units: Org, supervisor: Person, handler: Person, employee: Person
) -> None:
    problem, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    ledger.problem_return(user=handler, problem_id=problem.pk, reason="不归我们管")
    client = logged_in(supervisor)
    assert problem.code in client.get(reverse("intake:triage")).content.decode()
    client.post(reverse("intake:reassign", args=[problem.pk]), {"lead_unit": units.sibling.pk})
    problem.refresh_from_db()
    assert (problem.state, problem.lead_unit) == (State.OPEN, units.sibling)


def test_photos_are_served_to_the_receipt_holder_and_the_scope_only(
    client: Client, units: Org, supervisor: Person, outsider: Person
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "blue").save(buffer, "PNG")
    submit(
        client,
        anonymous="on",
        unit=units.plant.pk,
        photos=[SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")],
    )
    opinion = Opinion.objects.get()
    photo = opinion.photos.get()
    code = format_receipt(opinion.receipt_code)

    def fetch(who: Client, url: str) -> int:
        response = who.get(url)
        if response.status_code == 200:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]  # lets the client close it
        return response.status_code

    assert fetch(client, reverse("intake:receipt_photo", args=[code, photo.pk])) == 200
    assert fetch(client, reverse("intake:receipt_photo", args=["AAAAA-AAAAA", photo.pk])) == 404
    assert fetch(logged_in(supervisor), reverse("intake:photo", args=[photo.pk])) == 200
    assert fetch(logged_in(outsider), reverse("intake:photo", args=[photo.pk])) == 404
